"""API.md "Oversight", included in config.urls under /api/v1/ (namespace "api")."""

from django.urls import path

from reports import api, dossier_views

urlpatterns = [
    path("stats/", api.stats_view, name="stats"),
    path("applications/export.xlsx", api.applications_export_view, name="application-export"),
    path("recognitions/export.xlsx", api.recognitions_export_view, name="recognition-export"),
    path("notices/export.xlsx", api.notices_export_view, name="notice-export"),
    path("exports/<id:pk>/", api.export_detail_view, name="export-detail"),
    path("exports/<id:pk>/download", api.export_download_view, name="export-download"),
    path("persons/<id:pk>/dossier.pdf", dossier_views.dossier_view, name="person-dossier"),
]
