from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts.models import Role

# What each staff role works on (DESIGN.md §5): the title and the sentence under it.
QUEUES = {
    Role.COMMUNITY: (_("受理与初审"), _("本社区（村）收到的申请：补正材料、受理、初审和公示。")),
    Role.TOWNSHIP: (_("复核队列"), _("辖区社区（村）初审后报来的申请，以及本街道（乡镇）直接受理的申请。")),
    Role.COUNTY: (_("审批队列"), _("待县（市、区）人社部门审批认定的申请。")),
    Role.PREFECTURE: (_("辖区概览"), _("本市（地、州）辖区内申请的办理情况（只读）。")),
    Role.PROVINCE: (_("全区概览"), _("全省（自治区）申请的办理情况（只读）。")),
}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_staff_officer:
        raise PermissionDenied
    title, description = QUEUES[Role(user.role)]
    return render(
        request,
        "applications/queue.html",
        {"title": title, "description": description, "applications": []},
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    if request.user.role != Role.APPLICANT:
        raise PermissionDenied
    return render(request, "applications/mine.html", {"applications": []})
