"""Factories for workshops, their record points and udviklingsrum courses.

Shared by every workshops test file; add fixtures of your own in your test file or by a
targeted append here.
"""

import datetime
import itertools

import pytest
from django.utils import timezone
from django.utils.text import slugify

from initiatives.models import Initiative
from workshops.models import DevelopmentRoom, Workshop, WorkshopPoint

_sequence = itertools.count(1)


def _unique(prefix):
    return f"{prefix} {next(_sequence)}"


@pytest.fixture
def make_workshop(db):
    """A published workshop; by default a tværregional workshop 30 days from now.

    Pass `days` (negative for the past) to move it, or starts_at/ends_at explicitly;
    themes, regions, professions, cases and initiatives as lists of objects; points as
    (kind, text) or (kind, text, group) tuples.
    """

    def make(
        title=None,
        days=30,
        themes=(),
        regions=(),
        professions=(),
        cases=(),
        initiatives=(),
        points=(),
        **fields,
    ):
        title = title or _unique("Workshop")
        fields.setdefault("slug", slugify(title))
        fields.setdefault("kind", Workshop.Kind.CROSS_REGIONAL)
        fields.setdefault("summary", f"Kort om {title}.")
        fields.setdefault("organiser", "Sekretariatet")
        fields.setdefault("purpose", f"Formålet med {title}.")
        fields.setdefault("venue", "Regionshuset Viborg, mødelokale 1")
        if "starts_at" not in fields:
            start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
            fields["starts_at"] = start + datetime.timedelta(days=days)
        fields.setdefault("ends_at", fields["starts_at"] + datetime.timedelta(hours=6))
        workshop = Workshop.objects.create(title=title, **fields)
        if themes:
            workshop.themes.set(list(themes))
        if regions:
            workshop.regions.set(list(regions))
        if professions:
            workshop.professional_groups.set(list(professions))
        if cases:
            workshop.related_cases.set(list(cases))
        if initiatives:
            workshop.related_initiatives.set(list(initiatives))
        for position, point in enumerate(points):
            kind, text, *group = point
            WorkshopPoint.objects.create(
                workshop=workshop,
                kind=kind,
                text=text,
                group=group[0] if group else "",
                position=position,
            )
        return workshop

    return make


@pytest.fixture
def make_open_workshop(make_workshop):
    """An upcoming workshop that takes registrations, with `capacity` seats."""

    def make(title=None, capacity=2, **fields):
        return make_workshop(title, capacity=capacity, registration_open=True, **fields)

    return make


@pytest.fixture
def make_initiative(db, make_region):
    """A published initiative (a department) to put in an udviklingsrum."""

    def make(title=None, region=None, themes=(), **fields):
        title = title or _unique("Initiativ")
        fields.setdefault("slug", slugify(title))
        fields.setdefault("summary", f"Kort om {title}.")
        fields.setdefault("description", f"Første afsnit om {title}.")
        fields.setdefault("institution", "Testhospitalet")
        fields.setdefault("department", "Medicinsk afdeling")
        fields.setdefault("is_published", True)
        initiative = Initiative.objects.create(
            title=title, region=region or make_region(), **fields
        )
        if themes:
            initiative.themes.set(list(themes))
        return initiative

    return make


@pytest.fixture
def make_development_room(db, make_initiative):
    """A published udviklingsrum with `members` initiatives (3 by default, made here
    unless `initiatives` are given)."""

    def make(title=None, initiatives=None, members=3, **fields):
        title = title or _unique("Udviklingsrum")
        fields.setdefault("slug", slugify(title))
        fields.setdefault("summary", f"Kort om {title}.")
        fields.setdefault("phase", DevelopmentRoom.Phase.RUNNING)
        room = DevelopmentRoom.objects.create(title=title, **fields)
        if initiatives is None:
            initiatives = [make_initiative() for _ in range(members)]
        room.initiatives.set(list(initiatives))
        return room

    return make


@pytest.fixture
def make_room_meeting(make_workshop):
    """A workshop of kind udviklingsrum-møde belonging to `room`."""

    def make(room, title=None, **fields):
        fields.setdefault("kind", Workshop.Kind.DEVELOPMENT_ROOM)
        return make_workshop(title, development_room=room, **fields)

    return make
