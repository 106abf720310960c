"""The applicant login (allauth) and the secretariat's admin login, limited alike.

Both count failed passwords in `portal.ratelimit`, per account name and per client
address, in the cache all worker processes share; allauth's own `login_failed` limit
is switched off in the settings so that there is one limiter, not two.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm

from . import ratelimit


def _identifier(credentials):
    return credentials.get("email") or credentials.get("username") or ""


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        seconds = ratelimit.login_retry_after(request, _identifier(credentials))
        if seconds:
            raise forms.ValidationError(
                ratelimit.login_locked_message(seconds), code="too_many_login_attempts"
            )

    def authentication_failed(self, request, **credentials):
        ratelimit.login_failed(request, _identifier(credentials))


class AdminLoginForm(AdminAuthenticationForm):
    """Django's admin login with the portal's limit on password guessing."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        seconds = ratelimit.login_retry_after(self.request, username)
        if seconds:
            raise forms.ValidationError(
                ratelimit.login_locked_message(seconds), code="too_many_login_attempts"
            )
        try:
            return super().clean()
        except forms.ValidationError as error:
            if self.user_cache is None and username and self.cleaned_data.get("password"):
                ratelimit.login_failed(self.request, username)
            raise error
