"""API.md "Recognitions, assistance, exits", included in config.urls under /api/v1/ (namespace "api")."""

from django.urls import path

from exits import api

urlpatterns = [
    path("recognitions/", api.RecognitionList.as_view(), name="recognition-list"),
    path("recognitions/<id:pk>/", api.RecognitionDetail.as_view(), name="recognition-detail"),
    path("recognitions/<id:pk>/plan/", api.plan_view, name="recognition-plan"),
    path("recognitions/<id:pk>/services/", api.services_view, name="recognition-services"),
    path("recognitions/<id:pk>/subsidies/", api.subsidies_view, name="recognition-subsidies"),
    path("recognitions/<id:pk>/employment/", api.employment_view, name="recognition-employment"),
    path("recognitions/<id:pk>/exits/", api.propose_view, name="recognition-exits"),
    path("exits/", api.ExitList.as_view(), name="exit-list"),
    path("exits/<id:pk>/", api.ExitDetail.as_view(), name="exit-detail"),
    path("exits/<id:pk>/confirm/", api.confirm_view, name="exit-confirm"),
    path("exits/<id:pk>/dismiss/", api.dismiss_view, name="exit-dismiss"),
    path("exits/<id:pk>/objection/", api.objection_view, name="exit-objection"),
    path("exits/<id:pk>/reverify/", api.reverify_view, name="exit-reverify"),
    path("exits/<id:pk>/letter.pdf", api.letter_view, name="exit-letter"),
]
