from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "unit", "is_active", "last_login"]
    list_filter = ["role", "is_active", "unit__level"]
    search_fields = ["username", "full_name", "unit__name", "unit__code"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("个人信息"), {"fields": ["full_name", "phone", "email", "id_number"]}),
        (_("角色与单位"), {"fields": ["role", "unit"]}),
        (_("权限"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("重要日期"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "password1", "password2", "full_name", "role", "unit"]}),
    ]


admin.site.site_header = _("就业困难人员认定管理系统")
admin.site.site_title = _("就业困难人员认定")
admin.site.index_title = _("系统配置")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """审计记录: read-only, append-only (DESIGN.md §9); search by the actor's account or name."""

    list_display = ["at", "actor", "role", "unit_code", "action", "object_type", "object_id", "summary", "ip"]
    list_filter = ["action", "object_type", "role"]
    search_fields = ["actor__username", "actor__full_name", "object_id", "unit_code", "detail__username"]
    list_select_related = ["actor"]
    date_hierarchy = "at"
    fields = ["at", "actor", "role", "unit_code", "action", "object_type", "object_id", "detail", "ip"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("详情"))
    def summary(self, event: AuditEvent) -> str:
        """The username a failed login tried, or the document or transition concerned."""
        detail = event.detail or {}
        return str(detail.get("username") or detail.get("document") or detail.get("name") or "")
