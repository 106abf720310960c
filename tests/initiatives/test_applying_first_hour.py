"""The first hour of a new applicant: from "Søg om støtte" to the form, and the mails.

A person who is not logged in clicks "Søg om støtte", signs up, confirms the e-mail
address from the mail (in the same browser or another one), and lands on the application
form, not on the home page. The account mails are Danish, from the portal, link to the
page they talk about on the configured site address and name the secretariat's address.
"""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from initiatives import workflow
from initiatives.models.applications import SUPPORT_FORM_HINTS

pytestmark = pytest.mark.django_db

SITE_URL = "https://arbejdsliv.example.dk"
CONTACT = "sekretariat@arbejdsliv.example.dk"
PASSWORD = "Et-langt-kodeord-2026"
APPLY = "/initiativer/ansoeg/"


@pytest.fixture(autouse=True)
def site_address(settings):
    settings.SITE_URL = SITE_URL
    settings.SECRETARIAT_EMAIL = CONTACT


def links(body):
    return re.findall(r"https?://\S+", body)


def sign_up(client, email="k.hansen@example.dk"):
    login = client.get(APPLY)
    assert login.status_code == 302
    login_url = login["Location"]
    page = client.get(login_url)
    signup_url = re.search(r'href="(/konto/signup/[^"]*)"', page.content.decode())[1]
    response = client.post(
        signup_url.replace("&amp;", "&"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "next": APPLY},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def confirmation_link(message):
    [link] = [url for url in links(message.body) if "/konto/confirm-email/" in url]
    return link


def test_the_login_page_says_why_and_offers_sign_up_that_keeps_the_goal(client, open_round):
    response = client.get(APPLY)
    page = client.get(response["Location"]).content.decode()
    assert "konto" in page and "ansøgning" in page
    assert "for at søge om støtte" in page.lower() or "for at kunne søge" in page.lower()
    signup = re.search(r'href="(/konto/signup/[^"]*)"', page)
    assert signup, "the login page offers sign-up"
    assert "next=%2Finitiativer%2Fansoeg%2F" in signup[1]
    signup_page = client.get(signup[1].replace("&amp;", "&")).content.decode()
    assert 'name="next" value="/initiativer/ansoeg/"' in signup_page
    assert "Opret konto" in signup_page


def test_sign_up_and_confirm_in_the_same_browser_lands_on_the_form(client, open_round):
    sign_up(client)
    [message] = mail.outbox
    link = confirmation_link(message)
    assert link.startswith(SITE_URL + "/konto/confirm-email/")
    path = link[len(SITE_URL) :]
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == APPLY
    form = client.get(APPLY)
    assert form.status_code == 200
    assert "Søg om støtte til jeres initiativ" in form.content.decode()


def test_confirm_in_another_browser_then_log_in_lands_on_the_form(client, open_round):
    sign_up(client, "ole@example.dk")
    path = confirmation_link(mail.outbox[0])[len(SITE_URL) :]
    other = Client()
    response = other.post(path)
    assert response.status_code == 302
    login = other.get(response["Location"], follow=True)
    assert login.request["PATH_INFO"] == "/konto/login/"
    response = other.post(
        "/konto/login/", {"login": "ole@example.dk", "password": PASSWORD, "next": APPLY}
    )
    assert response["Location"] == APPLY


def test_the_confirmation_mail_is_danish_from_the_portal_without_a_generated_username(
    client, open_round, settings
):
    sign_up(client)
    [message] = mail.outbox
    user = get_user_model().objects.get(email="k.hansen@example.dk")
    body = message.body
    assert "127.0.0.1" not in body and "testserver" not in body and "example.com" not in body
    assert "testserver" not in message.subject and "[" not in message.subject
    assert body.startswith("Hej")
    assert "bekræft" in body.lower()
    assert settings.SITE_NAME in body
    assert CONTACT in body
    assert user.username not in body.replace(user.email, "")
    assert all(url.startswith(SITE_URL) for url in links(body)), links(body)
    assert "You" not in body and "Thank" not in body


def test_the_password_reset_mail_links_to_the_site_and_names_the_contact(client, settings):
    user = get_user_model().objects.create_user(
        username="bruger-glemsom-x1", email="glemsom@example.dk", password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post("/konto/password/reset/", {"email": "glemsom@example.dk"})
    [message] = mail.outbox
    body = message.body
    assert body.startswith("Hej")
    assert "adgangskode" in body.lower()
    assert "bruger-glemsom-x1" not in body
    assert CONTACT in body and settings.SITE_NAME in body
    reset = [url for url in links(body) if "/konto/password/reset/key/" in url]
    assert reset and reset[0].startswith(SITE_URL)


def test_signing_up_again_sends_a_danish_already_registered_mail(client, make_user):
    make_user("findes@example.dk")
    client.post(
        "/konto/signup/",
        {"email": "findes@example.dk", "password1": PASSWORD, "password2": PASSWORD},
    )
    [message] = mail.outbox
    body = message.body
    assert "allerede" in body and CONTACT in body
    assert "However" not in body
    assert any(url.startswith(SITE_URL + "/konto/password/reset/") for url in links(body))
    assert all(url.startswith(SITE_URL) for url in links(body))


def test_a_reset_for_an_unknown_address_gets_a_danish_mail_with_sign_up(client):
    client.post("/konto/password/reset/", {"email": "ukendt@example.dk"})
    [message] = mail.outbox
    body = message.body
    assert body.startswith("Hej") and CONTACT in body
    assert "database" not in body
    assert any(url.startswith(SITE_URL + "/konto/signup/") for url in links(body))


def test_the_support_page_is_public_and_tells_what_an_applicant_must_know(client, open_round):
    response = client.get(reverse("initiatives:support"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("Starthjælp", "Udviklingsrum", "Evaluering"):
        assert name in page
    for hint in SUPPORT_FORM_HINTS.values():
        assert hint in page
    for criterion in workflow.CONFIRMATIONS.values():
        assert criterion in page
    assert "3 måneder" in page and "et halvt år" in page and "4-8 uger" in page
    assert "Formål" in page and "Krav" in page and "forløb" in page
    assert f"{open_round.closes:%-d}." in page and open_round.name in page
    assert "Hvilke ressourcer I selv kan stille med" in page or "ressourcer" in page
    assert CONTACT in page
    assert "003" not in page or ".txt" not in page
    assert "Kilde" in page


def test_the_support_page_says_so_when_no_round_is_open(client, make_round):
    make_round("Gammel runde", is_open=False)
    page = client.get(reverse("initiatives:support")).content.decode()
    assert "ikke åbent for ansøgninger" in page


def test_the_support_page_is_linked_from_the_home_page_and_the_initiatives(client, open_round):
    url = reverse("initiatives:support")
    assert f'href="{url}"' in client.get("/").content.decode()
    assert f'href="{url}"' in client.get(reverse("initiatives:initiative_list")).content.decode()


def test_the_error_summary_joins_labels_without_doubled_punctuation(client, applicant, open_round):
    client.force_login(applicant)
    page = client.post(APPLY, {"submit": "1"}).content.decode()
    summary = page.split('id="form-error-summary"')[1].split("</div>")[0]
    assert "Initiativets titel" in summary
    assert "?:" not in summary and ".:" not in summary
    assert "Initiativets titel: Skriv initiativets titel." in summary
    assert "Hvilke ressourcer kan I selv stille med? Beskriv" in summary


def test_email_urls_use_the_configured_site_not_the_request_host(client, open_round):
    sign_up(client)
    host = urlsplit(confirmation_link(mail.outbox[0])).netloc
    assert host == "arbejdsliv.example.dk"


def test_without_a_real_secretariat_address_the_mails_point_to_the_contact_page(
    client, open_round, settings
):
    settings.SECRETARIAT_EMAIL = "Regionalt arbejdsliv <noreply@localhost>"
    sign_up(client)
    body = mail.outbox[0].body
    assert "noreply@localhost" not in body
    assert f"{SITE_URL}{reverse('portal:contact')}" in body
