"""Workshops, udviklingsrum courses and registrations.

A workshop is both an invitation (before: time, place, programme, seats) and a record
people learn from (after: outcomes, do's and don'ts, what helps and hinders, ideas and
agreed goals, kept as `WorkshopPoint` rows so each list can be shown, filtered and
printed on its own). Seats are handed out by `workshops.registration`, never here.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from cases.models import Case
from initiatives.models import Initiative
from portal.models import ProfessionalGroup, Region, Theme
from portal.validators import ReservedSlugValidator

# First path segments under /workshops/ that belong to the portal, not to a workshop:
# "udviklingsrum/<slug>/" is a course, and a workshop slugged so would lose its pages.
RESERVED_WORKSHOP_SLUGS = frozenset({"udviklingsrum", "tilmelding"})


# The name the migration that first used it refers to.
validate_workshop_slug = ReservedSlugValidator(RESERVED_WORKSHOP_SLUGS)


class ThemedWorkshop(TaggedItemBase):
    """Through-model linking a workshop to a theme of the shared taxonomy."""

    content_object = models.ForeignKey(
        "Workshop", on_delete=models.CASCADE, related_name="theme_links"
    )
    tag = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="themed_workshops")

    class Meta:
        verbose_name = "tema på workshop"
        verbose_name_plural = "temaer på workshops"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_workshop_theme")
        ]


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class PublicRecord(models.Model):
    """What workshops and udviklingsrum share: where they come from, whether they are demo
    examples or published, and when they were made and changed."""

    source = models.CharField(
        "kilde", max_length=255, blank=True, help_text="Hvor oplysningerne kommer fra."
    )
    is_example = models.BooleanField(
        "eksempel",
        default=False,
        help_text="Demo-indhold: siden siger tydeligt, at det er et eksempel.",
    )
    is_published = models.BooleanField("offentliggjort", default=True, db_index=True)
    created_at = models.DateTimeField("oprettet", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("sidst ændret", auto_now=True)

    class Meta:
        abstract = True


class DevelopmentRoom(PublicRecord):
    """An udviklingsrum (003): 3–5 departments with similar initiatives meet about three
    times over roughly half a year and share what they learn."""

    class Phase(models.TextChoices):
        FORMING = "forming", "Sammensættes"
        RUNNING = "running", "I gang"
        FINISHED = "finished", "Afsluttet"

    MIN_INITIATIVES = 3
    MAX_INITIATIVES = 5

    title = models.CharField("titel", max_length=200)
    slug = models.SlugField("kortnavn (URL)", max_length=200, unique=True)
    summary = models.TextField("kort resumé", max_length=600)
    description = models.TextField(
        "beskrivelse", blank=True, help_text="Afsnit adskilles af en tom linje."
    )
    phase = models.CharField("fase", max_length=20, choices=Phase.choices, default=Phase.FORMING)
    initiatives = models.ManyToManyField(
        Initiative,
        verbose_name="deltagende initiativer (afdelinger)",
        related_name="development_rooms",
        blank=True,
        help_text="3–5 afdelinger med lignende initiativer.",
    )

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "title"]
        verbose_name = "udviklingsrum"
        verbose_name_plural = "udviklingsrum"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workshops:development_room", kwargs={"slug": self.slug})


class WorkshopQuerySet(PublishedQuerySet):
    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())

    def for_theme(self, theme):
        return self.published().filter(themes=theme)

    def for_listing(self):
        """What a workshop card shows: its themes, regions and udviklingsrum."""
        return self.select_related("development_room").prefetch_related("themes", "regions")


class Workshop(PublicRecord):
    class Kind(models.TextChoices):
        CROSS_REGIONAL = "cross_regional", "Tværregional workshop"
        DEVELOPMENT_ROOM = "development_room", "Udviklingsrum-møde"
        THEME_MEETING = "theme_meeting", "Temamøde"
        WEBINAR = "webinar", "Webinar"
        CONFERENCE = "conference", "Konference"

    title = models.CharField("titel", max_length=200)
    slug = models.SlugField(
        "kortnavn (URL)", max_length=200, unique=True, validators=[validate_workshop_slug]
    )
    kind = models.CharField("type", max_length=30, choices=Kind.choices, db_index=True)
    summary = models.TextField(
        "kort resumé", max_length=600, help_text="En til tre sætninger, der vises i lister."
    )

    # Before: the invitation.
    starts_at = models.DateTimeField("starter", db_index=True)
    ends_at = models.DateTimeField("slutter", db_index=True)
    venue = models.CharField(
        "sted", max_length=255, blank=True, help_text="Adresse eller lokale; tom ved online."
    )
    online_url = models.URLField("link til online-deltagelse", blank=True)
    organiser = models.CharField("arrangør", max_length=255)
    audience = models.TextField("målgruppe", blank=True)
    purpose = models.TextField("formål")
    programme = models.TextField("program", blank=True, help_text="Ét punkt pr. linje.")
    capacity = models.PositiveIntegerField(
        "antal pladser",
        null=True,
        blank=True,
        help_text="Tom, når der ikke er tilmelding gennem portalen.",
    )
    registration_open = models.BooleanField("tilmelding åben", default=False)

    # After: the record.
    method_notes = models.TextField(
        "metode",
        blank=True,
        help_text="Fx „8 idéer på 8 minutter“. Afsnit adskilles af en tom linje.",
    )
    participant_count = models.PositiveIntegerField("antal deltagere", null=True, blank=True)
    regions = models.ManyToManyField(
        Region, verbose_name="regioner repræsenteret", related_name="workshops", blank=True
    )
    professional_groups = models.ManyToManyField(
        ProfessionalGroup,
        verbose_name="faggrupper repræsenteret",
        related_name="workshops",
        blank=True,
    )
    themes = TaggableManager(
        verbose_name="temaer",
        through=ThemedWorkshop,
        related_name="workshops",
        blank=True,
        help_text="Vælg et eller flere temaer.",
    )
    related_cases = models.ManyToManyField(
        Case, verbose_name="relaterede cases", related_name="workshops", blank=True
    )
    related_initiatives = models.ManyToManyField(
        Initiative, verbose_name="relaterede initiativer", related_name="workshops", blank=True
    )
    development_room = models.ForeignKey(
        DevelopmentRoom,
        verbose_name="udviklingsrum",
        on_delete=models.SET_NULL,
        related_name="meetings",
        null=True,
        blank=True,
        help_text="For møder i et udviklingsrum.",
    )

    # Bumped on every change people see; the iCalendar SEQUENCE, so subscribers' calendars
    # replace the event instead of keeping the old one.
    sequence = models.PositiveIntegerField("version", default=0, editable=False)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "title"]
        verbose_name = "workshop"
        verbose_name_plural = "workshops"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="workshop_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title

    # What a calendar event shows: a change to any of these bumps `sequence`.
    CALENDAR_FIELDS = (
        "title",
        "slug",
        "summary",
        "starts_at",
        "ends_at",
        "venue",
        "online_url",
        "organiser",
        "is_published",
    )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            before = type(self).objects.filter(pk=self.pk).values(*self.CALENDAR_FIELDS).first()
            if before and any(before[name] != getattr(self, name) for name in self.CALENDAR_FIELDS):
                self.sequence = models.F("sequence") + 1
                update_fields = kwargs.get("update_fields")
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "sequence"}
        super().save(*args, **kwargs)
        if isinstance(self.sequence, models.expressions.Combinable):
            self.refresh_from_db(fields=["sequence"])

    def get_absolute_url(self):
        return reverse("workshops:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "Workshoppen skal slutte efter, den er startet."})
        if self.registration_open and not self.capacity:
            raise ValidationError(
                {"capacity": "Skriv antallet af pladser, før tilmeldingen åbnes."}
            )

    @property
    def is_upcoming(self):
        return self.ends_at >= timezone.now()

    @property
    def takes_registrations(self):
        """Whether the registration form is offered now."""
        return bool(self.registration_open and self.capacity and self.is_upcoming)

    @staticmethod
    def _lines(text):
        return [line.strip(" -•\t") for line in (text or "").splitlines() if line.strip()]

    @property
    def programme_list(self):
        return self._lines(self.programme)

    @property
    def method_paragraphs(self):
        text = (self.method_notes or "").replace("\r\n", "\n")
        return [p.strip() for p in text.split("\n\n") if p.strip()]

    @property
    def record_sections(self):
        """The record's points by kind (in the order of `WorkshopPoint.Kind`), each kind
        by group label in the order the groups first appear: [{"kind", "label",
        "groups": [{"group", "points"}]}]. Uses `points.all()`, so prefetch it."""
        by_kind = {}
        for point in sorted(self.points.all(), key=lambda p: (p.position, p.pk)):
            groups = by_kind.setdefault(point.kind, {})
            groups.setdefault(point.group, []).append(point)
        return [
            {
                "kind": kind,
                "label": label,
                "groups": [
                    {"group": group, "points": points} for group, points in by_kind[kind].items()
                ],
            }
            for kind, label in WorkshopPoint.Kind.choices
            if kind in by_kind
        ]

    @property
    def seats_left(self):
        """Seats not yet confirmed to anyone (None without a capacity)."""
        if not self.capacity:
            return None
        confirmed = self.registrations.filter(status=Registration.Status.CONFIRMED).count()
        return max(self.capacity - confirmed, 0)


class WorkshopPoint(models.Model):
    """One point of a workshop's record: an outcome, a do, a don't, what helps, what
    hinders, an idea or an agreed goal, optionally from one group (leaders, staff, …)."""

    class Kind(models.TextChoices):
        OUTCOME = "outcome", "Resultat"
        DO = "do", "Gør sådan"
        DONT = "dont", "Undgå"
        HELPS = "helps", "Det hjælper"
        HINDERS = "hinders", "Det hæmmer"
        IDEA = "idea", "Idé"
        GOAL = "goal", "Aftalt mål"

    workshop = models.ForeignKey(
        Workshop, verbose_name="workshop", on_delete=models.CASCADE, related_name="points"
    )
    kind = models.CharField("slags", max_length=20, choices=Kind.choices)
    group = models.CharField(
        "gruppe",
        max_length=150,
        blank=True,
        help_text="Fx „Ledere“ eller „Tillidsvalgte“, når punktet kommer fra én gruppe.",
    )
    text = models.TextField("tekst", max_length=1000)
    position = models.PositiveSmallIntegerField("rækkefølge", default=0)

    class Meta:
        ordering = ["workshop", "kind", "position", "pk"]
        verbose_name = "punkt fra workshoppen"
        verbose_name_plural = "punkter fra workshoppen"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Registration(models.Model):
    """A participant's registration. Confirmed while seats are left, then waitlisted;
    allocation, cancellation and moving up happen in `workshops.registration` only."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Bekræftet"
        WAITLISTED = "waitlisted", "På venteliste"
        CANCELLED = "cancelled", "Afmeldt"

    workshop = models.ForeignKey(
        Workshop, verbose_name="workshop", on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField("navn", max_length=200)
    email = models.EmailField("e-mail")
    workplace = models.CharField("arbejdsplads", max_length=200)
    region = models.ForeignKey(
        Region,
        verbose_name="region",
        on_delete=models.SET_NULL,
        related_name="workshop_registrations",
        null=True,
        blank=True,
    )
    professional_group = models.ForeignKey(
        ProfessionalGroup,
        verbose_name="faggruppe",
        on_delete=models.SET_NULL,
        related_name="workshop_registrations",
        null=True,
        blank=True,
    )
    dietary_needs = models.CharField("hensyn til kost", max_length=300, blank=True)
    consents_to_participant_list = models.BooleanField(
        "må stå på deltagerlisten, der deles med de andre deltagere", default=False
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.WAITLISTED
    )
    attended = models.BooleanField("deltog", null=True, blank=True)
    created_at = models.DateTimeField("tilmeldt", default=timezone.now, editable=False)
    # From the form: the same form sent twice (a double click) is one registration.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    confirmed_at = models.DateTimeField("fik plads", null=True, blank=True)
    cancelled_at = models.DateTimeField("afmeldt", null=True, blank=True)

    class Meta:
        ordering = ["workshop", "created_at", "pk"]
        verbose_name = "tilmelding"
        verbose_name_plural = "tilmeldinger"
        constraints = [
            # One active registration per address and workshop; after a cancellation the
            # person may sign up again.
            models.UniqueConstraint(
                "workshop",
                Lower("email"),
                condition=~Q(status="cancelled"),
                name="one_active_registration_per_email",
                violation_error_message="Der er allerede en tilmelding med denne e-mailadresse.",
            )
        ]

    def __str__(self):
        return f"{self.name} – {self.workshop}"
