"""API.md "Oversight", included in config.urls under /api/v1/ (namespace "api")."""

from django.urls import path

from reports import api

urlpatterns = [
    path("stats/", api.stats_view, name="stats"),
]
