"""Registrations are personal data: in the export of an address, removed by
delete_personal_data (a held seat goes to the waiting list first) and deleted
WORKSHOP_REGISTRATION_RETENTION_DAYS after the workshop."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal import privacy
from workshops import registration as seats
from workshops.models import Registration

Status = Registration.Status
SITE = "http://testserver/"


def run(command, *args, **options):
    out = io.StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def sign_up(django_capture_on_commit_callbacks):
    def make(workshop, name, email=None, **fields):
        data = {
            "name": name,
            "email": email or f"{name.split()[0].lower()}@example.dk",
            "workplace": "Psykiatrien, Region Nordjylland",
            "region": None,
            "professional_group": None,
            "dietary_needs": "Laktosefri",
            "consents_to_participant_list": False,
            **fields,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return seats.register(workshop, data, SITE).registration

    return make


def test_the_export_of_an_address_holds_its_registrations(make_open_workshop, sign_up):
    workshop = make_open_workshop()
    sign_up(workshop, "Anna Andersen", email="Anna@Example.dk")
    sign_up(workshop, "Bent Berg")
    data = json.loads(run("export_personal_data", "anna@example.dk"))
    (entry,) = data["workshop_tilmeldinger"]
    assert entry["workshop"] == workshop.title
    fields = entry["tilmelding"]["fields"]
    assert fields["name"] == "Anna Andersen"
    assert fields["dietary_needs"] == "Laktosefri"
    assert "Bent" not in json.dumps(data)


def test_erasing_an_address_removes_its_registrations_and_passes_its_seat_on(
    make_open_workshop, make_workshop, sign_up, mailoutbox, django_capture_on_commit_callbacks
):
    upcoming = make_open_workshop(capacity=1)
    past = make_workshop(days=-30)
    sign_up(upcoming, "Anna Andersen")
    waiting = sign_up(upcoming, "Bent Berg")
    Registration.objects.create(
        workshop=past,
        name="Anna Andersen",
        email="ANNA@example.dk",
        workplace="X",
        status=Status.CONFIRMED,
    )
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        report = privacy.erase(privacy.Subject.find("anna@example.dk"))

    assert not Registration.objects.filter(email__iexact="anna@example.dk").exists()
    assert not Registration.objects.filter(name="Anna Andersen").exists()
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert [m.to for m in mailoutbox] == [["bent@example.dk"]]
    assert "2 tilmelding(er) til workshops slettet." in report.lines


def test_registrations_go_some_time_after_the_workshop(
    settings, make_workshop, make_open_workshop, sign_up
):
    settings.WORKSHOP_REGISTRATION_RETENTION_DAYS = 90
    now = timezone.now()
    old = make_workshop(
        "Gammel",
        starts_at=now - datetime.timedelta(days=95),
        ends_at=now - datetime.timedelta(days=91),
    )
    recent = make_workshop(
        "Nylig",
        starts_at=now - datetime.timedelta(days=89),
        ends_at=now - datetime.timedelta(days=88),
    )
    for workshop in (old, recent):
        Registration.objects.create(
            workshop=workshop,
            name="Carl",
            email="carl@example.dk",
            workplace="Y",
            status=Status.CONFIRMED,
            attended=True,
        )
    coming = sign_up(make_open_workshop(), "Dorte D")

    output = run("apply_retention")
    assert "1 tilmelding(er) til workshops afholdt for mere end 90 dage siden slettet" in output
    assert list(Registration.objects.values_list("workshop__title", flat=True).order_by("pk")) == [
        "Nylig",
        coming.workshop.title,
    ]
    assert "tilmelding" not in run("apply_retention")  # nothing more the second time

    settings.WORKSHOP_REGISTRATION_RETENTION_DAYS = 0  # keep them
    recent.ends_at = now - datetime.timedelta(days=400)
    recent.starts_at = now - datetime.timedelta(days=401)
    recent.save()
    run("apply_retention")
    assert Registration.objects.count() == 2


def test_registration_retention_runs_when_application_retention_is_off(settings, make_workshop):
    """Each holder keeps its own period: turning off the applications' anonymising
    (RETENTION_YEARS=0) must not keep workshop registrations forever."""
    settings.RETENTION_YEARS = 0
    settings.WORKSHOP_REGISTRATION_RETENTION_DAYS = 30
    now = timezone.now()
    old = make_workshop(
        "Længe siden",
        starts_at=now - datetime.timedelta(days=41),
        ends_at=now - datetime.timedelta(days=40),
    )
    Registration.objects.create(
        workshop=old, name="Eva", email="eva@example.dk", workplace="Z", status=Status.CONFIRMED
    )

    output = run("apply_retention")

    assert "1 tilmelding(er) til workshops afholdt for mere end 30 dage siden slettet" in output
    assert not Registration.objects.exists()
