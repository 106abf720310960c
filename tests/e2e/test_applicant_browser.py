"""An applicant signs in and meets the application form in a real browser."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from initiatives.models import ApplicationRound

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Et-langt-kodeord-2026"


@pytest.fixture
def applicant_account(db, make_region):
    make_region("Region Midtjylland", slug="midtjylland")
    today = timezone.localdate()
    ApplicationRound.objects.create(
        name="Rette kompetencer 2027",
        slug="rette-kompetencer-2027",
        opens=today - datetime.timedelta(days=5),
        closes=today + datetime.timedelta(days=60),
    )
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


def test_login_page_has_no_wcag_aa_violations(live_server, page, applicant_account, axe_violations):
    page.goto(live_server.url + "/konto/login/")
    assert axe_violations(page) == []


def test_applicant_submits_an_empty_form_and_gets_danish_errors_it_can_reach(
    live_server, page, applicant_account, axe_violations
):
    log_in(page, live_server)
    page.goto(live_server.url + "/initiativer/ansoeg/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Indsend ansøgning").click()
    summary = page.locator(".alert-error").first
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Skriv initiativets titel.")
    expect(summary).to_contain_text("Vælg mindst én form for støtte.")
    assert axe_violations(page) == []
    summary.get_by_role("link", name="Initiativets titel").click()
    expect(page.get_by_label("Initiativets titel")).to_be_focused()


def test_my_applications_page_has_no_wcag_aa_violations(
    live_server, page, applicant_account, axe_violations
):
    log_in(page, live_server)
    page.goto(live_server.url + "/initiativer/mine-ansoegninger/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mine ansøgninger")
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/initiativer/", "/konto/signup/"])
def test_public_initiative_and_signup_pages_have_no_wcag_aa_violations(
    live_server, page, applicant_account, axe_violations, path
):
    page.goto(live_server.url + path)
    assert axe_violations(page) == []
