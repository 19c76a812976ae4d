from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from eligibility import policies
from eligibility.models import HolidayOverride, OfficialYear
from eligibility.signals import schedule_entered_on_commit


class PolicyFilter(admin.SimpleListFilter):
    """Filter on a `policy_code` field by the policies' names, not their codes."""

    title = _("适用政策")
    parameter_name = "policy_code"

    def lookups(self, request, model_admin):
        return [(code, policies.label(code)) for code in policies.POLICIES]

    def queryset(self, request, queryset):
        return queryset.filter(policy_code=self.value()) if self.value() else queryset


class OrgUnitForm(forms.ModelForm):
    policy_code = forms.TypedChoiceField(
        label=_("适用政策"),
        required=False,
        empty_value="",
        choices=[("", "—")] + [(code, policies.label(code)) for code in policies.POLICIES],
        help_text=_("仅省级单位填写。"),
    )

    class Meta:
        model = OrgUnit
        fields = ["policy_code"]  # the admin adds the fieldsets' fields


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    """Here rather than in accounts: a unit's policy and its parameters are what the rules read."""

    form = OrgUnitForm
    list_display = ["code", "name", "level", "policy", "is_urban", "accepts_applications", "minimum_monthly_wage"]
    list_filter = ["level", PolicyFilter, "is_urban", "south_xinjiang", "accepts_applications"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["level"]
    fieldsets = [
        (None, {"fields": ["code", "name", "level", "parent"]}),
        (
            _("政策参数"),
            {
                "fields": [
                    "policy_code",
                    "is_urban",
                    "south_xinjiang",
                    "relaxed_unemployment_months",
                    "minimum_monthly_wage",
                    "accepts_applications",
                ]
            },
        ),
    ]

    @admin.display(description=_("适用政策"), ordering="policy_code")
    def policy(self, unit):
        return policies.get(unit.policy_code).document if unit.policy_code else "—"


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
