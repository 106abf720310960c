"""A new applicant in a real browser: from "Søg om støtte" to the form, and the form itself.

Screenshots of the pages at 1280 and 390 px are written to $SCREENSHOT_DIR when it is set.
"""

import datetime
import os
import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from initiatives.models import ApplicationRound, SupportApplication

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Et-langt-kodeord-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LONG_TITLE = (
    "Tværfaglige tavlemøder om patientflow i akutmodtagelsen med sygeplejersker, "
    "læger og sekretærer"
)


def screenshot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.fixture
def open_round(db, make_region):
    make_region("Region Midtjylland", slug="midtjylland")
    today = timezone.localdate()
    return ApplicationRound.objects.create(
        name="Rette kompetencer 2027",
        slug="rette-kompetencer-2027",
        opens=today - datetime.timedelta(days=5),
        closes=today + datetime.timedelta(days=60),
    )


@pytest.fixture
def applicant(db):
    user = get_user_model().objects.create_user(
        username="anne@example.dk", email="anne@example.dk", password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in(page, live_server):
    page.goto(live_server.url + "/konto/login/")
    page.get_by_label("E-mail").fill("anne@example.dk")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()


def test_a_new_user_signs_up_from_soeg_om_stoette_and_lands_on_the_form(
    live_server, page, open_round, settings, axe_violations
):
    settings.SITE_URL = live_server.url
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/initiativer/")
    page.get_by_role("link", name="søg om støtte til jeres initiativ").click()
    expect(page.get_by_text("For at kunne søge om støtte skal I have en konto")).to_be_visible()
    screenshot(page, "login-from-apply-1280")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Opret konto").click()
    page.get_by_label("E-mail").fill("ny@example.dk")
    page.get_by_label("Adgangskode", exact=True).fill(PASSWORD)
    page.get_by_label("Adgangskode (igen)").fill(PASSWORD)
    page.get_by_role("button", name="Opret konto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tjek din e-mail")
    [message] = mail.outbox
    link = re.search(r"https?://\S+/konto/confirm-email/\S+", message.body)[0]
    page.goto(link)
    page.get_by_role("button", name="Bekræft").click()
    expect(page).to_have_url(live_server.url + "/initiativer/ansoeg/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Søg om støtte til jeres initiativ")


def test_the_account_pages_fit_a_phone(live_server, page, open_round, axe_violations):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/initiativer/ansoeg/")
    expect(page.get_by_text("For at kunne søge om støtte skal I have en konto")).to_be_visible()
    for name in ("login", "signup"):
        if name == "signup":
            page.get_by_role("link", name="Opret konto").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Opret konto")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        screenshot(page, f"{name}-390")
        assert axe_violations(page) == []


def test_the_support_page_reads_on_a_phone_and_a_desktop(
    live_server, page, open_round, axe_violations
):
    for name, size in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="Læs om støtten, kriterierne og ansøgningsfristen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Støtte til jeres initiativ")
        expect(page.get_by_role("heading", name="Starthjælp")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{name}: the page scrolls sideways ({width} px)"
        screenshot(page, f"support-{name}")
        assert axe_violations(page) == []


def test_long_fields_are_wide_enough_to_read_what_was_typed(
    live_server, page, open_round, applicant
):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + "/initiativer/ansoeg/")
    title = page.get_by_label("Initiativets titel")
    title.fill(LONG_TITLE)
    # Everything typed is visible: the field scrolls nothing out of sight.
    assert title.evaluate("el => el.scrollWidth <= el.clientWidth"), "the title is cut off"
    for label in ("Kort beskrivelse af initiativet", "Hvilke ressourcer kan I selv stille med?"):
        box = page.get_by_label(label).bounding_box()
        assert box["width"] >= 600, f"{label}: {box['width']} px wide"
    box = page.get_by_label("Sygehus eller institution").bounding_box()
    assert box["width"] >= 480
    screenshot(page, "application-form-1280")
    page.set_viewport_size(PHONE)
    box = title.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["width"] >= PHONE["width"] - 80
    screenshot(page, "application-form-390")


def test_the_error_summary_reads_cleanly_in_the_browser(live_server, page, open_round, applicant):
    log_in(page, live_server)
    page.goto(live_server.url + "/initiativer/ansoeg/")
    page.get_by_role("button", name="Indsend ansøgning").click()
    summary = page.locator("#form-error-summary")
    expect(summary).to_be_visible()
    text = summary.inner_text()
    assert "?:" not in text and ".:" not in text
    expect(summary).to_contain_text("Hvilke ressourcer kan I selv stille med? Beskriv")


def test_my_applications_shows_the_status_on_a_phone_and_keeps_the_reference_whole(
    live_server, page, open_round, applicant, axe_violations
):
    for number in range(4):
        SupportApplication.objects.create(
            round=open_round,
            applicant=applicant,
            initiative_title=f"{LONG_TITLE} {number}",
            form_token=uuid.uuid4(),
        )
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(live_server.url + "/initiativer/mine-ansoegninger/")
    statuses = page.get_by_text("Kladde", exact=True)
    expect(statuses.first).to_be_visible()
    for index in range(statuses.count()):
        box = statuses.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    reference = page.get_by_role("link", name=re.compile(r"^A-\d{5}$")).first
    lines = reference.evaluate("el => el.getClientRects().length")
    assert lines == 1, "the reference is broken across lines"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "my-applications-390")
    assert axe_violations(page) == []
    page.set_viewport_size(DESKTOP)
    page.reload()
    screenshot(page, "my-applications-1280")
