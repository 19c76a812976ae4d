import re

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

ID_NUMBER = re.compile(r"^\d{17}[\dxX]$")


def normalize_username(username):
    """Applicants sign in with their ID number as the username (API.md): typed with a lower-case x or
    surrounding spaces it is the same number. Staff usernames are taken as they are."""
    if isinstance(username, str) and ID_NUMBER.match(username.strip()):
        return username.strip().upper()
    return username


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout (accounts.lockout) on every sign-in that comes with a request, which every
    login path passes (the login pages, the admin, the token endpoint); a sign-in without one (a test
    client's login(), a script) has no client to lock out, and axes would refuse it with an error."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class IdNumberBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        return super().authenticate(request, username=normalize_username(username), password=password, **kwargs)
