import re

from django.contrib.auth.backends import ModelBackend

ID_NUMBER = re.compile(r"^\d{17}[\dxX]$")


def normalize_username(username):
    """Applicants sign in with their ID number as the username (API.md): typed with a lower-case x or
    surrounding spaces it is the same number. Staff usernames are taken as they are."""
    if isinstance(username, str) and ID_NUMBER.match(username.strip()):
        return username.strip().upper()
    return username


class IdNumberBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        return super().authenticate(request, username=normalize_username(username), password=password, **kwargs)
