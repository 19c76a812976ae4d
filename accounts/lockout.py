"""Login brute force (issue 12, API.md "Audit"): django-axes locks a USERNAME after 5 failures within
15 minutes on every login path (/accounts/login/, /admin/login/, POST /api/v1/auth/token), whatever
address or X-Forwarded-For the tries come from; settings.AXES_* point here for the username key, the
client address and the Chinese refusal. Every failed login also goes to the audit trail."""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts import audit
from accounts.backends import normalize_username
from accounts.models import AuditAction


def username_key(request, credentials: dict | None = None) -> str:
    """One key per account: an ID number typed with a lower-case x or spaces is the same username."""
    data = credentials or getattr(request, "data", None) or getattr(request, "POST", {})
    return normalize_username(data.get(settings.AXES_USERNAME_FORM_FIELD) or "")


def locked_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("该账号登录失败次数过多，已暂时锁定，请 %(minutes)d 分钟后再试。如忘记密码，请联系所在单位。") % {
        "minutes": minutes
    }


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """429 with the message in Chinese: JSON for the API, the login page for a browser."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": locked_message()}, status=429)
    else:
        response = render(request, "accounts/locked.html", {"message": locked_message()}, status=429)
    response["Retry-After"] = retry_after
    return response


@receiver(user_login_failed)
def record_login_failure(sender, credentials: dict, request=None, **kwargs) -> None:
    """Each failed sign-in (a wrong password, an unknown name, a locked account) in the audit trail;
    Django has already hidden the password in `credentials`."""
    audit.record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        detail={"username": username_key(request, credentials)[:150], "path": getattr(request, "path", "")[:200]},
        request=request,
    )
