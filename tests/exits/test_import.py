import json
from datetime import date

import pytest
from django.core.management import call_command

from exits.models import Recognition
from tests.factories import make_id

pytestmark = pytest.mark.django_db

GOOD_1 = make_id(date(1975, 3, 1), "M", "220102", 11)
GOOD_2 = make_id(date(1978, 6, 1), "F", "220102", 12)
HEADER = "id_number,name,unit_code,categories,recognized_on,female_original_retirement_age"


def write(tmp_path, lines, name="legacy.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def run(path, *flags):
    from io import StringIO

    out = StringIO()
    call_command("import_recognitions", str(path), *flags, stdout=out)
    lines = out.getvalue().strip().splitlines()
    return lines, json.loads(lines[-1])


LINES = [
    f"{GOOD_1},王一,220102001001,laid_off_soe,2021-03-01,",
    f"{GOOD_2},李二,220102001001,older;zero_employment_household,2020-05-06,55",
    "220102197501011230,坏号,220102001001,laid_off_soe,2021-03-01,",  # bad check digit
    f"{make_id(date(1976, 1, 1), 'M', '220102', 13)},无单位,220199001001,laid_off_soe,2021-03-01,",
    f"{make_id(date(1977, 1, 1), 'M', '220102', 14)},错类型,220102001001,veteran,2021-03-01,",
    f"{GOOD_1},重复,220102001001,laid_off_soe,2021-03-01,",
]


def test_a_dry_run_reports_every_bad_row_and_imports_nothing(demo, tmp_path):
    lines, summary = run(write(tmp_path, LINES), "--dry-run")
    assert summary["imported"] == 0 and [b["row"] for b in summary["bad"]] == [4, 5, 6, 7]
    assert [line.split("：")[0] for line in lines[:-1]] == ["第4行", "第5行", "第6行", "第7行"]  # the report, then JSON
    errors = {b["row"]: " ".join(b["errors"]) for b in summary["bad"]}
    assert "校验位" in errors[4] and "未知的单位" in errors[5] and "veteran" in errors[6] and "重复" in errors[7]
    assert not Recognition.objects.exists()


def test_a_file_with_errors_imports_nothing_unless_skip_bad(demo, tmp_path):
    path = write(tmp_path, LINES)
    _, summary = run(path)
    assert summary["imported"] == 0 and len(summary["bad"]) == 4 and not Recognition.objects.exists()
    _, summary = run(path, "--skip-bad")
    assert summary["imported"] == 2
    first = Recognition.objects.get(applicant__id_number=GOOD_1)
    assert first.source == "import" and first.application is None and first.active
    assert first.policy_code == "jilin-2022" and first.approving_unit_id == "220102000000"
    assert first.statutory_retirement_on == date(2037, 10, 1)  # born 1975-03: 62 years 7 months (2025 reform)
    second = Recognition.objects.get(applicant__id_number=GOOD_2)
    assert second.categories == ["older", "zero_employment_household"] and second.zero_employment_household
    # importing the same file again: the persons already hold a recognition (duplicates)
    _, summary = run(path, "--skip-bad")
    assert summary["imported"] == 0


def test_jilin_recognitions_after_the_notice_go_through_an_application(demo, tmp_path):
    _, summary = run(write(tmp_path, [f"{GOOD_1},王一,220102001001,laid_off_soe,2022-05-10,"]), "--dry-run")
    assert summary["bad"][0]["row"] == 2 and "申请" in summary["bad"][0]["errors"][0]


def test_it_reads_xlsx(demo, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append([GOOD_1, "王一", "220102001001", "laid_off_soe", date(2021, 3, 1), None])
    path = tmp_path / "legacy.xlsx"
    book.save(path)
    _, summary = run(path)
    assert summary == {"imported": 1, "bad": []}
