"""Applicant accounts and the account side of identity (DESIGN.md §10, API.md "Applicant accounts and
identity"). What the person's record holds (the phone on record, who may verify in person) is known to
applications.identity, which calls these with it; accounts knows nothing of applications."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from rest_framework.authtoken.models import Token

from accounts import audit, idnumber, sms
from accounts.models import AuditAction, IdentityCode, IdentityMethod, IdentityVerification, Role, User

ALREADY_REGISTERED = (
    "该身份证号已注册，请直接登录。如果不是您本人注册的，请本人携带身份证到常住地社区（村）或街道（乡镇）"
    "经办窗口核验身份，取回账号。"
)
HOW_TO_VERIFY = (
    "为保护您的个人信息，请先验证身份：本人携带身份证到常住地社区（村）或街道（乡镇）经办窗口核验，"
    "或在“身份验证”页面获取发送到系统登记手机号的验证码。"
)
CODE_SENT = (
    "如果系统中登记了您的手机号码，验证码已发送到该号码，{minutes}分钟内有效。"
    "没有收到的，请本人携带身份证到常住地社区（村）或街道（乡镇）经办窗口核验身份。"
)


class TooManyRequests(Exception):
    """429: a limit on codes was reached (the message says how long to wait)."""


class SmsFailed(Exception):
    """503: the SMS gateway did not take the code (the code is withdrawn; ask again later)."""


class CodeRefused(ValidationError):
    """400 on `code`: wrong, expired, used, or sent to a phone the record no longer holds."""

    def __init__(self, message: str):
        super().__init__({"code": message})


@dataclass(frozen=True)
class CodeSent:
    sent: bool  # False: no phone on record; the answer to the person is the same


def mask_phone(phone: str) -> str:
    """138****0001: enough for the person to recognise their number."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "*" * len(phone)


def normalize_id_number(value: str) -> str:
    """The 18-digit number as stored and as the login name (upper-case X); raises InvalidIdNumber."""
    return idnumber.parse(value).number


def account_register(*, name: str, id_number: str, phone: str, password: str) -> User:
    """An unverified applicant account that signs in with its ID number (API.md). Whether the system
    holds a record of that number is neither checked nor told: the account sees nothing until verified."""
    try:
        number = normalize_id_number(id_number)
    except idnumber.InvalidIdNumber as exc:
        raise ValidationError({"id_number": str(exc)}) from None
    user = User(username=number, id_number=number, full_name=name.strip(), phone=phone, role=Role.APPLICANT)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    with transaction.atomic():
        if User.objects.filter(Q(id_number=number) | Q(username=number)).exists():
            raise ValidationError({"id_number": ALREADY_REGISTERED})
        user.save()
    return user


def _code_hash(code_id: int, user_id: int, code: str) -> str:
    return salted_hmac("accounts.identity-code", f"{code_id}:{user_id}:{code}", algorithm="sha256").hexdigest()


def identity_code_send(*, user: User, phone_on_record: str) -> CodeSent:
    """A new 6-digit code to `phone_on_record` (the person's record, never the phone typed at
    registration); earlier codes of the account stop working. At most IDENTITY_CODE_SENDS_PER_HOUR per
    account and per phone (TooManyRequests). With no phone on record nothing is sent, and the request
    counts all the same. A gateway error withdraws the code and raises SmsFailed."""
    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    limit = settings.IDENTITY_CODE_SENDS_PER_HOUR
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one send at a time per account
        by_account = IdentityCode.objects.filter(user=user, created_at__gte=hour_ago)
        by_phone = IdentityCode.objects.filter(phone=phone_on_record, created_at__gte=hour_ago)
        if by_account.count() >= limit or (phone_on_record and by_phone.count() >= limit):
            raise TooManyRequests(f"获取验证码过于频繁，每小时最多{limit}次，请1小时后再试。")
        IdentityCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        row = IdentityCode.objects.create(
            user=user,
            phone=phone_on_record,
            created_at=now,
            expires_at=now + timedelta(minutes=settings.IDENTITY_CODE_MINUTES),
        )
        if not phone_on_record:
            return CodeSent(sent=False)
        code = f"{secrets.randbelow(10**6):06d}"
        row.code_hash = _code_hash(row.pk, user.pk, code)
        row.save(update_fields=["code_hash"])
    text = (
        f"您正在验证就业困难人员认定账号的身份，验证码 {code}，{settings.IDENTITY_CODE_MINUTES}分钟内有效。"
        "工作人员不会向您索要验证码，请勿告诉他人。"
    )
    try:
        sms.send_sms(to=phone_on_record, text=text, key=f"identity-code-{row.pk}")
    except Exception as exc:
        IdentityCode.objects.filter(pk=row.pk).update(expires_at=now)
        raise SmsFailed(str(exc)) from exc
    return CodeSent(sent=True)


def identity_code_use(*, user: User, code: str, phone_on_record: str) -> None:
    """Use the account's live code once. It must have been sent to the phone the record holds now.
    Each wrong entry counts (committed even though the call fails); the last allowed one kills the
    code (TooManyRequests). Raises CodeRefused otherwise."""
    now = timezone.now()
    code = (code or "").strip()
    row = (
        IdentityCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now)
        .exclude(code_hash="")
        .order_by("-id")
        .first()
    )
    if row is None or row.attempts >= settings.IDENTITY_CODE_ATTEMPTS or row.phone != phone_on_record:
        raise CodeRefused("验证码无效或已过期，请重新获取。")
    if not constant_time_compare(row.code_hash, _code_hash(row.pk, user.pk, code)):
        IdentityCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        left = settings.IDENTITY_CODE_ATTEMPTS - row.attempts - 1
        if left <= 0:
            raise TooManyRequests("验证码输错次数过多，已失效，请重新获取。")
        raise CodeRefused(f"验证码不正确，还可以再试{left}次。")
    # compare-and-swap: of two requests with the right code, one uses it
    if not IdentityCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
        raise CodeRefused("验证码无效或已过期，请重新获取。")


def _snapshot(user: User) -> dict:
    return {
        "full_name": user.full_name,
        "phone": user.phone,
        "email": user.email,
        "identity_method": user.identity_method,
        "identity_verified_at": user.identity_verified_at.isoformat() if user.identity_verified_at else None,
    }


def identity_mark_verified(
    *,
    account: User,
    method: str,
    officer: User | None = None,
    phone: str = "",
    takeover: bool = False,
    name: str = "",
    password: str = "",
) -> IdentityVerification:
    """Record that `account` is the person with its ID number (the caller ties the person's record to it
    in the same transaction). A `takeover` hands an account someone else registered with the person's
    number to the person standing at the window: the person's own password, phone and name replace the
    old ones (kept in the record), other sign-ins end (sessions by the password change, API tokens
    deleted) and the old email address, which would receive the person's messages, is cleared."""
    if method not in IdentityMethod.values:
        raise ValueError(method)
    if takeover:
        if not phone:
            raise ValidationError({"phone": "取回账号须登记本人的手机号码。"})
        if not password:
            raise ValidationError({"password": "取回账号须由本人设置新密码。"})
        try:
            validate_password(password, account)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
    before = _snapshot(account)
    now = timezone.now()
    account.identity_verified_at = now
    account.identity_method = method
    fields = ["identity_verified_at", "identity_method"]
    if phone:
        account.phone = phone
        fields.append("phone")
    if takeover:
        account.full_name = name or account.full_name
        account.email = ""
        account.set_password(password)
        fields += ["full_name", "email", "password"]
        Token.objects.filter(user=account).delete()
    account.save(update_fields=fields)
    verification = IdentityVerification.objects.create(
        account=account,
        id_number=account.id_number or "",
        method=method,
        officer=officer,
        unit_code=(officer.unit_id or "") if officer else "",
        takeover=takeover,
        before=before,
        after=_snapshot(account),
        at=now,
    )
    audit.record(
        actor=officer or account,
        action=AuditAction.VERIFY_IDENTITY,
        object_type="account",
        object_id=account.pk,
        detail={"method": method, "takeover": takeover, "verification": verification.pk},
    )
    return verification
