"""The folder as a new user meets it: the page stays where they clicked, and emptying asks."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def many_cases(make_case, make_theme, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    theme = make_theme("Fastholdelse", slug="fastholdelse")
    return [
        make_case(f"Case nummer {number:02d} om fastholdelse", themes=[theme])
        for number in range(1, 15)
    ]


def in_viewport(page, locator):
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("width", [1280, 390])
def test_adding_and_removing_far_down_the_list_keeps_the_clicked_card_in_view(
    live_server, page, many_cases, width
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/cases/?sort=title")
    title = "Case nummer 12 om fastholdelse"
    add = page.get_by_role("button", name=re.compile(rf"Læg i min mappe\s*: {title}"))
    add.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 800
    add.click()
    remove = page.get_by_role("button", name=re.compile(rf"Fjern fra min mappe\s*: {title}"))
    expect(remove).to_be_visible()
    page.wait_for_load_state("load")
    assert page.evaluate("window.scrollY") > 800, "the page jumped to the top"
    assert in_viewport(page, page.get_by_role("heading", name=title))
    assert in_viewport(page, remove)
    # The card shows no template source around its button.
    expect(page.locator("article.case-card").first).not_to_contain_text("{#")
    page.screenshot(path=f"/tmp/folder-after-add-{width}.png")

    remove.click()
    add = page.get_by_role("button", name=re.compile(rf"Læg i min mappe\s*: {title}"))
    expect(add).to_be_visible()
    page.wait_for_load_state("load")
    assert page.evaluate("window.scrollY") > 800, "the page jumped to the top"
    assert in_viewport(page, page.get_by_role("heading", name=title))
    assert in_viewport(page, add)


def test_emptying_the_folder_asks_first(live_server, page, many_cases, axe_violations):
    page.goto(live_server.url + "/cases/?sort=title")
    page.get_by_role(
        "button", name=re.compile(r"Læg i min mappe\s*: Case nummer 01 om fastholdelse")
    ).click()
    page.goto(live_server.url + "/cases/mappe/")
    page.get_by_role("link", name="Tøm mappen").click()
    expect(page.get_by_role("heading", name="Tøm din inspirationsmappe?")).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/folder-clear-confirm.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 800})
    expect(page.get_by_role("button", name="Ja, tøm mappen")).to_be_in_viewport()
    page.screenshot(path="/tmp/folder-clear-confirm-390.png", full_page=True)
    page.get_by_role("link", name="Nej, behold mappen").click()
    expect(page.locator("ol.folder-list > li")).to_have_count(1)

    page.get_by_role("link", name="Tøm mappen").click()
    page.get_by_role("button", name="Ja, tøm mappen").click()
    expect(page.get_by_text("Din inspirationsmappe er tømt.")).to_be_visible()
    expect(page.locator("ol.folder-list > li")).to_have_count(0)
