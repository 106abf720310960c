"""Support applications (003: "Hvis I vil være med") and their transition log."""

import contextlib
import contextvars
import uuid
from functools import partial

from django.conf import settings
from django.db import models, router, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal.models import Region

from ..exceptions import WorkflowFieldChange
from ..storage import get_private_storage
from .initiatives import Initiative
from .rounds import ApplicationRound


class SupportForm(models.TextChoices):
    """The three forms of support offered in 003; each maps to a boolean field."""

    STARTHJAELP = "starthjaelp", "Starthjælp"
    UDVIKLINGSRUM = "udviklingsrum", "Udviklingsrum"
    EVALUERING = "evaluering", "Evaluering"

    @property
    def field_name(self):
        return f"wants_{self.value}"


SUPPORT_FORM_HINTS = {
    SupportForm.STARTHJAELP: (
        "Hjælp til at komme godt i gang: sortering af idéer, projektplan og sparring "
        "til den lokale projektleder (op til ca. 3 måneder)."
    ),
    SupportForm.UDVIKLINGSRUM: (
        "3-5 afdelinger med lignende initiativer mødes i ca. tre workshops og deler "
        "erfaringer (ca. et halvt år). Kræver et igangværende initiativ."
    ),
    SupportForm.EVALUERING: (
        "Et blik udefra på resultater og proces i et initiativ, der allerede er i gang "
        "(ca. 4-8 uger)."
    ),
}


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Kladde"
    SUBMITTED = "submitted", "Indsendt"
    IN_REVIEW = "in_review", "Under vurdering"
    NEEDS_INFO = "needs_info", "Mangler oplysninger"
    GRANTED = "granted", "Bevilget"
    REJECTED = "rejected", "Afslået"


class ContactPerson(models.TextChoices):
    LEADER = "leader", "Lederen"
    EMPLOYEE_REP = "employee_rep", "Medarbejderrepræsentanten"


def attachment_upload_to(instance, filename):
    # The stored name never reuses what the applicant called the file.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"ansoegninger/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


# Owned by `initiatives.workflow`: written only while it holds `workflow_write`.
WORKFLOW_FIELDS = ("status", "submitted_at", "first_submitted_at", "decided_at")
_workflow_writing = contextvars.ContextVar("workflow_writing", default=None)


@contextlib.contextmanager
def workflow_write(pk):
    """Lets `initiatives.workflow` (and nothing else) write WORKFLOW_FIELDS of row `pk`."""
    token = _workflow_writing.set(pk)
    try:
        yield
    finally:
        _workflow_writing.reset(token)


def _refuse_workflow_fields(fields):
    touched = sorted(set(fields) & set(WORKFLOW_FIELDS))
    if touched:
        raise WorkflowFieldChange(
            "Status og tidspunkter for indsendelse og afgørelse kan kun ændres gennem "
            f"sagsgangen (forsøgt: {', '.join(touched)})."
        )


class SupportApplicationQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(applicant=user)

    def with_list_relations(self):
        return self.select_related("round", "region", "assigned_to")

    def update(self, **kwargs):
        # bulk_update() ends here too.
        if _workflow_writing.get() is None:
            _refuse_workflow_fields(kwargs)
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        # Refused before Django opens its transaction, so a caller's own stays usable.
        if _workflow_writing.get() is None:
            _refuse_workflow_fields(fields)
        return super().bulk_update(objs, fields, *args, **kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.check_new_row()
        return super().bulk_create(objs, *args, **kwargs)


class SupportApplication(models.Model):
    """An application for support; its status only ever changes via `initiatives.workflow`."""

    Status = ApplicationStatus

    round = models.ForeignKey(
        ApplicationRound,
        verbose_name="ansøgningsrunde",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ansøgerens konto",
        # Empty once the account is deleted: the application stays, anonymised.
        on_delete=models.SET_NULL,
        null=True,
        related_name="support_applications",
    )
    form_token = models.UUIDField(
        "formular-id",
        unique=True,
        editable=False,
        help_text="Gør det sikkert at sende formularen to gange: det giver én ansøgning.",
    )
    status = models.CharField(
        "status",
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )

    # The initiative as the applicants describe it.
    initiative_title = models.CharField("initiativets titel", max_length=200, blank=True)
    initiative_description = models.TextField(
        "kort beskrivelse af initiativet", max_length=4000, blank=True
    )
    institution = models.CharField("sygehus eller institution", max_length=200, blank=True)
    department = models.CharField("afdeling", max_length=200, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name="region",
        on_delete=models.PROTECT,
        related_name="support_applications",
        null=True,
        blank=True,
    )

    # The senders: a leader and an employee representative.
    leader_name = models.CharField("lederens navn", max_length=200, blank=True)
    leader_title = models.CharField("lederens stilling", max_length=200, blank=True)
    leader_email = models.EmailField("lederens e-mail", blank=True)
    leader_phone = models.CharField("lederens telefon", max_length=20, blank=True)
    employee_rep_name = models.CharField(
        "medarbejderrepræsentantens navn", max_length=200, blank=True
    )
    employee_rep_title = models.CharField(
        "medarbejderrepræsentantens stilling", max_length=200, blank=True
    )
    employee_rep_email = models.EmailField("medarbejderrepræsentantens e-mail", blank=True)
    employee_rep_phone = models.CharField(
        "medarbejderrepræsentantens telefon", max_length=20, blank=True
    )
    contact_person = models.CharField(
        "kontaktperson", max_length=20, choices=ContactPerson.choices, blank=True
    )

    # What they ask for and bring.
    wants_starthjaelp = models.BooleanField("starthjælp", default=False)
    wants_udviklingsrum = models.BooleanField("udviklingsrum", default=False)
    wants_evaluering = models.BooleanField("evaluering", default=False)
    own_resources = models.TextField("ressourcer, I selv stiller med", max_length=2000, blank=True)
    ready_to_start = models.DateField("klar til at gå i gang", null=True, blank=True)

    # The eligibility criteria of 003, confirmed explicitly.
    confirms_several_professions = models.BooleanField(
        "flere faggrupper er involveret", default=False
    )
    confirms_timing = models.BooleanField(
        "i gang eller starter inden for de kommende måneder", default=False
    )
    confirms_sharing = models.BooleanField("læring og resultater må deles med andre", default=False)
    confirms_local_backing = models.BooleanField(
        "drøftet lokalt med opbakning fra ledelse og medarbejdere", default=False
    )

    attachment = models.FileField(
        "bilag",
        upload_to=attachment_upload_to,
        storage=get_private_storage,
        blank=True,
        max_length=255,
    )
    attachment_name = models.CharField("bilagets filnavn", max_length=255, blank=True)

    # The secretariat's side. Never shown to applicants.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="tildelt konsulent",
        on_delete=models.SET_NULL,
        related_name="assigned_support_applications",
        null=True,
        blank=True,
        limit_choices_to={"is_staff": True, "groups__name": "Sekretariat"},
    )
    internal_notes = models.TextField(
        "interne noter",
        blank=True,
        help_text="Kun til sekretariatet. Vises aldrig for ansøgerne.",
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name="offentligt initiativ",
        on_delete=models.SET_NULL,
        related_name="support_applications",
        null=True,
        blank=True,
        help_text="Det offentlige initiativ, ansøgningen hører til, hvis det er oprettet.",
    )

    created_at = models.DateTimeField("oprettet", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("sidst ændret", auto_now=True)
    first_submitted_at = models.DateTimeField("først indsendt", null=True, blank=True)
    submitted_at = models.DateTimeField("senest indsendt", null=True, blank=True)
    decided_at = models.DateTimeField("afgjort", null=True, blank=True)
    anonymised_at = models.DateTimeField(
        "anonymiseret",
        null=True,
        blank=True,
        editable=False,
        help_text="Navne, adresser, telefonnumre, bilag og noter er fjernet (se README).",
    )

    history = HistoricalRecords(
        verbose_name="historik for ansøgning",
        verbose_name_plural="historik for ansøgninger",
        excluded_fields=["updated_at"],
    )
    objects = SupportApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "ansøgning om støtte"
        verbose_name_plural = "ansøgninger om støtte"
        permissions = [("review_supportapplication", "Kan behandle og afgøre ansøgninger")]

    def __str__(self):
        return f"{self.reference} – {self.initiative_title or 'uden titel'}"

    def save(self, *, force_insert=False, force_update=False, using=None, update_fields=None):
        """Save; the status and its timestamps only while `initiatives.workflow` writes them.

        Any other save (an admin form, a history page, a stale or fresh copy in a shell) is
        judged against the row in the database, never against what this copy remembers:
        it may not differ there, and it never writes those fields. A replaced or removed
        attachment is deleted from disk once the change is committed.
        """
        using = using or router.db_for_write(type(self), instance=self)
        if update_fields is not None:
            written = list(update_fields)
        else:
            deferred = self.get_deferred_fields()
            written = [name for name in self._concrete_field_names() if name not in deferred]
        in_workflow = self.pk is not None and _workflow_writing.get() == self.pk
        guarded = [] if in_workflow else [name for name in WORKFLOW_FIELDS if name in written]
        options = {"force_insert": force_insert, "force_update": force_update, "using": using}
        if in_workflow or self.pk is None or force_insert:
            if guarded:
                self.check_new_row()
            return super().save(**options, update_fields=update_fields)
        with transaction.atomic(using=using):
            row = (
                type(self)
                ._base_manager.using(using)
                .select_for_update()
                .filter(pk=self.pk)
                .values(*WORKFLOW_FIELDS, "attachment")
                .first()
            )
            if row is None:
                if guarded:
                    self.check_new_row()
                return super().save(**options, update_fields=update_fields)
            _refuse_workflow_fields(name for name in guarded if getattr(self, name) != row[name])
            # A copy older than the last status change saves its other fields; it (and the
            # history row made from it) carries the stored status, never its own.
            for name in WORKFLOW_FIELDS:
                setattr(self, name, row[name])
            if guarded:
                update_fields = [name for name in written if name not in guarded]
            super().save(**options, update_fields=update_fields)
            if "attachment" in written and row["attachment"] != (self.attachment.name or ""):
                self.delete_file_on_commit(row["attachment"], using)

    def get_absolute_url(self):
        return reverse("initiatives:application_detail", kwargs={"pk": self.pk})

    def delete_file_on_commit(self, name, using=None):
        """Delete attachment `name` from disk once the current transaction commits."""
        if name:
            storage = self._meta.get_field("attachment").storage
            transaction.on_commit(partial(storage.delete, name), using=using)

    @classmethod
    def _concrete_field_names(cls):
        return [field.attname for field in cls._meta.concrete_fields if not field.primary_key]

    def check_new_row(self):
        """A new application starts as a draft that has never been submitted or decided."""
        if self.status != ApplicationStatus.DRAFT:
            raise WorkflowFieldChange("En ny ansøgning skal starte som kladde.")
        _refuse_workflow_fields(name for name in WORKFLOW_FIELDS[1:] if getattr(self, name))

    @property
    def reference(self):
        return f"A-{self.pk:05d}" if self.pk else "A-ny"

    @property
    def support_forms(self):
        return [form for form in SupportForm if getattr(self, form.field_name)]

    @property
    def support_forms_display(self):
        return ", ".join(form.label for form in self.support_forms)

    @property
    def contact_details(self):
        """(name, email, phone) of the chosen contact person."""
        if self.contact_person == ContactPerson.EMPLOYEE_REP:
            return self.employee_rep_name, self.employee_rep_email, self.employee_rep_phone
        return self.leader_name, self.leader_email, self.leader_phone

    @property
    def is_editable_by_applicant(self):
        return self.status in (ApplicationStatus.DRAFT, ApplicationStatus.NEEDS_INFO)

    @property
    def awaits_secretariat(self):
        return self.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)

    def days_waiting(self, now=None):
        """Whole days since the latest submission while the secretariat owes an answer."""
        if not self.awaits_secretariat or self.submitted_at is None:
            return None
        return ((now or timezone.now()) - self.submitted_at).days


class ApplicationTransition(models.Model):
    """One status change: who, when, from what to what, and the message that went with it."""

    application = models.ForeignKey(
        SupportApplication,
        verbose_name="ansøgning",
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField("fra status", max_length=20, choices=ApplicationStatus.choices)
    to_status = models.CharField("til status", max_length=20, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="udført af",
        # Empty once the account is deleted: the record of the change stays.
        on_delete=models.SET_NULL,
        null=True,
        related_name="application_transitions",
    )
    at = models.DateTimeField("tidspunkt", default=timezone.now, db_index=True)
    message = models.TextField(
        "besked",
        blank=True,
        help_text="Sendes til og vises for ansøgerne.",
    )
    email_sent_at = models.DateTimeField("e-mail sendt", null=True, blank=True)
    email_error = models.CharField("fejl ved afsendelse", max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "statusskift"
        verbose_name_plural = "statusskift"

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


@receiver(post_delete, sender=SupportApplication)
def delete_attachment_with_application(sender, instance, using, **kwargs):
    instance.delete_file_on_commit(instance.attachment.name, using)
