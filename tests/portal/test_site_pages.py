"""What a Danish public-sector site must have: a contact page, a privacy policy and an
accessibility statement linked from the footer of every page, Danish 404 and 500 pages,
and a favicon."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.views.defaults import server_error

import portal.urls

CONTACT, PRIVACY, ACCESSIBILITY = "/kontakt/", "/privatlivspolitik/", "/tilgaengelighed/"
FOOTER_LINKS = {
    CONTACT: "Kontakt",
    PRIVACY: "Privatlivspolitik",
    ACCESSIBILITY: "Tilgængelighedserklæring",
}


def boom(request):
    raise RuntimeError("Noget gik galt i en visning")


def fine(request):
    return HttpResponse("ok")


# The URLconf for the 500 tests: the portal's own, and a view that raises.
urlpatterns = [path("boom/", boom), path("fint/", fine), *portal.urls.urlpatterns]


def footer(html):
    match = re.search(r'<footer class="site-footer".*?</footer>', html, re.S)
    assert match, "no site footer"
    return match.group(0)


def assert_footer_links(html):
    part = footer(html)
    for url, text in FOOTER_LINKS.items():
        assert re.search(rf'<a href="{re.escape(url)}"[^>]*>{text}</a>', part), (url, part)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/cases/",
        "/workshops/",
        "/initiativer/",
        "/konto/login/",
        CONTACT,
        PRIVACY,
        ACCESSIBILITY,
    ],
)
def test_every_page_links_contact_privacy_and_accessibility_from_its_footer(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_footer_links(response.content.decode())


@pytest.mark.django_db
def test_a_logged_in_applicants_pages_have_the_footer_links_too(client, django_user_model):
    user = django_user_model.objects.create_user("a", "a@example.dk", "x")
    client.force_login(user)
    assert_footer_links(client.get(reverse("portal:account_delete")).content.decode())


# The privacy policy


@pytest.mark.django_db
def test_privacy_policy_says_what_is_collected_why_and_on_what_legal_basis(client):
    html = client.get(PRIVACY).content.decode()
    for heading in (
        "Ansøgerkonti",
        "Ansøgninger om støtte",
        "Tilmeldinger til workshops",
        "Cookies",
    ):
        assert f">{heading}</h3>" in html or f">{heading}</h2>" in html, heading
    # What a registration holds, as the workshops app stores it.
    for item in ("arbejdsplads", "faggruppe", "hensyn til kost", "samtykke til deltagerlisten"):
        assert item in html, item
    assert "Databeskyttelsesforordningens artikel 6, stk. 1, litra" in html


@pytest.mark.django_db
def test_privacy_policy_shows_the_configured_retention_periods(client, settings):
    settings.RETENTION_YEARS = 7
    settings.WORKSHOP_REGISTRATION_RETENTION_DAYS = 30
    html = client.get(PRIVACY).content.decode()
    assert "anonymiseres 7 år efter afgørelsen" in html
    assert "slettes 30 dage efter workshoppen" in html


@pytest.mark.django_db
def test_privacy_policy_says_so_when_retention_is_turned_off(client, settings):
    settings.RETENTION_YEARS = 0
    settings.WORKSHOP_REGISTRATION_RETENTION_DAYS = 0
    html = client.get(PRIVACY).content.decode()
    assert "anonymiseres 0 år" not in html and "slettes 0 dage" not in html
    assert "anonymiseres ikke automatisk" in html
    assert "slettes ikke automatisk" in html


@pytest.mark.django_db
def test_privacy_policy_names_the_configured_data_controller(client, settings):
    settings.DATA_CONTROLLER_NAME = "Danske Regioner"
    settings.DATA_CONTROLLER_ADDRESS = "Dampfærgevej 22, 2100 København Ø"
    settings.DATA_CONTROLLER_EMAIL = "dpo@example.dk"
    html = client.get(PRIVACY).content.decode()
    assert "Danske Regioner" in html
    assert "Dampfærgevej 22, 2100 København Ø" in html
    assert '<a href="mailto:dpo@example.dk">dpo@example.dk</a>' in html
    assert "skal sættes" not in html


@pytest.mark.django_db
def test_privacy_policy_says_which_settings_must_be_set_when_the_controller_is_missing(
    client, settings
):
    settings.DATA_CONTROLLER_NAME = ""
    settings.DATA_CONTROLLER_ADDRESS = ""
    settings.DATA_CONTROLLER_EMAIL = ""
    html = client.get(PRIVACY).content.decode()
    for name in ("DATA_CONTROLLER_NAME", "DATA_CONTROLLER_ADDRESS", "DATA_CONTROLLER_EMAIL"):
        assert f"<code>{name}</code> skal sættes" in html, name


@pytest.mark.django_db
def test_privacy_policy_explains_rights_account_deletion_and_complaints(client):
    html = client.get(PRIVACY).content.decode()
    assert f'href="{reverse("portal:account_delete")}"' in html
    assert reverse("portal:account_delete") == "/konto/slet/"
    assert 'href="https://www.datatilsynet.dk/"' in html
    for right in ("indsigt", "berigtigelse", "sletning", "begrænsning", "indsigelse"):
        assert right in html, right


# The contact page


@pytest.mark.django_db
def test_contact_page_gives_the_secretariats_address_and_phone(client, settings):
    settings.SECRETARIAT_EMAIL = "Sekretariatet <sekretariat@example.dk>"
    settings.SECRETARIAT_PHONE = "33 33 33 33"
    html = client.get(CONTACT).content.decode()
    assert '<a href="mailto:sekretariat@example.dk">sekretariat@example.dk</a>' in html
    assert '<a href="tel:33333333">33 33 33 33</a>' in html


@pytest.mark.django_db
def test_contact_page_never_offers_the_no_reply_sender_as_contact(client, settings):
    settings.SECRETARIAT_EMAIL = "Regionalt arbejdsliv <noreply@localhost>"
    settings.SECRETARIAT_PHONE = ""
    html = client.get(CONTACT).content.decode()
    assert "noreply@localhost" not in html
    assert "<code>SECRETARIAT_EMAIL</code> skal sættes" in html
    assert "<code>SECRETARIAT_PHONE</code> skal sættes" in html


# The accessibility statement


@pytest.mark.django_db
def test_accessibility_statement_follows_the_digitaliseringsstyrelsen_structure(client, settings):
    settings.SECRETARIAT_EMAIL = "sekretariat@example.dk"
    settings.SECRETARIAT_PHONE = "33 33 33 33"
    html = client.get(ACCESSIBILITY).content.decode()
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    assert headings == [
        "Overholdelsesstatus",
        "Ikke-tilgængeligt indhold",
        "Udarbejdelse af denne tilgængelighedserklæring",
        "Feedback og kontaktoplysninger",
        "Håndhævelsesprocedure",
    ]
    assert "http://testserver/" in html  # which site the statement covers
    assert "delvist i overensstemmelse" in html
    assert "axe-core" in html and "WCAG 2.1" in html
    assert "3. december 2026" in html
    assert "mailto:sekretariat@example.dk" in html and "tel:33333333" in html
    assert (
        'href="https://digst.dk/digital-inklusion/webtilgaengelighed/'
        'oplever-du-ikke-tilgaengeligt-indhold/"'
    ) in html


@pytest.mark.django_db
def test_was_leads_to_the_statement_or_to_the_one_published_in_was_tool(client, settings):
    settings.ACCESSIBILITY_STATEMENT_URL = ""
    assert client.get("/was")["Location"] == ACCESSIBILITY
    settings.ACCESSIBILITY_STATEMENT_URL = "https://was.digst.dk/portal-example-dk"
    assert client.get("/was")["Location"] == "https://was.digst.dk/portal-example-dk"


# 404 and 500


@pytest.mark.django_db
def test_a_missing_page_is_the_portals_danish_404(client, settings):
    settings.DEBUG = False
    response = client.get("/findes-slet-ikke/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="da">' in html
    assert "Siden findes ikke" in html
    assert "Not Found" not in html
    assert f'action="{reverse("cases:list")}"' in html  # a way on: search the cases
    assert_footer_links(html)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_error_in_a_view_is_the_portals_danish_500(client, settings):
    settings.DEBUG = False
    assert client.get("/fint/").status_code == 200  # the test URLconf answers
    client.raise_request_exception = False
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="da">' in html
    assert "Der skete en fejl" in html
    assert "Server Error" not in html
    assert_footer_links(html)


def test_the_500_page_renders_without_a_database_or_request_context():
    """No django_db mark: any database query here fails the test."""
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Der skete en fejl" in response.content.decode()
    assert "Der skete en fejl" in render_to_string("500.html")


# Favicon


@pytest.mark.django_db
def test_pages_link_a_favicon_that_exists_as_svg_and_png(client):
    html = client.get("/").content.decode()
    links = dict(
        (kind, href)
        for href, kind in re.findall(
            r'<link rel="icon" href="/static/(portal/favicon\.\w+)" type="image/([\w+]+)"', html
        )
    )
    assert set(links) == {"svg+xml", "png"}
    svg = finders.find(links["svg+xml"])
    assert svg and Path(svg).read_text(encoding="utf-8").startswith("<svg")
    png = finders.find(links["png"])
    assert png and Path(png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ico = finders.find("portal/favicon.ico")
    assert ico and Path(ico).read_bytes()[:4] == b"\x00\x00\x01\x00"


@pytest.mark.django_db
def test_favicon_ico_at_the_root_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/portal/favicon.ico"


# The 404's siblings: 400, 403 and a failed CSRF check are Danish too


def refuse(request):
    raise PermissionDenied


def bad(request):
    raise SuspiciousOperation("Ugyldig forespørgsel")


urlpatterns += [path("nej/", refuse), path("skidt/", bad)]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/nej/", 403, "Du har ikke adgang til siden"),
        ("/skidt/", 400, "Forespørgslen kan ikke bruges"),
    ],
)
def test_refused_and_bad_requests_get_danish_pages(client, settings, url, status, heading):
    settings.DEBUG = False
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert heading in html
    assert "Forbidden" not in html and "Bad Request" not in html
    assert_footer_links(html)


@pytest.mark.django_db
def test_a_form_sent_without_a_valid_csrf_token_gets_a_danish_explanation(settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@example.dk", "password": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Formularen kunne ikke sendes" in html
    assert "CSRF verification failed" not in html
    assert_footer_links(html)
