"""The shared taxonomy: themes (a django-taggit tag model) and reference data.

Cases, initiatives and workshops tag themselves with `Theme` through their own
through-models, so a theme page can gather all of them. This module knows none of
the apps that use it. `VersionCounter` counts changes that every server must see.
"""

import uuid

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.db.models.signals import pre_save
from django.dispatch import receiver
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


class VersionCounter(models.Model):
    """A number that goes up by one in the transaction of each change it counts.

    What more than one server must agree on ("has the case library changed?") is asked
    here instead of any server's clock: a change rolled back takes its bump with it.
    `series` is drawn anew when the row is made or loaded (`loaddata`, a restore), so a
    loaded database never repeats a version that a cache has seen for other content.
    """

    name = models.CharField("navn", max_length=50, primary_key=True)
    series = models.UUIDField("serie", default=uuid.uuid4)
    value = models.BigIntegerField("værdi", default=0)

    class Meta:
        verbose_name = "versionstæller"
        verbose_name_plural = "versionstællere"

    def __str__(self):
        return f"{self.name} {self.value}"

    @classmethod
    def bump(cls, name):
        """Count one change: `UPDATE … SET value = value + 1`, in the caller's transaction."""
        if cls.objects.filter(name=name).update(value=F("value") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(name=name, value=1)
        except IntegrityError:  # made meanwhile by another transaction
            cls.objects.filter(name=name).update(value=F("value") + 1)

    @classmethod
    def read(cls, name):
        """The version as a short string, "0" before the first change."""
        row = cls.objects.filter(name=name).values_list("series", "value").first()
        return "0" if row is None else f"{row[0].hex[:12]}.{row[1]}"


@receiver(pre_save, sender=VersionCounter)
def loaded_counter_starts_a_series(sender, instance, raw=False, **kwargs):
    if raw:
        instance.series = uuid.uuid4()
