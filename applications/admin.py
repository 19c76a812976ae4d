from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed

from applications import workflow
from applications.models import Application, ReviewOpinion, TransitionLog


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
    fields = ["at", "name", "from_state", "to_state", "actor", "role", "unit_code", "reason"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Oversight and data correction; decisions are taken in the queues, never edited here."""

    list_display = ["reference", "applicant", "state", "policy_code", "unit", "received_on", "stage_due_on"]
    list_filter = ["state", "policy_code", "channel"]
    search_fields = ["reference", "applicant__name", "applicant__id_number"]
    list_select_related = ["applicant", "unit"]
    inlines = [OpinionInline, LogInline]
    actions = ["withdraw"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # no hard delete of applications (DESIGN.md §9)

    @admin.action(description="撤回所选申请（数据更正）")
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
