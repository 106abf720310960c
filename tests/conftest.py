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


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}
TRANSACTIONAL_FIXTURES = {"transactional_db", "django_db_reset_sequences", "live_server"}


def _flushes_the_database(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that flush the database run after all the others.

    pytest-django orders them last, but pytest's own regrouping by parametrised
    fixtures runs after it: a test parametrised with a name that a browser fixture also
    uses (`page`) once pulled every browser test into the middle of the suite, where their
    flush removed the groups the data migrations create and hundreds of later tests failed.
    """
    items.sort(key=_flushes_the_database)


@pytest.fixture(autouse=True)
def empty_cache(request, django_db_blocker):
    """Each test starts with empty caches and nothing kept in memory by the case list.

    The per-process cache ("local") is cleared around every test. The shared one
    ("default", a table in the test database) is emptied after each test that used the
    database: a rollback does that for most, but a transactional test's flush leaves
    the cache table as it is.
    """
    from django.core.cache import caches

    from cases.facets import FacetIndex
    from cases.filters import TaxonomyOptions

    caches["local"].clear()
    FacetIndex.forget()
    TaxonomyOptions.forget()
    yield
    caches["local"].clear()
    FacetIndex.forget()
    TaxonomyOptions.forget()
    uses_database = request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(
        request.fixturenames
    )
    if uses_database:
        with django_db_blocker.unblock():
            caches["default"].clear()


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
