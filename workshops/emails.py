"""The participant's mails, rendered from Danish text templates.

Sent by `workshops.registration` through `transaction.on_commit`: the seat a mail reports
is already stored. Each mail goes only to the address the person typed when registering,
never to anyone else. A failure to send is logged, never raised: the registration stands,
and the secretariat sees it in the admin.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

logger = logging.getLogger(__name__)


def _reply_to():
    return [getattr(settings, "SECRETARIAT_EMAIL", "") or settings.DEFAULT_FROM_EMAIL]


def _absolute(site_url, path):
    return site_url.rstrip("/") + path


def build_message(name, registration, site_url):
    from .registration import cancel_token

    workshop = registration.workshop
    context = {
        "registration": registration,
        "workshop": workshop,
        "confirmed": registration.status == registration.Status.CONFIRMED,
        "workshop_url": _absolute(site_url, workshop.get_absolute_url()),
        "cancel_url": _absolute(
            site_url,
            reverse("workshops:cancel", kwargs={"token": cancel_token(registration)}),
        ),
        "ics_url": _absolute(site_url, reverse("workshops:ics", kwargs={"slug": workshop.slug})),
        "site_name": settings.SITE_NAME,
    }
    subject = render_to_string(f"workshops/email/{name}_subject.txt", context)
    body = render_to_string(f"workshops/email/{name}_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.email],
        reply_to=_reply_to(),
    )


def _send(name, registration, site_url):
    try:
        build_message(name, registration, site_url).send(fail_silently=False)
    except Exception:  # noqa: BLE001 - a mail failure must not undo the registration
        logger.exception("Kunne ikke sende e-mail (%s) for tilmelding %s", name, registration.pk)
        return False
    return True


def send_registered(registration, site_url):
    return _send("registered", registration, site_url)


def send_moved_up(registration, site_url):
    return _send("moved_up", registration, site_url)


def send_cancelled(registration, site_url):
    return _send("cancelled", registration, site_url)
