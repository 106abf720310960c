"""Published initiatives: what a department is doing, shown to everyone."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from portal.models import ProfessionalGroup, Region, Theme


class ThemedInitiative(TaggedItemBase):
    """Through-model linking an initiative to a theme of the shared taxonomy."""

    content_object = models.ForeignKey(
        "Initiative", on_delete=models.CASCADE, related_name="theme_links"
    )
    tag = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="themed_initiatives")

    class Meta:
        verbose_name = "tema på initiativ"
        verbose_name_plural = "temaer på initiativer"
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="unique_initiative_theme"
            )
        ]


class InitiativeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_list_relations(self):
        """What a list of initiatives shows, fetched in a fixed number of queries."""
        return self.select_related("region").prefetch_related("themes")

    def for_theme(self, theme):
        """Published initiatives tagged with `theme`, ready for a theme page's list."""
        return self.published().filter(themes=theme).with_list_relations()


class InitiativeManager(models.Manager.from_queryset(InitiativeQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Initiative(models.Model):
    class Phase(models.TextChoices):
        IDEA = "idea", "Idé"
        PLANNING = "planning", "Planlægning"
        RUNNING = "running", "I gang"
        FINISHED = "finished", "Afsluttet"

    title = models.CharField("titel", max_length=200)
    slug = models.SlugField("kortnavn (URL)", max_length=200, unique=True)
    summary = models.TextField(
        "kort resumé", max_length=600, help_text="En til tre sætninger, der vises i lister."
    )
    description = models.TextField("beskrivelse", help_text="Afsnit adskilles af en tom linje.")
    institution = models.CharField("sygehus eller institution", max_length=200)
    department = models.CharField("afdeling", max_length=200, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name="region",
        on_delete=models.PROTECT,
        related_name="initiatives",
        null=True,
        blank=True,
        help_text="Tom, hvis initiativet går på tværs af regionerne.",
    )
    phase = models.CharField("fase", max_length=20, choices=Phase.choices, default=Phase.IDEA)
    professional_groups = models.ManyToManyField(
        ProfessionalGroup,
        verbose_name="faggrupper",
        related_name="initiatives",
        blank=True,
    )
    themes = TaggableManager(
        verbose_name="temaer",
        through=ThemedInitiative,
        related_name="initiatives",
        blank=True,
        help_text="Vælg et eller flere temaer.",
    )
    contact_name = models.CharField("kontaktperson", max_length=200, blank=True)
    contact_email = models.EmailField("kontaktpersonens e-mail", blank=True)
    source = models.CharField(
        "kilde",
        max_length=255,
        blank=True,
        help_text="Hvor oplysningerne kommer fra, fx et kildedokument eller en ansøgning.",
    )
    is_published = models.BooleanField("offentliggjort", default=False, db_index=True)
    created_at = models.DateTimeField("oprettet", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("sidst ændret", auto_now=True)

    objects = InitiativeManager()

    class Meta:
        ordering = ["title"]
        verbose_name = "initiativ"
        verbose_name_plural = "initiativer"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("initiatives:initiative_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def workplace(self):
        return ", ".join(part for part in (self.institution, self.department) if part)

    @property
    def region_display(self):
        return self.region.name if self.region else "På tværs af regionerne"

    @property
    def description_paragraphs(self):
        text = self.description.replace("\r\n", "\n")
        return [p.strip() for p in text.split("\n\n") if p.strip()]
