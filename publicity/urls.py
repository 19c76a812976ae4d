from django.urls import path

from publicity import views

app_name = "publicity"
urlpatterns = [
    path("notices/", views.public_list, name="public-list"),
    path("notices/<id:pk>/", views.public_detail, name="public-detail"),
    path("notices/<id:pk>/pdf", views.public_pdf, name="public-pdf"),
    path("staff/notices/", views.staff_list, name="staff-list"),
    path("staff/notices/<id:pk>/", views.staff_detail, name="staff-detail"),
    path("staff/notices/<id:pk>/pdf", views.staff_pdf, name="staff-pdf"),
    path("staff/notices/<id:pk>/<str:action>/", views.staff_action, name="staff-action"),
]
