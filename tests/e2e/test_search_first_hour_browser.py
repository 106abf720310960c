"""A new facilitator searches the case library in a real browser (issue 14)."""

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def nurse_library(make_case):
    now = timezone.now()
    for days in range(1, 4):
        make_case(
            f"Vagtplanlægning på afdeling {days}",
            body="Sygeplejersker og læger planlægger vagterne sammen.",
            published_at=now - timezone.timedelta(days=days),
        )
    make_case(
        "Sygeplejersken planlægger astmaudredningen",
        body="Et forløb i ambulatoriet.",
        published_at=now - timezone.timedelta(days=30),
    )


def test_a_search_typed_into_the_list_comes_back_best_match_first(live_server, page, nurse_library):
    page.goto(live_server.url + "/cases/")
    page.get_by_role("searchbox", name="Søg i cases").fill("sygeplejersken")
    page.get_by_role("searchbox", name="Søg i cases").press("Enter")
    expect(page.get_by_label("Sortér efter")).to_have_value("")
    expect(page.locator("#id_sort option:checked")).to_have_text("Bedste match")
    if connection.vendor == "postgresql":
        first = page.locator(".case-list > li").first
        expect(first).to_contain_text("Sygeplejersken planlægger astmaudredningen")
    # A chosen order is kept.
    page.get_by_label("Sortér efter").select_option(label="Nyeste først")
    page.get_by_role("button", name="Sortér").click()
    expect(page.locator(".case-list > li").first).to_contain_text("Vagtplanlægning på afdeling 1")


@pytest.mark.parametrize("width", [1280, 390])
def test_no_results_says_what_to_do_and_passes_axe(
    live_server, page, nurse_library, axe_violations, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/cases/?q=xqzvkl")
    expect(
        page.get_by_role("status").filter(has_text="Ingen cases passer til søgningen")
    ).to_be_visible()
    page.screenshot(path=f"/tmp/search-no-results-{width}.png", full_page=True)
    assert axe_violations(page) == []
