"""Excel exports of every list (DESIGN.md §11): the queue of applications, the register of recognised
persons, and the notices' lines — each with its list's own filters, read through that list's selector
(so through its scope), Chinese headers and widths, the header row frozen, dates as dates. ID numbers
and phones are masked unless `full_ids` (county and above, audited by the caller).

XlsxWriter's constant_memory mode streams each row to a temporary file; the rows come from one query
read in chunks, so memory and the number of queries stay flat whatever the row count. Every string is
written as text: a name typed as "=HYPERLINK(…)" is a name in the officer's Excel, never a formula
that runs or a link that opens (CWE-1236)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import IO

import xlsxwriter
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from rest_framework.exceptions import ValidationError

from accounts.idnumber import mask
from accounts.models import Role, User
from applications.forms import QueueFilter
from applications.models import Channel, State
from applications.selectors import application_queue
from eligibility import policies
from exits import selectors as exit_selectors
from publicity.access import notices_for_user
from publicity.models import NoticeLine, NoticeState

# 就业困难人员 personal data: the full numbers only for county-level officers and above (DESIGN.md §11)
FULL_ID_ROLES = frozenset({Role.COUNTY, Role.PREFECTURE, Role.PROVINCE, Role.ADMIN})
CHUNK = 2000


def may_export_full_ids(user: User) -> bool:
    return user.is_admin or user.role in FULL_ID_ROLES


def mask_phone(phone: str) -> str:
    phone = (phone or "").strip()
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:] if len(phone) >= 8 else "*" * len(phone)


def _labels(pairs) -> dict[str, str]:
    labels: dict[str, str] = {}
    for code, label in pairs:
        labels.setdefault(code, str(label))
    return labels


CATEGORY_LABELS = _labels((rule.code, rule.label) for p in policies.POLICIES.values() for rule in p.categories)
EXIT_LABELS = _labels((reason.code, reason.label) for p in policies.POLICIES.values() for reason in p.exit_reasons)


def _categories(value) -> str:
    codes = value if isinstance(value, list) else [c for c in (value or "").split(",") if c]
    return "、".join(CATEGORY_LABELS.get(code, code) for code in codes)


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    field: str  # a key of the rows' values()
    show: Callable[[object, bool], object] | None = None  # (value, full_ids) -> what the cell holds


def _id(value, full_ids):
    return value if full_ids else mask(value or "")


def _phone(value, full_ids):
    return value if full_ids else mask_phone(value)


def _choice(choices) -> Callable:
    labels = _labels(choices)
    return lambda value, full_ids: labels.get(value, value)


@dataclass(frozen=True)
class Export:
    kind: str
    title: str  # the sheet's name and the file name's stem
    columns: tuple[Column, ...]
    rows: Callable[[User, dict], QuerySet]  # (user, query params) -> values() of the list, scoped
    ordering: tuple[str, ...] = ()

    def filename(self, today: date) -> str:
        return f"{self.title}_{today:%Y%m%d}.xlsx"

    def queryset(self, user: User, params: dict) -> QuerySet:
        return self.rows(user, params).values(*[c.field for c in self.columns])


def _applications(user: User, params: dict) -> QuerySet:
    """The queue's own filters (applications.forms.QueueFilter), through application_queue; the API
    list's `unit_code`, a unit or a code prefix, narrows it as it narrows the list."""
    data = dict(params)
    unit_code = data.pop("unit_code", "")
    form = QueueFilter(data, province_code=(user.unit_id or "")[:2])
    if not form.is_valid():
        raise ValidationError(form.errors)
    filters = form.to_filters()
    if unit_code and not filters.unit_prefix:
        filters = replace(filters, unit_prefix=unit_code)
    return application_queue(user=user, filters=filters)


def _recognitions(user: User, params: dict) -> QuerySet:
    """The register's filters (exits.selectors.recognition_register), the active ones by default as on its page."""
    dates = {}
    for name in ("ended_from", "ended_to"):
        try:
            dates[name] = date.fromisoformat(params[name]) if params.get(name) else None
        except ValueError:
            raise ValidationError({name: ["日期格式应为 YYYY-MM-DD。"]}) from None
    queryset = exit_selectors.recognition_register(
        user=user,
        active=params.get("active", "true"),
        unit_code=params.get("unit_code", ""),
        category=params.get("category", ""),
        assistance=params.get("assistance", ""),
        due=params.get("due") == "1",
        proposed=params.get("proposed") == "1",
        end_reason=params.get("reason", ""),
        **dates,
    )
    # the name and phone recorded on the recognising application; the record's for an imported recognition
    return queryset.order_by("unit_id", "-recognized_on", "-id").annotate(
        contact_name=Coalesce("application__applicant_name", "applicant__name"),
        contact_phone=Coalesce("application__applicant_phone", "applicant__phone"),
    )


def _notice_lines(user: User, params: dict) -> QuerySet:
    notices = notices_for_user(user)
    if state := params.get("state"):
        if state not in NoticeState.values:
            raise ValidationError({"state": ["未知的公示状态。"]})
        notices = notices.filter(state=state)
    lines = NoticeLine.objects.filter(notice__in=notices.values("pk"))
    return lines.order_by("-notice__created_at", "notice_id", "seq")


EXPORTS = {
    "applications": Export(
        "applications",
        "就业困难人员认定申请",
        (
            Column("受理编号", 22, "reference"),
            Column("姓名", 10, "applicant_name"),
            Column("身份证号", 21, "applicant_id_number", _id),
            Column("联系电话", 14, "applicant_phone", _phone),
            Column("所属社区（村）", 24, "unit__name"),
            Column("受理初审单位", 24, "handling_unit__name"),
            Column("就业困难类型", 30, "categories", lambda v, f: _categories(v)),
            Column("状态", 10, "state", _choice(State.choices)),
            Column("申请渠道", 12, "channel", _choice(Channel.choices)),
            Column("收到日期", 12, "received_on"),
            Column("受理日期", 12, "accepted_on"),
            Column("本环节办理期限", 14, "stage_due_on"),
            Column("办结日期", 12, "decided_on"),
        ),
        _applications,
    ),
    "recognitions": Export(
        "recognitions",
        "就业困难人员名册",
        (
            Column("姓名", 10, "contact_name"),
            Column("身份证号", 21, "applicant__id_number", _id),
            Column("联系电话", 14, "contact_phone", _phone),
            Column("所属社区（村）", 24, "unit__name"),
            Column("就业困难类型", 30, "categories", lambda v, f: _categories(v)),
            Column("认定日期", 12, "recognized_on"),
            Column("认定单位", 24, "approving_unit__name"),
            Column("状态", 8, "active", lambda v, f: "有效" if v else "已退出"),
            Column("退出日期", 12, "ended_on"),
            Column("退出原因", 24, "end_reason", lambda v, f: EXIT_LABELS.get(v, v)),
            Column("零就业家庭", 10, "zero_employment_household", lambda v, f: "是" if v else ""),
        ),
        _recognitions,
    ),
    "notices": Export(
        "notices",
        "就业困难人员认定公示",
        (
            Column("公示标题", 40, "notice__title"),
            Column("公示单位", 24, "notice__unit__name"),
            Column("状态", 8, "notice__state", _choice(NoticeState.choices)),
            Column("公示开始", 12, "notice__period_start"),
            Column("公示结束", 12, "notice__period_end"),
            Column("序号", 6, "seq"),
            Column("姓名", 10, "name"),
            Column("身份证号", 21, "application__applicant__id_number", _id),
            Column("就业困难类型", 30, "categories"),
            Column("所属社区(村)/街道(乡镇)", 30, "place"),
            Column("撤回日期", 12, "withdrawn_on"),
        ),
        _notice_lines,
    ),
}


def write_xlsx(
    export: Export,
    rows: Iterable[dict],
    out: IO[bytes],
    *,
    full_ids: bool,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Stream `rows` into an .xlsx on `out`; `progress(n)` every CHUNK rows. Returns the row count."""
    book = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    sheet = book.add_worksheet(export.title[:31])
    sheet.freeze_panes(1, 0)
    for number, column in enumerate(export.columns):
        sheet.set_column(number, number, column.width)
    header = book.add_format({"bold": True, "bg_color": "#DDE6F0", "align": "center"})
    sheet.write_row(0, 0, [column.header for column in export.columns], header)
    shows = [(column.field, column.show) for column in export.columns]
    count = 0
    for count, row in enumerate(rows, 1):
        sheet.write_row(count, 0, [show(row[field], full_ids) if show else row[field] for field, show in shows])
        if progress and count % CHUNK == 0:
            progress(count)
    book.close()
    return count
