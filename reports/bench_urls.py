"""The URLconf of the gunicorn that `make bench` starts (reports/bench_wsgi.py), never of production:
the whole app (config.urls) plus two bare views the throughput rows compare with (issue 13) — a DRF
view behind the same token authentication that answers a constant, and a plain Django JSON view."""

from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.response import Response
from rest_framework.views import APIView


class BareList(APIView):
    """The API's authentication and permission defaults (token, IsAuthenticated), no query, no serializer."""

    def get(self, request):
        return Response({"count": 0, "next": None, "previous": None, "results": []})


@csrf_exempt
def bare_json(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/bare-list/", BareList.as_view()),
    path("bench/bare-json/", bare_json),
    path("", include("config.urls")),
]
