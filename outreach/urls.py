from django.urls import path

from outreach import views

app_name = "outreach"
urlpatterns = [
    path("outreach/push-lists/", views.push_lists, name="push-lists"),
    path("outreach/push-lists/<id:pk>/", views.push_list, name="push-list"),
    path("outreach/push-lists/template.csv", views.push_list_template, name="push-list-template"),
    path("outreach/work-list/", views.work_list, name="work-list"),
    path("outreach/work-list/<id:pk>/<str:action>/", views.work_list_act, name="work-list-act"),
    path("outreach/persons/", views.persons, name="persons"),
    path("outreach/persons/<id:pk>/", views.person, name="person"),
    path("outreach/visits/", views.visit_new, name="visit-new"),
    path("outreach/visits/<id:pk>/work-list/", views.visit_to_work_list, name="visit-to-work-list"),
    path("outreach/conversion/", views.conversion, name="conversion"),
]
