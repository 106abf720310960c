"""The demo content of `make run`: the fixture and the create_demo_accounts command."""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from initiatives.models import ApplicationRound, Initiative, SupportApplication
from portal.models import Theme

Status = SupportApplication.Status
TAXONOMY = str(settings.BASE_DIR / "fixtures" / "010_taxonomy.json")
INITIATIVES = str(settings.BASE_DIR / "fixtures" / "050_initiatives.json")


def test_fixture_has_the_closed_2024_round_and_published_initiatives_on_themes(db):
    call_command("loaddata", TAXONOMY, INITIATIVES)
    call_command("loaddata", INITIATIVES)  # `make run` loads it every time

    closed = ApplicationRound.objects.get(slug="rette-kompetencer-2024")
    assert closed.closes == datetime.date(2024, 4, 10)
    assert not closed.is_open()
    assert Initiative.objects.published().count() == 3
    assert Initiative.objects.for_theme(Theme.objects.get(slug="selvorganisering")).exists()
    assert all(initiative.source for initiative in Initiative.objects.all())


def test_create_demo_accounts_is_idempotent_and_gives_the_desk_something_to_show(db):
    call_command("loaddata", TAXONOMY, INITIATIVES)
    call_command("create_demo_accounts")
    call_command("create_demo_accounts")

    applicant = authenticate(username="ansoeger@example.dk", password="Demo-Ansoeger-2026")
    secretary = authenticate(username="sekretariat@example.dk", password="Demo-Sekretariat-2026")
    assert applicant is not None and secretary is not None
    assert EmailAddress.objects.get(user=applicant).verified
    assert secretary.is_staff and secretary.groups.filter(name="Sekretariat").exists()
    assert secretary.has_perm("initiatives.review_supportapplication")

    open_round = ApplicationRound.objects.open().get()
    assert open_round.closes > timezone.localdate() + datetime.timedelta(days=60)
    statuses = sorted(SupportApplication.objects.values_list("status", flat=True))
    assert statuses == sorted([Status.SUBMITTED, Status.NEEDS_INFO, Status.GRANTED, Status.DRAFT])
    waiting = SupportApplication.objects.get(status=Status.SUBMITTED)
    assert waiting.days_waiting() > 14
