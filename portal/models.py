"""The shared taxonomy: themes (a django-taggit tag model) and reference data.

Cases, initiatives and workshops tag themselves with `Theme` through their own
through-models, so a theme page can gather all of them. This module knows none of
the apps that use it.
"""

from django.db import models
from django.urls import reverse
from taggit.models import TagBase


class SlugNaturalKeyManager(models.Manager):
    """Lets fixtures refer to reference data by slug instead of by database id."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugNaturalKeyMixin:
    def natural_key(self):
        return (self.slug,)


class ThemeGroup(SlugNaturalKeyMixin, models.Model):
    name = models.CharField("navn", max_length=150, unique=True)
    slug = models.SlugField("kortnavn", max_length=150, unique=True)
    description = models.TextField("beskrivelse", blank=True)
    source = models.CharField("kilde", max_length=255, blank=True)
    position = models.PositiveSmallIntegerField("rækkefølge", default=0)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "temagruppe"
        verbose_name_plural = "temagrupper"

    def __str__(self):
        return self.name


class Theme(SlugNaturalKeyMixin, TagBase):
    """A theme such as "fuldtid" or "Frisættende ledelse"; the portal's tag model."""

    description = models.TextField("beskrivelse", blank=True)
    group = models.ForeignKey(
        ThemeGroup,
        verbose_name="temagruppe",
        on_delete=models.PROTECT,
        related_name="themes",
    )
    position = models.PositiveSmallIntegerField("rækkefølge", default=0)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["group__position", "position", "name"]
        verbose_name = "tema"
        verbose_name_plural = "temaer"

    def get_absolute_url(self):
        return reverse("portal:theme_detail", kwargs={"slug": self.slug})


class ReferenceData(SlugNaturalKeyMixin, models.Model):
    name = models.CharField("navn", max_length=150, unique=True)
    slug = models.SlugField("kortnavn", max_length=150, unique=True)

    objects = SlugNaturalKeyManager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Region(ReferenceData):
    class Meta(ReferenceData.Meta):
        verbose_name = "region"
        verbose_name_plural = "regioner"


class Sector(ReferenceData):
    description = models.TextField("beskrivelse", blank=True)

    class Meta(ReferenceData.Meta):
        verbose_name = "sektor"
        verbose_name_plural = "sektorer"


class ProfessionalGroup(ReferenceData):
    class Meta(ReferenceData.Meta):
        verbose_name = "faggruppe"
        verbose_name_plural = "faggrupper"
