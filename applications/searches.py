"""Searches by name or ID number with neither in any URL (issue 12 #3, DESIGN.md §9): the queue's form
posts `q`, the query is kept in the searching user's session under a short random key, and the queue
answers with a redirect to `?k=<key>`, so access logs, browser history and Referer headers hold no
name or ID number.

A key in the session rather than an HMAC of the number in the URL: a name or an ID prefix cannot be
found again from its hash (only a full number could, through a hash column), and a key means nothing
to anyone but the user who searched: it lives in that user's session only and ends with it. Reading
it costs no query (the session is loaded for the login anyway)."""

import secrets

from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "queue_searches"
KEEP = 20  # the user's latest searches stay addressable (back button, several tabs)
EXPIRED = _("搜索条件已失效，请重新输入姓名或身份证号。")


def search_key(request: HttpRequest, q: str) -> str:
    """A new key for `q` in the user's session (the same key for the same query)."""
    searches: dict[str, str] = request.session.get(SESSION_KEY, {})
    for key, query in searches.items():
        if query == q:
            return key
    key = secrets.token_urlsafe(6)
    searches = {**dict(list(searches.items())[-(KEEP - 1) :]), key: q}
    request.session[SESSION_KEY] = searches
    return key


def search_query(request: HttpRequest, key: str) -> str | None:
    """The query saved under `key` in this user's session; None when unknown (another session, expired)."""
    return request.session.get(SESSION_KEY, {}).get(key)


def redirect_searched(request: HttpRequest, url: str, q: str, params: QueryDict | None = None) -> HttpResponseRedirect:
    """The answer to a posted search: `url` with `params` and the search under a key (none when `q` is blank)."""
    params = params.copy() if params is not None else QueryDict(mutable=True)
    if q := q.strip()[:100]:
        params["k"] = search_key(request, q)
    return redirect(f"{url}?{params.urlencode()}" if params else url)
