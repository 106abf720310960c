"""A facilitator uses the case library in a real browser."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_library(make_case, make_theme, make_region, make_sector):
    fuldtid = make_theme("Fuldtid", slug="fuldtid", description="Flere på fuld tid.")
    ledelse = make_theme("Ledelse", slug="ledelse")
    region = make_region("Region Nordjylland", slug="nordjylland")
    sector = make_sector("Kommunal ældrepleje", slug="kommunal-aeldrepleje")
    make_case("Flyverkorps i hjemmeplejen", themes=[fuldtid], region=region, sector=sector)
    make_case("Coaching for ledere", themes=[ledelse], region=region, sector=sector)
    make_case("Fuldtid som norm", themes=[fuldtid, ledelse], region=region, sector=sector)


def test_facilitator_filters_by_theme_and_shares_the_url(live_server, page, browser_library):
    page.goto(live_server.url + "/cases/")
    expect(page.locator("#result-count")).to_contain_text("3 cases")
    page.get_by_label(re.compile(r"^Fuldtid \(2")).check()
    page.get_by_role("button", name="Vis resultater").click()
    expect(page.locator("#result-count")).to_contain_text("2 cases")
    assert "theme=fuldtid" in page.url
    shared = page.url
    page.goto(live_server.url + "/")
    page.goto(shared)
    expect(page.get_by_label(re.compile(r"^Fuldtid \("))).to_be_checked()
    expect(page.locator(".case-list")).to_contain_text("Flyverkorps i hjemmeplejen")
    expect(page.locator(".case-list")).not_to_contain_text("Coaching for ledere")


def test_search_from_the_home_page_finds_a_case_and_opens_it(live_server, page, browser_library):
    page.goto(live_server.url + "/")
    page.get_by_label(re.compile("Søg blandt")).fill("flyverkorps")
    page.get_by_role("button", name="Søg", exact=True).click()
    page.get_by_role("link", name="Flyverkorps i hjemmeplejen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flyverkorps i hjemmeplejen")
    expect(page.get_by_role("link", name="Fuldtid", exact=True)).to_be_visible()


def test_keyboard_user_reaches_the_content_through_the_skip_link(
    live_server, page, browser_library
):
    page.goto(live_server.url + "/cases/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Gå til sidens indhold")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


@pytest.mark.parametrize("path", ["/", "/cases/", "/temaer/", "/temaer/fuldtid/"])
def test_pages_have_no_wcag_aa_violations(live_server, page, browser_library, axe_violations, path):
    page.goto(live_server.url + path)
    assert axe_violations(page) == []


def test_case_detail_has_no_wcag_aa_violations(live_server, page, browser_library, axe_violations):
    page.goto(live_server.url + "/cases/fuldtid-som-norm/")
    assert axe_violations(page) == []


def test_case_list_fits_a_phone_without_sideways_scrolling(live_server, page, browser_library):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/cases/")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    # The long filter panel starts folded on a phone, so the results come first.
    expect(page.get_by_role("button", name="Vis resultater")).to_be_hidden()
    expect(page.get_by_role("link", name="Flyverkorps i hjemmeplejen")).to_be_visible()
    page.get_by_text("Filtrér", exact=True).click()
    expect(page.get_by_role("button", name="Vis resultater")).to_be_visible()
