"""The workshop list and the theme page run a fixed number of SQL queries, however many
workshops there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.filters import TaxonomyOptions

pytestmark = pytest.mark.django_db


@pytest.fixture
def populate(make_workshop, make_theme, make_region, make_development_room, make_case):
    themes = [make_theme() for _ in range(3)]
    regions = [make_region() for _ in range(2)]
    room = make_development_room()
    case = make_case(themes=themes[:1])

    def populate(count):
        for number in range(count):
            populate.last = make_workshop(
                days=(number % 5 + 1) * (1 if number % 2 else -1) * 10,
                themes=themes,
                regions=regions,
                cases=[case],
                development_room=room if number % 3 == 0 else None,
            )

    populate.theme = themes[0]
    populate.case = case
    populate.slugs = {"theme": themes[0].slug, "theme2": themes[1].slug, "region": regions[0].slug}
    return populate


def count_queries(client, url, shows=None):
    """The number of queries for `url`; `shows`: a text the page must contain (so a
    page that leaves the workshops out cannot pass)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    if shows:
        assert shows in response.content.decode()
    return len(captured)


# The library's version (1) + the index (3: workshops, theme links, region links) + the
# page (1) + its themes and regions (2). A new process, or a new version, also loads the
# taxonomy options shared with the case list (4).
LIST_QUERIES_KEPT = 1 + 3 + 1 + 2
LIST_QUERIES_NEW_PROCESS = LIST_QUERIES_KEPT + 4


@pytest.mark.parametrize(
    "query",
    ["", "?when=past", "?theme={theme}&theme={theme2}&region={region}", "?when=past&page=2"],
)
def test_workshop_list_query_count_is_fixed(client, populate, query):
    populate(4)
    url = reverse("workshops:list") + query.format(**populate.slugs)
    TaxonomyOptions.forget()
    small_new = count_queries(client, url)
    small = count_queries(client, url)
    populate(50)
    large = count_queries(client, url)
    TaxonomyOptions.forget()
    large_new = count_queries(client, url)
    assert small == large == LIST_QUERIES_KEPT
    assert small_new == large_new == LIST_QUERIES_NEW_PROCESS


def test_theme_page_with_workshops_query_count_is_fixed(client, populate):
    populate(4)
    url = populate.theme.get_absolute_url()
    small = count_queries(client, url, shows=populate.last.title)
    populate(40)
    large = count_queries(client, url, shows=populate.last.title)
    assert small == large


def test_case_page_with_workshops_query_count_is_fixed(client, populate):
    populate(2)
    url = populate.case.get_absolute_url()
    small = count_queries(client, url, shows=populate.last.title)
    populate(20)
    assert count_queries(client, url, shows=populate.last.title) == small


def test_development_room_page_query_count_is_fixed(
    client, make_development_room, make_room_meeting
):
    room = make_development_room(members=3)
    first = make_room_meeting(room)
    small = count_queries(client, room.get_absolute_url(), shows=first.title)
    for _ in range(5):
        last = make_room_meeting(room)
    assert count_queries(client, room.get_absolute_url(), shows=last.title) == small


def test_workshop_page_query_count_is_fixed(
    client, make_open_workshop, make_theme, make_region, make_case
):
    from workshops.models import WorkshopPoint

    def workshop_with(count):
        return make_open_workshop(
            themes=[make_theme() for _ in range(count)],
            regions=[make_region() for _ in range(count)],
            cases=[make_case() for _ in range(count)],
            points=[(WorkshopPoint.Kind.DO, f"Punkt {n}", f"Gruppe {n}") for n in range(count)],
        )

    small = workshop_with(1)
    large = workshop_with(12)
    assert count_queries(client, small.get_absolute_url(), shows="Punkt 0") == count_queries(
        client, large.get_absolute_url(), shows="Punkt 11"
    )
