"""The emails of the application workflow, rendered from Danish text templates.

Called by `workflow.transition` through `transaction.on_commit`: by the time a mail is
sent, the change it reports is safely stored. A failure to send is logged and noted on the
transition (`email_error`), never raised: the application stays as it is, and the
secretariat can see in the admin that the mail did not go out.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from .models import ApplicationTransition, SupportApplication

logger = logging.getLogger(__name__)
Status = SupportApplication.Status

TEMPLATES = {
    Status.SUBMITTED: "receipt",
    Status.NEEDS_INFO: "more_info",
    Status.GRANTED: "decision",
    Status.REJECTED: "decision",
}


def build_message(record):
    """The EmailMessage for a transition, or None when that transition sends no mail."""
    name = TEMPLATES.get(record.to_status)
    if name is None:
        return None
    application = record.application
    context = {
        "application": application,
        "transition": record,
        "resubmitted": record.from_status == Status.NEEDS_INFO,
        "granted": record.to_status == Status.GRANTED,
        "site_name": settings.SITE_NAME,
    }
    subject = render_to_string(f"initiatives/email/{name}_subject.txt", context)
    body = render_to_string(f"initiatives/email/{name}_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=application.sender_emails,
    )


def send_for_transition(record):
    """Send the mail belonging to `record`; returns True when sent, False when it failed."""
    message = build_message(record)
    if message is None:
        return None
    try:
        message.send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - any backend failure must not break the flow
        logger.exception(
            "Kunne ikke sende e-mail for ansøgning %s (%s)",
            record.application.reference,
            record.to_status,
        )
        record.email_error = f"{type(error).__name__}: {error}"[:500]
        ApplicationTransition.objects.filter(pk=record.pk).update(email_error=record.email_error)
        return False
    record.email_sent_at = timezone.now()
    ApplicationTransition.objects.filter(pk=record.pk).update(email_sent_at=record.email_sent_at)
    return True
