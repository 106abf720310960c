"""A too large attachment is caught in the browser before it is sent: the applicant sees a
Danish message at the field and keeps what they typed."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from initiatives.models import ApplicationRound, SupportApplication
from initiatives.validators import MAX_ATTACHMENT_SIZE

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Et-langt-kodeord-2026"


@pytest.fixture
def applicant(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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


def test_a_too_large_file_is_refused_in_the_browser_and_the_text_stays(
    live_server, page, applicant
):
    page.goto(live_server.url + "/konto/login/")
    page.locator("#id_login").fill("anne@example.dk")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form [type=submit]").last.click()
    page.goto(live_server.url + "/initiativer/ansoeg/")
    page.get_by_label("Initiativets titel").fill("Tavlemøder i akutmodtagelsen")

    attachment = page.locator("input[type=file]")
    attachment.set_input_files(
        {
            "name": "stor.pdf",
            "mimeType": "application/pdf",
            "buffer": b"%PDF-1.4\n" + b"0" * (MAX_ATTACHMENT_SIZE + 1024),
        }
    )

    error = page.locator(".js-file-size-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("bilaget må højst fylde 10 MB")
    assert attachment.evaluate("input => input.files.length") == 0
    assert "size-error" in attachment.get_attribute("aria-describedby")
    expect(page.get_by_label("Initiativets titel")).to_have_value("Tavlemøder i akutmodtagelsen")

    attachment.set_input_files(
        {"name": "lille.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    expect(error).to_have_count(0)
    assert attachment.evaluate("input => input.files.length") == 1
    assert not SupportApplication.objects.exists()
