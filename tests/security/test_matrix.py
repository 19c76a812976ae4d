"""Authorisation matrix (issue 12, proof 1): every URL pattern of the project × every role, in scope
and out of scope, with the status each must answer (DESIGN.md §9–§10, API.md: 401/403 for auth and
role, 404 for what is outside the caller's scope, indistinguishable from absent).

The URL patterns come from `get_resolver()`: a pattern without a row in MATRIX fails
`test_every_url_has_a_row`, and a row whose pattern is gone fails too.

HOW TO ADD YOUR URL (one row in MATRIX, keyed by the URL's name with its namespace, e.g.
"api:recognition-plan"; a pattern without a name is keyed by its route):

    "api:thing-detail": [GET(pk="recognition", anonymous=401, owner=200, staff_in=200, admin=200, otherwise=404)],

- One check per HTTP method that matters: GET(...), POST(...), PUT(...), PATCH(...). A POST check sends an
  empty body (`data={...}` to send one); every request runs in a transaction that is rolled back, so a check
  that succeeds changes nothing for the next one.
- URL kwargs name an object of tests/security/world.py (`pk="application"` → the world's approved case;
  others: noticed, material, notice, objection, recognition, exit_case, notification, unit_code,
  policy_code, or a field you add there); a value that is not a world field is used literally
  (`action="confirm"`).
- Expected statuses by role (ROLES in world.py: anonymous, unverified, owner, stranger, community,
  community_out, township, township_out, county, county_out, prefecture, prefecture_out, province,
  province_out, admin) or by group: applicants (unverified, owner, stranger), staff_in (the five in-scope
  officers), staff_out (the five out-of-scope ones), staff (both), everyone; `otherwise` for the rest. The
  most specific wins (a role over its group). "login" means a redirect to the login page.
- Expected codes, as API.md says: anonymous 401 on the API (302 "login" on pages); a role that may never do it
  403; out of scope 404; wrong state 409; an empty body the gate let through 400.
- `public=True` on a check whose page shows the cases' people by design (published notices); otherwise a
  200 to stranger, unverified or out-of-scope staff must not contain the persons' names or ID numbers.
- `slow=True` on a check that renders a PDF or the schema: the short form (CI) asks it of fewer roles
  (SHORT_ROLES); `make proofs` (PROOFS=full) asks every role.
"""

import os
from dataclasses import dataclass, field

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import ROLES, build_world

GROUPS = {
    "applicants": {"unverified", "owner", "stranger"},
    "staff_in": {"community", "township", "county", "prefecture", "province"},
    "staff_out": {"community_out", "township_out", "county_out", "prefecture_out", "province_out"},
}
GROUPS["staff"] = GROUPS["staff_in"] | GROUPS["staff_out"]
GROUPS["everyone"] = set(ROLES)
ENTITLED = {"owner", "admin"} | GROUPS["staff_in"]  # the others must not read the cases' people
SHORT_ROLES = {"anonymous", "unverified", "owner", "stranger", "community", "community_out", "county_out", "admin"}
FULL = os.environ.get("PROOFS") == "full"


@dataclass
class Check:
    method: str
    kwargs: dict
    expected: dict  # role → status (int, or "login")
    data: dict = field(default_factory=dict)
    form: bool = False  # multipart instead of JSON
    public: bool = False
    slow: bool = False

    def roles(self) -> list[str]:
        return [r for r in ROLES if FULL or not self.slow or r in SHORT_ROLES]


def _check(method: str, *, data=None, form=False, public=False, slow=False, otherwise=None, **spec) -> Check:
    kwargs = {k: v for k, v in spec.items() if k not in ROLES and k not in GROUPS}
    expected = {}
    for role in ROLES:
        if role in spec:
            expected[role] = spec[role]
            continue
        by_group = [
            spec[g]
            for g in ("applicants", "staff_in", "staff_out", "staff", "everyone")
            if g in spec and role in GROUPS[g]
        ]
        expected[role] = by_group[0] if by_group else otherwise
    missing = [r for r, s in expected.items() if s is None]
    assert not missing, f"no expected status for {missing}"
    return Check(method, kwargs, expected, data or {}, form, public, slow)


def GET(**spec) -> Check:  # reads as the HTTP verb in the table
    return _check("get", **spec)


def POST(**spec) -> Check:
    return _check("post", **spec)


def PUT(**spec) -> Check:
    return _check("put", **spec)


def PATCH(**spec) -> Check:
    return _check("patch", **spec)


# Shorthands for the common shapes.
def staff_page(**spec) -> dict:
    return {"anonymous": "login", "applicants": 403, **spec}


def case_api(**spec) -> dict:
    """An object of the world through the API: in-scope staff and the admin see it, the owner too."""
    return {"anonymous": 401, "owner": 200, "staff_in": 200, "admin": 200, "otherwise": 404, **spec}


def case_page(**spec) -> dict:
    return {"anonymous": "login", "owner": 200, "staff_in": 200, "admin": 200, "otherwise": 404, **spec}


def staff_api(**spec) -> dict:
    """Staff-only objects through the API: applicants find nothing (404), out of scope neither."""
    return {"anonymous": 401, "staff_in": 200, "admin": 200, "otherwise": 404, **spec}


ANY_USER_API = {"anonymous": 401, "otherwise": 200}
PUSHERS = {"prefecture": 200, "province": 200, "prefecture_out": 200, "province_out": 200}
OPEN = {"everyone": 200}

MATRIX: dict[str, list[Check]] = {
    # --- pages: accounts and identity -------------------------------------------------------------------
    "home": [GET(anonymous="login", otherwise=302)],
    "login": [GET(anonymous=200, otherwise=302)],
    "logout": [GET(everyone=405), POST(everyone="login")],
    "register": [GET(anonymous=200, otherwise=302)],
    "notifications": [GET(anonymous="login", otherwise=200)],
    "verify-identity": [GET(anonymous="login", applicants=200, otherwise=403)],
    "identity-staff": [
        GET(
            anonymous="login",
            applicants=403,
            community=200,
            township=200,
            county=200,
            community_out=200,
            township_out=200,
            county_out=200,
            otherwise=403,
        )
    ],
    # --- pages: applications ----------------------------------------------------------------------------
    "applications:queue": [GET(**staff_page(staff=200, admin=403)), POST(**staff_page(staff=302, admin=403))],
    "applications:bulk": [
        GET(anonymous="login", otherwise=405),
        # nothing ticked: the queue again with the error (400) where the role has bulk actions
        POST(**staff_page(staff=302, township=400, township_out=400, county=400, county_out=400, admin=403)),
    ],
    "applications:mine": [GET(anonymous="login", applicants=200, otherwise=403)],
    "applications:new": [
        GET(**staff_page(community=200, township=200, community_out=200, township_out=200, otherwise=403))
    ],
    "applications:check-id": [
        POST(**staff_page(community=400, township=400, community_out=400, township_out=400, otherwise=403))
    ],
    "applications:apply": [GET(anonymous="login", applicants=200, otherwise=403)],
    "applications:apply-step": [GET(step="residence", anonymous="login", applicants=200, otherwise=403)],
    "applications:detail": [GET(pk="application", **case_page())],
    "applications:withdraw": [POST(pk="application", **case_page(owner=302, staff_in=302, admin=302))],
    "applications:edit": [
        GET(pk="application", **case_page(owner=403, staff_in=403, community=200, admin=403)),
    ],
    "applications:upload": [POST(pk="application", **case_page(owner=302, staff_in=302, admin=302))],
    "applications:material-file": [GET(pk="application", material_id="material", **case_page())],
    "applications:materials-notice": [GET(pk="application", **case_page())],
    "applications:approval-form": [GET(pk="application", slow=True, **case_page())],
    "applications:decision-letter": [GET(pk="application", slow=True, **case_page())],
    "reports:person-dossier": [
        GET(pk="applicant", slow=True, anonymous="login", staff_in=200, admin=200, otherwise=404)
    ],
    "applications:progress": [GET(**OPEN)],
    # --- pages: eligibility, public, notices ------------------------------------------------------------
    "eligibility:precheck": [GET(**staff_page(staff=200, admin=200))],
    "self-check": [GET(**OPEN)],
    "publicity:public-list": [GET(public=True, **OPEN)],
    "publicity:public-detail": [GET(pk="notice", public=True, **OPEN)],
    "publicity:public-pdf": [GET(pk="notice", public=True, slow=True, **OPEN)],
    "publicity:staff-list": [GET(**staff_page(staff=200, admin=200))],
    "publicity:staff-detail": [GET(pk="notice", **case_page(owner=404))],
    "publicity:staff-pdf": [GET(pk="notice", slow=True, **case_page(owner=404))],
    "publicity:staff-action": [POST(pk="notice", action="close", **case_page(owner=404, staff_in=302, admin=302))],
    # --- pages: recognitions and exits -------------------------------------------------------------------
    "exits:register": [GET(**staff_page(staff=200, admin=200))],
    "exits:detail": [GET(pk="recognition", **staff_page(staff_in=200, staff_out=404, admin=200))],
    "exits:act": [
        POST(
            pk="recognition",
            action="service",
            **staff_page(staff_in=403, community=400, township=400, county=400, staff_out=404, admin=403),
        )
    ],
    "exits:queue": [GET(**staff_page(staff=200, admin=200))],
    "exits:letter": [GET(pk="exit_case", **case_page(owner=302, staff_in=302, admin=302))],
    "exits:decide": [
        # the county is asked to confirm first (200); only the confirmation's POST decides
        POST(pk="exit_case", action="confirm", **staff_page(staff_in=403, county=200, staff_out=404, admin=403))
    ],
    # --- API: accounts and identity ----------------------------------------------------------------------
    "api:token": [GET(everyone=405), POST(everyone=400)],
    "api:me": [GET(**ANY_USER_API)],
    "api:account-register": [POST(everyone=400)],
    "api:account-verify-identity": [
        POST(
            pk="users.unverified",
            anonymous=401,
            applicants=403,
            community=200,
            township=200,
            county=200,
            prefecture=403,
            province=403,
            prefecture_out=403,
            province_out=403,
            admin=403,
            otherwise=404,
        )
    ],
    "api:me-verify-identity": [POST(anonymous=401, unverified=202, owner=200, stranger=200, otherwise=403)],
    "api:notification-list": [GET(**ANY_USER_API)],
    "api:notification-read": [POST(pk="notification", anonymous=401, owner=200, otherwise=404)],
    "api:audit-list": [
        GET(anonymous=401, county=200, county_out=200, province=200, province_out=200, admin=200, otherwise=403)
    ],
    "api:unit-list": [GET(**ANY_USER_API)],
    "api:unit-detail": [GET(code="unit_code", **staff_api())],
    # --- API: eligibility, policies, calendar ------------------------------------------------------------
    "api:eligibility-evaluate": [POST(anonymous=401, otherwise=400)],
    "api:eligibility-retirement": [GET(anonymous=401, otherwise=400)],
    "api:policy-list": [GET(**OPEN)],
    "api:policy-detail": [GET(code="policy_code", **OPEN)],
    "api:calendar-add-working-days": [GET(anonymous=401, otherwise=400)],
    "api:calendar-notice-period": [GET(anonymous=401, otherwise=400)],
    # --- API: applications -------------------------------------------------------------------------------
    "api:application-list": [GET(**ANY_USER_API), POST(anonymous=401, otherwise=400)],
    "api:application-search": [GET(anonymous=401, otherwise=405), POST(anonymous=401, otherwise=400)],
    "api:application-detail": [
        GET(pk="application", **case_api()),
        PATCH(pk="application", **case_api(owner=403, staff_in=403, community=409, admin=403)),
    ],
    "api:application-transition": [
        POST(pk="application", name="accept", **case_api(owner=403, staff_in=403, community=409, admin=403))
    ],
    "api:application-approval-form": [GET(pk="application", slow=True, **case_api())],
    "api:application-decision-letter": [GET(pk="application", slow=True, **case_api())],
    "api:person-dossier": [GET(pk="applicant", slow=True, **staff_api())],
    "api:application-materials": [POST(pk="application", form=True, **case_api(owner=400, staff_in=400, admin=400))],
    "api:application-material-file": [GET(pk="application", material_id="material", **case_api())],
    "api:progress": [GET(everyone=405), POST(everyone=400)],
    # --- API: notices ------------------------------------------------------------------------------------
    "api:notice-list": [GET(**ANY_USER_API), POST(anonymous=401, otherwise=400)],
    "api:notice-detail": [GET(pk="notice", **staff_api())],
    "api:notice-publish": [POST(pk="notice", **staff_api(staff_in=403, community=409, admin=403))],
    "api:notice-close": [POST(pk="notice", **staff_api(staff_in=403, community=409, admin=403))],
    "api:notice-objections": [POST(pk="notice", **staff_api(staff_in=400, admin=400))],
    "api:notice-pdf": [GET(pk="notice", slow=True, **staff_api())],
    "api:objection-resolve": [POST(pk="objection", **staff_api(staff_in=400, admin=400))],
    # --- API: recognitions and exits ---------------------------------------------------------------------
    "api:recognition-list": [GET(**ANY_USER_API)],
    "api:recognition-detail": [GET(pk="recognition", **case_api())],
    "api:recognition-plan": [
        PUT(pk="recognition", **case_api(owner=403, staff_in=400, prefecture=403, province=403, admin=403))
    ],
    "api:recognition-services": [
        POST(pk="recognition", **case_api(owner=403, staff_in=400, prefecture=403, province=403, admin=403))
    ],
    "api:recognition-subsidies": [
        POST(pk="recognition", **case_api(owner=403, staff_in=400, prefecture=403, province=403, admin=403))
    ],
    "api:recognition-employment": [
        POST(pk="recognition", **case_api(owner=403, staff_in=400, prefecture=403, province=403, admin=403))
    ],
    "api:recognition-exits": [
        POST(pk="recognition", **case_api(owner=403, staff_in=400, prefecture=403, province=403, admin=403))
    ],
    "api:exit-list": [GET(**ANY_USER_API)],
    "api:exit-detail": [GET(pk="exit_case", **case_api())],
    "api:exit-confirm": [POST(pk="exit_case", **case_api(owner=403, staff_in=403, county=200, admin=403))],
    "api:exit-dismiss": [POST(pk="exit_case", **case_api(owner=403, staff_in=403, county=400, admin=403))],
    "api:exit-objection": [POST(pk="exit_case", **case_api(owner=400, staff_in=400, admin=400))],
    "api:exit-reverify": [POST(pk="exit_case", **case_api(owner=400, staff_in=400, admin=400))],
    "api:exit-letter": [GET(pk="exit_case", **case_api(owner=409, staff_in=409, admin=409))],
    # --- outreach: pushed lists, the work list, 一人一册 ---------------------------------------------------------
    # the pushed lists are the pushing units' (province, prefecture); the others work theirs on the work list
    "outreach:push-lists": [
        GET(**staff_page(staff=403, **PUSHERS, admin=200)),
        POST(**staff_page(staff=403, prefecture=200, province=200, prefecture_out=200, province_out=200, admin=403)),
    ],
    "outreach:push-list": [
        GET(
            pk="push_list",
            **staff_page(staff=403, prefecture=404, prefecture_out=404, province_out=404, province=200, admin=200),
        )
    ],
    "outreach:push-list-template": [GET(**staff_page(staff=403, **PUSHERS, admin=200))],
    "outreach:work-list": [GET(**staff_page(staff=200, admin=200))],
    "outreach:work-list-act": [
        POST(pk="pushed", action="decline", **staff_page(staff_in=403, community=302, staff_out=404, admin=403))
    ],
    "outreach:persons": [GET(**staff_page(staff=200, admin=200)), POST(**staff_page(staff=302, admin=302))],
    "outreach:person": [GET(pk="person", **staff_page(staff_in=200, staff_out=404, admin=200))],
    "outreach:visit-new": [
        POST(**staff_page(staff=403, community=400, township=400, community_out=400, township_out=400, admin=403))
    ],
    "outreach:visit-to-work-list": [
        POST(pk="visit", **staff_page(staff_in=403, community=302, township=302, staff_out=404, admin=403))
    ],
    "outreach:conversion": [GET(**staff_page(staff=200, admin=200))],
    "api:push-list-list": [
        GET(**ANY_USER_API),
        POST(
            form=True, anonymous=401, prefecture=400, province=400, prefecture_out=400, province_out=400, otherwise=403
        ),
    ],
    "api:push-list-detail": [GET(pk="push_list", **staff_api(staff_in=404, province=200))],
    "api:pushed-person-list": [GET(**ANY_USER_API)],
    "api:pushed-person-detail": [GET(pk="pushed", **staff_api())],
    "api:pushed-person-consent": [POST(pk="pushed", **staff_api(staff_in=403, community=400, admin=403))],
    "api:pushed-person-decline": [POST(pk="pushed", **staff_api(staff_in=403, community=400, admin=403))],
    "api:pushed-person-unreachable": [POST(pk="pushed", **staff_api(staff_in=403, community=400, admin=403))],
    "api:outreach-conversion": [GET(anonymous=401, applicants=403, otherwise=200)],
    "api:person-list": [GET(**ANY_USER_API)],
    "api:person-search": [GET(anonymous=401, otherwise=405), POST(anonymous=401, otherwise=400)],
    "api:person-detail": [GET(pk="person", **staff_api())],
    "api:visit-list": [
        POST(anonymous=401, community=400, township=400, community_out=400, township_out=400, otherwise=403)
    ],
    "api:visit-to-work-list": [POST(pk="visit", **staff_api(staff_in=403, community=409, township=409, admin=403))],
    # --- pages and API: statistics and exports (reports) ----------------------------------------------
    "reports:dashboard": [
        GET(**staff_page(staff=200, community=403, community_out=403, township=403, township_out=403, admin=200))
    ],
    "reports:export": [GET(kind="applications", **staff_page(staff=200, admin=200))],
    "reports:export-job": [GET(pk="999999", anonymous="login", otherwise=404)],  # a job is its owner's alone
    "reports:export-job-download": [GET(pk="999999", anonymous="login", otherwise=404)],
    "api:stats": [GET(anonymous=401, applicants=403, staff=200, admin=200)],
    "api:application-export": [GET(anonymous=401, applicants=403, staff=200, admin=200)],
    "api:recognition-export": [GET(anonymous=401, applicants=403, staff=200, admin=200)],
    "api:notice-export": [GET(anonymous=401, applicants=403, staff=200, admin=200)],
    "api:export-detail": [GET(pk="999999", anonymous=401, otherwise=404)],
    "api:export-download": [GET(pk="999999", anonymous=401, otherwise=404)],
    # --- API documents -----------------------------------------------------------------------------------
    "schema": [GET(slow=True, **OPEN)],
    "api-docs": [GET(**OPEN)],
}

# Django's admin: every page but its login and logout is behind admin_site.admin_view; patterns with an id
# are asked with id 1 (an absent or read-only object may answer the admin 302/403/404, never a 500).


def url_patterns(resolver=None, prefix="", namespace=""):
    """(key, route, converters) of every URL pattern; the key is the namespaced name, else the route."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(filter(None, [namespace, entry.namespace]))
            yield from url_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            key = ":".join(filter(None, [namespace, entry.name])) if entry.name else route
            yield key, route, list(entry.pattern.regex.groupindex)


def _is_admin(route: str) -> bool:
    return route.startswith("admin/")


def test_every_url_has_a_row():
    keys = {key for key, route, _ in url_patterns() if not _is_admin(route)}
    missing = sorted(keys - MATRIX.keys())
    assert not missing, f"URL patterns without a row in tests/security/test_matrix.py MATRIX: {missing}"
    stale = sorted(MATRIX.keys() - keys)
    assert not stale, f"rows in MATRIX for URL patterns that no longer exist: {stale}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _value(world, name):
    if name.startswith("users."):
        return world.users[name.removeprefix("users.")].pk
    return world.value(name)


def _client(world, role) -> Client:
    client = Client()
    if (user := world.users[role]) is not None:
        client.force_login(user)
    return client


def _outcome(response) -> int | str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith((reverse(django_settings.LOGIN_URL), reverse("admin:login"))):
            return "login"
    return response.status_code


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_matrix(key, world, db, settings, tmp_path):
    settings.MEDIA_ROOT = django_settings.MEDIA_ROOT  # the world's uploads live where they were written
    wrong = []
    for check in MATRIX[key]:
        url = reverse(key, kwargs={k: _value(world, v) for k, v in check.kwargs.items()})
        for role in check.roles():
            cache.clear()  # rate limits are per client address: each ask starts afresh
            client = _client(world, role)
            with transaction.atomic():
                if check.form:
                    response = getattr(client, check.method)(url, check.data)
                else:
                    response = getattr(client, check.method)(url, check.data, content_type="application/json")
                transaction.set_rollback(True)
            got, want = _outcome(response), check.expected[role]
            if got != want:
                wrong.append(f"{check.method.upper()} {url} as {role}: {got}, expected {want}")
            elif got == 404 and url.startswith("/api/") and response.json() != {"detail": "未找到。"}:
                # out of scope answers exactly like absent (API.md), in Chinese
                wrong.append(f"{check.method.upper()} {url} as {role}: 404 {response.json()}")
            elif got == 200 and not check.public and role not in ENTITLED:
                body = b"".join(response) if response.streaming else response.content
                own = getattr(world.users[role], "id_number", None)  # an account may read its own number
                shown = [s for s in world.secrets if s != own and s.encode() in body]
                if shown:
                    wrong.append(f"{check.method.upper()} {url} as {role} shows {shown}")
    assert not wrong, "\n".join(wrong)


def test_admin_site(world, db):
    """Only the admin gets into /admin/; every other role is sent to the admin's login page."""
    wrong = []
    for key, route, params in url_patterns():
        if not _is_admin(route) or key in ("admin:login", "admin:logout") or not key.startswith("admin:"):
            continue
        url = reverse(key, kwargs={p: "accounts" if p == "app_label" else "1" for p in params})
        for role in ROLES if FULL else SHORT_ROLES:
            got = _outcome(_client(world, role).get(url))
            if (role == "admin" and got in ("login", 500)) or (role != "admin" and got != "login"):
                wrong.append(f"GET {url} as {role}: {got}")
    if (got := _client(world, "anonymous").get(reverse("admin:login")).status_code) != 200:
        wrong.append(f"GET the admin's login page anonymously: {got}")
    assert not wrong, "\n".join(wrong)
