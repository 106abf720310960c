"""The applicant's own account: deleting it, with everything the portal holds on them.

The work is `portal.privacy.erase`, the same as `manage.py delete_personal_data`; this
is only the page that asks first. Staff accounts are refused here: the secretariat's
accounts carry decisions and are removed by an administrator.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views.generic import FormView

from . import privacy, ratelimit

STAFF_REFUSAL = (
    "Du kan ikke slette en konto med adgang til administrationen her. Bed en administrator "
    "om at slette den (kommandoen delete_personal_data)."
)


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Din adgangskode",
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="Ja, slet min konto. Jeg ved, at det ikke kan fortrydes.",
        error_messages={"required": "Sæt kryds for at bekræfte, at kontoen skal slettes."},
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user
        if not self.user.has_usable_password():
            del self.fields["password"]

    def clean_password(self):
        # Wrong passwords here count as failed logins: a borrowed session cannot be used
        # to guess the password.
        password = self.cleaned_data.get("password", "")
        if not password:
            raise forms.ValidationError("Skriv din adgangskode.")
        wait = ratelimit.login_retry_after(self.request, self.user.email)
        if wait:
            raise forms.ValidationError(ratelimit.login_locked_message(wait))
        if not self.user.check_password(password):
            ratelimit.login_failed(self.request, self.user.email)
            raise forms.ValidationError("Adgangskoden er forkert.")
        return password


def may_delete_own_account(user):
    return not (user.is_staff or user.is_superuser)


class AccountDeleteView(LoginRequiredMixin, FormView):
    template_name = "portal/account_delete.html"
    form_class = AccountDeleteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["refused"] = not may_delete_own_account(self.request.user)
        context["staff_refusal"] = STAFF_REFUSAL
        return context

    def post(self, request, *args, **kwargs):
        if not may_delete_own_account(request.user):
            messages.error(request, STAFF_REFUSAL)
            return redirect("portal:account_delete")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = self.request.user
        privacy.erase(privacy.Subject(email=user.email, user=user))
        logout(self.request)
        messages.success(
            self.request,
            "Din konto er slettet. Dine kladder er slettet, og indsendte ansøgninger er "
            "anonymiseret.",
        )
        return redirect("portal:home")
