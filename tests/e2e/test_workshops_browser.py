"""Workshop pages in a real browser: accessible (axe-core, WCAG 2.1 A/AA), filterable, and
printable without the navigation."""

import re

import pytest
from playwright.sync_api import expect

from tests.workshops.conftest import (  # noqa: F401 (fixtures)
    make_development_room,
    make_initiative,
    make_open_workshop,
    make_room_meeting,
    make_workshop,
)
from workshops.models import WorkshopPoint

pytestmark = pytest.mark.django_db(transaction=True)
Kind = WorkshopPoint.Kind


@pytest.fixture
def workshops(request, make_theme, make_region, make_profession, make_case):
    """Published workshops past and upcoming, one an example taking registrations, and an
    udviklingsrum with two meetings (factories from tests/workshops/conftest.py)."""
    new_workshop = request.getfixturevalue("make_workshop")
    new_open_workshop = request.getfixturevalue("make_open_workshop")
    new_room = request.getfixturevalue("make_development_room")
    new_meeting = request.getfixturevalue("make_room_meeting")
    fuldtid = make_theme("Fuldtid", slug="fuldtid")
    ledelse = make_theme("Ledelse", slug="ledelse")
    midt = make_region("Region Midtjylland", slug="midtjylland")
    case = make_case("Flyverkorps i hjemmeplejen", themes=[fuldtid])
    past = new_workshop(
        "Faglighed og frisættelse",
        slug="faglighed-og-frisaettelse",
        days=-60,
        themes=[fuldtid, ledelse],
        regions=[midt],
        professions=[make_profession("Sygeplejersker")],
        cases=[case],
        programme="Velkomst\nGruppearbejde",
        method_notes="8 idéer på 8 minutter.",
        participant_count=40,
        online_url="https://møde.example.dk/faglighed",
        source="Referat (seed 001)",
        points=[
            (Kind.DO, "Spørg medarbejderne først", "Ledere"),
            (Kind.DONT, "Indfør ikke nye skemaer", "Tillidsvalgte"),
            (Kind.HELPS, "Tid til refleksion"),
            (Kind.GOAL, "En banke-banke-på-dag i 2026"),
        ],
    )
    upcoming = new_open_workshop(
        "Opfølgning på målene for 2026",
        slug="opfoelgning-2026",
        days=30,
        themes=[fuldtid],
        is_example=True,
    )
    new_workshop("Webinar om ledelse", days=45, themes=[ledelse], kind="webinar")
    room = new_room("Udviklingsrum om opgaver efter kompetencer", slug="rum")
    new_meeting(room, "Første møde i rummet", days=-10)
    new_meeting(room, "Andet møde i rummet", days=50)
    return {"past": past, "upcoming": upcoming, "room": room}


PAGES = [
    "/workshops/",
    "/workshops/?when=past",
    "/workshops/?theme=fuldtid&theme=ledelse&kind=webinar",
    "/workshops/faglighed-og-frisaettelse/",
    "/workshops/opfoelgning-2026/",
    "/workshops/udviklingsrum/rum/",
    "/temaer/fuldtid/",
    "/cases/flyverkorps-i-hjemmeplejen/",
]


@pytest.mark.parametrize("path", PAGES)
def test_workshop_pages_have_no_wcag_aa_violations(
    live_server, page, workshops, axe_violations, path
):
    page.goto(live_server.url + path)
    assert axe_violations(page) == []


def test_someone_finds_a_past_workshop_by_theme_and_reads_its_record(live_server, page, workshops):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Workshops").click()
    expect(page.locator("#result-count")).to_contain_text("Kommende: 3 workshops")
    page.get_by_role("link", name=re.compile(r"^Afholdte \(")).click()
    page.get_by_label(re.compile(r"^Ledelse \(1")).check()
    page.get_by_role("button", name="Vis resultater").click()
    assert "when=past" in page.url and "theme=ledelse" in page.url
    page.get_by_role("link", name="Faglighed og frisættelse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Faglighed og frisættelse")
    expect(page.get_by_role("heading", name="Gør sådan")).to_be_visible()
    expect(page.get_by_text("Spørg medarbejderne først")).to_be_visible()


def test_example_workshop_says_so_and_offers_registration(live_server, page, workshops):
    page.goto(live_server.url + workshops["upcoming"].get_absolute_url())
    expect(page.get_by_role("note")).to_contain_text("er et eksempel")
    expect(page.get_by_role("link", name="Tilmeld dig")).to_be_visible()


def test_printed_workshop_has_no_navigation_and_shows_link_addresses(live_server, page, workshops):
    page.goto(live_server.url + workshops["past"].get_absolute_url())
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Hovedmenu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Brødkrumme")).to_be_hidden()
    online = page.locator(".workshop-detail a[href^='https://']").first
    after = online.evaluate("a => getComputedStyle(a, '::after').content")
    assert "https://" in after
    case = page.get_by_role("link", name="Flyverkorps i hjemmeplejen")
    after = case.evaluate("a => getComputedStyle(a, '::after').content")
    assert f"{live_server.url}/cases/flyverkorps-i-hjemmeplejen/" in after
    page.emulate_media(media="screen")
    expect(page.get_by_role("navigation", name="Hovedmenu")).to_be_visible()


def test_workshop_list_fits_a_phone(live_server, page, workshops):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/workshops/")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
