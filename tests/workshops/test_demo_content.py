"""The workshops' demo content: fixtures/060_workshops.json (the records of seeds 000 and
001 and an example udviklingsrum) and create_demo_workshops (the upcoming examples)."""

import datetime
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from initiatives.models import Initiative
from workshops.models import DevelopmentRoom, Workshop, WorkshopPoint

FIXTURE_DIR = Path(__file__).parents[2] / "fixtures"
FIXTURES = sorted(str(p) for p in FIXTURE_DIR.glob("0*.json"))
OWN_FIXTURE = FIXTURE_DIR / "060_workshops.json"
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
FULLTIME_SLUG = "fuldtidsfacilitatorernes-workshop-december-2025"
FREEDOM_SLUG = "workshop-faglighed-og-frisaettelse"
ROOM_SLUG = "udviklingsrum-opgaver-efter-kompetencer"
DEMO_SLUGS = [
    "opfoelgning-fuldtidsmaal-2026",
    "udviklingsrum-3-naeste-skridt",
    "del-det-der-virker",
]
FIVE_APPROACHES = [
    "Faggrænser og professionalitet",
    "Selvorganisering",
    "Frisættende ledelse",
    "Systematisk forbedringsarbejde",
    "Udvikling af arbejdsmiljøet",
]
Kind = WorkshopPoint.Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    call_command("loaddata", *FIXTURES, verbosity=0)


def points(workshop, kind, group=None):
    found = workshop.points.filter(kind=kind)
    if group is not None:
        found = found.filter(group=group)
    return list(found.values_list("text", flat=True))


def test_the_fixtures_load_after_the_existing_ones_and_again_without_duplicates(loaded):
    counts = (Workshop.objects.count(), WorkshopPoint.objects.count(), Initiative.objects.count())
    assert counts[0] >= 5 and counts[1] >= 60
    call_command("loaddata", *FIXTURES, verbosity=0)  # `make run` loads them every time
    again = (Workshop.objects.count(), WorkshopPoint.objects.count(), Initiative.objects.count())
    assert again == counts


def test_every_workshop_room_and_point_is_sourced_and_valid(loaded):
    assert Workshop.objects.exists() and DevelopmentRoom.objects.exists()
    for workshop in Workshop.objects.all():
        assert workshop.source, workshop.slug
        assert workshop.is_published, workshop.slug
        workshop.full_clean()
    for room in DevelopmentRoom.objects.all():
        assert room.source, room.slug
        room.full_clean()
    for point in WorkshopPoint.objects.all():
        point.full_clean()
    for initiative in Initiative.objects.filter(development_rooms__isnull=False):
        initiative.full_clean()


def test_the_fixture_datetimes_are_aware_and_nothing_is_placeholder_text():
    for item in json.loads(OWN_FIXTURE.read_text(encoding="utf-8")):
        for name, value in item["fields"].items():
            if name.endswith("_at") and value:
                parsed = datetime.datetime.fromisoformat(value)
                assert parsed.utcoffset() is not None, (item["model"], name, value)
            if isinstance(value, str):
                words = set(value.lower().split())
                assert not words & {"lorem", "ipsum", "todo", "tbd", "xxx"}, value[:80]


def test_the_fulltime_facilitators_workshop_has_its_look_back_and_goals_for_2026(loaded):
    workshop = Workshop.objects.get(slug=FULLTIME_SLUG)
    start = workshop.starts_at.astimezone(COPENHAGEN)
    assert (start.year, start.month) == (2025, 12) and start.day <= 10
    assert workshop.kind == Workshop.Kind.CROSS_REGIONAL
    assert not workshop.is_example and not workshop.is_upcoming
    assert "Videndeling på tværs af regioner" in workshop.source
    assert "8 idéer på 8 minutter" in workshop.method_notes
    # The article gives no head count and names no region: nothing is made up.
    assert workshop.participant_count is None
    assert not workshop.regions.exists()

    goals = " ".join(points(workshop, Kind.GOAL))
    for goal in ["banke-banke-på-dag", "intranet", "øverste chef", "data", "LinkedIn"]:
        assert goal in goals, goal
    assert len(points(workshop, Kind.OUTCOME)) >= 5
    assert "fuldtid" in workshop.themes.values_list("slug", flat=True)
    assert workshop.related_initiatives.filter(slug="banke-banke-paa-dag-fuldtid").exists()


def test_the_workshop_on_professionalism_has_dos_and_donts_per_group(loaded):
    workshop = Workshop.objects.get(slug=FREEDOM_SLUG)
    assert "Faglighed og frisættelse" in workshop.source
    assert workshop.participant_count == 40
    assert workshop.regions.count() == 5
    assert {"ledere", "tillidsvalgte"} <= set(
        workshop.professional_groups.values_list("slug", flat=True)
    )
    groups = set(workshop.points.exclude(group="").values_list("group", flat=True))
    assert groups == set(FIVE_APPROACHES)
    for group in FIVE_APPROACHES:
        assert points(workshop, Kind.DO, group), group
        assert points(workshop, Kind.DONT, group), group
        assert points(workshop, Kind.HELPS, group) or points(workshop, Kind.IDEA, group), group
    assert len(points(workshop, Kind.HELPS)) >= 5
    assert len(points(workshop, Kind.HINDERS)) >= 4
    ideas = " ".join(points(workshop, Kind.IDEA))
    for idea in ["Podcasts", "dilemmaspil", "konference", "Ambassadører"]:
        assert idea.lower() in ideas.lower(), idea
    assert len(points(workshop, Kind.OUTCOME, group="")) >= 6  # the six themes

    themes = set(workshop.themes.values_list("slug", flat=True))
    assert {"selvorganisering", "frisaettende-ledelse", "kerneopgaven-som-kompas"} <= themes
    assert workshop.related_cases.filter(slug="vaelg-klogt-udvikling-med-afsaet-i-praksis")


def test_the_example_udviklingsrum_is_shaped_as_the_call_describes(loaded):
    room = DevelopmentRoom.objects.get(slug=ROOM_SLUG)
    assert room.is_example and room.is_published
    assert "Rette kompetencer til rette opgaver" in room.source
    assert room.phase == DevelopmentRoom.Phase.RUNNING
    initiatives = list(room.initiatives.all())
    assert DevelopmentRoom.MIN_INITIATIVES <= len(initiatives) <= DevelopmentRoom.MAX_INITIATIVES
    assert all(initiative.is_published and initiative.source for initiative in initiatives)
    invented = [i for i in initiatives if i.slug.startswith("eksempel-")]
    assert invented and all(i.title.startswith("Eksempel:") for i in invented)

    meetings = list(room.meetings.order_by("starts_at"))
    assert len(meetings) == 3
    assert all(m.kind == Workshop.Kind.DEVELOPMENT_ROOM and m.is_example for m in meetings)
    assert all(not m.is_upcoming for m in meetings)
    assert meetings[-1].starts_at - meetings[0].starts_at < datetime.timedelta(days=120)


def upcoming_examples():
    return Workshop.objects.filter(slug__in=DEMO_SLUGS).order_by("starts_at")


def test_the_command_makes_upcoming_examples_with_open_registration(loaded):
    call_command("create_demo_workshops", verbosity=0)

    demos = list(upcoming_examples())
    assert [w.slug for w in demos] and {w.slug for w in demos} == set(DEMO_SLUGS)
    for workshop in demos:
        assert workshop.is_upcoming and workshop.is_example and workshop.is_published
        assert workshop.registration_open and workshop.capacity
        assert workshop.takes_registrations
        assert workshop.source
        workshop.full_clean()
        local = workshop.starts_at.astimezone(COPENHAGEN)
        assert local.weekday() < 5 and 8 <= local.hour <= 14, local

    follow_up = Workshop.objects.get(slug="opfoelgning-fuldtidsmaal-2026")
    assert "Videndeling på tværs af regioner" in follow_up.source
    assert follow_up.related_initiatives.filter(slug="banke-banke-paa-dag-fuldtid").exists()
    room = DevelopmentRoom.objects.get(slug=ROOM_SLUG)
    assert room.meetings.count() == 4
    assert list(room.meetings.upcoming()) == [Workshop.objects.get(slug=DEMO_SLUGS[1])]
    assert room.meetings.get(slug=DEMO_SLUGS[1]).kind == Workshop.Kind.DEVELOPMENT_ROOM


def test_the_command_is_idempotent_and_keeps_changes_to_an_upcoming_example(loaded):
    call_command("create_demo_workshops", verbosity=0)
    before = {w.slug: (w.pk, w.starts_at, w.sequence) for w in upcoming_examples()}
    Workshop.objects.filter(slug="del-det-der-virker").update(registration_open=False)

    call_command("create_demo_workshops", verbosity=0)

    after = {w.slug: (w.pk, w.starts_at, w.sequence) for w in upcoming_examples()}
    assert after == before
    assert not Workshop.objects.get(slug="del-det-der-virker").registration_open
    assert Workshop.objects.filter(is_example=True, kind="development_room").count() == 4


def test_the_command_moves_an_example_that_has_passed_forward_again(loaded):
    call_command("create_demo_workshops", verbosity=0)
    version = Workshop.objects.get(slug=DEMO_SLUGS[0]).sequence
    passed = timezone.now() - datetime.timedelta(days=3)
    Workshop.objects.filter(slug=DEMO_SLUGS[0]).update(
        starts_at=passed, ends_at=passed + datetime.timedelta(hours=5)
    )

    call_command("create_demo_workshops", verbosity=0)

    moved = Workshop.objects.get(slug=DEMO_SLUGS[0])
    assert moved.is_upcoming and moved.starts_at > timezone.now()
    assert moved.sequence > version  # subscribers' calendars take the new date


def test_the_command_says_what_is_missing_without_the_fixtures(db):
    with pytest.raises(CommandError, match="loaddata"):
        call_command("create_demo_workshops", verbosity=0)
    assert not Workshop.objects.exists()
