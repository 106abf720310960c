"""Application rounds: a call for applications with an opening date and a deadline."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class ApplicationRoundQuerySet(models.QuerySet):
    def open(self, today=None):
        today = today or timezone.localdate()
        return self.filter(opens__lte=today, closes__gte=today)


class ApplicationRoundManager(models.Manager.from_queryset(ApplicationRoundQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class ApplicationRound(models.Model):
    """A round is open from `opens` up to and including the deadline day `closes`."""

    name = models.CharField("navn", max_length=200)
    slug = models.SlugField("kortnavn (URL)", max_length=200, unique=True)
    description = models.TextField("beskrivelse", blank=True)
    opens = models.DateField("åbner")
    closes = models.DateField("ansøgningsfrist", help_text="Sidste dag, hvor man kan indsende.")
    source = models.CharField("kilde", max_length=255, blank=True)

    objects = ApplicationRoundManager()

    class Meta:
        ordering = ["-closes", "name"]
        verbose_name = "ansøgningsrunde"
        verbose_name_plural = "ansøgningsrunder"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gte=models.F("opens")),
                name="round_closes_after_opening",
            )
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if self.opens and self.closes and self.closes < self.opens:
            raise ValidationError({"closes": "Fristen kan ikke ligge før åbningsdatoen."})

    def is_open(self, today=None):
        today = today or timezone.localdate()
        return self.opens <= today <= self.closes

    def has_closed(self, today=None):
        return (today or timezone.localdate()) > self.closes

    @property
    def description_paragraphs(self):
        text = self.description.replace("\r\n", "\n")
        return [p.strip() for p in text.split("\n\n") if p.strip()]
