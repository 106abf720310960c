"""A facilitator collects cases in "Min inspirationsmappe" and downloads the booklet."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cases_to_collect(make_case, make_theme, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    theme = make_theme("Fastholdelse", slug="fastholdelse", description="At blive i faget.")
    make_case("Læringsvejledere i hjemmeplejen", themes=[theme])
    make_case("Introduktionsprogram for nye kolleger", themes=[theme])
    make_case("Seniorsamtaler om livsfaser", themes=[theme])


def test_facilitator_collects_orders_titles_and_downloads_a_booklet(
    live_server, page, cases_to_collect, axe_violations
):
    page.goto(live_server.url + "/cases/?sort=title")
    for title in ["Seniorsamtaler om livsfaser", "Introduktionsprogram for nye kolleger"]:
        page.get_by_role("button", name=re.compile(rf"Læg i min mappe\s*: {title}")).click()
        # Each toggle is a plain form post; wait for the page to come back.
        expect(
            page.get_by_role("button", name=re.compile(rf"Fjern fra min mappe\s*: {title}"))
        ).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile(r"Min inspirationsmappe \(2\)"))
    ).to_be_visible()

    page.get_by_role("link", name=re.compile(r"Min inspirationsmappe \(2\)")).click()
    items = page.locator("ol.folder-list > li")
    expect(items.first).to_contain_text("Seniorsamtaler om livsfaser")
    page.get_by_role("button", name=re.compile(r"Flyt ned\s*: Seniorsamtaler om livsfaser")).click()
    expect(items.first).to_contain_text("Introduktionsprogram for nye kolleger")
    assert axe_violations(page) == []

    page.get_by_role("textbox", name="Titel").fill("Fastholdelse på afdelingsmødet")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Gem og hent som PDF").click()
    pdf = PdfReader(Path(download_info.value.path()))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert pdf.metadata.title == "Fastholdelse på afdelingsmødet"
    assert text.index("Introduktionsprogram for nye kolleger") < text.index(
        "Seniorsamtaler om livsfaser"
    )
    assert "Læringsvejledere i hjemmeplejen" not in text


def test_list_offers_the_booklet_of_exactly_its_filter(live_server, page, cases_to_collect):
    page.goto(live_server.url + "/cases/?theme=fastholdelse&q=senior")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hent som PDF").click()
    pages = PdfReader(Path(download_info.value.path())).pages
    text = "\n".join(p.extract_text() for p in pages)
    assert "Seniorsamtaler om livsfaser" in text
    assert "Introduktionsprogram for nye kolleger" not in text
