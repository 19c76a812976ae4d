"""Per-province calendars: rows entered before them stay national; the 自治区's 2025 schedule is added."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from eligibility.models import HolidayOverride, OfficialYear

BEFORE = [("eligibility", "0001_holiday_calendar")]


@pytest.mark.django_db(transaction=True)
def test_existing_rows_stay_national():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        old.get_model("eligibility", "HolidayOverride").objects.create(
            date=date(2025, 6, 6), kind="holiday", name="测试", notice="旧通知"
        )
        old.get_model("eligibility", "OfficialYear").objects.create(year=2025, notice="旧通知")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert set(HolidayOverride.objects.filter(date=date(2025, 6, 6)).values_list("province", "notice")) == {
        ("", "旧通知"),
        ("65", "新疆维吾尔自治区2025年节假日安排（自治区人民政府令第174号）"),
    }
    assert set(OfficialYear.objects.values_list("year", "province")) == {(2025, ""), (2025, "65")}
