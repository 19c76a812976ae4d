"""Push lists as a province officer uploads them (CSV, or XLSX through openpyxl)."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import api_as
from tests.factories import PersonFactory, facts_for

HEADER = ["id_number", "name", "unit_code", "phone"]


def row(unit_code: str = "650102001001", person: dict | None = None, **facts) -> dict:
    """One line of a list: a new person of the unit's region meeting the policy (tests.factories), `facts` over it."""
    person = person or PersonFactory(region=unit_code[:6])
    return {
        "id_number": person["id_number"],
        "name": person["name"],
        "unit_code": unit_code,
        "phone": person["phone"],
        **facts_for(unit_code, person, **facts),
    }


def csv_file(rows: list[dict], name: str = "推送名单.csv") -> SimpleUploadedFile:
    columns = list(dict.fromkeys([*HEADER, *(k for r in rows for k in r)]))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for r in rows:
        writer.writerow({k: _cell(v) for k, v in r.items()})
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8-sig"), content_type="text/csv")


def xlsx_file(rows: list[dict], name: str = "推送名单.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    columns = list(dict.fromkeys([*HEADER, *(k for r in rows for k in r)]))
    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    for r in rows:
        sheet.append([_cell(r.get(c, "")) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def _cell(value) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    return "" if value is None else str(value)


def push(user, rows_or_file, *, dry_run: bool = False):
    upload = rows_or_file if isinstance(rows_or_file, SimpleUploadedFile) else csv_file(rows_or_file)
    return api_as(user).post("/api/v1/push-lists/", {"file": upload, "dry_run": dry_run}, format="multipart")
