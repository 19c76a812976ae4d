from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import ApplicantRegistrationForm
from accounts.models import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own work page."""
    user = request.user
    if user.is_admin:
        return redirect("admin:index")
    if user.role == Role.APPLICANT:
        return redirect("applications:mine")
    return redirect("applications:queue")


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = ApplicantRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (user := form.save()):
        login(request, user, backend="accounts.backends.IdNumberBackend")
        messages.success(request, _("注册成功。为保护个人信息，请先验证身份，之后才能查看和办理申请。"))
        return redirect("verify-identity")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's messages, newest first; opening the page marks them read."""
    items = list(request.user.notifications.all()[:100])
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "accounts/notifications.html", {"items": items})
