from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle

from accounts import services
from accounts.lockout import lockout_response
from accounts.models import AuditAction, AuditEvent, Notification, OrgUnit, User
from accounts.selectors import audit_events_for_user, can_read_audit, units_for_user


class TokenView(ObtainAuthToken):
    """POST {"username","password"} → {"token"}; throttled per client, and a username locked after
    repeated failures is refused with a Chinese 429 (accounts.lockout; django-axes marks the DRF request,
    which its middleware does not see)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            if getattr(request, "axes_locked_out", False):
                return lockout_response(request)
            raise


class MeSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit_id", allow_null=True)
    unit_name = serializers.CharField(source="unit.name", default=None)
    role_label = serializers.CharField(source="get_role_display")

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "role_label", "unit_code", "unit_name"]

    def to_representation(self, user):
        data = super().to_representation(user)
        if user.is_applicant:  # DESIGN.md §10: what the account may see depends on it
            data["identity_verified"] = user.identity_verified
        return data


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


# --- applicant accounts (API.md "Applicant accounts and identity")


class RegisterThrottle(AnonRateThrottle):
    """Per client address: registering is open to anyone."""

    scope = "register"


class RegisterInput(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=30)
    phone = serializers.RegexField(r"^1\d{10}$", error_messages={"invalid": "请输入11位手机号码。"})
    password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"})


class AccountOutput(serializers.Serializer):
    id = serializers.IntegerField()
    identity_verified = serializers.BooleanField()


@extend_schema(request=RegisterInput, responses={201: AccountOutput}, auth=[])
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([RegisterThrottle])
def register_view(request: Request) -> Response:
    """An unverified applicant account; it signs in with its ID number (POST /api/v1/auth/token). The
    answer is the same whether or not the system holds a record of that ID number."""
    data = RegisterInput(data=request.data)
    data.is_valid(raise_exception=True)
    user = services.account_register(**data.validated_data)
    return Response(AccountOutput(user).data, status=status.HTTP_201_CREATED)


# --- the user's messages (API.md: GET /api/v1/notifications/, POST .../{id}/read/)


class NotificationOutput(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read"]

    def get_read(self, note) -> bool:
        return note.read_at is not None


class NotificationList(generics.ListAPIView):
    """The caller's own messages, newest first (`?unread=true`: only unread ones)."""

    serializer_class = NotificationOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Notification.objects.none()
        queryset = Notification.objects.filter(user=self.request.user)
        if self.request.query_params.get("unread") == "true":
            queryset = queryset.filter(read_at__isnull=True)
        return queryset


@extend_schema(request=None, responses=NotificationOutput)
@api_view(["POST"])
def notification_read_view(request: Request, pk: int) -> Response:
    """Mark one of the caller's messages read; anyone else's is absent (404)."""
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return Response(NotificationOutput(note).data)


# --- the audit trail (API.md "Audit")


class AuditEventOutput(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AuditEvent
        fields = ["at", "actor", "role", "unit_code", "action", "object_type", "object_id", "detail"]


class AuditEventList(generics.ListAPIView):
    """Audit events of actors in the caller's scope (administrators and province staff; county staff
    within their county; others 403), newest first; `?object_type=&object_id=&actor=&action=` narrow it."""

    serializer_class = AuditEventOutput
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("object_type", str, enum=["application", "recognition", "notice"]),
            OpenApiParameter("object_id", str),
            OpenApiParameter("actor", str, description="用户名"),
            OpenApiParameter("action", str, enum=[a.value for a in AuditAction]),
        ]
    )
    def get(self, request, *args, **kwargs):
        if not can_read_audit(request.user):
            raise PermissionDenied("无权查看审计记录。")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.objects.none()
        params = self.request.query_params
        return audit_events_for_user(
            self.request.user,
            **{key: params.get(key, "")[:64] for key in ("object_type", "object_id", "actor", "action")},
        )
