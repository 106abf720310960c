"""The case library: good-practice cases from the regions and municipalities."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.db.models import Count
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from portal.models import ProfessionalGroup, Region, Sector, Theme, VersionCounter
from portal.validators import ReservedSlugValidator

# Paths under /cases/ that belong to the booklet, the folder, the feed, the open data,
# the embeddable list and the contributions, not to a case.
RESERVED_SLUGS = frozenset(
    {"hent", "mappe", "feed", "indlejr", "data", "del-en-erfaring", "mine-bidrag"}
)


# The name the first migration that used it refers to.
validate_case_slug = ReservedSlugValidator(RESERVED_SLUGS)


class ThemedCase(TaggedItemBase):
    """Through-model linking a case to a theme of the shared taxonomy."""

    content_object = models.ForeignKey("Case", on_delete=models.CASCADE, related_name="theme_links")
    tag = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="themed_cases")

    class Meta:
        verbose_name = "tema på case"
        verbose_name_plural = "temaer på cases"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_case_theme")
        ]


LIBRARY_COUNTER = "case-library"


def library_version():
    """A string that changes with every change to what the public case list shows.

    A counter in the database (portal.models.VersionCounter), bumped in the transaction
    of each change to a case, its themes, regions or groups, or the taxonomy
    (cases/signals.py); every server reads the same one. The facet index and the
    list's caches are keyed by it.
    """
    return VersionCounter.read(LIBRARY_COUNTER)


def library_changed():
    """Count a change to the case library, in the current transaction."""
    VersionCounter.bump(LIBRARY_COUNTER)


class CaseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Case.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_theme(self, theme):
        return self.published().filter(themes=theme)

    def contributions(self):
        """Cases proposed through "Del en erfaring", in any state."""
        return self.exclude(contribution_state="")

    def contributed_by(self, user):
        return self.contributions().filter(contributor=user)

    def update(self, **kwargs):
        # A write that sends no signals (cases/signals.py) is still a change of the library.
        updated = super().update(**kwargs)
        if updated:
            library_changed()
        return updated

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            library_changed()
        return created

    def count_by_theme(self):
        """{theme id: number of published cases carrying it}, in one query."""
        return dict(
            ThemedCase.objects.filter(content_object__in=self.published().values("pk"))
            .values_list("tag_id")
            .annotate(n=Count("content_object_id"))
            .order_by()
        )

    def with_list_relations(self):
        """What a list of cases shows, fetched in a fixed number of queries."""
        return self.select_related("region", "sector").prefetch_related(
            "themes", "professional_groups"
        )

    def in_title_order(self):
        """Title order with Æ, Ø, Å after Z (ICU's Danish collation, where PostgreSQL has
        it; see signals.note_danish_collation), then pk."""
        collation = getattr(connection, "danish_collation", None)
        if collation:
            return self.order_by(Collate("title", collation), "pk")
        return self.order_by("title", "pk")

    def for_listing(self):
        """What a case card shows (place, region, sector, lead, themes), nothing more."""
        return (
            self.select_related("region", "sector")
            .prefetch_related("themes")
            .defer("body", "key_learnings", "dos", "donts")
        )

    def related_to(self, case, limit=4):
        """The cases of this queryset sharing the most themes with `case`, as a list, each
        with `shared_themes` set; on a tie the newest first, then the later made (the case
        list's default order). Only published cases are ranked.

        Ranked on the theme links and the published cases' covering index alone, then only
        the chosen cases are fetched: grouping whole case rows by their theme links took
        40 ms at 10,000 cases, this about 4 ms. Uses `case`'s prefetched themes.
        """
        theme_ids = [theme.pk for theme in case.themes.all()]
        if not theme_ids:
            return []
        ranked = list(
            ThemedCase.objects.filter(
                tag_id__in=theme_ids,
                content_object__status=Case.Status.PUBLISHED,
                content_object__published_at__lte=timezone.now(),
            )
            .exclude(content_object_id=case.pk)
            .values_list("content_object_id", "content_object__published_at")
            .annotate(shared=Count("tag_id"))
            .order_by("-shared", "-content_object__published_at", "-content_object_id")[:limit]
        )
        found = self.in_bulk([pk for pk, _published, _shared in ranked])
        related = []
        for pk, _published, shared in ranked:
            if pk in found:
                found[pk].shared_themes = shared
                related.append(found[pk])
        return related


class CaseManager(models.Manager.from_queryset(CaseQuerySet)):
    def get_queryset(self):
        # The search vector is written by SQL and read only by PostgreSQL; loading it
        # would only make every query carry a large column.
        return super().get_queryset().defer("search_vector")

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class ContributionState(models.TextChoices):
    """Where a contribution is in its moderation. Visibility is `Case.status` alone."""

    SENT = "sent", "Venter på redaktionen"
    RETURNED = "returned", "Sendt retur"
    PUBLISHED = "published", "Offentliggjort"


class Case(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Kladde"
        PUBLISHED = "published", "Offentliggjort"

    ContributionState = ContributionState

    title = models.CharField("titel", max_length=200)
    slug = models.SlugField(
        "kortnavn (URL)", max_length=200, unique=True, validators=[validate_case_slug]
    )
    lead = models.TextField(
        "kort resumé", max_length=600, help_text="En til tre sætninger, der vises i lister."
    )
    body = models.TextField("beskrivelse", help_text="Brødtekst. Afsnit adskilles af en tom linje.")
    key_learnings = models.TextField(
        "centrale erfaringer", blank=True, help_text="Én erfaring pr. linje."
    )
    dos = models.TextField("gør sådan", blank=True, help_text="Ét råd pr. linje.")
    donts = models.TextField("undgå", blank=True, help_text="Ét råd pr. linje.")

    place = models.CharField(
        "sted", max_length=200, help_text="Hospital, afdeling, institution eller kommune."
    )
    region = models.ForeignKey(
        Region,
        verbose_name="region",
        on_delete=models.PROTECT,
        related_name="cases",
        null=True,
        blank=True,
        help_text="Tom, når casen er tværregional eller landsdækkende.",
    )
    other_regions = models.ManyToManyField(
        Region,
        verbose_name="også i regionerne",
        related_name="cases_also",
        blank=True,
        help_text="Andre regioner, som kilden knytter casen til; casen vises også der.",
    )
    sector = models.ForeignKey(
        Sector, verbose_name="sektor", on_delete=models.PROTECT, related_name="cases"
    )
    professional_groups = models.ManyToManyField(
        ProfessionalGroup, verbose_name="faggrupper", related_name="cases", blank=True
    )
    themes = TaggableManager(
        verbose_name="temaer",
        through=ThemedCase,
        related_name="cases",
        help_text="Vælg et eller flere temaer.",
    )

    source_title = models.CharField("kilde (publikation)", max_length=255)
    source_publisher = models.CharField("udgiver", max_length=255, blank=True)
    source_reference = models.CharField("case-nummer eller afsnit", max_length=255, blank=True)
    source_year = models.PositiveSmallIntegerField("udgivelsesår", null=True, blank=True)
    source_document = models.CharField(
        "kildedokument", max_length=255, blank=True, help_text="Filnavnet på kildeteksten."
    )

    contact_name = models.CharField("kontaktperson", max_length=200, blank=True)
    contact_email = models.EmailField("kontaktpersonens e-mail", blank=True)

    # A contribution ("Del en erfaring"): who sent it and where its moderation stands.
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="bidragyder",
        # Empty once the account is deleted; a published case stays.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_contributions",
    )
    contribution_state = models.CharField(
        "bidragets tilstand",
        max_length=20,
        choices=ContributionState.choices,
        blank=True,
        db_index=True,
        help_text="Tom for cases, som redaktionen selv har skrevet.",
    )
    moderation_message = models.TextField(
        "besked til bidragyderen",
        blank=True,
        help_text="Sendes med e-mailen, når bidraget sendes retur, og vises under „Mine bidrag“.",
    )
    credit_person = models.BooleanField(
        "kontaktpersonens navn må vises",
        default=False,
        help_text="Bidragyderen har sagt ja til, at navn og e-mail står på casen.",
    )
    consent_at = models.DateTimeField("samtykke til offentliggørelse", null=True, blank=True)
    contribution_token = models.UUIDField(
        "formular-id",
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Gør det sikkert at sende formularen to gange: det giver ét bidrag.",
    )

    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField("offentliggjort", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("oprettet", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("sidst ændret", default=timezone.now, editable=False)

    search_vector = SearchVectorField(null=True, editable=False)

    objects = CaseManager()

    class Meta:
        ordering = ["-published_at", "title"]
        verbose_name = "case"
        verbose_name_plural = "cases"
        indexes = [
            models.Index(fields=["status", "-published_at"], name="case_published_idx"),
            models.Index(fields=["title"], name="case_title_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.status == self.Status.PUBLISHED and self.contribution_state:
            # However it was published (the admin's form or a list action), a published
            # contribution says so on its contributor's page.
            self.contribution_state = ContributionState.PUBLISHED
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cases:detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    def publish(self):
        """Make the case public now: status published, published_at set if it had none.

        The one way the admin's actions and the moderation publish a case (see
        cases.contributions.publish for a contribution's record of who did it).
        """
        self.status = self.Status.PUBLISHED
        if self.published_at is None:
            self.published_at = timezone.now()
        self.save()

    @property
    def card_version(self):
        """What a case card shows besides the case's own fields, with `updated_at`: the
        key of its cached fragment (cases/includes/case_card.html). Uses the
        prefetched themes."""
        names = [self.region.name if self.region_id else "", self.sector.name]
        names += [f"{theme.slug}={theme.name}" for theme in self.themes.all()]
        return f"{self.updated_at.timestamp()}|{'|'.join(names)}"

    @staticmethod
    def _without_repeats(parts):
        """`parts` without one that an earlier part already says (a place "Region
        Hovedstaden (direktion)" makes the region "Region Hovedstaden" redundant)."""
        shown = []
        for part in parts:
            if not any(part.casefold() in earlier.casefold() for earlier in shown):
                shown.append(part)
        return shown

    @property
    def place_parts(self):
        """Place and region, for a line under a case's title."""
        region = self.region.name if self.region_id else "Tværregional"
        return self._without_repeats([self.place, region])

    @property
    def card_meta_parts(self):
        """Place, region and sector for the case card's meta line."""
        return self._without_repeats([*self.place_parts, self.sector.name])

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_contribution(self):
        return bool(self.contribution_state)

    @property
    def shows_contact(self):
        """A contribution names its contact person only if they agreed to it."""
        return bool(self.contact_name) and (not self.is_contribution or self.credit_person)

    @property
    def shared_by(self):
        """What "Delt af …" says on a published contribution: the person if they agreed,
        and the workplace."""
        if not self.is_contribution:
            return ""
        if self.credit_person and self.contact_name:
            return f"{self.contact_name}, {self.place}"
        return self.place

    @property
    def contribution_state_label(self):
        """The state as the contributor's page shows it; a published contribution that an
        editor has since taken down is not called published."""
        if self.contribution_state == ContributionState.PUBLISHED and not self.is_public:
            return "Ikke offentlig lige nu"
        return self.get_contribution_state_display()

    @staticmethod
    def _lines(text):
        return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]

    @property
    def key_learning_list(self):
        return self._lines(self.key_learnings)

    @property
    def do_list(self):
        return self._lines(self.dos)

    @property
    def dont_list(self):
        return self._lines(self.donts)

    @property
    def body_paragraphs(self):
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]

    @property
    def source_citation(self):
        parts = [self.source_title]
        if self.source_reference:
            parts.append(self.source_reference)
        if self.source_publisher:
            parts.append(self.source_publisher)
        if self.source_year:
            parts.append(str(self.source_year))
        return ", ".join(parts)


class Contribution(Case):
    """The moderation queue's view of the cases: only contributions, with their own admin
    rights (the Sekretariat moderates contributions without editing the whole library)."""

    class Meta:
        proxy = True
        verbose_name = "bidrag"
        verbose_name_plural = "bidrag til moderation"


class ContributionEvent(models.Model):
    """One step of a contribution's moderation: who did what, when, and the message."""

    class Action(models.TextChoices):
        SENT = "sent", "Sendt"
        RESENT = "resent", "Sendt igen"
        RETURNED = "returned", "Sendt retur"
        PUBLISHED = "published", "Offentliggjort"

    case = models.ForeignKey(
        Case, verbose_name="case", on_delete=models.CASCADE, related_name="contribution_events"
    )
    action = models.CharField("handling", max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="udført af",
        # Empty once the account is deleted: the record of the step stays.
        on_delete=models.SET_NULL,
        null=True,
        related_name="contribution_events",
    )
    at = models.DateTimeField("tidspunkt", default=timezone.now)
    message = models.TextField("besked", blank=True)
    email_error = models.CharField("fejl ved afsendelse", max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "skridt i moderationen"
        verbose_name_plural = "skridt i moderationen"

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%d.%m.%Y %H:%M}"


class SearchLexeme(models.Model):
    """Every lexeme that occurs in a case's search vector (PostgreSQL only).

    Free-text search looks query words up here by trigram similarity, so a typo
    ("kerneopgve") or a stem the Danish stemmer splits differently ("arbejdspladser"
    vs "arbejdsplads") still reaches the lexemes that the case vectors contain.

    The word is the primary key: the table is derived from the cases, so a backup
    loaded on top of rows the signals already made updates them instead of colliding.
    """

    word = models.CharField(max_length=200, primary_key=True)

    class Meta:
        verbose_name = "søgeord"
        verbose_name_plural = "søgeord"

    def __str__(self):
        return self.word
