"""The API's token authentication (settings REST_FRAMEWORK): DRF's, with the user's unit read in the
same query. Every staff call scopes by that unit (accounts.scoping), which otherwise cost one more
round trip to the database on every request (issue 13)."""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        try:
            token = self.get_model().objects.select_related("user__unit").get(key=key)
        except self.get_model().DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
