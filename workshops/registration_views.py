"""Registering for a workshop, the receipt, and cancelling by the link in the mail."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.decorators.http import require_safe

from portal import ratelimit

from . import registration as seats
from .forms import RegistrationForm
from .models import Registration, Workshop

SESSION_KEY = "workshop_registrations"
# The newest registrations of a browser that its receipt page may show.
SESSION_KEEP = 20


def registration_limit():
    return ratelimit.Limit(
        "workshop-registration",
        settings.WORKSHOP_REGISTRATIONS_PER_CLIENT,
        settings.WORKSHOP_REGISTRATION_WINDOW_SECONDS,
    )


def site_url(request):
    return request.build_absolute_uri("/")


def remember(request, registration):
    kept = [pk for pk in request.session.get(SESSION_KEY, []) if pk != registration.pk]
    request.session[SESSION_KEY] = [*kept, registration.pk][-SESSION_KEEP:]


class RegisterView(View):
    """The form while the workshop takes registrations; otherwise a page that says so."""

    template_name = "workshops/register.html"

    def dispatch(self, request, *args, **kwargs):
        self.workshop = get_object_or_404(Workshop.objects.published(), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def render_closed(self):
        return render(self.request, "workshops/register_closed.html", {"workshop": self.workshop})

    def render_form(self, form, status=200):
        context = {
            "workshop": self.workshop,
            "form": form,
            "seats_left": self.workshop.seats_left,
            "retention_days": settings.WORKSHOP_REGISTRATION_RETENTION_DAYS,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        if not self.workshop.takes_registrations:
            return self.render_closed()
        return self.render_form(RegistrationForm(initial={"form_token": seats.new_form_token()}))

    def post(self, request, *args, **kwargs):
        form = RegistrationForm(request.POST)
        try:
            token = uuid.UUID(request.POST.get("form_token", ""))
        except ValueError:
            token = None
        if token:
            earlier = Registration.objects.filter(form_token=token, workshop=self.workshop).first()
            if earlier is not None:  # the same form again: a double click or a reload
                remember(request, earlier)
                return redirect("workshops:registered", slug=self.workshop.slug)
        if not self.workshop.takes_registrations:
            return self.render_closed()
        if not form.is_valid():
            return self.render_form(form)
        limit, client = registration_limit(), ratelimit.client_ip(request)
        retry_after = limit.retry_after(client)
        if retry_after:
            response = render(
                request,
                "workshops/register_too_many.html",
                {"workshop": self.workshop, "retry_minutes": max(1, round(retry_after / 60))},
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            return response
        try:
            outcome = seats.register(
                self.workshop, form.registration_data(), site_url(request), form_token=token
            )
        except seats.AlreadyRegistered as error:
            # Counted too: trying address after address would tell who is registered.
            limit.hit(client)
            form.add_error("email", str(error))
            return self.render_form(form)
        except seats.RegistrationClosed:
            return self.render_closed()
        if outcome.created:
            limit.hit(client)
        remember(request, outcome.registration)
        return redirect("workshops:registered", slug=self.workshop.slug)


@require_safe
def registered(request, slug):
    """The receipt: what this browser registered for the workshop, and the seat's status."""
    workshop = get_object_or_404(Workshop.objects.published(), slug=slug)
    pks = [pk for pk in request.session.get(SESSION_KEY, []) if isinstance(pk, int)]
    registration = workshop.registrations.filter(pk__in=pks).order_by("-created_at", "-pk").first()
    if registration is None:
        return redirect("workshops:register", slug=slug)
    return render(
        request,
        "workshops/register_done.html",
        {"workshop": workshop, "registration": registration, "Status": Registration.Status},
    )


class CancelView(View):
    """GET asks to confirm, POST cancels. No account: the signed token in the mail is the
    key. A bad, cancelled or too late link gets a Danish page."""

    template_name = "workshops/cancel.html"

    def page(self, registration=None, problem="", status=200):
        context = {
            "registration": registration,
            "workshop": registration.workshop if registration else None,
            "problem": problem,
            "Status": Registration.Status,
        }
        return render(self.request, self.template_name, context, status=status)

    def dispatch(self, request, *args, **kwargs):
        try:
            self.registration = seats.registration_for_token(kwargs["token"])
        except seats.InvalidToken as error:
            return self.page(problem=str(error), status=400)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.page(self.registration)

    def post(self, request, *args, **kwargs):
        try:
            seats.cancel(self.registration, site_url(request))
        except seats.AlreadyCancelled:
            # A double click: the first one cancelled and mailed; the page says so.
            messages.info(request, "Du var allerede afmeldt. Der er ikke sendt en ny e-mail.")
        except seats.WorkshopStarted as error:
            return self.page(self.registration, problem=str(error))
        else:
            messages.success(request, "Du er afmeldt. Vi har sendt en bekræftelse på e-mail.")
        return redirect(request.path)
