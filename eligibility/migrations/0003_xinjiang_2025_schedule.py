"""The 自治区's own 2025 holidays (DESIGN.md §4), shipped as data: 肉孜节 3/29–3/31 and
古尔邦节 6/6–6/10, from its notice on the 2025 holidays under 自治区人民政府令第174号
(新疆维吾尔自治区少数民族习惯节日放假办法). Later years are entered with import_holidays."""

from datetime import date, timedelta

from django.db import migrations

PROVINCE, YEAR = "65", 2025
NOTICE = "新疆维吾尔自治区2025年节假日安排（自治区人民政府令第174号）"
HOLIDAYS = [("肉孜节", date(2025, 3, 29), date(2025, 3, 31)), ("古尔邦节", date(2025, 6, 6), date(2025, 6, 10))]


def enter(apps, schema_editor):
    HolidayOverride = apps.get_model("eligibility", "HolidayOverride")
    OfficialYear = apps.get_model("eligibility", "OfficialYear")
    HolidayOverride.objects.bulk_create(
        HolidayOverride(date=start + timedelta(days=i), province=PROVINCE, kind="holiday", name=name, notice=NOTICE)
        for name, start, end in HOLIDAYS
        for i in range((end - start).days + 1)
    )
    OfficialYear.objects.create(year=YEAR, province=PROVINCE, notice=NOTICE)


def remove(apps, schema_editor):
    apps.get_model("eligibility", "HolidayOverride").objects.filter(province=PROVINCE, notice=NOTICE).delete()
    apps.get_model("eligibility", "OfficialYear").objects.filter(year=YEAR, province=PROVINCE, notice=NOTICE).delete()


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0002_province_calendars")]

    operations = [migrations.RunPython(enter, remove)]
