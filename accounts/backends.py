import re

from django.contrib.auth.backends import ModelBackend

ID_NUMBER = re.compile(r"^\d{17}[\dxX]$")


class IdNumberBackend(ModelBackend):
    """Applicants sign in with their ID number as the username (API.md): typed with a lower-case x or
    surrounding spaces it is the same number. Staff usernames are taken as they are."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if isinstance(username, str) and ID_NUMBER.match(username.strip()):
            username = username.strip().upper()
        return super().authenticate(request, username=username, password=password, **kwargs)
