"""A new user's first look at the home page and the case list, on the demo content (issue 14)."""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = sorted(str(p) for p in (Path(__file__).parents[2] / "fixtures").glob("0[1-4]*.json"))


@pytest.fixture
def demo_library(db):
    call_command("loaddata", *FIXTURES, verbosity=0)


def test_search_and_the_newest_cases_are_in_the_first_viewport_at_1280(
    live_server, page, demo_library, axe_violations, tmp_path
):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(live_server.url + "/")
    search = page.get_by_label("Søg blandt")
    first_card = page.locator("#newest-heading ~ .case-list .case-card").first
    for element in (search, first_card.locator(".case-card__title")):
        box = element.bounding_box()
        assert box and box["y"] + box["height"] <= 720, box
    groups = page.locator(".theme-group-card")
    expect(groups).to_have_count(5)
    for i in range(5):
        group = groups.nth(i)
        assert 1 <= group.locator(".theme-group-card__themes a").count() <= 4
        expect(group.get_by_role("link", name="Alle")).to_be_visible()
    page.screenshot(path=tmp_path / "home-1280.png", full_page=True)
    assert axe_violations(page) == []


def test_the_home_page_fits_a_phone(live_server, page, demo_library, axe_violations, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.get_by_label("Søg blandt").bounding_box()
    assert box and box["y"] + box["height"] <= 844
    page.screenshot(path=tmp_path / "home-390.png", full_page=True)
    assert axe_violations(page) == []


def test_a_theme_group_card_leads_to_all_its_themes(live_server, page, demo_library):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(live_server.url + "/")
    card = page.locator(".theme-group-card", has_text="Arbejdstilsynets anbefalinger")
    card.get_by_role("link", name="Alle").click()
    expect(page.get_by_role("heading", name="Arbejdstilsynets anbefalinger")).to_be_in_viewport()


def test_the_case_list_shows_the_page_count_and_numbered_pages_on_a_desktop(
    live_server, page, demo_library, axe_violations, tmp_path
):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(live_server.url + "/cases/?theme=arbejdsmiljo")
    pagination = page.get_by_role("navigation", name="Sideskift")
    expect(pagination.get_by_text("Side 1 af 4")).to_be_visible()
    for number in (1, 2, 3, 4):
        expect(pagination.get_by_role("link", name=f"Side {number}", exact=True)).to_be_visible()
    current = pagination.get_by_role("link", name="Side 1", exact=True)
    expect(current).to_have_attribute("aria-current", "page")
    pagination.get_by_role("link", name="Side 3", exact=True).click()
    assert "theme=arbejdsmiljo" in page.url and "page=3" in page.url
    expect(pagination.get_by_text("Side 3 af 4")).to_be_visible()
    expect(pagination.get_by_role("link", name="Forrige side")).to_be_visible()
    pagination.scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "pagination-1280.png")
    assert axe_violations(page) == []


def test_a_phone_gets_the_page_count_and_previous_and_next(
    live_server, page, demo_library, tmp_path
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/cases/?page=2")
    pagination = page.get_by_role("navigation", name="Sideskift")
    expect(pagination.get_by_text("Side 2 af 4")).to_be_visible()
    expect(pagination.get_by_role("link", name="Forrige side")).to_be_visible()
    expect(pagination.get_by_role("link", name="Næste side")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    pagination.scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "pagination-390.png")
