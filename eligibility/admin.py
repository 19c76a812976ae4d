from django.contrib import admin

from eligibility.models import HolidayOverride, OfficialYear


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "notice"]
    list_filter = ["kind", "name"]
    search_fields = ["name", "notice"]
    date_hierarchy = "date"


@admin.register(OfficialYear)
class OfficialYearAdmin(admin.ModelAdmin):
    list_display = ["year", "notice", "entered_at"]
