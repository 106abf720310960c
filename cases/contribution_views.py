"""The contributor's side of "Del en erfaring": the form, revising a returned
contribution, and "Mine bidrag". Validation lives in contribution_forms.py, the
moderation steps in contributions.py."""

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import ListView

from . import contributions
from .contribution_forms import ContributionForm
from .models import Case, ContributionState

SENT_MESSAGE = (
    "Tak! Erfaringen er sendt til redaktionen. Du kan følge den her under „Mine bidrag“. "
    "Den bliver først vist på portalen, når redaktionen har offentliggjort den."
)


def _token(request):
    try:
        return uuid.UUID(request.POST.get("form_token", ""))
    except ValueError:
        return None


class ContributeView(LoginRequiredMixin, View):
    """A new contribution. `get_initial()` is where a prefilled form (a supported
    initiative, see initiatives.views) comes from."""

    template_name = "cases/contribute_form.html"

    def get_initial(self):
        user = self.request.user
        return {
            "contact_name": user.get_full_name(),
            "contact_email": user.email,
        }

    def get_context_data(self, **kwargs):
        return kwargs

    def render_form(self, form):
        context = self.get_context_data(form=form, case=form.instance)
        return render(self.request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        initial = {**self.get_initial(), "form_token": uuid.uuid4()}
        return self.render_form(ContributionForm(initial=initial))

    def post(self, request, *args, **kwargs):
        token = _token(request)
        earlier = Case.objects.filter(contribution_token=token).first() if token else None
        if earlier is not None:
            # This form was sent before: a double click, or back and send again.
            if earlier.contributor_id != request.user.pk:
                raise Http404
            messages.info(request, "Vi havde allerede modtaget erfaringen.")
            return redirect("cases:my_contributions")
        form = ContributionForm(request.POST, initial=self.get_initial())
        if not form.is_valid():
            return self.render_form(form)
        with transaction.atomic():  # the case with its themes and groups, or nothing
            case, created = contributions.submit(form.save(commit=False), request.user, token)
            if created:
                form.save_relations(case)
        if created:
            messages.success(request, SENT_MESSAGE)
        else:
            messages.info(request, "Vi havde allerede modtaget erfaringen.")
        return redirect("cases:my_contributions")


class OwnContributionMixin(LoginRequiredMixin):
    """Only the contributor's own contributions exist: any other id is a 404."""

    def get_queryset(self):
        return Case.objects.contributed_by(self.request.user)


class ContributionEditView(OwnContributionMixin, View):
    """Revise a contribution the editors sent back, and send it again."""

    template_name = "cases/contribute_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.case = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        if self.case.contribution_state != ContributionState.RETURNED:
            messages.info(request, "Bidraget er sendt til redaktionen og kan ikke ændres nu.")
            return redirect("cases:my_contributions")
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form):
        return render(self.request, self.template_name, {"form": form, "case": self.case})

    def get(self, request, *args, **kwargs):
        return self.render_form(ContributionForm(instance=self.case))

    def post(self, request, *args, **kwargs):
        form = ContributionForm(request.POST, instance=self.case)
        if not form.is_valid():
            return self.render_form(form)
        with transaction.atomic():
            case = form.save(commit=False)
            contributions.resubmit(case, request.user)
            form.save_relations(case)
        messages.success(request, "Tak! Den rettede erfaring er sendt til redaktionen igen.")
        return redirect("cases:my_contributions")


class MyContributionsView(OwnContributionMixin, ListView):
    template_name = "cases/my_contributions.html"
    context_object_name = "contributions"
    paginate_by = 20

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .only(
                "pk",
                "title",
                "slug",
                "place",
                "status",
                "published_at",
                "contribution_state",
                "moderation_message",
                "consent_at",
                "created_at",
            )
            .order_by("-created_at", "-pk")
        )
