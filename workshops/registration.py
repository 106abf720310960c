"""Seats: who gets one, who waits, cancelling and moving up. The only code that sets
`Registration.status`.

Every change locks the workshop's row (SELECT … FOR UPDATE) for the rest of its
transaction, so on PostgreSQL two people taking the last seat at the same instant are
counted one after the other: one is confirmed, the other waitlisted. SQLite locks the
whole database for a write anyway. Mails go out after the transaction commits.
"""

import hashlib
import uuid
from dataclasses import dataclass
from functools import partial

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import emails
from .models import Registration, Workshop

Status = Registration.Status
CANCEL_SALT = "workshops.registration.cancel"


class RegistrationError(Exception):
    """A registration that cannot be made or changed; the message is Danish."""


class RegistrationClosed(RegistrationError):
    def __init__(self):
        super().__init__("Der er ikke åbent for tilmelding til denne workshop.")


class AlreadyRegistered(RegistrationError):
    def __init__(self):
        super().__init__(
            "Der er allerede en tilmelding med denne e-mailadresse. Vil du afmelde dig, "
            "så brug linket i den e-mail, du fik, da du tilmeldte dig."
        )


class AlreadyCancelled(RegistrationError):
    def __init__(self):
        super().__init__("Tilmeldingen er allerede afmeldt.")


class WorkshopStarted(RegistrationError):
    def __init__(self):
        super().__init__(
            "Workshoppen er begyndt eller afholdt, så tilmeldingen kan ikke længere afmeldes."
        )


class InvalidToken(RegistrationError):
    def __init__(self):
        super().__init__(
            "Linket til afmelding er ugyldigt. Kopiér hele linket fra e-mailen, eller "
            "skriv til sekretariatet."
        )


@dataclass
class Outcome:
    registration: Registration
    created: bool = True


def _locked(workshop):
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


def confirmed_count(workshop):
    return workshop.registrations.filter(status=Status.CONFIRMED).count()


def register(workshop, data, site_url, form_token=None):
    """Register a participant: confirmed while seats are left, else waitlisted.

    `data` holds the form's fields (name, email, workplace, region, professional_group,
    dietary_needs, consents_to_participant_list). The same `form_token` sent again (a
    double click) gives back the first registration with `created=False`. Raises
    RegistrationClosed or AlreadyRegistered.
    """
    data = {**data, "email": data["email"].strip()}
    with transaction.atomic():
        workshop = _locked(workshop)
        if form_token:
            existing = Registration.objects.filter(form_token=form_token, workshop=workshop).first()
            if existing is not None:
                return Outcome(existing, created=False)
        if not workshop.takes_registrations:
            raise RegistrationClosed
        active = workshop.registrations.exclude(status=Status.CANCELLED)
        if active.filter(email__iexact=data["email"]).exists():
            raise AlreadyRegistered
        now = timezone.now()
        has_seat = confirmed_count(workshop) < workshop.capacity
        registration = Registration(
            workshop=workshop,
            form_token=form_token,
            status=Status.CONFIRMED if has_seat else Status.WAITLISTED,
            confirmed_at=now if has_seat else None,
            created_at=now,
            **data,
        )
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError as error:
            # Only without the row lock (never on PostgreSQL or SQLite): the same address
            # or form token stored meanwhile.
            raise AlreadyRegistered from error
        transaction.on_commit(partial(emails.send_registered, registration, site_url))
    return Outcome(registration)


def fill_free_seats(workshop, site_url):
    """Move people up from the waiting list, first come first served, while seats are
    free and the workshop has not begun. Call inside a transaction holding the lock."""
    if not workshop.capacity or workshop.starts_at <= timezone.now():
        return []
    free = workshop.capacity - confirmed_count(workshop)
    if free <= 0:
        return []
    waiting = list(
        workshop.registrations.select_for_update()
        .filter(status=Status.WAITLISTED)
        .order_by("created_at", "pk")[:free]
    )
    now = timezone.now()
    for registration in waiting:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        transaction.on_commit(partial(emails.send_moved_up, registration, site_url))
    return waiting


def promote_waitlisted(workshop, site_url):
    """After the capacity went up: fill the new seats from the waiting list."""
    with transaction.atomic():
        return fill_free_seats(_locked(workshop), site_url)


def cancel(registration, site_url, notify=True):
    """Cancel a registration; a freed seat goes to the first on the waiting list.

    Returns the people who moved up. Raises AlreadyCancelled or WorkshopStarted. With
    `notify=False` the cancelled person gets no mail (their data is being erased).
    """
    with transaction.atomic():
        workshop = _locked(registration.workshop)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Status.CANCELLED:
            raise AlreadyCancelled
        if workshop.starts_at <= timezone.now():
            raise WorkshopStarted
        registration.status = Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        if notify:
            transaction.on_commit(partial(emails.send_cancelled, registration, site_url))
        return fill_free_seats(workshop, site_url)


# -- The cancellation link ----------------------------------------------------------------


def _fingerprint(registration):
    """Ties a token to this very registration: an id alone could be used again by a
    later row after a deletion (SQLite reuses the highest id)."""
    text = f"{registration.email.lower()}|{registration.created_at.isoformat()}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def cancel_token(registration):
    return signing.dumps([registration.pk, _fingerprint(registration)], salt=CANCEL_SALT)


def registration_for_token(token):
    """The registration a cancellation token names; InvalidToken when it names none.

    The link works until the workshop begins (then `cancel` says so), so it does not
    expire by age."""
    try:
        pk, fingerprint = signing.loads(token, salt=CANCEL_SALT)
        registration = Registration.objects.select_related("workshop").get(pk=int(pk))
    except (signing.BadSignature, ValueError, TypeError, Registration.DoesNotExist) as error:
        raise InvalidToken from error
    if fingerprint != _fingerprint(registration):
        raise InvalidToken
    return registration


def new_form_token():
    return uuid.uuid4()
