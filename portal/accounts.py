"""The applicant login (allauth) and the secretariat's admin login, limited alike.

Both count failed passwords in `portal.ratelimit`, per account name and per client
address, in the cache all worker processes share; allauth's own `login_failed` limit
is switched off in the settings so that there is one limiter, not two.
"""

from urllib.parse import urlencode, urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from . import ratelimit, site_info


def _identifier(credentials):
    return credentials.get("email") or credentials.get("username") or ""


# The portal's name as the header shows it; the subject line of every account mail.
SHORT_NAME = "Regionalt arbejdsliv"


def contact_address():
    """The secretariat's bare address, or "" when SECRETARIAT_EMAIL is only the no-reply
    sender (then the mails point to the contact page instead)."""
    return site_info.contact_email(settings.SECRETARIAT_EMAIL)


def confirmed_address(user):
    """The account's address if allauth has it as verified, else None: a mail with text the
    person wrote goes to no address that nobody confirmed."""
    if user is None:
        return None
    verified = EmailAddress.objects.filter(user=user, verified=True)
    address = (
        verified.filter(email__iexact=user.email).first() if user.email else None
    ) or verified.filter(primary=True).first()
    return address.email if address else None


def on_site(url):
    """`url` (a path or an absolute URL) on the configured SITE_URL, not the request's host.

    Mails are read outside the request: behind a proxy the host the request came in on
    (127.0.0.1:8123) is no address the reader can open.
    """
    parts = urlsplit(url)
    base = urlsplit(settings.SITE_URL)
    path = base.path.rstrip("/") + parts.path
    return urlunsplit((base.scheme, base.netloc, path, parts.query, parts.fragment))


def next_path(request):
    """The local page (`next`) the visitor was on their way to, or ""."""
    if request is None:
        return ""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


class AccountAdapter(DefaultAccountAdapter):
    """The login limiter, and account mails that speak for the portal.

    The mails say who sends them (the portal, not the host name), link to the page they
    talk about on SITE_URL, name the secretariat's address, and carry the page the
    person was on their way to (`next`, e.g. the application form) through the
    confirmation link, so confirming brings them back there.
    """

    def format_email_subject(self, subject):
        return f"{SHORT_NAME}: {subject}"

    def send_mail(self, template_prefix, email, context):
        context = {
            **{
                key: on_site(value)
                if key.endswith("_url") and isinstance(value, str) and "://" in value
                else value
                for key, value in context.items()
            },
            "site_name": settings.SITE_NAME,
            "site_short_name": SHORT_NAME,
            "site_url": settings.SITE_URL.rstrip("/"),
            "contact_email": contact_address(),
            "contact_url": on_site(reverse("portal:contact")),
        }
        super().send_mail(template_prefix, email, context)

    def get_email_confirmation_url(self, request, emailconfirmation):
        url = reverse("account_confirm_email", args=[emailconfirmation.key])
        target = next_path(request)
        if target:
            url += "?" + urlencode({"next": target})
        return on_site(url)

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
