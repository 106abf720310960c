"""The demo content in fixtures/ loads and holds what the seed documents promise."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from cases.models import Case
from portal.models import Region, Theme

FIXTURES = sorted(str(p) for p in (Path(__file__).parents[2] / "fixtures").glob("0[1-4]*.json"))
PLACEHOLDERS = ("lorem", "ipsum", "todo", "tbd", "xxx", "placeholder")

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    call_command("loaddata", *FIXTURES, verbosity=0)


def test_all_sixteen_numbered_cases_of_the_retention_report_are_there(loaded):
    cases = Case.objects.published().filter(source_document="004_00e7cbbc3530e1ac.txt")
    numbers = sorted(int(c.source_reference.split(",")[0].split()[1]) for c in cases)
    assert numbers == list(range(1, 17))
    assert cases.get(source_reference__startswith="Case 10,").title.startswith("Flyverkorps")


def test_every_recommendation_of_the_working_environment_booklet_has_examples(loaded):
    recommendations = Theme.objects.filter(group__slug="arbejdstilsynets-anbefalinger")
    assert recommendations.count() == 11
    for theme in recommendations:
        examples = Case.objects.for_theme(theme).filter(source_document__startswith="002_")
        assert examples.exists(), theme.name
    assert Case.objects.filter(source_document__startswith="002_").count() >= 50


def test_the_report_on_professionalism_contributes_its_examples(loaded):
    titles = list(
        Case.objects.filter(source_document__startswith="001_").values_list("title", flat=True)
    )
    assert any("Vælg klogt" in title for title in titles)
    assert any("Selvorganiserende" in title for title in titles)


def test_core_themes_and_seed_vocabularies_exist_with_descriptions(loaded):
    for slug in ["kerneopgave", "frisaettelse", "fuldtid", "fastholdelse", "arbejdsmiljo"]:
        assert Theme.objects.filter(slug=slug).exists(), slug
    groups = {t.group.slug for t in Theme.objects.select_related("group")}
    assert {
        "fem-tilgange",
        "seks-workshoptemaer",
        "fastholdelse-i-aeldreplejen",
        "arbejdstilsynets-anbefalinger",
    } <= groups
    assert not Theme.objects.filter(description="").exists()
    assert Region.objects.count() == 5


def test_every_case_is_traced_to_its_source_and_themed(loaded):
    for case in Case.objects.prefetch_related("themes"):
        assert case.source_title and case.source_document, case.slug
        assert case.themes.count() >= 2, case.slug
        assert len(case.body) > 80, case.slug


def test_no_placeholder_text_in_the_fixtures():
    for path in FIXTURES:
        for item in json.loads(Path(path).read_text(encoding="utf-8")):
            for value in item["fields"].values():
                if isinstance(value, str):
                    words = set(value.lower().split())
                    assert not words & set(PLACEHOLDERS), (path, value[:80])


def test_loading_twice_does_not_duplicate(loaded):
    count = Case.objects.count()
    call_command("loaddata", *FIXTURES, verbosity=0)
    assert Case.objects.count() == count
