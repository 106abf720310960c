"""Registering for a workshop in a real browser: the form, its errors, the receipt and the
cancellation page pass axe-core (WCAG 2.1 A/AA) and keep the Content-Security-Policy;
someone registers, is told which (seat or waiting list), and cancels by the mailed link."""

import importlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from playwright.sync_api import expect

from tests.workshops.conftest import (  # noqa: F401 (fixtures)
    make_development_room,
    make_initiative,
    make_open_workshop,
    make_workshop,
)
from workshops.models import Registration

from .test_csp_browser import csp_page, log_in, violations, visit  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)
workshop_permissions = importlib.import_module(
    "workshops.migrations.0003_sekretariat_workshop_permissions"
)
Status = Registration.Status


@pytest.fixture
def workshop(request, make_region, make_profession):
    make_region("Region Hovedstaden")
    make_profession("Social- og sundhedsassistenter")
    return request.getfixturevalue("make_open_workshop")(
        "Opfølgning på målene for 2026", slug="opfoelgning-2026", capacity=1
    )


def fill_in(page, name, email):
    page.get_by_label("Navn", exact=True).fill(name)
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Arbejdsplads", exact=True).fill("Bispebjerg Hospital, Akutmodtagelsen")
    page.get_by_label(re.compile("^Region")).select_option(label="Region Hovedstaden")
    page.get_by_label(re.compile("^Faggruppe")).select_option(
        label="Social- og sundhedsassistenter"
    )
    page.get_by_label(re.compile("^Mit navn, min arbejdsplads")).check()


def test_registering_and_cancelling_pass_axe(live_server, page, workshop, axe_violations):
    register = f"{live_server.url}/workshops/{workshop.slug}/tilmeld/"
    page.goto(register)
    assert axe_violations(page) == []

    page.get_by_role("button", name="Tilmeld mig").click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv dit navn.")
    assert axe_violations(page) == []

    fill_in(page, "Anna Andersen", "anna@example.dk")
    page.get_by_role("button", name="Tilmeld mig").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er tilmeldt")
    assert axe_violations(page) == []

    (message,) = mail.outbox
    link = re.search(r"http://[^\s]+/workshops/tilmelding/afmeld/[^\s]+/", message.body).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    expect(page.get_by_role("button", name="Ja, afmeld mig")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Ja, afmeld mig").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er afmeldt")
    assert axe_violations(page) == []
    assert Registration.objects.get().status == Status.CANCELLED

    page.goto(f"{live_server.url}/workshops/tilmelding/afmeld/ugyldigt/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Linket virker ikke")
    assert axe_violations(page) == []


def test_the_last_seat_then_the_waiting_list(live_server, page, workshop, browser):
    register = f"{live_server.url}/workshops/{workshop.slug}/tilmeld/"
    page.goto(register)
    expect(page.get_by_text("Der er én ledig plads")).to_be_visible()
    fill_in(page, "Anna Andersen", "anna@example.dk")
    page.get_by_role("button", name="Tilmeld mig").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er tilmeldt")

    other = browser.new_context(locale="da-DK").new_page()
    other.goto(register)
    expect(other.get_by_text("Alle pladser er optaget")).to_be_visible()
    fill_in(other, "Bent Berg", "bent@example.dk")
    other.get_by_role("button", name="Skriv mig på ventelisten").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Du er på ventelisten")
    other.context.close()


def test_the_registration_pages_keep_the_policy(live_server, request, workshop):
    page = request.getfixturevalue("csp_page")
    closed = request.getfixturevalue("make_workshop")(
        "Lukket workshop", capacity=5, registration_open=False
    )
    register = f"{live_server.url}/workshops/{workshop.slug}/tilmeld/"
    found = {
        "form": visit(page, register),
        "closed": visit(page, f"{live_server.url}/workshops/{closed.slug}/tilmeld/"),
    }
    page.goto(register)
    fill_in(page, "Anna Andersen", "anna@example.dk")
    page.get_by_role("button", name="Tilmeld mig").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er tilmeldt")
    found["receipt"] = violations(page)
    link = re.search(r"/workshops/tilmelding/afmeld/[^\s]+/", mail.outbox[0].body).group(0)
    found["cancel"] = visit(page, live_server.url + link)
    broken = {name: reports for name, reports in found.items() if reports}
    assert not broken, broken


def test_the_secretariats_workshop_admin_keeps_the_policy(live_server, request, workshop):
    """The workshop, udviklingsrum and registration pages of the admin, as a Sekretariat
    member with the permissions of the data migration (a flush removed the group)."""
    page = request.getfixturevalue("csp_page")
    room = request.getfixturevalue("make_development_room")()
    Registration.objects.create(
        workshop=workshop, name="Anna A", email="anna@example.dk", workplace="X"
    )
    group, _ = Group.objects.get_or_create(name=workshop_permissions.GROUP_NAME)
    group.permissions.set(
        Permission.objects.get(content_type__app_label="workshops", codename=codename)
        for _model, codename in workshop_permissions.PERMISSIONS
    )
    user = get_user_model().objects.create_user(
        "konsulent", "konsulent@example.dk", "Konsulent-2026", is_staff=True
    )
    user.groups.add(group)
    log_in(
        page,
        live_server,
        "/admin/login/",
        ("konsulent", "Konsulent-2026"),
        ("#id_username", "#id_password"),
    )
    paths = [
        "/admin/workshops/",
        "/admin/workshops/workshop/",
        "/admin/workshops/workshop/add/",
        f"/admin/workshops/workshop/{workshop.pk}/change/",
        "/admin/workshops/registration/",
        f"/admin/workshops/registration/{workshop.registrations.get().pk}/change/",
        "/admin/workshops/developmentroom/add/",
        f"/admin/workshops/developmentroom/{room.pk}/change/",
    ]
    found = {path: visit(page, live_server.url + path) for path in paths}
    broken = {path: reports for path, reports in found.items() if reports}
    assert not broken, "\n".join(f"{path}: {reports}" for path, reports in broken.items())
