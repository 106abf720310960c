"""The workshop list's filters: theme, region, kind and year, with counts, and odd
parameters answered with a Danish notice instead of an error."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from cases.filters import TaxonomyOptions
from workshops.models import Workshop

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")
LIST = reverse("workshops:list")


def in_days(days, hour=9):
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return start + datetime.timedelta(days=days)


@pytest.fixture
def calendar(make_workshop, make_theme, make_region):
    fuldtid = make_theme("Fuldtid", slug="fuldtid")
    ledelse = make_theme("Ledelse", slug="ledelse")
    make_theme("Uden workshops", slug="uden")
    midt = make_region("Region Midtjylland", slug="midtjylland")
    nord = make_region("Region Nordjylland", slug="nordjylland")
    make_workshop(
        "Fuldtid i Midt", days=10, themes=[fuldtid], regions=[midt], kind=Workshop.Kind.WEBINAR
    )
    make_workshop("Fuldtid og ledelse i Nord", days=20, themes=[fuldtid, ledelse], regions=[nord])
    make_workshop("Ledelse i begge", days=30, themes=[ledelse], regions=[midt, nord])
    make_workshop(
        "Tilbageblik 2024",
        starts_at=datetime.datetime(2024, 11, 20, 9, 0, tzinfo=CPH),
        ends_at=datetime.datetime(2024, 11, 20, 15, 0, tzinfo=CPH),
        themes=[fuldtid],
        regions=[midt],
    )
    make_workshop(
        "Tilbageblik 2023",
        starts_at=datetime.datetime(2023, 11, 20, 9, 0, tzinfo=CPH),
        ends_at=datetime.datetime(2023, 11, 20, 15, 0, tzinfo=CPH),
        themes=[ledelse],
        regions=[nord],
    )


def titles(response):
    return [workshop.title for workshop in response.context["workshops"]]


def facet(response, parameter):
    return {option["slug"]: option["count"] for option in response.context["facets"][parameter]}


def test_counts_for_every_option_of_the_upcoming_workshops(client, calendar):
    response = client.get(LIST)
    assert facet(response, "theme") == {"fuldtid": 2, "ledelse": 2}
    assert facet(response, "region") == {"midtjylland": 2, "nordjylland": 2}
    assert facet(response, "kind") == {"cross_regional": 2, "webinar": 1}
    assertContains(response, 'value="fuldtid" id="f-theme-fuldtid"')
    assertContains(response, 'Fuldtid <span class="filter-count">(2')
    # A theme no workshop has is not offered.
    assertNotContains(response, 'id="f-theme-uden"')


def test_a_new_theme_is_offered_on_every_server_at_once(
    client, calendar, make_theme, make_workshop
):
    """The options are kept per process; another server, which never ran the signal of
    the change, sees it on its next request because the library's version moved on."""
    client.get(LIST)
    options_on_another_server = TaxonomyOptions._current
    vagtplaner = make_theme("Vagtplaner", slug="vagtplaner")
    make_workshop("Vagtplaner i fællesskab", days=5, themes=[vagtplaner])
    TaxonomyOptions._current = options_on_another_server

    response = client.get(LIST)

    assert facet(response, "theme")["vagtplaner"] == 1
    assertContains(response, 'id="f-theme-vagtplaner"')


def test_filter_by_theme(client, calendar):
    response = client.get(LIST + "?theme=fuldtid")
    assert titles(response) == ["Fuldtid i Midt", "Fuldtid og ledelse i Nord"]
    # The other dimensions count within the chosen theme; the theme's own options
    # still show what choosing another one as well would give.
    assert facet(response, "region") == {"midtjylland": 1, "nordjylland": 1}
    assert facet(response, "theme") == {"fuldtid": 2, "ledelse": 2}
    assertContains(response, "Tema: Fuldtid")


def test_several_values_in_one_dimension_mean_any_of_them(client, calendar):
    response = client.get(LIST + "?region=midtjylland&region=nordjylland&kind=cross_regional")
    assert titles(response) == ["Fuldtid og ledelse i Nord", "Ledelse i begge"]


def test_filters_combine(client, calendar):
    response = client.get(LIST + "?theme=ledelse&region=midtjylland")
    assert titles(response) == ["Ledelse i begge"]
    assert facet(response, "kind") == {"cross_regional": 1}


def test_filter_by_kind(client, calendar):
    assert titles(client.get(LIST + "?kind=webinar")) == ["Fuldtid i Midt"]


def test_filter_past_workshops_by_year(client, calendar):
    response = client.get(LIST + "?when=past")
    assert titles(response) == ["Tilbageblik 2024", "Tilbageblik 2023"]
    assert facet(response, "year") == {"2024": 1, "2023": 1}
    response = client.get(LIST + "?when=past&year=2023")
    assert titles(response) == ["Tilbageblik 2023"]
    assert [s["count"] for s in response.context["sections"]] == [0, 1]


def test_section_counts_follow_the_filters(client, calendar):
    response = client.get(LIST + "?theme=fuldtid")
    assertContains(response, "Kommende (2)")
    assertContains(response, "Afholdte (1)")
    # The switch keeps the filters.
    assertContains(response, 'href="?when=past&amp;theme=fuldtid"')


def test_removing_an_active_filter_keeps_the_others(client, calendar):
    response = client.get(LIST + "?theme=fuldtid&region=nordjylland&when=past")
    removes = {f["label"]: f["remove_query"] for f in response.context["filter"].active_filters()}
    assert removes["Tema: Fuldtid"] == "when=past&region=nordjylland"
    assert removes["Region: Region Nordjylland"] == "when=past&theme=fuldtid"


@pytest.mark.parametrize(
    "query, notice",
    [
        ("?theme=findes-ikke", "Temaet „findes-ikke“ findes ikke"),
        ("?region=atlantis", "Regionen „atlantis“ findes ikke"),
        ("?kind=fest", "Typen „fest“ findes ikke"),
        ("?year=1999", "Der er ingen workshops fra året „1999“"),
        ("?year=%C2%B2", "Der er ingen workshops fra året „²“"),
        ("?when=snart", "Visningen „snart“ kendes ikke; kommende workshops er vist."),
        ("?page=99", "Siden „99“ findes ikke; viser side 1 af 1."),
        ("?page=x", "Siden „x“ findes ikke; viser side 1 af 1."),
        ("?theme=%00", "Temaet „\x00“ findes ikke"),
    ],
)
def test_odd_parameters_get_a_danish_notice(client, calendar, query, notice):
    response = client.get(LIST + query)
    assert response.status_code == 200
    assert notice in " ".join(response.context["notices"])


def test_unknown_value_keeps_the_known_ones(client, calendar):
    response = client.get(LIST + "?theme=findes-ikke&theme=ledelse")
    assert titles(response) == ["Fuldtid og ledelse i Nord", "Ledelse i begge"]


def test_no_match_says_so(client, calendar):
    response = client.get(LIST + "?theme=ledelse&kind=webinar")
    assertContains(response, "Ingen kommende workshops passer til dine valg.")


def test_unpublished_workshops_are_not_counted(client, calendar, make_workshop):
    make_workshop("Kladde", days=5, kind=Workshop.Kind.CONFERENCE, is_published=False)
    response = client.get(LIST)
    assert "conference" not in facet(response, "kind")
    assertContains(response, "Kommende (3)")
