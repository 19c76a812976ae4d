from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from accounts import audit
from accounts.models import Level, OrgUnit
from applications.models import Application, State
from config.converters import parse_id, parse_ids
from eligibility import workdays
from publicity import services
from publicity.access import notice_for_user, notices_for_user, public_lines, public_notices
from publicity.forms import NoticeForm, ObjectionForm, ProofForm, PublishForm
from publicity.models import NoticeState, Objection, ObjectionState, PostingProof
from publicity.pdf import notice_pdf_response

ERRORS = (TransitionNotAllowed, PermissionDenied, ValidationError)


def _say(request, exc):
    messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    """The handling unit's notices, and its applications waiting to be put on one."""
    user = request.user
    if not (user.is_staff_officer or user.is_admin):
        raise PermissionDenied
    waiting = Application.objects.filter(handling_unit_id=user.unit_id, state=State.PENDING_NOTICE)
    form = NoticeForm(
        request.POST or None,
        initial={"agency_name": user.unit.name if user.unit_id else "", "contact_person": user.full_name},
    )
    if request.method == "POST" and user.is_staff_officer and form.is_valid():
        try:
            notice = services.notice_create(
                actor=user,
                unit_code=user.unit_id,
                application_ids=parse_ids(request.POST.getlist("application_ids")),
                **form.cleaned_data,
            )
        except ERRORS as exc:
            _say(request, exc)
        else:
            messages.success(request, _("公示草稿已生成，请预览后发布。"))
            return redirect("publicity:staff-detail", pk=notice.pk)
    page = Paginator(notices_for_user(user), 20).get_page(request.GET.get("page"))
    return render(request, "publicity/staff_list.html", {"waiting": waiting, "form": form, "page": page})


@login_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notice_for_user(request.user, pk)
    lines = list(notice.lines.all())
    objections = Objection.objects.filter(line__notice=notice).select_related("line", "recorded_by", "resolved_by")
    own = request.user.is_staff_officer and request.user.unit_id == notice.unit_id
    draft = own and notice.state == NoticeState.DRAFT
    unverified = any(o.state == ObjectionState.PENDING and not o.line.withdrawn_on for o in objections)
    period_over = notice.state == NoticeState.PUBLISHED and timezone.localdate() > notice.period_end
    return render(
        request,
        "publicity/staff_detail.html",
        {
            "notice": notice,
            "edit_form": NoticeForm(initial=_details(notice)) if draft else None,
            "addable": _addable(notice) if draft else [],
            "lines": lines,
            "objections": objections,
            "proofs": notice.proofs.all(),
            "own": own,
            "publish_form": PublishForm(initial={"published_on": timezone.localdate()}),
            "objection_form": ObjectionForm(lines=[line for line in lines if not line.withdrawn_on]),
            "proof_form": ProofForm(),
            "can_close": period_over and not unverified,  # services.notice_close refuses either (409)
            "unverified": period_over and unverified,
            "pending": ObjectionState.PENDING,
            "notice_days": workdays.NOTICE_WORKING_DAYS,
        },
    )


def _details(notice) -> dict:
    return {
        f: getattr(notice, f) for f in ("title", "supervision_phone", "contact_person", "agency_name", "external_url")
    }


def _addable(notice) -> list[Application]:
    """The unit's applications waiting for a notice and on no draft: what a draft may take in."""
    waiting = Application.objects.filter(
        handling_unit_id=notice.unit_id, state=State.PENDING_NOTICE, policy_code=notice.policy_code
    )
    return list(waiting.exclude(notice_lines__notice__state=NoticeState.DRAFT))  # rows show the case's own name


@login_required
@require_POST
def staff_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    notice = notice_for_user(request.user, pk)
    user = request.user
    try:
        if action == "publish":
            form = PublishForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("请填写正确的发布日期。"))
            services.notice_publish(actor=user, notice_id=notice.pk, published_on=form.cleaned_data["published_on"])
            messages.success(request, _("公示已发布。"))
        elif action == "edit":
            form = NoticeForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            services.notice_update(
                actor=user,
                notice_id=notice.pk,
                add_ids=parse_ids(request.POST.getlist("add_ids")),
                remove_ids=parse_ids(request.POST.getlist("remove_ids")),
                **form.cleaned_data,
            )
            messages.success(request, _("公示草稿已修改。"))
        elif action == "delete":
            if request.POST.get("confirmed") != "1":  # asked first, on a page of its own (no script needed)
                return render(request, "publicity/confirm_delete.html", {"notice": notice})
            services.notice_delete(actor=user, notice_id=notice.pk)
            messages.success(request, _("公示草稿已删除，名单中的申请仍为待公示。"))
            return redirect("publicity:staff-list")
        elif action == "close":
            services.notice_close(notice_id=notice.pk, actor=user)
            messages.success(request, _("公示已结束，申请已转入下一环节。"))
        elif action == "objection":
            form = ObjectionForm(request.POST, lines=list(notice.lines.filter(withdrawn_on__isnull=True)))
            if not form.is_valid():
                raise ValidationError([f"{form[f].label}：{e}" for f, errs in form.errors.items() for e in errs])
            services.objection_record(actor=user, notice_id=notice.pk, **form.cleaned_data)
            messages.success(request, _("异议已登记，请核实。"))
        elif action == "resolve":
            objection = get_object_or_404(Objection, pk=parse_id(request.POST.get("objection_id")), line__notice=notice)
            services.objection_resolve(
                actor=user,
                objection_id=objection.pk,
                upheld=request.POST.get("upheld") == "1",
                finding=request.POST.get("finding", ""),
            )
            messages.success(request, _("核实结果已记录。"))
        elif action == "proof":
            if user.unit_id != notice.unit_id:
                raise PermissionDenied(_("只有公示单位可以上传张贴证明。"))
            form = ProofForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            PostingProof.objects.create(notice=notice, uploaded_by=user, **form.cleaned_data)
            messages.success(request, _("张贴证明已保存。"))
        else:
            raise Http404
    except ERRORS as exc:
        _say(request, exc)
    return redirect("publicity:staff-detail", pk=notice.pk)


def _pdf_or_wait(request: HttpRequest, notice, page: str) -> HttpResponse:
    """A person clicking the link gets the file, or (a long notice still rendering) the notice page,
    which refreshes itself until the file is ready."""
    response = notice_pdf_response(notice)
    if response.status_code == 202:
        messages.info(request, _("公示文件较长，正在后台生成，完成后即可下载。"))
        return redirect(page, pk=notice.pk)
    if response.status_code == 503:  # the page says why and offers 重新生成 (this same link)
        return redirect(page, pk=notice.pk)
    return response


@login_required
def staff_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    response = _pdf_or_wait(request, notice_for_user(request.user, pk), "publicity:staff-detail")
    return audit.downloaded(request, response, object_type="notice", object_id=pk, document="notice")


def public_list(request: HttpRequest) -> HttpResponse:
    """Current and recent notices of every unit, without signing in; filter by county."""
    notices = public_notices()
    county = request.GET.get("county", "")
    if len(county) == 12 and county.isdigit():
        notices = notices.filter(unit__code__startswith=county[:6])
    counties = OrgUnit.objects.filter(level=Level.COUNTY).order_by("code")
    page = Paginator(notices, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/public_list.html",
        {"page": page, "counties": counties, "county": county, "today": timezone.localdate()},
    )


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(public_notices(), pk=pk)
    context = {"notice": notice, "lines": public_lines(notice), "notice_days": workdays.NOTICE_WORKING_DAYS}
    return render(request, "publicity/public_detail.html", context)


def public_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf_or_wait(request, get_object_or_404(public_notices(), pk=pk), "publicity:public-detail")
