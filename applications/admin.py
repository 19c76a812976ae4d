from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_fsm import TransitionNotAllowed

from accounts.models import Role
from applications import review, workflow
from applications.models import Application, ReviewOpinion, State, TransitionLog
from eligibility.admin import PolicyFilter
from eligibility.forms import LABELS


def state_label(code: str) -> str:
    return State(code).label if code in State.values else code


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OpinionInline(ReadOnlyInline):
    model = ReviewOpinion
    fields = ["stage", "decision", "reason", "officer", "unit", "at"]


class LogInline(ReadOnlyInline):
    model = TransitionLog
    fields = ["at", "action", "from_label", "to_label", "actor", "role_label", "unit_code", "reason"]
    readonly_fields = fields

    @admin.display(description=_("操作"))
    def action(self, entry):
        return entry.label

    @admin.display(description=_("原状态"))
    def from_label(self, entry):
        return state_label(entry.from_state) if entry.from_state else "—"

    @admin.display(description=_("新状态"))
    def to_label(self, entry):
        return state_label(entry.to_state)

    @admin.display(description=_("角色"))
    def role_label(self, entry):
        return Role(entry.role).label if entry.role in Role.values else entry.role


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Oversight and data correction; decisions are taken in the queues, never edited here."""

    list_display = ["reference", "applicant", "state", "policy", "unit", "received_on", "stage_due_on"]
    list_filter = ["state", PolicyFilter, "channel"]
    search_fields = ["reference", "applicant__name", "applicant__id_number"]
    list_select_related = ["applicant", "unit"]
    fields = [
        "reference",
        "applicant",
        "policy",
        "unit",
        "handling_unit",
        "channel",
        "consent_recorded",
        "state",
        "category_list",
        "received_on",
        "accepted_on",
        "stage_due_on",
        "notice_start",
        "notice_end",
        "decided_on",
        "materials_to_supplement",
        "facts_shown",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["policy", "category_list", "materials_to_supplement", "facts_shown"]
    inlines = [OpinionInline, LogInline]
    actions = ["withdraw"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # no hard delete of applications (DESIGN.md §9)

    @admin.display(description=_("适用政策"), ordering="policy_code")
    def policy(self, application):
        return application.policy.document

    @admin.display(description=_("就业困难类型"))
    def category_list(self, application):
        found = application.eligibility.get("categories", [])
        return "；".join(f"{c['label']}（{c['article']}）" for c in found) or "—"

    @admin.display(description=_("需补正的材料"))
    def materials_to_supplement(self, application):
        labels = {m.code: m.label for m in application.policy.materials}
        return "、".join(labels.get(code, code) for code in application.missing_materials) or "—"

    @admin.display(description=_("申请时情况"))
    def facts_shown(self, application):
        """The facts as the review page lists them (applications.review), as a table, not JSON."""
        facts = application.facts
        rows = [
            (LABELS["id_number"], facts.get("id_number", "—")),
            (LABELS["unemployment_registered_on"], facts.get("unemployment_registered_on") or "—"),
            (_("收入"), review.income_line(application)),
            *((row.label, row.value) for row in review.fact_rows(application, application.policy)),
        ]
        body = format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", rows)
        return format_html("<table class='facts-table'>{}</table>", body)

    @admin.action(description=_("撤回所选申请（数据更正）"))
    def withdraw(self, request, queryset):
        done = 0
        for application in queryset:
            try:
                workflow.application_transition(
                    application_id=application.pk, name="withdraw", actor=request.user, reason="管理员数据更正"
                )
                done += 1
            except (TransitionNotAllowed, PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{application}：{exc}", messages.WARNING)
        self.message_user(request, f"已撤回 {done} 件。")
