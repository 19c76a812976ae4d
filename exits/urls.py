from django.urls import path

from exits import views

app_name = "exits"
urlpatterns = [
    path("recognitions/", views.register, name="register"),
    path("recognitions/<id:pk>/", views.detail, name="detail"),
    path("recognitions/<id:pk>/<str:action>/", views.act, name="act"),
    path("exits/", views.queue, name="queue"),
    path("exits/<id:pk>/letter.pdf", views.letter, name="letter"),
    path("exits/<id:pk>/<str:action>/", views.decide, name="decide"),
]
