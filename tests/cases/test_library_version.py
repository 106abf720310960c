"""Whether the case library changed is a counter in the database, bumped in the change's
transaction: every server sees a change on its next request, whatever its clock says,
and a change rolled back never counted."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from cases.facets import FacetIndex
from cases.models import Case, library_version

PROJECT = Path(__file__).resolve().parents[2]


def listed(client, **params):
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    return [case.slug for case in response.context["cases"]]


# A second app server whose clock is an hour behind moves a case to another sector.
CHANGE_IN_ANOTHER_PROCESS = """
import datetime
import django
django.setup()
from django.utils import timezone
from cases.models import Case
from portal.models import Sector

real_now = timezone.now
timezone.now = lambda: real_now() - datetime.timedelta(hours=1)
case = Case.objects.get(slug="beta")
case.sector = Sector.objects.get(slug="sygehus")
case.save()
print("ok")
"""


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_change_saved_by_another_server_shows_on_the_next_request(client, make_case, make_sector):
    hospital, elderly_care = make_sector("Sygehus"), make_sector("Ældrepleje")
    make_case("Alfa", sector=hospital)
    make_case("Beta", sector=elderly_care)
    assert listed(client, sector="sygehus") == ["alfa"]
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
        f"{db['PORT']}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", CHANGE_IN_ANOTHER_PROCESS],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    assert sorted(listed(client, sector="sygehus")) == ["alfa", "beta"]


def test_a_change_rolled_back_does_not_count(client, make_case, make_theme):
    theme = make_theme("Fuldtid")
    case = make_case("Alfa", themes=[theme])
    listed(client)
    before, index = library_version(), FacetIndex.current()

    with pytest.raises(RuntimeError), transaction.atomic():
        case.themes.clear()
        case.title = "Ændret"
        case.save()
        assert library_version() != before
        raise RuntimeError("the edit fails")

    assert library_version() == before
    assert FacetIndex.current() is index
    assert listed(client, theme="fuldtid") == ["alfa"]


def test_every_kind_of_change_counts(make_case, make_theme, make_region, make_profession):
    theme, region, group = make_theme("Fuldtid"), make_region("Nord"), make_profession("Læger")
    case = make_case("Alfa")
    changes = [
        lambda: case.themes.add(theme),
        lambda: case.other_regions.add(region),
        lambda: case.professional_groups.add(group),
        lambda: group.cases.remove(case),
        lambda: Case.objects.filter(pk=case.pk).update(lead="Nyt resumé"),
        lambda: setattr(theme, "name", "Fuldtidsansættelse") or theme.save(),
        lambda: setattr(region, "name", "Nordjylland") or region.save(),
        lambda: make_case("Beta"),
        lambda: Case.objects.bulk_create([Case(title="Tredje", slug="tredje", sector=case.sector)]),
        lambda: Case.objects.filter(slug="tredje").delete(),
        lambda: case.delete(),
    ]
    seen = [library_version()]
    for change in changes:
        change()
        seen.append(library_version())
    assert len(set(seen)) == len(seen)


def test_loaddata_counts_as_a_change(client, make_case, tmp_path):
    case = make_case("Alfa")
    fixture = tmp_path / "cases.json"
    call_command("dumpdata", "cases.case", "cases.themedcase", output=str(fixture), verbosity=0)
    case.delete()
    assert listed(client) == []
    before = library_version()

    call_command("loaddata", str(fixture), verbosity=0)

    assert library_version() != before
    assert listed(client) == ["alfa"]
