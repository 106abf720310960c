"""Contributions ("Del en erfaring"): a signed-in person proposes a case, an editor
publishes it or sends it back with a message, the contributor revises and sends it again.

The one door for a contribution's moderation state, used by the views, the admin and the
tests alike. A contribution is an ordinary `Case` with `status` draft until it is
published, so everything that lists cases (`Case.objects.published()`) never sees it
before that. Each step is recorded as a `ContributionEvent` (who, when, the message).
"""

import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from portal.accounts import confirmed_address, on_site

from .models import RESERVED_SLUGS, Case, ContributionEvent, ContributionState

logger = logging.getLogger(__name__)
Action = ContributionEvent.Action

# The case's source, so its citation says where it comes from.
SOURCE_PUBLISHER = "Del en erfaring, Regionalt arbejdsliv"


class NotAllowed(Exception):
    """The step is not possible in the contribution's current state."""


def source_title(workplace):
    return f"Bidrag fra {workplace}"[:255]


def unique_slug(title, exclude_pk=None):
    """A slug from the title that no other case has and no portal page uses."""
    base = (slugify(title) or "bidrag")[:190].strip("-") or "bidrag"
    others = Case.objects.exclude(pk=exclude_pk) if exclude_pk else Case.objects.all()
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def submit(case, user, token):
    """Store a new contribution from `user` (the form's unsaved case, themes and groups
    set by the caller after) and send it to the editors.

    The same `token` sent twice (a double click, back and send again) gives back the
    first contribution with `created=False`; nothing is stored twice.
    """
    if token is None:
        # A form without its token (filter(contribution_token=None) would match the
        # editors' own cases) is a new contribution.
        token = uuid.uuid4()
    existing = Case.objects.filter(contribution_token=token).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    case.contributor = user
    case.contribution_token = token
    case.contribution_state = ContributionState.SENT
    case.status = Case.Status.DRAFT
    case.published_at = None
    case.consent_at = now
    case.source_title = source_title(case.place)
    case.source_publisher = SOURCE_PUBLISHER
    case.source_year = now.year
    case.slug = unique_slug(case.title)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        # The same token stored meanwhile by the other click, or the slug taken.
        existing = Case.objects.filter(contribution_token=token).first()
        if existing is not None:
            return existing, False
        case.pk = None
        case.slug = f"{unique_slug(case.title)}-{uuid.uuid4().hex[:6]}"
        case.save()
    ContributionEvent.objects.create(case=case, action=Action.SENT, actor=user, at=now)
    return case, True


def resubmit(case, user):
    """The contributor has revised a returned contribution and sends it again."""
    if case.contribution_state != ContributionState.RETURNED or case.contributor_id != user.pk:
        raise NotAllowed("Bidraget er allerede sendt til redaktionen.")
    case.contribution_state = ContributionState.SENT
    case.consent_at = timezone.now()
    case.source_title = source_title(case.place)
    case.save()
    ContributionEvent.objects.create(case=case, action=Action.RESENT, actor=user)
    return case


def publish(case, actor):
    """Publish a contribution (or any case) and record who did it."""
    with transaction.atomic():
        was_public = case.is_public
        case.publish()
        if case.contribution_state and not was_public:
            ContributionEvent.objects.create(case=case, action=Action.PUBLISHED, actor=actor)
    return case


def return_to_contributor(case, actor, message):
    """Send the contribution back with `message`; the contributor gets it by e-mail once
    the change is stored. Only a contribution waiting for the editors can be returned."""
    message = message.strip()
    if not message:
        raise NotAllowed("Skriv en besked til bidragyderen om, hvad der skal rettes.")
    if case.contribution_state != ContributionState.SENT:
        raise NotAllowed("Kun bidrag, der venter på redaktionen, kan sendes retur.")
    with transaction.atomic():
        case.contribution_state = ContributionState.RETURNED
        case.moderation_message = message
        case.status = Case.Status.DRAFT
        case.save()
        event = ContributionEvent.objects.create(
            case=case, action=Action.RETURNED, actor=actor, message=message
        )
        transaction.on_commit(lambda: send_returned_mail(event))
    return event


def send_returned_mail(event):
    """Tell the contributor their contribution came back, with the message and the link to
    revise it. A failure is logged and noted on the event, never raised."""
    case = event.case
    address = confirmed_address(case.contributor)
    if address is None:
        return False
    context = {
        "case": case,
        "message": event.message,
        "edit_url": on_site(reverse("cases:contribution_edit", args=[case.pk])),
        "my_contributions_url": on_site(reverse("cases:my_contributions")),
        "site_name": settings.SITE_NAME,
    }
    subject = render_to_string("cases/email/contribution_returned_subject.txt", context)
    body = render_to_string("cases/email/contribution_returned_body.txt", context)
    reply_to = getattr(settings, "SECRETARIAT_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
    try:
        EmailMessage(
            " ".join(subject.split()),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
            reply_to=[reply_to],
        ).send()
    except Exception as error:  # noqa: BLE001 - a mail server failure must not break the flow
        logger.exception("Kunne ikke sende e-mail om bidraget %s", case.pk)
        ContributionEvent.objects.filter(pk=event.pk).update(
            email_error=f"{type(error).__name__}: {error}"[:500]
        )
        return False
    return True
