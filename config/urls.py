from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

import config.converters  # noqa: F401  (registers <id:...> before any URL pattern is read)
from accounts import api as accounts_api
from accounts import views as accounts_views
from applications import api as applications_api
from applications import identity_api, identity_views
from eligibility import api as eligibility_api
from eligibility import policy_api
from eligibility import views as eligibility_views
from exits import api_urls as exits_api_urls
from outreach import api_urls as outreach_api_urls
from publicity import api as publicity_api
from reports import api_urls as reports_api_urls

api_v1 = [
    # First: the public look-up is the API's busiest call without a login, and each pattern before it is
    # tried on every look-up (issue 13). No other pattern here matches progress/.
    path("progress/", applications_api.ProgressView.as_view(), name="progress"),
    path("auth/token", accounts_api.TokenView.as_view(), name="token"),
    path("me/", accounts_api.me, name="me"),
    path("accounts/register", accounts_api.register_view, name="account-register"),
    path(
        "accounts/<id:pk>/verify-identity/",
        identity_api.account_verify_identity_view,
        name="account-verify-identity",
    ),
    path("me/verify-identity/", identity_api.me_verify_identity_view, name="me-verify-identity"),
    path("notifications/", accounts_api.NotificationList.as_view(), name="notification-list"),
    path("notifications/<id:pk>/read/", accounts_api.notification_read_view, name="notification-read"),
    path("audit/", accounts_api.AuditEventList.as_view(), name="audit-list"),
    path("units/", accounts_api.UnitList.as_view(), name="unit-list"),
    path("units/<str:code>/", accounts_api.UnitDetail.as_view(), name="unit-detail"),
    path("eligibility/evaluate", eligibility_api.evaluate_view, name="eligibility-evaluate"),
    path("eligibility/retirement", eligibility_api.retirement_view, name="eligibility-retirement"),
    path("policies/", policy_api.policy_list_view, name="policy-list"),
    path("policies/<str:code>/", policy_api.policy_detail_view, name="policy-detail"),
    path("calendar/add-working-days", eligibility_api.add_working_days_view, name="calendar-add-working-days"),
    path("applications/", applications_api.ApplicationList.as_view(), name="application-list"),
    path("applications/search/", applications_api.ApplicationSearch.as_view(), name="application-search"),
    path("applications/<id:pk>/", applications_api.ApplicationDetail.as_view(), name="application-detail"),
    path(
        "applications/<id:pk>/transitions/<str:name>/", applications_api.transition_view, name="application-transition"
    ),
    path(
        "applications/<id:pk>/approval-form.pdf", applications_api.approval_form_view, name="application-approval-form"
    ),
    path(
        "applications/<id:pk>/decision-letter.pdf",
        applications_api.decision_letter_view,
        name="application-decision-letter",
    ),
    path("applications/<id:pk>/materials/", applications_api.materials_view, name="application-materials"),
    path(
        "applications/<id:pk>/materials/<id:material_id>/file",
        applications_api.material_file_view,
        name="application-material-file",
    ),
    path("notices/", publicity_api.notices_view, name="notice-list"),
    path("notices/<id:pk>/", publicity_api.notice_view, name="notice-detail"),
    path("notices/<id:pk>/publish/", publicity_api.publish_view, name="notice-publish"),
    path("notices/<id:pk>/close/", publicity_api.close_view, name="notice-close"),
    path("notices/<id:pk>/objections/", publicity_api.objections_view, name="notice-objections"),
    path("notices/<id:pk>/pdf", publicity_api.pdf_view, name="notice-pdf"),
    path("objections/<id:pk>/resolve/", publicity_api.resolve_view, name="objection-resolve"),
    path("calendar/notice-period", eligibility_api.notice_period_view, name="calendar-notice-period"),
    *exits_api_urls.urlpatterns,
    *outreach_api_urls.urlpatterns,
    *reports_api_urls.urlpatterns,
]

urlpatterns = [
    # First: Django tries patterns in order, and the pages' ~150 would be tried before every API call
    # (issue 13). No page pattern can match a path under api/v1/.
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("", accounts_views.home, name="home"),
    path("accounts/verify/", identity_views.verify, name="verify-identity"),
    path("accounts/identity/", identity_views.staff_identity, name="identity-staff"),
    path("accounts/", include("accounts.urls")),
    path("", include("applications.urls")),
    path("eligibility/", include("eligibility.urls")),
    path("self-check/", eligibility_views.self_check, name="self-check"),
    path("", include("publicity.urls")),
    path("", include("exits.urls")),
    path("", include("outreach.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script under the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

handler404 = "config.api.not_found"
