"""The calendar: one workshop's .ics and the feed of all upcoming workshops, parsed back
with icalendar: Copenhagen times with their VTIMEZONE, stable UIDs, and SEQUENCE and
LAST-MODIFIED that make subscribed calendars take a change."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar):
    return list(calendar.walk("VEVENT"))


def at(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=COPENHAGEN)


@pytest.fixture
def summer_workshop(make_workshop):
    """In summer time (UTC+2): 09:00–15:30 in Copenhagen is 07:00–13:30 UTC."""
    return make_workshop(
        "Opfølgning på målene for 2026",
        starts_at=at(2027, 6, 10, 9),
        ends_at=at(2027, 6, 10, 15, 30),
        venue="Regionshuset Viborg; mødelokale 1, stuen",
    )


def test_a_workshop_as_an_ics_file(client, summer_workshop, settings):
    settings.CALENDAR_UID_DOMAIN = "portal.example.dk"
    response = client.get(reverse("workshops:ics", args=[summer_workshop.slug]))
    assert f'filename="{summer_workshop.slug}.ics"' in response["Content-Disposition"]
    calendar = parse(response)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    (event,) = events(calendar)
    assert str(event["UID"]) == f"workshop-{summer_workshop.pk}@portal.example.dk"
    assert str(event["SUMMARY"]) == "Opfølgning på målene for 2026"
    assert str(event["LOCATION"]) == "Regionshuset Viborg; mødelokale 1, stuen"
    assert str(event["URL"]) == f"http://testserver{summer_workshop.get_absolute_url()}"

    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == at(2027, 6, 10, 9) and end == at(2027, 6, 10, 15, 30)
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert (start.hour, end.hour, end.minute) == (9, 15, 30)
    (timezone_component,) = calendar.walk("VTIMEZONE")
    assert str(timezone_component["TZID"]) == "Europe/Copenhagen"
    assert {c.name for c in timezone_component.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert event.decoded("LAST-MODIFIED").tzinfo is not None
    assert int(event["SEQUENCE"]) == 0


def test_winter_times_are_copenhagen_times_too(client, make_workshop):
    workshop = make_workshop(starts_at=at(2027, 1, 14, 13), ends_at=at(2027, 1, 14, 16))
    (event,) = events(parse(client.get(reverse("workshops:ics", args=[workshop.slug]))))
    start = event.decoded("DTSTART")
    assert start == datetime.datetime(2027, 1, 14, 12, tzinfo=datetime.UTC)
    assert start.astimezone(COPENHAGEN).hour == 13


def test_a_past_or_unpublished_workshop_has_no_ics(client, make_workshop):
    past = make_workshop(days=-3)
    hidden = make_workshop(is_published=False)
    assert client.get(reverse("workshops:ics", args=[past.slug])).status_code == 404
    assert client.get(reverse("workshops:ics", args=[hidden.slug])).status_code == 404


def test_the_feed_holds_every_upcoming_published_workshop_in_order(client, make_workshop):
    later = make_workshop("Senere", days=40)
    sooner = make_workshop("Snart", days=5)
    make_workshop("Afholdt", days=-5)
    make_workshop("Kladde", days=10, is_published=False)
    response = client.get(reverse("workshops:calendar"))
    assert 'filename="workshops.ics"' in response["Content-Disposition"]
    calendar = parse(response)
    assert [str(e["SUMMARY"]) for e in events(calendar)] == ["Snart", "Senere"]
    assert len({str(e["UID"]) for e in events(calendar)}) == 2
    assert str(calendar["X-WR-CALNAME"]).startswith("Workshops")
    assert calendar.walk("VTIMEZONE")
    assert sooner.pk != later.pk


def test_an_empty_feed_is_still_a_valid_calendar(client, db):
    calendar = parse(client.get(reverse("workshops:calendar")))
    assert events(calendar) == []
    assert calendar.walk("VTIMEZONE"), "a VCALENDAR needs at least one component"


def test_a_changed_workshop_keeps_its_uid_and_raises_its_sequence(client, summer_workshop):
    url = reverse("workshops:calendar")
    (before,) = events(parse(client.get(url)))

    summer_workshop.starts_at = at(2027, 6, 10, 10)
    summer_workshop.venue = "Regionshuset Aarhus"
    summer_workshop.save()
    (after,) = events(parse(client.get(url)))

    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("LAST-MODIFIED") >= before.decoded("LAST-MODIFIED")
    assert after.decoded("DTSTART") == at(2027, 6, 10, 10)
    assert str(after["LOCATION"]) == "Regionshuset Aarhus"

    # A change nobody sees in a calendar (the record written afterwards) is no new version.
    summer_workshop.method_notes = "8 idéer på 8 minutter."
    summer_workshop.save()
    (same,) = events(parse(client.get(url)))
    assert int(same["SEQUENCE"]) == int(after["SEQUENCE"])


def test_the_calendar_uid_domain_does_not_follow_the_host_asked(client, summer_workshop, settings):
    settings.CALENDAR_UID_DOMAIN = "portal.example.dk"
    settings.ALLOWED_HOSTS = ["portal.example.dk", "andet.example.dk"]
    url = reverse("workshops:ics", args=[summer_workshop.slug])
    uids = {
        str(events(parse(client.get(url, HTTP_HOST=host)))[0]["UID"])
        for host in ("portal.example.dk", "andet.example.dk")
    }
    assert uids == {f"workshop-{summer_workshop.pk}@portal.example.dk"}


def test_text_with_commas_semicolons_and_new_lines_survives_the_round_trip(client, make_workshop):
    workshop = make_workshop(
        "Faglighed, frisættelse; og ledelse",
        summary="Linje et,\nlinje to; med \\ skråstreg.",
        organiser="Danske Regioner",
    )
    (event,) = events(parse(client.get(reverse("workshops:ics", args=[workshop.slug]))))
    assert str(event["SUMMARY"]) == "Faglighed, frisættelse; og ledelse"
    assert str(event["DESCRIPTION"]).startswith("Linje et,\nlinje to; med \\ skråstreg.")
    assert "Arrangør: Danske Regioner" in str(event["DESCRIPTION"])
