"""Every list page runs a fixed number of SQL queries, however many rows it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.facets import FacetIndex
from cases.filters import TaxonomyOptions

pytestmark = pytest.mark.django_db


@pytest.fixture
def populate(make_case, make_theme, make_profession, make_region, make_sector):
    themes = [make_theme() for _ in range(3)]
    professions = [make_profession() for _ in range(2)]
    region, sector = make_region(), make_sector()

    def populate(count):
        for _ in range(count):
            make_case(themes=themes, professions=professions, region=region, sector=sector)

    populate.theme = themes[0]
    populate.slugs = {
        "theme": themes[0].slug,
        "theme2": themes[1].slug,
        "region": region.slug,
        "sector": sector.slug,
        "profession": professions[0].slug,
    }
    return populate


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def count_queries_in_a_new_process(client, url):
    """As the first request a web worker serves: nothing kept in memory yet."""
    FacetIndex.forget()
    TaxonomyOptions.forget()
    return count_queries(client, url)


# The library's version (1, a primary-key look-up on every request), the page (1) and its
# themes (1). A new process, and any process after a change to the library, also loads the
# taxonomy options (4) and the facet index (5: cases, title order, themes, professional
# groups, further regions). A new search adds the set of cases it matches (1) and its lexeme
# look-up on PostgreSQL (2), and when fewer than five cases match every word, the cases
# matching most of them (1, PostgreSQL); a search already made, nothing.
CASE_LIST_QUERIES_KEPT = 3
CASE_LIST_QUERIES = CASE_LIST_QUERIES_KEPT + 4 + 5
ON_POSTGRESQL = connection.vendor == "postgresql"
SEARCH_QUERIES = 1 + (2 if ON_POSTGRESQL else 0)
PARTIAL_MATCH_QUERIES = 1 if ON_POSTGRESQL else 0


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?theme={theme}&theme={theme2}&region={region}&sort=title",
        "?profession={profession}&sector={sector}&theme={theme}&match=any&page=2",
    ],
)
def test_case_list_query_count_is_fixed(client, populate, query):
    populate(3)
    url = reverse("cases:list") + query.format(**populate.slugs)
    small = count_queries_in_a_new_process(client, url)
    small_kept = count_queries(client, url)
    populate(40)
    large_after_change = count_queries(client, url)
    large = count_queries_in_a_new_process(client, url)
    large_kept = count_queries(client, url)
    assert small == large == large_after_change == CASE_LIST_QUERIES
    assert small_kept == large_kept == CASE_LIST_QUERIES_KEPT


def test_case_list_search_query_count_is_fixed(client, populate):
    populate(3)
    small = count_queries_in_a_new_process(client, reverse("cases:list") + "?q=case")
    populate(40)
    large = count_queries_in_a_new_process(client, reverse("cases:list") + "?q=case")
    again = count_queries(client, reverse("cases:list") + "?q=case&sort=title&page=2")
    assert small == large == CASE_LIST_QUERIES + SEARCH_QUERIES
    assert again == CASE_LIST_QUERIES_KEPT


def test_case_list_partial_match_search_query_count_is_fixed(client, populate, make_case):
    """Fewer than five cases match both words: the cases matching one of them follow."""
    make_case("Enestående case", body="Et enestående forløb.")
    url = reverse("cases:list") + "?q=enestående+case"
    populate(3)
    small = count_queries_in_a_new_process(client, url)
    response = client.get(url)
    populate(40)
    large = count_queries_in_a_new_process(client, url)
    assert small == large == CASE_LIST_QUERIES + SEARCH_QUERIES + PARTIAL_MATCH_QUERIES
    if ON_POSTGRESQL:
        assert "1 case indeholder alle ordene" in response.content.decode()


@pytest.mark.parametrize("url_name, expected", [("portal:home", 6), ("portal:theme_list", 3)])
def test_portal_list_pages_query_count_is_fixed(client, populate, url_name, expected):
    populate(2)
    small = count_queries(client, reverse(url_name))
    populate(30)
    large = count_queries(client, reverse(url_name))
    assert small == large == expected


def test_theme_page_query_count_is_fixed(client, populate):
    populate(2)
    url = populate.theme.get_absolute_url()
    small = count_queries(client, url)
    populate(30)
    assert count_queries(client, url) == small
