"""The emails of the application workflow, rendered from Danish text templates.

Called by `workflow.transition` through `transaction.on_commit`: by the time a mail is
sent, the change it reports is safely stored. A failure to send is logged and noted on the
transition (`email_error`), never raised: the application stays as it is, and the
secretariat can see in the admin that the mail did not go out.

Who gets what: only the account's confirmed address (verified through allauth) gets the
mail with the application's own text. The leader and employee-representative addresses
typed into the form were confirmed by nobody, so anyone's address could be there: they
get a fixed notice with the reference, the account's confirmed address and how to object,
and nothing the applicant wrote. Without a confirmed account address (or without an
account at all) no mail goes out.

The secretariat is told when an application arrives and when applicants answer a request
for information (`notify_secretariat`): the active members of the Sekretariat group with a
verified address, and `SECRETARIAT_NOTIFY_EMAIL` when set (e.g. a shared mailbox). Fixed facts
and a link to the admin only, nothing the applicants wrote: it is read there, logged in.
"""

import logging

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal.accounts import confirmed_address, on_site

from .models import ApplicationTransition, SupportApplication

logger = logging.getLogger(__name__)
Status = SupportApplication.Status

# The applicants' mail, by transition.
TEMPLATES = {
    (Status.DRAFT, Status.SUBMITTED): "receipt",
    (Status.NEEDS_INFO, Status.IN_REVIEW): "receipt",
    (Status.IN_REVIEW, Status.NEEDS_INFO): "more_info",
    (Status.IN_REVIEW, Status.GRANTED): "decision",
    (Status.IN_REVIEW, Status.REJECTED): "decision",
}
# The transitions the secretariat is told about: the applicants' own.
SECRETARIAT_EVENTS = {
    (Status.DRAFT, Status.SUBMITTED): "Ny ansøgning",
    (Status.NEEDS_INFO, Status.IN_REVIEW): "Ansøgerne har svaret",
}
SECRETARIAT_GROUP = "Sekretariat"

# What the notice to a typed address says happened, by transition; fixed text only.
NOTICE_EVENTS = {
    (Status.DRAFT, Status.SUBMITTED): "Ansøgningen er nu indsendt til sekretariatet.",
    (Status.NEEDS_INFO, Status.IN_REVIEW): "Ansøgningen er indsendt igen med flere oplysninger.",
    (Status.IN_REVIEW, Status.NEEDS_INFO): (
        "Sekretariatet har bedt om flere oplysninger til ansøgningen."
    ),
    (Status.IN_REVIEW, Status.GRANTED): "Sekretariatet har truffet afgørelse om ansøgningen.",
    (Status.IN_REVIEW, Status.REJECTED): "Sekretariatet har truffet afgørelse om ansøgningen.",
}
NOTICE_EVENT_OTHER = "Ansøgningen har fået en ny status hos sekretariatet."


def recipients(application):
    """(confirmed account address or None, [typed addresses that get the fixed notice])."""
    account = confirmed_address(application.applicant) if application.applicant_id else None
    if account is None:
        return None, []
    seen = {account.lower()}
    notified = []
    for address in (application.leader_email, application.employee_rep_email):
        if address and address.lower() not in seen:
            seen.add(address.lower())
            notified.append(address)
    return account, notified


def _reply_to():
    address = getattr(settings, "SECRETARIAT_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
    return [address]


def _message(name, context, to):
    subject = render_to_string(f"initiatives/email/{name}_subject.txt", context)
    body = render_to_string(f"initiatives/email/{name}_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=_reply_to(),
    )


def build_messages(record):
    """The EmailMessages for a transition: the full mail first, then one notice per typed
    address. Empty when the transition sends no mail or nobody may get it."""
    name = TEMPLATES.get((record.from_status, record.to_status))
    if name is None:
        return []
    application = record.application
    account, notified = recipients(application)
    if account is None:
        return []
    context = {
        "application": application,
        "transition": record,
        "resubmitted": record.from_status == Status.NEEDS_INFO,
        "granted": record.to_status == Status.GRANTED,
        "site_name": settings.SITE_NAME,
        "application_url": on_site(application.get_absolute_url()),
    }
    messages = [_message(name, context, [account])]
    notice = {
        "reference": application.reference,
        "account_email": account,
        "event": NOTICE_EVENTS.get((record.from_status, record.to_status), NOTICE_EVENT_OTHER),
        "site_name": settings.SITE_NAME,
    }
    messages.extend(_message("notice", notice, [address]) for address in notified)
    return messages


def send_for_transition(record):
    """Send the mails belonging to `record`.

    Returns None when there is nothing to send, True when all went, False when one failed.
    """
    messages = build_messages(record)
    if not messages:
        return None
    errors = []
    sent_main = False
    for position, message in enumerate(messages):
        try:
            message.send(fail_silently=False)
        except Exception as error:  # noqa: BLE001 - any backend failure must not break the flow
            logger.exception(
                "Kunne ikke sende e-mail for ansøgning %s (%s)",
                record.application.reference,
                record.to_status,
            )
            errors.append(f"{type(error).__name__}: {error}")
        else:
            sent_main = sent_main or position == 0
    if sent_main:
        record.email_sent_at = timezone.now()
    record.email_error = "; ".join(errors)[:500]
    ApplicationTransition.objects.filter(pk=record.pk).update(
        email_sent_at=record.email_sent_at, email_error=record.email_error
    )
    return not errors


def admin_url(application):
    """The application's page in the admin."""
    return on_site(reverse("admin:initiatives_supportapplication_change", args=[application.pk]))


def secretariat_addresses():
    """The addresses that hear of new applications and answers, without duplicates."""
    members = get_user_model().objects.filter(
        groups__name=SECRETARIAT_GROUP, is_active=True, is_staff=True
    )
    verified = EmailAddress.objects.filter(user__in=members, verified=True).order_by("email")
    configured = getattr(settings, "SECRETARIAT_NOTIFY_EMAIL", "")
    addresses, seen = [], set()
    for address in [configured, *verified.values_list("email", flat=True)]:
        if address and address.lower() not in seen:
            seen.add(address.lower())
            addresses.append(address)
    return addresses


def notify_secretariat(record):
    """Tell the secretariat that applicants submitted or answered; one mail per address.

    A failure is logged and never raised: the application is stored and on the desk.
    """
    event = SECRETARIAT_EVENTS.get((record.from_status, record.to_status))
    if event is None:
        return 0
    application = record.application
    context = {
        "application": application,
        "transition": record,
        "event": event,
        "answer": record.from_status == Status.NEEDS_INFO,
        "admin_url": admin_url(application),
        "site_name": settings.SITE_NAME,
    }
    subject = " ".join(
        render_to_string("initiatives/email/secretariat_subject.txt", context).split()
    )
    body = render_to_string("initiatives/email/secretariat_body.txt", context)
    sent = 0
    for address in secretariat_addresses():
        try:
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]).send()
        except Exception:  # noqa: BLE001 - a mail server failure must not break the flow
            logger.exception(
                "Kunne ikke give sekretariatet besked om ansøgning %s", application.reference
            )
        else:
            sent += 1
    return sent
