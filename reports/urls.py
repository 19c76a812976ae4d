from django.urls import path

from reports import dossier_views, views

app_name = "reports"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("exports/<str:kind>.xlsx", views.export, name="export"),
    path("exports/<id:pk>/", views.export_job, name="export-job"),
    path("exports/<id:pk>/download", views.export_job_download, name="export-job-download"),
    path("persons/<id:pk>/dossier.pdf", dossier_views.dossier_page, name="person-dossier"),
]
