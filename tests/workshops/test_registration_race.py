"""People taking the last seats at the same instant, on PostgreSQL: never more confirmed
than there are seats, the rest waitlisted, and one mail each saying which."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from workshops import registration as seats
from workshops.models import Registration

Status = Registration.Status
SITE = "http://testserver/"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite locks the whole database file; parallel registrations need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def person(n):
    return {
        "name": f"Deltager {n}",
        "email": f"deltager{n}@example.dk",
        "workplace": "Regionshospitalet",
        "dietary_needs": "",
        "consents_to_participant_list": False,
    }


def at_once(count, work):
    """Run work(n) for n in range(count) in as many threads, all released together."""
    barrier = threading.Barrier(count)

    def run(n):
        try:
            barrier.wait(timeout=30)
            return work(n)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_two_people_taking_the_last_seat_at_once_end_as_one_confirmed_one_waitlisted(
    make_open_workshop, mailoutbox
):
    workshop = make_open_workshop(capacity=1)
    for _ in range(10):  # the same instant, again and again
        Registration.objects.all().delete()
        mailoutbox.clear()
        results = at_once(2, lambda n: seats.register(workshop, person(n), SITE).registration)
        assert sorted(r.status for r in results) == [Status.CONFIRMED, Status.WAITLISTED]
        assert sorted(Registration.objects.values_list("status", flat=True)) == [
            Status.CONFIRMED,
            Status.WAITLISTED,
        ]
        subjects = sorted(m.subject.split(":")[0] for m in mailoutbox)
        assert subjects == ["Du er på venteliste", "Du er tilmeldt"]


def test_many_people_at_once_through_the_form_fill_exactly_the_seats(
    make_open_workshop, settings, mailoutbox
):
    settings.WORKSHOP_REGISTRATIONS_PER_CLIENT = 100
    workshop = make_open_workshop(capacity=3)
    url = reverse("workshops:register", args=[workshop.slug])

    def post(n):
        return Client().post(url, {**person(n), "form_token": str(uuid.uuid4())})

    responses = at_once(20, post)

    assert [r.status_code for r in responses] == [302] * 20
    statuses = list(workshop.registrations.values_list("status", flat=True))
    assert statuses.count(Status.CONFIRMED) == 3
    assert statuses.count(Status.WAITLISTED) == 17
    assert len(mailoutbox) == 20
    # The seats went to the first three in line.
    in_order = workshop.registrations.order_by("created_at", "pk")
    assert [r.status for r in in_order[:3]] == [Status.CONFIRMED] * 3


def test_the_same_address_at_once_is_one_registration(make_open_workshop, mailoutbox):
    workshop = make_open_workshop(capacity=5)

    def register(n):
        try:
            return seats.register(workshop, {**person(0), "name": f"Klik {n}"}, SITE)
        except seats.AlreadyRegistered:
            return None

    results = at_once(8, register)
    assert sum(result is not None for result in results) == 1
    assert workshop.registrations.count() == 1
    assert len(mailoutbox) == 1


def test_cancelling_while_others_register_never_overbooks(make_open_workshop, mailoutbox):
    workshop = make_open_workshop(capacity=2)
    holders = [seats.register(workshop, person(n), SITE).registration for n in range(2)]
    waiting = [seats.register(workshop, person(n), SITE).registration for n in range(2, 4)]

    def work(n):
        if n < 2:
            return seats.cancel(holders[n], SITE)
        return seats.register(workshop, person(10 + n), SITE).registration

    at_once(8, work)
    confirmed = workshop.registrations.filter(status=Status.CONFIRMED)
    assert confirmed.count() == 2
    # The freed seats went to those who were waiting first.
    assert set(confirmed.values_list("pk", flat=True)) == {r.pk for r in waiting}
