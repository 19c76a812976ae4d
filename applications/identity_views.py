"""Identity pages (DESIGN.md §10): the applicant's 身份验证 (a code to the phone on record) and the staff
page 核验申请人身份 (in person, with the ID card), both thin callers of applications.identity."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import audit
from accounts import services as accounts
from accounts.forms import CodeForm, IdNumberForm, InPersonForm, TakeoverForm
from accounts.models import Role, User
from applications import identity
from applications.access import application_for_user
from applications.services import record_is_theirs
from config.converters import parse_id


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """身份验证: `send` asks for a code to the phone on the person's record; `code` uses it."""
    user = request.user
    if not user.is_applicant:
        raise PermissionDenied
    form = CodeForm(request.POST if request.POST.get("action") == "code" else None)
    if request.method == "POST" and not user.identity_verified:
        if request.POST.get("action") == "send":
            try:
                identity.identity_code_request(user=user)
            except accounts.TooManyRequests as exc:
                messages.error(request, str(exc))
            except accounts.SmsFailed:
                messages.error(request, _("短信发送失败，请稍后再试。"))
            else:
                messages.success(request, accounts.CODE_SENT.format(minutes=settings.IDENTITY_CODE_MINUTES))
            return redirect("verify-identity")
        if form.is_valid():
            try:
                identity.identity_code_confirm(user=user, code=form.cleaned_data["code"])
            except accounts.TooManyRequests as exc:
                form.add_error("code", str(exc))
            except ValidationError as exc:
                form.add_error("code", exc.message_dict.get("code", exc.messages))
            else:
                messages.success(request, _("身份验证成功，现在可以查看和办理您的申请。"))
                return redirect("home")
    return render(request, "accounts/verify.html", {"form": form, "minutes": settings.IDENTITY_CODE_MINUTES})


def _id_number(request: HttpRequest, officer) -> str:
    """The ID number the page is about. Never read from the URL, which access logs keep (issue 12): typed
    into the POSTed search form, or found from `?application=` / `?account=` ids in the officer's scope
    (out of scope: 404), which shows the officer a full number they did not type (audited)."""
    if request.POST.get("id_number"):
        return request.POST["id_number"]
    if (pk := parse_id(request.GET.get("application"))) is not None:
        number = application_for_user(officer, pk).applicant.id_number
        audit.full_id_shown(request, object_type="application", object_id=pk)
        return number
    if (pk := parse_id(request.GET.get("account"))) is not None:
        number = User.objects.filter(pk=pk, role=Role.APPLICANT).values_list("id_number", flat=True).first()
        if not number or identity.person_in_scope(officer, number) is None:
            raise Http404
        audit.full_id_shown(request, object_type="account", object_id=pk)
        return number
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def staff_identity(request: HttpRequest) -> HttpResponse:
    """核验申请人身份: staff with the person and the ID card find the account registered with that
    number (only for a person with an application in their scope) and verify it, or hand it over."""
    officer = request.user
    if not (officer.is_staff_officer and officer.role in identity.VERIFYING_ROLES):
        raise PermissionDenied
    number = _id_number(request, officer)
    search = IdNumberForm({"id_number": number} if number else None)
    person = account = None
    if search.is_valid():
        person, account = identity.accounts_for_person(officer=officer, id_number=search.cleaned_data["id_number"])
    action = request.POST.get("action")
    in_person = InPersonForm(request.POST if action == "verify" else None)
    takeover = TakeoverForm(request.POST if action == "takeover" else None)
    if request.method == "POST" and action in ("verify", "takeover") and account is not None:
        form = in_person if action == "verify" else takeover
        if form.is_valid():
            try:
                identity.identity_verify_in_person(
                    officer=officer,
                    account_id=account.pk,
                    phone=form.cleaned_data["phone"],
                    takeover=action == "takeover",
                    password=form.cleaned_data.get("password1", ""),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error("password1" if field == "password" else field, errors)
            else:
                done = _("已核验身份，该账号现可查看和办理本人的申请。")
                if action == "takeover":
                    done = _("账号已由本人取回：原密码和登录已失效，请本人用新密码登录。")
                messages.success(request, done)
                return redirect(f"{reverse('identity-staff')}?{urlencode({'account': account.pk})}")
    return render(
        request,
        "accounts/identity_staff.html",
        {
            "search": search,
            "searched": search.is_bound and search.is_valid(),
            "person": person,
            "name": identity.name_in_scope(officer, person) if person else "",
            "elsewhere": identity.ELSEWHERE if person and not record_is_theirs(officer, person) else "",
            "account": account,
            "masked_phone": accounts.mask_phone(account.phone) if account else "",
            "in_person": in_person,
            "takeover": takeover,
        },
    )
