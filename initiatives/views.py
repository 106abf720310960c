"""Public initiative pages and the applicant's side of the support applications.

Views stay thin: validation lives in forms.py, status changes in workflow.py.
"""

import logging
import re
import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from cases.contribution_views import ContributeView
from portal.accounts import contact_address

from . import emails, support_info, workflow
from .exceptions import DeadlinePassed, InvalidTransition, SubmissionLimitReached
from .exports import read_out
from .filters import InitiativeFilter
from .forms import SupportApplicationForm
from .models import ApplicationRound, Initiative, SupportApplication

logger = logging.getLogger(__name__)
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
Status = SupportApplication.Status


class InitiativeListView(ListView):
    template_name = "initiatives/initiative_list.html"
    context_object_name = "initiatives"
    paginate_by = 20

    def get_queryset(self):
        queryset = Initiative.objects.published().with_list_relations().order_by("title")
        self.filterset = InitiativeFilter(self.request.GET or None, queryset=queryset)
        return self.filterset.qs if self.filterset.is_bound else queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["filter"] = self.filterset
        context["querystring_without_page"] = f"{query.urlencode()}&" if query else ""
        context["open_round"] = ApplicationRound.objects.open().order_by("closes").first()
        return context


class InitiativeDetailView(DetailView):
    template_name = "initiatives/initiative_detail.html"
    context_object_name = "initiative"

    def get_queryset(self):
        return (
            Initiative.objects.published()
            .select_related("region")
            .prefetch_related("themes", "professional_groups")
        )


class SupportInfoView(TemplateView):
    """The public page about the support: what it is, for whom, and the current round."""

    template_name = "initiatives/support.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            descriptions=support_info.DESCRIPTIONS,
            criteria=support_info.criteria(),
            application_contents=support_info.APPLICATION_CONTENTS,
            source=support_info.SOURCE,
            open_rounds=ApplicationRound.objects.open().order_by("closes"),
            upcoming_rounds=ApplicationRound.objects.filter(opens__gt=today).order_by("opens"),
            contact_email=contact_address(),
            **kwargs,
        )


def _open_round(slug=None):
    """The open round (`slug` from the query string picks one); None if there is none.

    A value that is no slug (a NUL byte, which PostgreSQL refuses) names no round.
    """
    rounds = ApplicationRound.objects.open().order_by("closes")
    if slug:
        if not SLUG.fullmatch(slug):
            return None
        rounds = rounds.filter(slug=slug)
    return rounds.first()


class ApplicationFormMixin:
    """Shared by the new-application and the edit view: one form, two buttons."""

    template_name = "initiatives/application_form.html"

    def render_form(self, form, application, application_round):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "application": application,
                "round": application_round,
                "round_is_open": application_round.is_open(),
            },
        )

    def handle_post(self, application):
        request = self.request
        submitting = "submit" in request.POST
        form = SupportApplicationForm(
            request.POST, request.FILES, instance=application, submitting=submitting
        )
        if not form.is_valid():
            return self.render_form(form, application, application.round)
        try:
            with transaction.atomic():
                application = form.save()
        except IntegrityError:
            # The same form (same token) arrived twice at once: the first one won.
            existing = get_object_or_404(
                SupportApplication,
                form_token=form.cleaned_data.get("form_token"),
                applicant=request.user,
            )
            messages.info(request, "Vi havde allerede modtaget formularen.")
            return redirect(existing)
        if not submitting:
            messages.success(
                request, "Ansøgningen er gemt. I kan vende tilbage og gøre den færdig."
            )
            return redirect("initiatives:application_edit", pk=application.pk)
        try:
            record = workflow.submit(
                application, request.user, form.cleaned_data.get("message_to_secretariat", "")
            )
        except DeadlinePassed:
            messages.error(
                request,
                f"Ansøgningsfristen var {application.round.closes:%d.%m.%Y}, så ansøgningen "
                "kan ikke indsendes. Det, I har skrevet, er gemt som kladde.",
            )
            return redirect(application)
        except SubmissionLimitReached as error:
            messages.error(request, f"{error} Det, I har skrevet, er gemt.")
            return redirect("initiatives:application_edit", pk=application.pk)
        except InvalidTransition as error:
            messages.error(request, str(error))
            return redirect(application)
        messages.success(request, submitted_message(application))
        if record.email_error:
            messages.warning(
                request,
                "Ansøgningen er gemt og indsendt, men kvitteringen kunne ikke sendes på "
                "e-mail lige nu. Sekretariatet kan se ansøgningen.",
            )
        return redirect(application)


def submitted_message(application):
    """What the applicant is told after submitting: who got what by email."""
    account, notified = emails.recipients(application)
    if account is None:
        return (
            "Ansøgningen er indsendt. Vi har ikke sendt en kvittering på e-mail, fordi "
            "kontoens e-mailadresse ikke er bekræftet."
        )
    message = f"Ansøgningen er indsendt. Vi har sendt en kvittering til {account}."
    if notified:
        message += (
            " Lederen og medarbejderrepræsentanten får en kort besked på e-mail om, at "
            "ansøgningen er indsendt fra jeres konto, med sagsnummeret men uden "
            "ansøgningens indhold."
        )
    return message


class ApplyView(ApplicationFormMixin, View):
    """A new application in the open round. After the deadline, says so plainly."""

    def dispatch(self, request, *args, **kwargs):
        self.round = _open_round(request.GET.get("runde"))
        if self.round is None:
            return self.render_closed()
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def render_closed(self):
        latest = ApplicationRound.objects.order_by("-closes").first()
        upcoming = ApplicationRound.objects.filter(opens__gt=timezone.localdate()).order_by("opens")
        return render(
            self.request,
            "initiatives/apply_closed.html",
            {"latest_round": latest, "upcoming_rounds": upcoming},
        )

    def new_application(self):
        return SupportApplication(round=self.round, applicant=self.request.user)

    def get(self, request, *args, **kwargs):
        application = self.new_application()
        application.form_token = uuid.uuid4()
        form = SupportApplicationForm(instance=application)
        return self.render_form(form, application, self.round)

    def post(self, request, *args, **kwargs):
        try:
            token = uuid.UUID(request.POST.get("form_token", ""))
        except ValueError:
            token = None
        existing = SupportApplication.objects.filter(form_token=token).first() if token else None
        if existing is not None:
            # This form was sent before (a double click, or back-and-send-again).
            if existing.applicant_id != request.user.pk:
                raise Http404
            if not existing.is_editable_by_applicant:
                messages.info(request, "Vi har allerede modtaget ansøgningen.")
                return redirect(existing)
            return self.handle_post(existing)
        return self.handle_post(self.new_application())


class OwnApplicationMixin(LoginRequiredMixin):
    """Only the applicant's own applications exist: any other id is a 404."""

    def get_queryset(self):
        return SupportApplication.objects.owned_by(self.request.user).select_related(
            "round", "region"
        )


class ApplicationEditView(OwnApplicationMixin, ApplicationFormMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        if not self.application.is_editable_by_applicant:
            messages.info(request, "Ansøgningen er indsendt og kan ikke længere ændres.")
            return redirect(self.application)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        form = SupportApplicationForm(instance=self.application)
        return self.render_form(form, self.application, self.application.round)

    def post(self, request, *args, **kwargs):
        return self.handle_post(self.application)


class MyApplicationsView(OwnApplicationMixin, ListView):
    template_name = "initiatives/my_applications.html"
    context_object_name = "applications"
    paginate_by = 20

    def get_queryset(self):
        return super().get_queryset().order_by("-created_at", "-pk")


class ApplicationDetailView(OwnApplicationMixin, DetailView):
    template_name = "initiatives/application_detail.html"
    context_object_name = "application"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["transitions"] = self.object.transitions.all()
        context["sections"] = read_out(self.object)
        context["can_submit"] = bool(workflow.allowed_targets(self.object, self.request.user))
        return context


class ApplicationContributeView(OwnApplicationMixin, ContributeView):
    """The form "Del en erfaring" from a granted application, prefilled with what the
    applicants wrote (and the public initiative's themes and groups). Only the
    applicant's own granted applications; any other id is a 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = get_object_or_404(
            self.get_queryset().select_related("initiative"), pk=kwargs["pk"], status=Status.GRANTED
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        application = self.application
        initiative = application.initiative
        name, email, _phone = application.contact_details
        workplace = ", ".join(p for p in (application.department, application.institution) if p)
        initial = {
            **super().get_initial(),
            "title": application.initiative_title,
            "body": application.initiative_description,
            "place": workplace,
            "region": application.region_id,
        }
        if name:
            initial["contact_name"] = name
        if email:
            initial["contact_email"] = email
        if initiative is not None:
            initial["lead"] = initiative.summary
            initial["themes"] = list(initiative.themes.values_list("pk", flat=True))
            initial["professional_groups"] = list(
                initiative.professional_groups.values_list("pk", flat=True)
            )
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(source_application=self.application, **kwargs)


class ApplicationAttachmentView(LoginRequiredMixin, View):
    """The attachment, for its applicant and, once submitted, for the secretariat; a 404
    for anyone else, and when the file is gone."""

    def get(self, request, pk):
        application = get_object_or_404(SupportApplication, pk=pk)
        if not workflow.can_read(application, request.user) or not application.attachment:
            raise Http404
        try:
            handle = application.attachment.open("rb")
        except FileNotFoundError:
            logger.warning("Bilaget til %s mangler på disken", application.reference)
            raise Http404 from None
        extension = application.attachment.name.rsplit(".", 1)[-1]
        return FileResponse(
            handle, as_attachment=True, filename=f"{application.reference}-bilag.{extension}"
        )
