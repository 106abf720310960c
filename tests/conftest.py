"""Shared test helpers: factories for the taxonomy and cases.

App-specific factories live in tests/<app>/conftest.py.
"""

import itertools

import pytest
from django.utils import timezone
from django.utils.text import slugify

from cases.models import Case
from portal.models import ProfessionalGroup, Region, Sector, Theme, ThemeGroup

_sequence = itertools.count(1)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache and nothing kept in memory by the case list."""
    from django.core.cache import cache

    from cases.facets import FacetIndex
    from cases.filters import TaxonomyOptions

    cache.clear()
    FacetIndex.forget()
    TaxonomyOptions.forget()
    yield
    cache.clear()
    FacetIndex.forget()
    TaxonomyOptions.forget()


def _unique(prefix):
    return f"{prefix} {next(_sequence)}"


@pytest.fixture
def make_theme(db):
    def make(name=None, group=None, description="", **kwargs):
        name = name or _unique("Tema")
        if group is None:
            group, _ = ThemeGroup.objects.get_or_create(
                slug="testgruppe", defaults={"name": "Testgruppe"}
            )
        return Theme.objects.create(
            name=name,
            slug=kwargs.pop("slug", slugify(name)),
            group=group,
            description=description or f"Beskrivelse af {name}.",
            **kwargs,
        )

    return make


def _reference_factory(model, prefix):
    """A factory for slugged reference data (regions, sectors, professional groups)."""

    def make(name=None, slug=None):
        name = name or _unique(prefix)
        return model.objects.create(name=name, slug=slug or slugify(name))

    return make


@pytest.fixture
def make_region(db):
    return _reference_factory(Region, "Region")


@pytest.fixture
def make_sector(db):
    return _reference_factory(Sector, "Sektor")


@pytest.fixture
def make_profession(db):
    return _reference_factory(ProfessionalGroup, "Faggruppe")


@pytest.fixture
def make_case(db, make_region, make_sector):
    """Create a published case; pass themes/professions as lists of objects."""

    def make(title=None, themes=(), professions=(), region=None, sector=None, **fields):
        title = title or _unique("Case")
        fields.setdefault("slug", slugify(title))
        fields.setdefault("lead", f"Kort resumé af {title}.")
        fields.setdefault("body", f"Første afsnit om {title}.\n\nAndet afsnit.")
        fields.setdefault("place", "Testhospitalet, medicinsk afdeling")
        fields.setdefault("source_title", "Testkilde")
        fields.setdefault("status", Case.Status.PUBLISHED)
        fields.setdefault("published_at", timezone.now() - timezone.timedelta(days=1))
        case = Case.objects.create(
            title=title,
            region=region or make_region(),
            sector=sector or make_sector(),
            **fields,
        )
        if themes:
            case.themes.set(list(themes))
        if professions:
            case.professional_groups.set(list(professions))
        return case

    return make
