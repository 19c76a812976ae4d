from django.contrib import admin

from eligibility.models import HolidayOverride, OfficialYear
from eligibility.signals import schedule_entered_on_commit


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    """A day of the national schedule, or of one province's own holidays (changes that province only)."""

    list_display = ["date", "province", "kind", "name", "notice"]
    list_filter = ["province", "kind", "name"]
    search_fields = ["name", "notice"]
    date_hierarchy = "date"


@admin.register(OfficialYear)
class OfficialYearAdmin(admin.ModelAdmin):
    list_display = ["year", "province", "notice", "entered_at"]
    list_filter = ["province"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # DESIGN.md §4: dates computed provisionally for that year are recomputed once it is entered.
        schedule_entered_on_commit(year=obj.year, province=obj.province)
