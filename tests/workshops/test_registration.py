"""Registering for a workshop: seats and the waiting list, one registration per address,
the form's errors, double clicks, the limit per client, cancelling by the mailed link and
moving up from the waiting list, and who gets which mail."""

import datetime
import re
import uuid

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from workshops import registration as seats
from workshops.models import Registration

Status = Registration.Status
SITE = "http://testserver/"


@pytest.fixture
def person(make_region, make_profession):
    region, profession = make_region("Region Midtjylland"), make_profession("Sygeplejersker")

    def make(name="Anna Andersen", email=None, **fields):
        email = email or f"{name.split()[0].lower()}@example.dk"
        data = {
            "name": name,
            "email": email,
            "workplace": "Hospitalsenheden Vest",
            "region": region,
            "professional_group": profession,
            "dietary_needs": "",
            "consents_to_participant_list": True,
        }
        data.update(fields)
        return data

    return make


def form_data(data, token=None):
    """The POST body of the registration form for `data` (a `person`)."""
    body = {
        **data,
        "region": data["region"].pk if data.get("region") else "",
        "professional_group": (
            data["professional_group"].pk if data.get("professional_group") else ""
        ),
        "form_token": str(token or uuid.uuid4()),
    }
    if not body["consents_to_participant_list"]:
        del body["consents_to_participant_list"]
    return body


def register(workshop, data, capture, **kwargs):
    with capture(execute=True):
        return seats.register(workshop, data, SITE, **kwargs).registration


def cancel_link(mail):
    found = re.search(r"http://testserver(/workshops/tilmelding/afmeld/[^/\s]+/)", mail.body)
    return found.group(1)


# -- Seats and the waiting list --------------------------------------------------------------


def test_seats_are_confirmed_while_left_then_the_waiting_list_in_order(
    make_open_workshop, person, django_capture_on_commit_callbacks, mailoutbox
):
    workshop = make_open_workshop(capacity=2)
    people = [person(name) for name in ("Anna A", "Bent B", "Carl C", "Dorte D")]
    made = [register(workshop, data, django_capture_on_commit_callbacks) for data in people]

    assert [r.status for r in made] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.WAITLISTED,
    ]
    assert made[0].confirmed_at is not None and made[2].confirmed_at is None
    assert workshop.seats_left == 0
    assert [m.to for m in mailoutbox] == [[p["email"]] for p in people]
    assert mailoutbox[0].subject == f"Du er tilmeldt: {workshop.title}"
    assert mailoutbox[2].subject == f"Du er på venteliste: {workshop.title}"
    assert "Du har fået en plads" in mailoutbox[0].body
    assert "skrevet på ventelisten" in mailoutbox[2].body
    assert "ventelisten" not in mailoutbox[0].body.split("afmeld dig her")[0]


def test_one_active_registration_per_address_whatever_its_case(
    make_open_workshop, person, django_capture_on_commit_callbacks, mailoutbox
):
    workshop = make_open_workshop(capacity=5)
    first = register(workshop, person(email="anna@example.dk"), django_capture_on_commit_callbacks)
    with pytest.raises(seats.AlreadyRegistered, match="allerede en tilmelding"):
        register(workshop, person(email=" ANNA@Example.DK"), django_capture_on_commit_callbacks)
    assert workshop.registrations.count() == 1
    assert len(mailoutbox) == 1

    # Another workshop is another matter, and after cancelling one may sign up again.
    register(
        make_open_workshop(), person(email="anna@example.dk"), django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=True):
        seats.cancel(first, SITE)
    again = register(workshop, person(email="Anna@example.dk"), django_capture_on_commit_callbacks)
    assert again.status == Status.CONFIRMED


@pytest.mark.parametrize(
    "fields",
    [
        {"registration_open": False},
        {"capacity": None, "registration_open": False},
        {"days": -2},
    ],
    ids=["closed", "no-capacity", "past"],
)
def test_no_registration_unless_the_workshop_takes_registrations(
    make_workshop, person, fields, django_capture_on_commit_callbacks
):
    fields = {"capacity": 10, "registration_open": True, **fields}
    workshop = make_workshop(**fields)
    with pytest.raises(seats.RegistrationClosed):
        register(workshop, person(), django_capture_on_commit_callbacks)
    assert not Registration.objects.exists()


def test_the_same_form_token_twice_is_one_registration(
    make_open_workshop, person, django_capture_on_commit_callbacks, mailoutbox
):
    workshop = make_open_workshop()
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = seats.register(workshop, person(), SITE, form_token=token)
        second = seats.register(workshop, person(), SITE, form_token=token)
    assert first.created and not second.created
    assert second.registration.pk == first.registration.pk
    assert len(mailoutbox) == 1


# -- Cancelling and moving up ----------------------------------------------------------------


def test_a_cancelled_seat_goes_to_the_first_on_the_waiting_list_who_is_told(
    make_open_workshop, person, django_capture_on_commit_callbacks, mailoutbox
):
    workshop = make_open_workshop(capacity=1)
    capture = django_capture_on_commit_callbacks
    holder = register(workshop, person("Anna A"), capture)
    first_waiting = register(workshop, person("Bent B"), capture)
    second_waiting = register(workshop, person("Carl C"), capture)
    mailoutbox.clear()

    with capture(execute=True):
        moved = seats.cancel(holder, SITE)

    assert moved == [first_waiting]
    holder.refresh_from_db()
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert holder.status == Status.CANCELLED and holder.cancelled_at is not None
    assert first_waiting.status == Status.CONFIRMED and first_waiting.confirmed_at
    assert second_waiting.status == Status.WAITLISTED
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["anna@example.dk"], f"Du er afmeldt: {workshop.title}"),
        (["bent@example.dk"], f"Du har fået en plads: {workshop.title}"),
    ]
    assert "rykket op fra ventelisten" in mailoutbox[1].body


def test_cancelling_from_the_waiting_list_moves_nobody_up(
    make_open_workshop, person, django_capture_on_commit_callbacks
):
    workshop = make_open_workshop(capacity=1)
    capture = django_capture_on_commit_callbacks
    register(workshop, person("Anna A"), capture)
    waiting = register(workshop, person("Bent B"), capture)
    later = register(workshop, person("Carl C"), capture)
    with capture(execute=True):
        assert seats.cancel(waiting, SITE) == []
    later.refresh_from_db()
    assert later.status == Status.WAITLISTED
    assert workshop.seats_left == 0


def test_cancelling_twice_or_after_the_start_is_refused(
    make_open_workshop, person, django_capture_on_commit_callbacks
):
    workshop = make_open_workshop(capacity=1)
    capture = django_capture_on_commit_callbacks
    registration = register(workshop, person(), capture)
    with capture(execute=True):
        seats.cancel(registration, SITE)
    with pytest.raises(seats.AlreadyCancelled), capture(execute=True):
        seats.cancel(registration, SITE)

    other = register(workshop, person("Bent B"), capture)
    workshop.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    workshop.save()
    with pytest.raises(seats.WorkshopStarted), capture(execute=True):
        seats.cancel(other, SITE)
    other.refresh_from_db()
    assert other.status == Status.CONFIRMED


def test_more_seats_move_the_waiting_list_up(
    make_open_workshop, person, django_capture_on_commit_callbacks, mailoutbox
):
    workshop = make_open_workshop(capacity=1)
    capture = django_capture_on_commit_callbacks
    made = [register(workshop, person(name), capture) for name in ("Anna A", "Bent B", "Carl C")]
    mailoutbox.clear()
    workshop.capacity = 2
    workshop.save()
    with capture(execute=True):
        moved = seats.promote_waitlisted(workshop, SITE)
    assert moved == [made[1]]
    assert [m.to for m in mailoutbox] == [["bent@example.dk"]]


# -- The cancellation link -------------------------------------------------------------------


def test_a_token_names_its_registration_and_nothing_else(
    make_open_workshop, person, django_capture_on_commit_callbacks
):
    registration = register(make_open_workshop(), person(), django_capture_on_commit_callbacks)
    token = seats.cancel_token(registration)
    assert seats.registration_for_token(token) == registration

    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        signing.dumps([registration.pk, "0" * 16], salt=seats.CANCEL_SALT),
        signing.dumps([registration.pk, "x"], salt="other.salt"),
        signing.dumps("nonsense", salt=seats.CANCEL_SALT),
        "",
        "a" * 5000,
    ]
    for bad in forged:
        with pytest.raises(seats.InvalidToken):
            seats.registration_for_token(bad)

    registration.delete()
    with pytest.raises(seats.InvalidToken):
        seats.registration_for_token(token)


# -- The pages ----------------------------------------------------------------------------


def test_the_register_page_offers_the_form_only_while_registration_is_open(
    client, make_open_workshop, make_workshop
):
    workshop = make_open_workshop(capacity=3)
    page = client.get(reverse("workshops:register", args=[workshop.slug]))
    assert page.status_code == 200
    assert "Der er 3 ledige pladser" in page.content.decode()
    assert 'name="form_token"' in page.content.decode()

    closed = make_workshop(capacity=3, registration_open=False)
    page = client.get(reverse("workshops:register", args=[closed.slug]))
    assert page.status_code == 200
    assert "Der er ikke åbent for tilmelding" in page.content.decode()
    assert "<form" not in page.content.decode().split("</header>")[-1].split("<footer")[0]

    past = make_workshop(capacity=3, registration_open=True, days=-10)
    assert (
        "Workshoppen er afholdt"
        in client.get(reverse("workshops:register", args=[past.slug])).content.decode()
    )

    hidden = make_open_workshop(is_published=False)
    assert client.get(reverse("workshops:register", args=[hidden.slug])).status_code == 404


def test_registering_on_the_page_says_which_and_mails_after_commit(
    client, make_open_workshop, person, django_capture_on_commit_callbacks, mailoutbox
):
    workshop = make_open_workshop(capacity=1)
    url = reverse("workshops:register", args=[workshop.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(person("Anna A")))
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:registered", args=[workshop.slug])
    receipt = client.get(response["Location"]).content.decode()
    assert "Du er tilmeldt" in receipt and "anna@example.dk" in receipt
    assert [m.to for m in mailoutbox] == [["anna@example.dk"]]

    other = client.__class__()
    with django_capture_on_commit_callbacks(execute=True):
        response = other.post(url, form_data(person("Bent B")))
    receipt = other.get(response["Location"]).content.decode()
    assert "Du er på ventelisten" in receipt
    assert "anna@example.dk" not in receipt
    assert mailoutbox[-1].subject.startswith("Du er på venteliste")

    # A browser that registered nothing sees no one's receipt.
    stranger = client.__class__().get(reverse("workshops:registered", args=[workshop.slug]))
    assert stranger.status_code == 302


def test_form_errors_are_danish_keep_what_was_typed_and_save_nothing(
    client, make_open_workshop, person
):
    workshop = make_open_workshop()
    url = reverse("workshops:register", args=[workshop.slug])
    data = form_data(person(name="  ", email="ikke-en-adresse", workplace="Vest" * 80))
    data["region"] = "999999"
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Skriv dit navn." in page
    assert "Skriv en gyldig e-mailadresse" in page
    assert "Højst 200 tegn" in page
    assert "Vælg en af mulighederne på listen." in page
    assert 'value="ikke-en-adresse"' in page
    assert data["form_token"] in page
    assert not Registration.objects.exists()


def test_a_second_registration_with_the_same_address_is_a_danish_error_on_the_page(
    client, make_open_workshop, person, django_capture_on_commit_callbacks
):
    workshop = make_open_workshop()
    url = reverse("workshops:register", args=[workshop.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form_data(person(email="anna@example.dk")))
        response = client.post(url, form_data(person(name="Anna To", email="ANNA@example.dk")))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Der er allerede en tilmelding med denne e-mailadresse" in page
    assert 'value="Anna To"' in page
    assert workshop.registrations.count() == 1


def test_a_double_click_registers_once_and_both_answers_show_the_receipt(
    client, make_open_workshop, person, django_capture_on_commit_callbacks, mailoutbox
):
    workshop = make_open_workshop()
    url = reverse("workshops:register", args=[workshop.slug])
    data = form_data(person())
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        second = client.post(url, data)
    assert first["Location"] == second["Location"]
    assert workshop.registrations.count() == 1
    assert len(mailoutbox) == 1


def test_each_client_may_register_only_so_often(
    client, settings, make_open_workshop, person, django_capture_on_commit_callbacks
):
    settings.WORKSHOP_REGISTRATIONS_PER_CLIENT = 2
    workshop = make_open_workshop(capacity=10)
    url = reverse("workshops:register", args=[workshop.slug])
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("Anna A", "Bent B"):
            assert client.post(url, form_data(person(name))).status_code == 302
        response = client.post(url, form_data(person("Carl C")))
    assert response.status_code == 429
    assert "Prøv igen om" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert workshop.registrations.count() == 2
    # Another client is not held back.
    other = client.post(url, form_data(person("Dorte D")), REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 302


def test_trying_addresses_that_are_registered_counts_against_the_limit(
    client, settings, make_open_workshop, person, django_capture_on_commit_callbacks
):
    """Otherwise anyone could try address after address to learn who is registered."""
    settings.WORKSHOP_REGISTRATIONS_PER_CLIENT = 3
    workshop = make_open_workshop(capacity=10)
    url = reverse("workshops:register", args=[workshop.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form_data(person("Anna A")), REMOTE_ADDR="10.1.1.1")
    for _ in range(3):
        response = client.post(url, form_data(person("Anna A")))
        assert "allerede en tilmelding" in response.content.decode()
    assert client.post(url, form_data(person("Anna A"))).status_code == 429


def test_cancelling_by_the_mailed_link(
    client, make_open_workshop, person, django_capture_on_commit_callbacks, mailoutbox
):
    workshop = make_open_workshop(capacity=1)
    capture = django_capture_on_commit_callbacks
    register(workshop, person("Anna A"), capture)
    waiting = register(workshop, person("Bent B"), capture)
    link = cancel_link(mailoutbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert "Ja, afmeld mig" in page.content.decode()
    assert Registration.objects.filter(status=Status.CANCELLED).count() == 0

    with capture(execute=True):
        response = client.post(link)
        again = client.post(link)  # a double click
    assert response.status_code == again.status_code == 302
    done = client.get(link).content.decode()
    assert "Du er afmeldt" in done
    assert "Du var allerede afmeldt. Der er ikke sendt en ny e-mail." in done
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert [m.to for m in mailoutbox[2:]] == [["anna@example.dk"], ["bent@example.dk"]]

    # The one who moved up can cancel from the mail that told them.
    assert cancel_link(mailoutbox[-1]) != link
    assert client.get(cancel_link(mailoutbox[-1])).status_code == 200


@pytest.mark.parametrize("token", ["nonsense", "1:abc:def", "x" * 300, "%00"])
def test_a_bad_cancellation_link_gets_a_danish_page(client, db, token):
    response = client.get(reverse("workshops:cancel", args=[token]))
    assert response.status_code == 400
    assert "Linket til afmelding er ugyldigt" in response.content.decode()
    assert client.post(reverse("workshops:cancel", args=[token])).status_code == 400


def test_a_cancellation_link_after_the_start_says_so(
    client, make_open_workshop, person, django_capture_on_commit_callbacks, mailoutbox
):
    workshop = make_open_workshop()
    registration = register(workshop, person(), django_capture_on_commit_callbacks)
    workshop.starts_at = timezone.now() - datetime.timedelta(hours=1)
    workshop.save()
    link = cancel_link(mailoutbox[0])
    response = client.post(link)
    assert response.status_code == 200
    assert "kan ikke længere afmeldes" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_mails_go_only_to_the_address_that_registered(
    make_open_workshop, person, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.SECRETARIAT_EMAIL = "sekretariat@example.dk"
    workshop = make_open_workshop()
    register(workshop, person(email="anna@example.dk"), django_capture_on_commit_callbacks)
    (mail,) = mailoutbox
    assert mail.to == ["anna@example.dk"]
    assert mail.cc == [] and mail.bcc == []
    assert mail.reply_to == ["sekretariat@example.dk"]
    assert "\n" not in mail.subject


@pytest.mark.parametrize("slug", ["afmeld", "tilmelding", "kalender"])
def test_a_workshop_slug_never_reads_as_another_page(client, make_open_workshop, slug):
    workshop = make_open_workshop(slug=slug)
    page = client.get(reverse("workshops:register", args=[workshop.slug]))
    assert 'name="form_token"' in page.content.decode()
    assert client.get(reverse("workshops:ics", args=[workshop.slug])).status_code == 200
