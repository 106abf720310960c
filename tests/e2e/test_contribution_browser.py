"""'Del en erfaring' in a real browser: an applicant on their way to the form logs in, meets
the form's Danish errors, fills it in and sees it under 'Mine bidrag'; every page passes
axe-core (WCAG 2.1 A/AA) and keeps the Content-Security-Policy."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cases.models import Case, ContributionState

from .test_csp_browser import csp_page, violations, visit  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Et-langt-kodeord-2026"


@pytest.fixture
def contributor(db, make_region, make_sector, make_theme, make_profession):
    make_region("Region Sjælland", slug="sjaelland")
    make_sector("Psykiatri", slug="psykiatri")
    make_theme("Fastholdelse", slug="fastholdelse")
    make_profession("Sygeplejersker", slug="sygeplejersker")
    user = get_user_model().objects.create_user(
        username="bodil@example.dk", email="bodil@example.dk", password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_contributing_an_experience_passes_axe(live_server, page, contributor, axe_violations):
    page.goto(live_server.url + "/cases/del-en-erfaring/")
    expect(page.get_by_text("Log ind for at dele en erfaring")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("E-mail").fill("bodil@example.dk")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Del en erfaring")
    expect(page.get_by_label("Kontaktpersonens e-mail")).to_have_value("bodil@example.dk")
    assert axe_violations(page) == []
    send = page.get_by_role("button", name="Send erfaringen til redaktionen")
    send.click()
    summary = page.locator(".alert-error").first
    expect(summary).to_contain_text("Skriv en overskrift.")
    expect(summary).to_contain_text("Vælg mindst ét tema.")
    assert axe_violations(page) == []

    page.get_by_label("Giv erfaringen en overskrift").fill("Faste makkerpar på nattevagt")
    page.get_by_label("Hvad var problemet?").fill("Nyansatte sagde op inden for et år.")
    page.get_by_label("Hvad gjorde I?").fill("Hver nyansat fik en fast makker.")
    page.get_by_label("Hvad kom der ud af det?").fill("Færre opsigelser")
    page.get_by_label("Gør sådan").fill("Afsæt tid\nEvaluer efter tre måneder")
    page.get_by_label("Arbejdsplads").fill("Psykiatrien, Slagelse")
    page.get_by_label("Region (valgfri)").select_option(label="Region Sjælland")
    page.get_by_label(re.compile("^Sektor")).select_option(label="Psykiatri")
    page.get_by_label("Sygeplejersker").check()
    page.get_by_label("Fastholdelse").check()
    page.get_by_label("Kontaktpersonens navn", exact=True).fill("Bodil Bidrag")
    page.get_by_label(re.compile("^Jeg har lov til at dele erfaringen")).check()
    send.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mine bidrag")
    expect(page.get_by_text("Status: Venter på redaktionen")).to_be_visible()
    assert axe_violations(page) == []
    case = Case.objects.get()
    assert case.contribution_state == ContributionState.SENT
    assert case.do_list == ["Afsæt tid", "Evaluer efter tre måneder"]
    assert not case.is_public


def test_the_contribution_pages_keep_the_content_security_policy(live_server, request, contributor):
    page = request.getfixturevalue("csp_page")
    page.goto(live_server.url + "/konto/login/?next=/cases/del-en-erfaring/")
    page.get_by_label("E-mail").fill("bodil@example.dk")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state("load")

    for path in ("/cases/del-en-erfaring/", "/cases/mine-bidrag/"):
        assert visit(page, live_server.url + path) == [], path
    assert violations(page) == []
