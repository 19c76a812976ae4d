"""Identity endpoints (API.md "Applicant accounts and identity"): thin callers of applications.identity."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.exceptions import APIException, Throttled
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import services as accounts
from accounts.api import AccountOutput
from applications import identity


class SmsUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "短信发送失败，请稍后再试。"
    default_code = "sms_unavailable"


class CodeInput(serializers.Serializer):
    code = serializers.RegexField(
        r"^\d{6}$", required=False, error_messages={"invalid": "请输入短信中的6位数字验证码。"}
    )


class DetailOutput(serializers.Serializer):
    detail = serializers.CharField()


def _verified(user) -> Response:
    return Response(AccountOutput({"id": user.pk, "identity_verified": user.identity_verified}).data)


@extend_schema(
    request=CodeInput,
    responses={
        200: AccountOutput,
        202: OpenApiResponse(DetailOutput, description="验证码已发送到记录中的手机号（如有）"),
        429: DetailOutput,
    },
)
@api_view(["POST"])
def me_verify_identity_view(request: Request) -> Response:
    """`{}` sends a one-time code to the phone on the person's record (202, the same answer whether or
    not there is one); `{"code"}` uses it and ties the account to the person (200). Staff: 403."""
    user = request.user
    if not user.is_applicant:
        raise PermissionDenied("只有申请人账号需要验证身份。")
    data = CodeInput(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        if code := data.validated_data.get("code"):
            return _verified(identity.identity_code_confirm(user=user, code=code))
        if user.identity_verified:
            return _verified(user)
        identity.identity_code_request(user=user)
    except accounts.TooManyRequests as exc:
        raise Throttled(detail=str(exc)) from None
    except accounts.SmsFailed:
        raise SmsUnavailable() from None
    message = accounts.CODE_SENT.format(minutes=settings.IDENTITY_CODE_MINUTES)
    return Response({"detail": message}, status=status.HTTP_202_ACCEPTED)


class InPersonInput(serializers.Serializer):
    phone = serializers.RegexField(
        r"^1\d{10}$", required=False, allow_blank=True, default="", error_messages={"invalid": "请输入11位手机号码。"}
    )
    takeover = serializers.BooleanField(default=False, help_text="本人未注册该账号：由本人设置新密码和手机号取回")
    password = serializers.CharField(
        required=False, allow_blank=True, default="", write_only=True, max_length=128, style={"input_type": "password"}
    )


@extend_schema(request=InPersonInput, responses=AccountOutput)
@api_view(["POST"])
def account_verify_identity_view(request: Request, pk: int) -> Response:
    """Staff of a community, township or county whose scope holds an application of the person saw the
    ID card: the account registered with that number is tied to the person (audited). With `takeover`
    the person, who did not register it, gets it with their own password and phone."""
    data = InPersonInput(data=request.data)
    data.is_valid(raise_exception=True)
    account = identity.identity_verify_in_person(officer=request.user, account_id=pk, **data.validated_data)
    return _verified(account)
