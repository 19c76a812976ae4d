"""Legacy recognitions (jilin-2022 六: 本通知下发前，已认定就业困难人员的继续保留就业困难人员资格): persons
recognised before the policy enter by import, as recognitions without an application.

Every row is checked first; a file with a bad row imports nothing unless `skip_bad`, and then only the
good rows. Columns: id_number, name, unit_code, categories (codes separated by ';'), recognized_on, and
optionally female_original_retirement_age (50 or 55: asked, not assumed, DESIGN.md §3)."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from accounts import areas, idnumber
from accounts.models import Level, OrgUnit
from eligibility import policies
from eligibility.dates import add_months
from eligibility.retirement import statutory_retirement
from exits.models import Recognition, Source
from exits.services import identity_check_months
from exits.tally import recognition_counts, tally_move

COLUMNS = ("id_number", "name", "unit_code", "categories", "recognized_on")


@dataclass
class Row:
    number: int  # the row in the file, the header being row 1
    data: dict
    errors: list[str] = field(default_factory=list)
    clean: dict = field(default_factory=dict)


def read_rows(path: str | Path) -> list[Row]:
    path = Path(path)
    return read_table(path.name, path.read_bytes(), COLUMNS)


def read_table(name: str, data: bytes, columns: tuple[str, ...], aliases: dict[str, str] | None = None) -> list[Row]:
    """The rows of a .csv (UTF-8) or .xlsx file whose header names at least `columns` (or their `aliases`,
    other names of a column, e.g. Chinese ones); blank lines skipped."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception:  # openpyxl raises many kinds on a damaged or renamed file
            raise ValueError("无法读取该 Excel 文件，请确认是 .xlsx 格式。") from None
        lines = [
            ["" if v is None else (v.isoformat()[:10] if isinstance(v, date) else str(v)) for v in r]
            for r in sheet.iter_rows(values_only=True)
        ]
    elif suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError("CSV 文件应为 UTF-8 编码。") from None
        lines = list(csv.reader(io.StringIO(text)))
    else:
        raise ValueError("只能导入 .csv 或 .xlsx 文件。")
    if not lines:
        raise ValueError("文件是空的。")
    header = [(aliases or {}).get(str(h).strip(), str(h).strip()) for h in lines[0]]
    if missing := [c for c in columns if c not in header]:
        raise ValueError(f"缺少列：{', '.join(missing)}")
    rows = []
    for number, values in enumerate(lines[1:], start=2):
        if not any(str(v).strip() for v in values):
            continue
        rows.append(Row(number, {h: str(v).strip() for h, v in zip(header, values, strict=False)}))
    return rows


def check(rows: list[Row], today: date | None = None) -> None:
    """Fill each row's errors (bad ID number, unknown unit, unknown category, duplicate, bad date)."""
    today = today or timezone.localdate()
    units = OrgUnit.objects.in_bulk([r.data.get("unit_code", "") for r in rows])
    provinces = dict(OrgUnit.objects.filter(level=Level.PROVINCE).values_list("code", "policy_code"))
    numbers = {}
    for row in rows:
        d = row.data
        try:
            card = idnumber.parse(d.get("id_number", ""))
            number = card.number
        except idnumber.InvalidIdNumber as exc:
            row.errors.append(f"id_number：{exc}")
            card, number = None, None
        if not d.get("name"):
            row.errors.append("name：姓名不能为空。")
        unit = units.get(d.get("unit_code", ""))
        policy = None
        if unit is None:
            row.errors.append(f"unit_code：未知的单位 {d.get('unit_code', '')}。")
        else:
            try:
                policy = policies.get(provinces.get(areas.province(unit.code), ""))
            except policies.UnknownPolicy:
                row.errors.append(f"unit_code：{unit.name} 所在省（区）没有适用的认定政策。")
        codes = [c.strip() for c in d.get("categories", "").split(";") if c.strip()]
        if not codes:
            row.errors.append("categories：请填写就业困难类型代码，多个用 ; 分隔。")
        elif policy is not None:
            known = {rule.code for rule in policy.categories}
            if unknown := [c for c in codes if c not in known]:
                row.errors.append(f"categories：{policy.document} 没有这些类型：{'、'.join(unknown)}。")
        try:
            recognized_on = date.fromisoformat(d.get("recognized_on", ""))
            if recognized_on > today:
                row.errors.append("recognized_on：认定日期不能晚于今天。")
            elif policy is not None and policy.code == "jilin-2022" and recognized_on >= policy.valid_from:
                row.errors.append(f"recognized_on：{policy.valid_from} 以后的认定应通过申请办理（六）。")
        except ValueError:
            recognized_on = None
            row.errors.append("recognized_on：日期格式应为 YYYY-MM-DD。")
        female_age = d.get("female_original_retirement_age", "")
        if female_age and female_age not in ("50", "55"):
            row.errors.append("female_original_retirement_age：只能是50或55。")
        if number:
            if number in numbers:
                row.errors.append(f"id_number：与第{numbers[number]}行重复。")
            else:
                numbers[number] = row.number
        if not row.errors:
            retirement = None
            if card.sex == "M" or female_age:
                retirement = statutory_retirement(card.birth_date, card.sex, int(female_age or 50)).date
            row.clean = {
                "id_number": number,
                "name": d["name"],
                "unit": unit,
                "policy_code": policy.code,
                "categories": codes,
                "recognized_on": recognized_on,
                "statutory_retirement_on": retirement,
            }
    # a person already holding an active recognition under that policy is a duplicate too
    held = set(
        Recognition.objects.filter(
            active=True, applicant__id_number__in=[r.clean["id_number"] for r in rows if r.clean]
        ).values_list("applicant__id_number", "policy_code")
    )
    for row in rows:
        if row.clean and (row.clean["id_number"], row.clean["policy_code"]) in held:
            row.errors.append("id_number：该人员已有有效的就业困难人员认定（重复）。")
            row.clean = {}


def import_rows(rows: list[Row], *, dry_run: bool = False, skip_bad: bool = False) -> dict:
    bad = [{"row": r.number, "errors": r.errors} for r in rows if r.errors]
    good = [r for r in rows if not r.errors]
    summary = {"imported": 0, "bad": bad}
    if dry_run or (bad and not skip_bad) or not good:
        summary["would_import"] = len(good) if not bad or skip_bad else 0
        return summary
    Applicant = apps.get_model("applications", "Applicant")  # by name: exits never imports applications
    with transaction.atomic():
        numbers = [r.clean["id_number"] for r in good]
        existing = set(Applicant.objects.filter(id_number__in=numbers).values_list("id_number", flat=True))
        Applicant.objects.bulk_create(
            [
                Applicant(id_number=r.clean["id_number"], name=r.clean["name"])
                for r in good
                if r.clean["id_number"] not in existing
            ]
        )
        people = dict(Applicant.objects.filter(id_number__in=numbers).values_list("id_number", "pk"))
        months = identity_check_months()
        recognitions = []
        for r in good:
            c = r.clean
            recognition = Recognition(
                applicant_id=people[c["id_number"]],
                unit=c["unit"],
                policy_code=c["policy_code"],
                source=Source.IMPORT,
                categories=c["categories"],
                recognized_on=c["recognized_on"],
                approving_unit_id=areas.ancestor_at(c["unit"].code, Level.COUNTY),
                statutory_retirement_on=c["statutory_retirement_on"],
                last_contact_on=max(c["recognized_on"], timezone.localdate()),  # tracking starts on import
                identity_check_due_on=add_months(max(c["recognized_on"], timezone.localdate()), months),
                zero_employment_household="zero_employment_household" in c["categories"],
            )
            recognition.category_index = ",{},".format(",".join(c["categories"]))
            recognitions.append(recognition)
        Recognition.objects.bulk_create(recognitions, batch_size=1000)
        tally_move(after=[item for recognition in recognitions for item in recognition_counts(recognition)])
    summary["imported"] = len(recognitions)
    summary["retirement_unknown"] = [r.number for r in good if r.clean["statutory_retirement_on"] is None]
    return summary
