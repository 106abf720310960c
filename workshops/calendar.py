"""Workshops as iCalendar (RFC 5545): one workshop's `.ics` file and one feed of all
upcoming published workshops to subscribe to.

Times are written in Europe/Copenhagen with its VTIMEZONE, so calendars show 09:00 as
09:00 also across daylight saving. Each event's UID (workshop-<pk>@CALENDAR_UID_DOMAIN)
never changes, and its SEQUENCE (the workshop's `sequence`, bumped on every change people
see) and LAST-MODIFIED tell a subscribed calendar to replace its copy. A workshop taken
off the portal (unpublished) leaves the feed; calendars then drop it on the next refresh.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event, Timezone

from .models import Workshop

TIME_ZONE = zoneinfo.ZoneInfo("Europe/Copenhagen")
PRODID = "-//Sammen om udvikling af de regionale arbejdspladser//Workshops//DA"
# How often a subscribing calendar should look for changes.
REFRESH_INTERVAL = datetime.timedelta(hours=6)


def event_uid(workshop):
    return f"workshop-{workshop.pk}@{settings.CALENDAR_UID_DOMAIN}"


def _location(workshop):
    if workshop.venue and workshop.online_url:
        return f"{workshop.venue} / online: {workshop.online_url}"
    return workshop.venue or workshop.online_url or ""


def event_for(workshop, base_url, stamp):
    event = Event()
    event.add("uid", event_uid(workshop))
    event.add("sequence", workshop.sequence)
    event.add("dtstamp", stamp)
    event.add("last-modified", workshop.updated_at.astimezone(datetime.UTC))
    event.add("created", workshop.created_at.astimezone(datetime.UTC))
    event.add("dtstart", workshop.starts_at.astimezone(TIME_ZONE))
    event.add("dtend", workshop.ends_at.astimezone(TIME_ZONE))
    event.add("summary", workshop.title)
    url = base_url.rstrip("/") + workshop.get_absolute_url()
    event.add("description", f"{workshop.summary}\n\nArrangør: {workshop.organiser}\n\n{url}")
    event.add("url", url)
    location = _location(workshop)
    if location:
        event.add("location", location)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def calendar_for(workshops, base_url, name=None):
    """A VCALENDAR with one VEVENT per workshop and the VTIMEZONE they use."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Copenhagen")
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", REFRESH_INTERVAL)
    now = timezone.now()
    # Always a VTIMEZONE: a calendar needs one component even when no workshop is coming.
    first = min([now, *(w.starts_at for w in workshops)]).astimezone(TIME_ZONE).date()
    last = max([now, *(w.ends_at for w in workshops)]).astimezone(TIME_ZONE).date()
    calendar.add_component(
        Timezone.from_tzid(
            "Europe/Copenhagen",
            first_date=first - datetime.timedelta(days=366),
            last_date=last + datetime.timedelta(days=366),
        )
    )
    stamp = now.astimezone(datetime.UTC).replace(microsecond=0)
    for workshop in workshops:
        calendar.add_component(event_for(workshop, base_url, stamp))
    return calendar


def _response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def workshop_ics(request, slug):
    """One upcoming workshop, to put in one's own calendar."""
    workshop = get_object_or_404(Workshop.objects.published(), slug=slug)
    if not workshop.is_upcoming:
        raise Http404("Workshoppen er afholdt.")
    calendar = calendar_for([workshop], request.build_absolute_uri("/"))
    return _response(calendar, f"{workshop.slug}.ics")


@require_safe
def calendar_feed(request):
    """All upcoming published workshops: the feed to subscribe to."""
    workshops = list(Workshop.objects.published().upcoming().order_by("starts_at", "pk"))
    calendar = calendar_for(
        workshops, request.build_absolute_uri("/"), name=f"Workshops – {settings.SITE_NAME}"
    )
    return _response(calendar, "workshops.ics")
