"""The case search as a new facilitator uses it (issue 14): the taxonomy's words, best match
first from the list's own search box, fuzzy matches below the word itself, compounds,
the cases that match most of the words, and suggestions when nothing matches."""

import re

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Dansk fuldtekstsøgning kræver PostgreSQL"
)


def list_page(client, **params):
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    return response


def titles(client, **params):
    return [case.title for case in list_page(client, **params).context["cases"]]


def search_box_submission(client, text):
    """What the browser sends when the user types `text` into the list's search box and
    presses Enter: every field of the form with its selected value, the sort select's too."""
    html = list_page(client).content.decode()
    select = re.search(r'<select[^>]*name="sort"[^>]*>(.*?)</select>', html, re.S).group(1)
    options = re.findall(r'<option value="([^"]*)"( selected)?', select)
    sort = next((value for value, selected in options if selected), options[0][0])
    return {"q": text, "sort": sort}


@pytest.fixture
def taxonomy_library(make_case, make_theme, make_region, make_sector, make_profession):
    retention = make_theme("Fastholdelse", slug="fastholdelse")
    elder_care = make_sector("Kommunal ældrepleje", slug="kommunal-aeldrepleje")
    hospital = make_sector("Sygehus", slug="sygehus")
    north = make_region("Region Nordjylland", slug="region-nordjylland")
    nurses = make_profession("Sygeplejersker", slug="sygeplejersker")
    return {
        "both": make_case(
            "Teammøder på et plejecenter",
            themes=[retention],
            sector=elder_care,
            body="Medarbejderne mødes hver uge.",
        ),
        "theme_only": make_case(
            "Samtaler med erfarne kolleger", themes=[retention], sector=hospital
        ),
        "north": make_case("Ny vagtplan", region=north, sector=hospital, body="Om vagter."),
        "nurses": make_case(
            "Opgaveflytning i ambulatoriet", professions=[nurses], body="Om opgaver."
        ),
        "unrelated": make_case("Kantinens menuplan", body="Mad og drikke."),
        "sector": elder_care,
        "profession": nurses,
    }


# -- the taxonomy's words ---------------------------------------------------------------


@postgres_only
def test_sector_region_and_profession_names_are_searchable(client, taxonomy_library):
    lib = taxonomy_library
    assert titles(client, q="fastholdelse ældrepleje")[0] == lib["both"].title
    assert titles(client, q="fastholdelse ældrepleje", sort="newest") == [lib["both"].title]
    assert titles(client, q="nordjylland") == [lib["north"].title]
    assert titles(client, q="sygeplejersker") == [lib["nurses"].title]
    assert lib["unrelated"].title not in titles(client, q="kommunal ældrepleje")


def test_taxonomy_names_are_searchable_on_any_database(client, taxonomy_library):
    lib = taxonomy_library
    assert titles(client, q="nordjylland") == [lib["north"].title]
    assert titles(client, q="sygeplejersker") == [lib["nurses"].title]
    assert lib["both"].title in titles(client, q="ældrepleje")


@postgres_only
def test_renaming_a_sector_or_a_group_changes_what_finds_its_cases(client, taxonomy_library):
    lib = taxonomy_library
    assert titles(client, q="plejehjem") == []
    lib["sector"].name = "Plejehjem og hjemmepleje"
    lib["sector"].save()
    assert titles(client, q="plejehjem") == [lib["both"].title]
    lib["profession"].name = "Jordemødre"
    lib["profession"].save()
    assert titles(client, q="jordemødre") == [lib["nurses"].title]


@postgres_only
def test_a_case_tied_to_two_regions_is_found_by_the_name_of_either(
    client, taxonomy_library, make_region
):
    zealand = make_region("Region Sjælland", slug="region-sjaelland")
    assert titles(client, q="sjælland") == []
    taxonomy_library["north"].other_regions.add(zealand)
    assert titles(client, q="sjælland") == [taxonomy_library["north"].title]
    zealand.name = "Region Sjælland og Øerne"
    zealand.save()
    assert titles(client, q="øerne") == [taxonomy_library["north"].title]


@postgres_only
def test_giving_a_case_a_professional_group_makes_it_findable_by_the_group(
    client, taxonomy_library, make_profession
):
    doctors = make_profession("Læger", slug="laeger")
    assert titles(client, q="læger") == []
    taxonomy_library["unrelated"].professional_groups.add(doctors)
    assert titles(client, q="læger") == [taxonomy_library["unrelated"].title]


# -- best match first ----------------------------------------------------------------


@pytest.fixture
def nurse_library(make_case):
    newest_first = []
    for days in range(1, 6):
        newest_first.append(
            make_case(
                f"Vagtplanlægning på afdeling {days}",
                body="Sygeplejersker og læger planlægger vagterne sammen. " * days,
                published_at=_days_ago(days),
            )
        )
    newest_first.append(
        make_case(
            "Fælles samtale med læge og sygeplejerske",
            lead="Sygeplejersker og læger taler med patienten.",
            body="Sygeplejersken og sygeplejerskerne forbereder samtalen. " * 3,
            published_at=_days_ago(6),
        )
    )
    titled = make_case(
        "Sygeplejersken planlægger astmaudredningen",
        body="Et forløb i ambulatoriet.",
        published_at=_days_ago(30),
    )
    return titled, newest_first


def _days_ago(days):
    from django.utils import timezone

    return timezone.now() - timezone.timedelta(days=days)


@postgres_only
def test_a_search_from_the_lists_search_box_comes_back_best_match_first(client, nurse_library):
    titled, _others = nurse_library
    found = titles(client, **search_box_submission(client, "sygeplejersken"))
    assert found[0] == titled.title


@postgres_only
def test_a_chosen_order_is_kept_for_a_search(client, nurse_library):
    titled, newest_first = nurse_library
    found = titles(client, q="sygeplejersken", sort="newest")
    assert found[0] == newest_first[0].title
    assert found[-1] == titled.title


@postgres_only
def test_a_title_with_the_query_word_ranks_first_even_when_older(client, nurse_library):
    titled, _others = nurse_library
    assert titles(client, q="sygeplejersken")[0] == titled.title


def test_without_a_search_the_sort_select_still_defaults_to_newest(client, make_case):
    make_case("Ældre", published_at=_days_ago(10))
    make_case("Nyere", published_at=_days_ago(1))
    submission = search_box_submission(client, "")
    assert titles(client, **submission)[:2] == ["Nyere", "Ældre"]


# -- ranking a facilitator trusts ------------------------------------------------------


@postgres_only
def test_a_fuzzy_match_counts_less_than_the_word_itself(client, make_case):
    make_case(
        "Mobning på en psykiatrisk arbejdsplads",
        lead="En arbejdsplads i forandring.",
        body="Arbejdspladsen, arbejdspladsens ledere og arbejdspladser i regionen. " * 3,
    )
    make_case("Travlhed i ambulatoriet", body="Et stigende arbejdspres blev løst.")
    assert titles(client, q="arbejdspres")[0] == "Travlhed i ambulatoriet"


@postgres_only
def test_a_long_word_forgives_a_swapped_pair_of_letters(client, make_case):
    make_case("Læringsvejledere i hjemmeplejen", body="Om elever i hjemmeplejen.")
    make_case("Kantinens menuplan", body="Mad og drikke.")
    assert titles(client, q="hjemmepelje") == ["Læringsvejledere i hjemmeplejen"]


@postgres_only
def test_a_short_word_is_not_matched_by_a_different_word(client, make_case):
    make_case("Mod og faglig dømmekraft", body="Om mod.")
    assert titles(client, q="mad") == []


@postgres_only
@pytest.mark.parametrize(
    "query, text",
    [
        ("voldsforebyggelse", "Alarmer og venteområder forebygger vold i akutmodtagelsen."),
        ("ledelsesopbakning", "Medarbejderne får ledelsesmæssig opbakning til nye idéer."),
    ],
)
def test_a_compound_query_word_finds_its_parts_written_apart(client, make_case, query, text):
    make_case("Casen med ordene hver for sig", body=text)
    make_case("Kantinens menuplan", body="Mad og drikke.")
    assert titles(client, q=query) == ["Casen med ordene hver for sig"]


@postgres_only
def test_a_noun_also_finds_its_verb(client, make_case):
    make_case("Vagterne lægges fast", body="Lederen planlægger vagterne med teamet.")
    make_case("Planlægning af vagter i ambulatoriet", body="Om vagter.")
    make_case("Kantinens menuplan", body="Mad og drikke.")
    found = titles(client, q="planlægning")
    assert found == ["Planlægning af vagter i ambulatoriet", "Vagterne lægges fast"]


@postgres_only
def test_when_few_cases_match_every_word_those_matching_most_follow(client, make_case):
    make_case("Onboarding af nyuddannede sygeplejersker", published_at=_days_ago(20))
    make_case("Mentorordning for nyuddannede", published_at=_days_ago(2))
    make_case("Kantinens menuplan", published_at=_days_ago(1))
    response = list_page(client, q="onboarding af nyuddannede")
    found = [case.title for case in response.context["cases"]]
    assert found == ["Onboarding af nyuddannede sygeplejersker", "Mentorordning for nyuddannede"]
    assert "1 case indeholder alle ordene" in response.content.decode()


@postgres_only
def test_partial_matches_are_not_added_when_enough_cases_match_every_word(client, make_case):
    for number in range(6):
        make_case(f"Onboarding af nyuddannede {number}")
    make_case("Mentorordning for nyuddannede")
    found = titles(client, q="onboarding nyuddannede")
    assert "Mentorordning for nyuddannede" not in found


# -- no results --------------------------------------------------------------------------


@postgres_only
def test_no_results_suggests_words_the_library_contains(client, make_case):
    make_case("Flyverkorps i hjemmeplejen", body="Et internt vikarkorps.")
    response = list_page(client, q="flyvrkrps")
    html = response.content.decode()
    assert response.context["cases"] == []
    assert "Mente du" in html
    assert "?q=flyverkorps" in html


def test_no_results_from_a_search_alone_speaks_of_the_search(client, make_case):
    make_case("Flyverkorps i hjemmeplejen")
    html = list_page(client, q="xyzzyqq").content.decode()
    assert "Ingen cases passer til søgningen „xyzzyqq“" in html
    assert "fjerne et filter" not in html


def test_no_results_with_filters_speaks_of_the_filters(client, make_case, make_region):
    make_case("Flyverkorps i hjemmeplejen")
    empty = make_region("Region Tom", slug="region-tom")
    html = list_page(client, q="flyverkorps", region=empty.slug).content.decode()
    assert "Ingen cases passer til søgningen og filtrene" in html
    assert "fjerne et filter" in html
