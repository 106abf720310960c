"""The personal data of the initiatives app: applications, their history and transitions,
and the contact person of public initiatives. Registered in `InitiativesConfig.ready()`.

An application of a deleted account, and a decided application past the retention
period, is kept as an anonymous record: what was applied for, where, when and what was
decided, but no names, addresses, phone numbers, titles, attachment or notes.
"""

from django.db.models import Q
from django.utils import timezone

from portal.privacy import PersonalDataHolder, retention_cutoff, rows

from .models import ApplicationTransition, Initiative, SupportApplication

Status = SupportApplication.Status
History = SupportApplication.history.model

# The two senders typed into the form, by the prefix of their fields.
PEOPLE = {
    "leader": ("leader_name", "leader_title", "leader_email", "leader_phone"),
    "employee_rep": (
        "employee_rep_name",
        "employee_rep_title",
        "employee_rep_email",
        "employee_rep_phone",
    ),
}
ROLE_LABELS = {"leader": "leder", "employee_rep": "medarbejderrepræsentant"}
# Emptied when a whole application is anonymised (besides both senders).
APPLICATION_PERSONAL_FIELDS = ("attachment", "attachment_name", "internal_notes")


def _anonymous_values(fields):
    return dict.fromkeys(fields, "")


FULL_ANONYMOUS = _anonymous_values(
    [name for fields in PEOPLE.values() for name in fields] + list(APPLICATION_PERSONAL_FIELDS)
)


def anonymise_applications(ids, report, reason):
    """Make the applications `ids` anonymous records; their history rows and transition
    messages too. Their attachments (current and earlier) are deleted after commit."""
    ids = list(
        SupportApplication.objects.filter(pk__in=ids, anonymised_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        return []
    history = History.objects.filter(id__in=ids)
    report.delete_files_later(
        SupportApplication.objects.filter(pk__in=ids).values_list("attachment", flat=True)
    )
    report.delete_files_later(history.values_list("attachment", flat=True))
    now = timezone.now()
    # Plain updates: no new history row that would keep anything, no workflow field touched.
    SupportApplication.objects.filter(pk__in=ids).update(
        **FULL_ANONYMOUS, applicant=None, anonymised_at=now, updated_at=now
    )
    history.update(**FULL_ANONYMOUS, applicant=None, anonymised_at=now)
    # What the secretariat wrote to the applicants may name them.
    ApplicationTransition.objects.filter(application_id__in=ids).update(message="", email_error="")
    references = ", ".join(f"A-{pk:05d}" for pk in sorted(ids))
    report.add(f"{len(ids)} ansøgning(er) anonymiseret ({reason}): {references}.")
    return ids


def history_references():
    """The history's copies of foreign keys: plain ids without a database constraint."""
    return [
        field
        for field in History._meta.concrete_fields
        if field.is_relation and not field.db_constraint
    ]


def forget_deleted_references(sender, instance, **kwargs):
    """Empty the history's ids of a deleted row (an account, a round, an initiative).

    A dangling id is no use to anyone, and `dumpdata --natural-foreign` stops at it."""
    for field in history_references():
        if field.related_model is sender:
            History.objects.filter(**{field.attname: instance.pk}).update(**{field.attname: None})


class SupportApplications(PersonalDataHolder):
    key = "ansoegninger"

    def _ids(self, subject):
        """Applications of the account, or naming one of its addresses now or earlier."""
        mentions = subject.email_q("leader_email", "employee_rep_email")
        current = SupportApplication.objects.filter(mentions)
        earlier = History.objects.filter(mentions)
        if subject.user is not None:
            current = SupportApplication.objects.filter(mentions | Q(applicant=subject.user))
            earlier = History.objects.filter(mentions | Q(applicant_id=subject.user.pk))
        return set(current.values_list("pk", flat=True)) | set(earlier.values_list("id", flat=True))

    def _roles(self, application, subject):
        roles = []
        if subject.user is not None and application.applicant_id == subject.user.pk:
            roles.append("ansøger (konto)")
        for role, fields in PEOPLE.items():
            if getattr(application, fields[2]).lower() in subject.emails:
                roles.append(ROLE_LABELS[role])
        return roles

    def export(self, subject):
        result = []
        applications = SupportApplication.objects.filter(pk__in=self._ids(subject))
        for application in applications.order_by("pk"):
            result.append(
                {
                    "sagsnr": application.reference,
                    "roller": self._roles(application, subject),
                    "ansoegning": rows([application])[0],
                    "statusskift": rows(application.transitions.order_by("at", "pk")),
                    "historik": rows(History.objects.filter(id=application.pk).order_by("pk")),
                }
            )
        if subject.user is not None:
            made = ApplicationTransition.objects.filter(actor=subject.user).order_by("at", "pk")
            result.append({"statusskift_udfoert_af_kontoen": rows(made)})
            changed = History.objects.filter(history_user=subject.user).order_by("pk")
            result.append(
                {
                    "historik_aendret_af_kontoen": [
                        {
                            "sagsnr": f"A-{row.id:05d}",
                            "tidspunkt": row.history_date,
                            "type": row.get_history_type_display(),
                        }
                        for row in changed
                    ]
                }
            )
        return result

    def erase(self, subject, report):
        if subject.user is not None:
            own = SupportApplication.objects.filter(applicant=subject.user)
            drafts = own.filter(status=Status.DRAFT)
            draft_ids = list(drafts.values_list("pk", flat=True))
            if draft_ids:
                report.delete_files_later(drafts.values_list("attachment", flat=True))
                report.delete_files_later(
                    History.objects.filter(id__in=draft_ids).values_list("attachment", flat=True)
                )
                drafts.delete()
                # The delete itself leaves a full copy in the history: gone with the rest.
                History.objects.filter(id__in=draft_ids).delete()
                report.add(f"{len(draft_ids)} kladde(r) slettet med bilag.")
            anonymise_applications(own.values_list("pk", flat=True), report, "kontoen er slettet")
            History.objects.filter(history_user=subject.user).update(history_user=None)
        # Someone else's application that names one of the addresses: that person's fields.
        for role, fields in PEOPLE.items():
            named = subject.email_q(fields[2])
            blank = _anonymous_values(fields)
            changed = SupportApplication.objects.filter(named).update(**blank)
            History.objects.filter(named).update(**blank)
            if changed:
                report.add(
                    f"{ROLE_LABELS[role].capitalize()}ens oplysninger fjernet fra "
                    f"{changed} ansøgning(er)."
                )

    def apply_retention(self, now, report):
        cutoff = retention_cutoff(now)
        if cutoff is None:
            return
        expired = SupportApplication.objects.filter(
            status__in=[Status.GRANTED, Status.REJECTED],
            decided_at__lt=cutoff,
            anonymised_at__isnull=True,
        )
        ids = anonymise_applications(
            expired.values_list("pk", flat=True),
            report,
            f"afgjort før {timezone.localtime(cutoff):%d-%m-%Y}",
        )
        if ids:
            # Of each application's history only its newest (now anonymous) row is kept.
            newest = {
                application: history_id
                for application, history_id in History.objects.filter(id__in=ids)
                .order_by("id", "history_date", "history_id")
                .values_list("id", "history_id")
            }
            trimmed, _ = (
                History.objects.filter(id__in=ids).exclude(history_id__in=newest.values()).delete()
            )
            if trimmed:
                report.add(f"{trimmed} ældre historikrække(r) slettet for disse ansøgninger.")

    def private_files(self):
        return set(
            SupportApplication.objects.exclude(attachment="").values_list("attachment", flat=True)
        )


class InitiativeContacts(PersonalDataHolder):
    """The contact person shown on a public initiative's page."""

    key = "initiativer_som_kontaktperson"

    def export(self, subject):
        return rows(
            Initiative.objects.filter(subject.email_q("contact_email")).order_by("pk"),
        )

    def erase(self, subject, report):
        initiatives = list(Initiative.objects.filter(subject.email_q("contact_email")))
        for initiative in initiatives:
            initiative.contact_name = ""
            initiative.contact_email = ""
            initiative.save(update_fields=["contact_name", "contact_email"])
        if initiatives:
            report.add(f"Kontaktpersonen fjernet fra {len(initiatives)} initiativ(er).")
