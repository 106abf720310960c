"""The case list's filters, as a facilitator uses them through the URL."""

import re

import pytest
from django.urls import reverse

from cases.models import Case

pytestmark = pytest.mark.django_db


def listed_titles(response):
    return [case.title for case in response.context["cases"]]


def get_list(client, query=""):
    return client.get(reverse("cases:list") + ("?" + query if query else ""))


def test_list_shows_published_cases_only(client, library, make_case):
    make_case("Hemmelig kladde", status=Case.Status.DRAFT)
    response = get_list(client)
    assert response.status_code == 200
    assert sorted(listed_titles(response)) == sorted(c.title for c in library["cases"].values())


def test_single_theme_filters_by_slug(client, library):
    response = get_list(client, "theme=ledelse")
    assert listed_titles(response) == ["Coachingkursus for daglige ledere"]


def test_several_themes_require_all_by_default(client, library):
    response = get_list(client, "theme=fuldtid&theme=arbejdsmiljo")
    assert listed_titles(response) == ["Fleksibel vagtplan på medicinsk afdeling"]


def test_match_any_widens_to_cases_with_any_of_the_themes(client, library):
    response = get_list(client, "theme=fuldtid&theme=ledelse&match=any")
    assert sorted(listed_titles(response)) == sorted(
        [
            "Fleksibel vagtplan på medicinsk afdeling",
            "Flyverkorps i hjemmeplejen",
            "Coachingkursus for daglige ledere",
        ]
    )


def test_region_filter(client, library):
    response = get_list(client, "region=hovedstaden")
    assert listed_titles(response) == ["Fleksibel vagtplan på medicinsk afdeling"]


def test_sector_filter(client, library):
    response = get_list(client, "sector=kommunal-aeldrepleje")
    assert sorted(listed_titles(response)) == [
        "Coachingkursus for daglige ledere",
        "Flyverkorps i hjemmeplejen",
    ]


def test_profession_filter_lists_each_case_once(client, library):
    response = get_list(client, "profession=ledere&profession=sygeplejersker")
    titles = listed_titles(response)
    assert len(titles) == len(set(titles)) == 3


def test_free_text_search(client, library):
    response = get_list(client, "q=vikarkorps")
    assert listed_titles(response) == ["Flyverkorps i hjemmeplejen"]


def test_filters_combine(client, library):
    response = get_list(client, "theme=arbejdsmiljo&region=nordjylland&profession=ledere")
    assert listed_titles(response) == ["Coachingkursus for daglige ledere"]
    response = get_list(client, "theme=fuldtid&sector=sygehus&q=vagtplan")
    assert listed_titles(response) == ["Fleksibel vagtplan på medicinsk afdeling"]


def test_unknown_slug_is_ignored_with_a_danish_message(client, library):
    response = get_list(client, "theme=ledelse&theme=findes-ikke&region=atlantis")
    assert response.status_code == 200
    assert listed_titles(response) == ["Coachingkursus for daglige ledere"]
    content = response.content.decode()
    assert "Tema „findes-ikke“ findes ikke" in content
    assert "Region „atlantis“ findes ikke" in content


@pytest.mark.parametrize(
    "query, notice",
    [
        ("sort=baglæns", "kendes ikke"),
        ("match=måske&theme=fuldtid", "kendes ikke"),
        ("page=abc", "Siden „abc“ findes ikke"),
        ("page=999", "Siden „999“ findes ikke"),
        ("q=" + "x" * 300, "Søg i cases"),
    ],
)
def test_malformed_parameters_give_a_normal_page_with_a_message(client, library, query, notice):
    response = get_list(client, query)
    assert response.status_code == 200
    assert notice in " ".join(response.context["notices"])
    assert "alert-warning" in response.content.decode()


def test_sorting_by_title_and_newest(client, library):
    response = get_list(client, "sort=title")
    assert listed_titles(response) == sorted(listed_titles(response))
    newest = Case.objects.published().order_by("-published_at", "-pk").first()
    assert listed_titles(get_list(client, "sort=newest"))[0] == newest.title


def test_pagination_keeps_the_filter_state(client, make_case, make_theme):
    theme = make_theme("Fastholdelse", slug="fastholdelse")
    for number in range(25):
        make_case(f"Fastholdelsescase {number:02d}", themes=[theme])
    make_case("Uden tema")
    first = get_list(client, "theme=fastholdelse&sort=title")
    assert len(first.context["cases"]) == 20
    assert first.context["paginator"].count == 25
    assert 'href="?theme=fastholdelse&amp;sort=title&amp;page=2"' in first.content.decode()
    second = get_list(client, "theme=fastholdelse&sort=title&page=2")
    assert listed_titles(second) == [f"Fastholdelsescase {n:02d}" for n in range(20, 25)]


def test_each_option_shows_how_many_cases_it_would_give(client, library):
    response = get_list(client, "region=nordjylland")
    facets = response.context["facets"]
    themes = {option["slug"]: option["count"] for option in facets["theme"]}
    assert themes == {"fuldtid": 1, "arbejdsmiljo": 1, "ledelse": 1}
    # Other regions count as if chosen instead (with the other filters kept).
    regions = {option["slug"]: option["count"] for option in facets["region"]}
    assert regions == {"hovedstaden": 1, "nordjylland": 2}
    html = response.content.decode()
    assert re.search(r"Region Hovedstaden <span class=\"filter-count\">\(1", html)


def test_active_filters_link_to_the_list_without_them(client, library):
    response = get_list(client, "theme=fuldtid&region=nordjylland")
    removals = {f["label"]: f["remove_query"] for f in response.context["filter"].active_filters()}
    assert removals["Tema: Fuldtid"] == "region=nordjylland"
    assert removals["Region: Region Nordjylland"] == "theme=fuldtid"


def test_empty_result_explains_what_to_do(client, library):
    response = get_list(client, "theme=ledelse&region=hovedstaden")
    assert listed_titles(response) == []
    assert "Ingen cases passer til dine valg" in response.content.decode()


def test_filter_state_survives_in_the_form(client, library):
    html = get_list(client, "theme=fuldtid&match=any&q=vagtplan").content.decode()
    assert 'value="fuldtid" id="f-theme-fuldtid" checked' in html
    assert 'id="f-match-any" checked' in html
    assert 'name="q" id="id_q" value="vagtplan"' in html


def test_counts_follow_every_change_to_the_library(client, library, make_case):
    """The facet index is kept per library version; a change must show at once."""
    flyvere = library["cases"]["flyvere"]
    first = get_list(client, "theme=fuldtid")
    assert first.context["paginator"].count == 2
    get_list(client, "theme=fuldtid")  # now cached

    flyvere.themes.remove(library["themes"]["fuldtid"])
    after_theme_change = get_list(client, "theme=fuldtid")
    assert after_theme_change.context["paginator"].count == 1
    facets = {o["slug"]: o["count"] for o in after_theme_change.context["facets"]["theme"]}
    assert facets["fuldtid"] == 1

    make_case("Endnu en fuldtidscase", themes=[library["themes"]["fuldtid"]])
    assert get_list(client, "theme=fuldtid").context["paginator"].count == 2

    library["cases"]["vagtplan"].status = Case.Status.DRAFT
    library["cases"]["vagtplan"].save()
    assert get_list(client, "theme=fuldtid").context["paginator"].count == 1

    library["cases"]["flyvere"].delete()
    # Four cases made, one a draft now, one deleted.
    assert get_list(client, "").context["paginator"].count == 2


@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql",
    reason="Dansk sortering bruger PostgreSQL's ICU-kollation",
)
def test_title_sort_follows_the_danish_alphabet(client, make_case):
    for title in ["Åben dialog", "Ærlig feedback", "Ødegårds model", "Arbejdstid", "Zoneterapi"]:
        make_case(title)
    titles = listed_titles(get_list(client, "sort=title"))
    assert titles == ["Arbejdstid", "Zoneterapi", "Ærlig feedback", "Ødegårds model", "Åben dialog"]


def test_cards_and_filter_options_follow_edits_at_once(client, library):
    """Case cards are cached per case and the filter options per process; an edit of a
    case or of the taxonomy must still show on the next page view."""
    vagtplan = library["cases"]["vagtplan"]
    fuldtid = library["themes"]["fuldtid"]
    page = get_list(client, "theme=fuldtid").content.decode()
    assert "Fleksibel vagtplan på medicinsk afdeling" in page

    vagtplan.title = "Vagtplan lagt i fællesskab"
    vagtplan.save()
    fuldtid.name = "Fuld tid for flere"
    fuldtid.save()
    vagtplan.region.name = "Hovedstadsregionen"
    vagtplan.region.save()

    page = get_list(client, "theme=fuldtid").content.decode()
    assert ">Vagtplan lagt i fællesskab</a></h2>" in page
    assert ">Fleksibel vagtplan på medicinsk afdeling</a></h2>" not in page
    # The theme's new name in the filter panel and on the card's theme tags.
    assert page.count("Fuld tid for flere") >= 3
    assert "Hovedstadsregionen" in page
