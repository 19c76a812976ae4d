from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from accounts.models import OrgUnit, User
from accounts.selectors import units_for_user


class TokenView(ObtainAuthToken):
    """POST {"username","password"} → {"token"}; throttled against password guessing."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class MeSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit_id", allow_null=True)
    unit_name = serializers.CharField(source="unit.name", default=None)
    role_label = serializers.CharField(source="get_role_display")

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "role_label", "unit_code", "unit_name"]


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    return Response(MeSerializer(request.user).data)


class UnitSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent_id", allow_null=True)

    class Meta:
        model = OrgUnit
        fields = [
            "code",
            "name",
            "level",
            "parent_code",
            "policy_code",
            "is_urban",
            "south_xinjiang",
            "relaxed_unemployment_months",
            "minimum_monthly_wage",
            "accepts_applications",
        ]


class UnitList(generics.ListAPIView):
    """Units in the caller's scope; `?level=` and `?parent=` narrow it."""

    serializer_class = UnitSerializer
    filterset_fields = ["level", "parent"]

    def get_queryset(self):
        return units_for_user(self.request.user).order_by("code")


class UnitDetail(generics.RetrieveAPIView):
    serializer_class = UnitSerializer
    lookup_field = "code"

    def get_queryset(self):
        return units_for_user(self.request.user)
