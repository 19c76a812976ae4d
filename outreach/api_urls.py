"""API.md "Pushed lists and surveys", included in config.urls under /api/v1/ (namespace "api")."""

from django.urls import path

from outreach import api

urlpatterns = [
    path("push-lists/", api.PushLists.as_view(), name="push-list-list"),
    path("push-lists/<id:pk>/", api.push_list_view, name="push-list-detail"),
    path("pushed-persons/", api.PushedList.as_view(), name="pushed-person-list"),
    path("pushed-persons/<id:pk>/", api.pushed_view, name="pushed-person-detail"),
    path("pushed-persons/<id:pk>/consent/", api.consent_view, name="pushed-person-consent"),
    path("pushed-persons/<id:pk>/decline/", api.decline_view, name="pushed-person-decline"),
    path("pushed-persons/<id:pk>/unreachable/", api.unreachable_view, name="pushed-person-unreachable"),
    path("outreach/conversion/", api.conversion_view, name="outreach-conversion"),
    path("persons/", api.PersonList.as_view(), name="person-list"),
    path("persons/search/", api.PersonSearch.as_view(), name="person-search"),
    path("persons/<id:pk>/", api.person_view, name="person-detail"),
    path("visits/", api.visits_view, name="visit-list"),
    path("visits/<id:pk>/work-list/", api.visit_to_work_list_view, name="visit-to-work-list"),
]
