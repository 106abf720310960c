"""The secretariat's workshops admin: the Sekretariat group's permissions, the
registration list, the participant CSV for Danish Excel, marking attendance, closing
registration, cancelling (the waiting list moves up), more seats, and udviklingsrum with
3–5 departments."""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from workshops import registration as seats
from workshops.models import DevelopmentRoom, Registration, Workshop

Status = Registration.Status
SITE = "http://testserver/"
WORKSHOPS = reverse("admin:workshops_workshop_changelist")
REGISTRATIONS = reverse("admin:workshops_registration_changelist")


@pytest.fixture
def desk(client, db):
    user = get_user_model().objects.create_user(
        username="konsulent@example.dk", email="konsulent@example.dk", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Sekretariat"))
    client.force_login(user)
    return client


@pytest.fixture
def sign_up(django_capture_on_commit_callbacks, make_region):
    region = make_region("Region Syddanmark")

    def make(workshop, name, email=None, **fields):
        data = {
            "name": name,
            "email": email or f"{name.split()[0].lower()}@example.dk",
            "workplace": "Sygehus Lillebælt",
            "region": region,
            "professional_group": None,
            "dietary_needs": "",
            "consents_to_participant_list": True,
            **fields,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return seats.register(workshop, data, SITE).registration

    return make


def action(client, url, name, objects):
    return client.post(
        url, {"action": name, ACTION_CHECKBOX_NAME: [str(o.pk) for o in objects]}, follow=False
    )


def test_sekretariat_group_has_the_workshop_permissions(db):
    group = Group.objects.get(name="Sekretariat")
    assert sorted(
        group.permissions.filter(content_type__app_label="workshops").values_list(
            "codename", flat=True
        )
    ) == [
        "add_developmentroom",
        "add_workshop",
        "add_workshoppoint",
        "change_developmentroom",
        "change_registration",
        "change_workshop",
        "change_workshoppoint",
        "delete_workshoppoint",
        "view_developmentroom",
        "view_registration",
        "view_workshop",
        "view_workshoppoint",
    ]


def test_the_workshop_page_lists_its_registrations(desk, make_open_workshop, sign_up):
    workshop = make_open_workshop(capacity=1)
    sign_up(workshop, "Anna Andersen")
    sign_up(workshop, "Bent Berg")
    page = desk.get(reverse("admin:workshops_workshop_change", args=[workshop.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Anna Andersen" in text and "Bent Berg" in text
    assert "På venteliste" in text
    listing = desk.get(WORKSHOPS).content.decode()
    assert workshop.title in listing


def test_the_participant_list_is_a_csv_danish_excel_opens(
    desk, make_open_workshop, sign_up, make_workshop
):
    workshop = make_open_workshop(capacity=1)
    sign_up(
        workshop, "Åse Ærø-Østergård", email="aase@example.dk", dietary_needs="Glutenfri; vegetar"
    )
    sign_up(workshop, '=HYPERLINK("http://evil.example")', email="evil@example.dk")
    sign_up(make_open_workshop(), "Andet Arrangement")

    response = action(desk, WORKSHOPS, "export_participants_csv", [workshop])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="deltagere-')
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Workshop", "Dato", "Navn", "E-mail"]
    assert len(rows) == 3
    first, second = rows[1], rows[2]
    assert first[2] == "Åse Ærø-Østergård"
    assert first[7] == "Glutenfri; vegetar"
    assert first[9] == "Bekræftet" and second[9] == "På venteliste"
    assert second[2] == '\'=HYPERLINK("http://evil.example")'
    assert b"\r\n" in raw


def test_marking_who_attended(desk, make_open_workshop, sign_up):
    workshop = make_open_workshop(capacity=5)
    came = sign_up(workshop, "Anna A")
    stayed_away = sign_up(workshop, "Bent B")
    action(desk, REGISTRATIONS, "mark_attended", [came])
    action(desk, REGISTRATIONS, "mark_not_attended", [stayed_away])
    came.refresh_from_db()
    stayed_away.refresh_from_db()
    assert came.attended is True and stayed_away.attended is False


def test_closing_registration_is_an_action(client, desk, make_open_workshop):
    workshop = make_open_workshop()
    response = action(desk, WORKSHOPS, "close_registration", [workshop])
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert not workshop.registration_open
    page = client.get(reverse("workshops:register", args=[workshop.slug]))
    assert "Der er ikke åbent for tilmelding" in page.content.decode()


def test_opening_registration_needs_seats(desk, make_workshop):
    without = make_workshop(capacity=None)
    action(desk, WORKSHOPS, "open_registration", [without])
    without.refresh_from_db()
    assert not without.registration_open


def test_cancelling_in_the_admin_moves_the_waiting_list_up(
    desk, make_open_workshop, sign_up, mailoutbox, django_capture_on_commit_callbacks
):
    workshop = make_open_workshop(capacity=1)
    holder = sign_up(workshop, "Anna A")
    waiting = sign_up(workshop, "Bent B")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        action(desk, REGISTRATIONS, "cancel_registrations", [holder])
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert holder.status == Status.CANCELLED and waiting.status == Status.CONFIRMED
    assert sorted(m.to[0] for m in mailoutbox) == ["anna@example.dk", "bent@example.dk"]


def test_the_status_cannot_be_set_by_hand_and_no_one_is_added_in_the_admin(
    desk, make_open_workshop, sign_up
):
    workshop = make_open_workshop(capacity=1)
    waiting = [sign_up(workshop, "Anna A"), sign_up(workshop, "Bent B")][1]
    url = reverse("admin:workshops_registration_change", args=[waiting.pk])
    page = desk.get(url)
    assert page.status_code == 200
    desk.post(
        url,
        {
            "name": "Bent B",
            "email": "bent@example.dk",
            "workplace": "Et andet sted",
            "status": Status.CONFIRMED,
            "attended": "unknown",
        },
    )
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED
    assert waiting.workplace == "Et andet sted"
    assert desk.get(reverse("admin:workshops_registration_add")).status_code == 403


def workshop_form(workshop, **changes):
    data = {
        "title": workshop.title,
        "slug": workshop.slug,
        "kind": workshop.kind,
        "summary": workshop.summary,
        "starts_at_0": f"{workshop.starts_at.astimezone():%d.%m.%Y}",
        "starts_at_1": f"{workshop.starts_at.astimezone():%H:%M:%S}",
        "ends_at_0": f"{workshop.ends_at.astimezone():%d.%m.%Y}",
        "ends_at_1": f"{workshop.ends_at.astimezone():%H:%M:%S}",
        "venue": workshop.venue,
        "organiser": workshop.organiser,
        "purpose": workshop.purpose,
        "capacity": workshop.capacity or "",
        "registration_open": "on" if workshop.registration_open else "",
        "is_published": "on",
        "points-TOTAL_FORMS": "0",
        "points-INITIAL_FORMS": "0",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_more_seats_fill_from_the_waiting_list_and_fewer_than_given_is_refused(
    desk, make_open_workshop, sign_up, mailoutbox, django_capture_on_commit_callbacks
):
    workshop = make_open_workshop(capacity=2)
    for name in ("Anna A", "Bent B", "Carl C", "Dorte D"):
        sign_up(workshop, name)
    url = reverse("admin:workshops_workshop_change", args=[workshop.pk])

    response = desk.post(url, workshop_form(workshop, capacity="1"))
    assert response.status_code == 200
    assert "2 har allerede fået en plads" in response.content.decode()

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(url, workshop_form(workshop, capacity="3"))
    assert response.status_code == 302, response.content.decode()[:3000]
    statuses = list(workshop.registrations.order_by("created_at").values_list("status", flat=True))
    assert statuses == [Status.CONFIRMED] * 3 + [Status.WAITLISTED]
    assert [m.to for m in mailoutbox] == [["carl@example.dk"]]


def room_form(room, initiatives, phase):
    return {
        "title": room.title,
        "slug": room.slug,
        "summary": room.summary,
        "phase": phase,
        "initiatives": [str(i.pk) for i in initiatives],
        "is_published": "on",
        "meetings-TOTAL_FORMS": "0",
        "meetings-INITIAL_FORMS": "0",
    }


@pytest.mark.parametrize(
    ("members", "phase", "accepted"),
    [
        (2, DevelopmentRoom.Phase.RUNNING, False),
        (3, DevelopmentRoom.Phase.RUNNING, True),
        (5, DevelopmentRoom.Phase.FINISHED, True),
        (6, DevelopmentRoom.Phase.RUNNING, False),
        (6, DevelopmentRoom.Phase.FORMING, False),
        (2, DevelopmentRoom.Phase.FORMING, True),
    ],
)
def test_an_udviklingsrum_has_three_to_five_departments(
    desk, make_development_room, make_initiative, members, phase, accepted
):
    room = make_development_room()
    initiatives = [make_initiative() for _ in range(members)]
    url = reverse("admin:workshops_developmentroom_change", args=[room.pk])
    response = desk.post(url, room_form(room, initiatives, phase))
    if accepted:
        assert response.status_code == 302
        assert room.initiatives.count() == members
    else:
        assert response.status_code == 200
        assert "Et udviklingsrum har 3–5 deltagende afdelinger" in response.content.decode()
        assert room.initiatives.count() == 3


def test_staff_outside_the_secretariat_see_no_registrations(client, make_open_workshop, sign_up):
    registration = sign_up(make_open_workshop(), "Anna A")
    user = get_user_model().objects.create_user(
        username="web@example.dk", email="web@example.dk", is_staff=True
    )
    client.force_login(user)
    assert client.get(REGISTRATIONS).status_code == 403
    change = reverse("admin:workshops_registration_change", args=[registration.pk])
    assert client.get(change).status_code == 403
    assert Workshop.objects.count() == 1


def test_the_list_shared_with_participants_holds_only_those_who_said_yes(
    desk, make_open_workshop, sign_up, django_capture_on_commit_callbacks
):
    workshop = make_open_workshop(capacity=2)
    sign_up(workshop, "Anna Andersen")
    sign_up(workshop, "Bent Berg", consents_to_participant_list=False)
    sign_up(workshop, "Carl Carlsen")  # waitlisted: no seat, not on the list
    response = action(desk, WORKSHOPS, "export_shared_list_csv", [workshop])
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Workshop", "Navn", "Arbejdsplads", "Region", "Faggruppe"],
        [workshop.title, "Anna Andersen", "Sygehus Lillebælt", "Region Syddanmark", ""],
    ]
    assert "@" not in response.content.decode("utf-8-sig")
