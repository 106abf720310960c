"""The personal data of the workshops app: registrations. Registered in
`WorkshopsConfig.ready()`.

Erasing an address removes its registrations. A seat it held for a workshop still to
come goes to the first on the waiting list first (who is told); the erased person gets
no mail. Registrations are deleted WORKSHOP_REGISTRATION_RETENTION_DAYS after their
workshop ended: by then the secretariat has what it needs (the number of participants,
regions and professional groups are on the workshop itself).
"""

import datetime

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from portal.privacy import PersonalDataHolder, rows

from . import registration as seats
from .models import Registration

Status = Registration.Status


def _site_url():
    return settings.SITE_URL.rstrip("/") + "/"


class Registrations(PersonalDataHolder):
    key = "workshop_tilmeldinger"

    def _of(self, subject):
        return Registration.objects.filter(subject.email_q("email"))

    def export(self, subject):
        result = []
        for registration in self._of(subject).select_related("workshop").order_by("pk"):
            result.append(
                {
                    "workshop": registration.workshop.title,
                    "workshop_starter": registration.workshop.starts_at,
                    "tilmelding": rows([registration])[0],
                }
            )
        return result

    def erase(self, subject, report):
        registrations = list(self._of(subject).select_related("workshop"))
        if not registrations:
            return
        now = timezone.now()
        moved = 0
        for registration in registrations:
            if registration.status == Status.CONFIRMED and registration.workshop.starts_at > now:
                moved += len(seats.cancel(registration, _site_url(), notify=False))
        Registration.objects.filter(pk__in=[r.pk for r in registrations]).delete()
        report.add(f"{len(registrations)} tilmelding(er) til workshops slettet.")
        if moved:
            report.add(f"{moved} fra ventelisten har fået den ledige plads (og besked på e-mail).")

    def apply_retention(self, now, report):
        days = settings.WORKSHOP_REGISTRATION_RETENTION_DAYS
        if not days:
            return
        ended_before = now - datetime.timedelta(days=days)
        expired = Registration.objects.filter(workshop__ends_at__lt=ended_before)
        per_workshop = expired.values("workshop__title").annotate(count=Count("pk"))
        summary = "; ".join(
            f"{row['workshop__title']}: {row['count']}"
            for row in per_workshop.order_by("workshop__title")
        )
        deleted, _ = expired.delete()
        if deleted:
            report.add(
                f"{deleted} tilmelding(er) til workshops afholdt for mere end {days} dage "
                f"siden slettet ({summary})."
            )
