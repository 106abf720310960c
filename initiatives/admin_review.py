"""The review step, on the application's own page in the admin.

The secretariat reads the application and, above it, chooses the next step (status and
message to the applicants). The step's form posts to `<id>/behandl/`, which moves the
application through `workflow.transition` only; with an error, the same page comes back
with the form as it was filled in. A GET there leads to the step on the page.
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path, reverse

from . import emails, workflow
from .forms import ReviewForm

REVIEW_ANCHOR = "behandl"


class ReviewStepMixin:
    """For the SupportApplication admin: the review step on its change page."""

    def get_urls(self):
        review = path(
            "<path:object_id>/behandl/",
            self.admin_site.admin_view(self.review_view),
            name="initiatives_supportapplication_review",
        )
        return [review, *super().get_urls()]

    def review_context(self, request, application, form=None):
        """What the change page needs to show the review step (empty for who may not)."""
        if not workflow.can_review(request.user):
            return {}
        targets = workflow.allowed_targets(application, request.user)
        mail_account, mail_notified = emails.recipients(application)
        return {
            "review_url": reverse(
                "admin:initiatives_supportapplication_review", args=[application.pk]
            ),
            "review_form": form or ReviewForm(targets=targets),
            "review_targets": targets,
            "mail_account": mail_account,
            "mail_notified": mail_notified,
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if "review_form" not in extra_context:
            application = self.get_object(request, object_id)
            if application is not None:
                extra_context.update(self.review_context(request, application))
        return super().change_view(request, object_id, form_url, extra_context)

    def review_view(self, request, object_id):
        application = self.get_visible_object(request, object_id)
        if not (
            self.has_view_permission(request, application) and workflow.can_review(request.user)
        ):
            raise PermissionDenied
        change_url = reverse("admin:initiatives_supportapplication_change", args=[application.pk])
        if request.method != "POST":
            return HttpResponseRedirect(f"{change_url}#{REVIEW_ANCHOR}")
        targets = workflow.allowed_targets(application, request.user)
        form = ReviewForm(request.POST, targets=targets)
        if not form.is_valid():
            # The page again, with the step as it was filled in and its errors; reading the
            # page is a GET, whatever brought us here.
            page_request = copy.copy(request)
            page_request.method = "GET"
            context = self.review_context(request, application, form)
            return self.change_view(page_request, str(application.pk), extra_context=context)
        try:
            record = workflow.transition(
                application,
                form.cleaned_data["target"],
                request.user,
                form.cleaned_data["message"],
            )
        except workflow.InvalidTransition as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request,
                f"{application.reference} har nu status “{record.get_to_status_display()}”.",
            )
            if record.email_error:
                self.message_user(
                    request,
                    "E-mailen til ansøgerne kunne ikke sendes. Statusskiftet er gemt; "
                    "kontakt ansøgerne på anden vis.",
                    messages.WARNING,
                )
        return HttpResponseRedirect(change_url)
