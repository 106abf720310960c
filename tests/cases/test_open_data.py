"""Open data: every published case as CSV and JSON, read back and compared to the database
(issue 16)."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import open_data
from cases.models import Case
from portal.models import Theme

pytestmark = pytest.mark.django_db

SITE_URL = "https://arbejdsliv.example.dk"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE_URL


def download(client, name):
    response = client.get(reverse(f"cases:{name}"))
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content)


def read_csv(client):
    response, content = download(client, "data_csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="cases.csv"' in response["Content-Disposition"]
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def read_json(client):
    response, content = download(client, "data_json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(content)


@pytest.fixture
def two_regions(library, make_region):
    """The coaching case also in Region Sjælland, with a source in full."""
    case = library["cases"]["coaching"]
    case.other_regions.set([make_region("Region Sjælland", slug="sjaelland")])
    Case.objects.filter(pk=case.pk).update(
        source_publisher="Danske Regioner",
        source_reference="Case 7",
        source_year=2024,
        contact_name="Hemmelig Kontaktperson",
        contact_email="kontakt@example.dk",
    )
    return library


def test_json_has_every_published_case_as_in_the_database(client, two_regions):
    data = read_json(client)

    cases = list(Case.objects.published().order_by("pk"))
    assert [record["id"] for record in data["cases"]] == [case.pk for case in cases]
    assert data["url"] == SITE_URL + reverse("cases:list")
    for record, case in zip(data["cases"], cases, strict=True):
        assert record["slug"] == case.slug
        assert record["title"] == case.title
        assert record["url"] == SITE_URL + case.get_absolute_url()
        assert record["lead"] == case.lead
        assert record["place"] == case.place
        assert {t["slug"] for t in record["themes"]} == {t.slug for t in case.themes.all()}
        assert record["region"] == {"slug": case.region.slug, "name": case.region.name}
        assert record["sector"] == {"slug": case.sector.slug, "name": case.sector.name}
        assert {g["name"] for g in record["professional_groups"]} == {
            g.name for g in case.professional_groups.all()
        }
        published = timezone.datetime.fromisoformat(record["published_at"])
        assert abs(published - case.published_at).total_seconds() < 0.001


def test_json_carries_source_and_other_regions(client, two_regions):
    coaching = two_regions["cases"]["coaching"]

    (record,) = [r for r in read_json(client)["cases"] if r["id"] == coaching.pk]

    assert record["other_regions"] == [{"slug": "sjaelland", "name": "Region Sjælland"}]
    assert record["source"] == {
        "title": "Testkilde",
        "publisher": "Danske Regioner",
        "reference": "Case 7",
        "year": 2024,
    }


def test_csv_has_every_published_case_as_in_the_database(client, two_regions):
    rows = read_csv(client)

    coaching = two_regions["cases"]["coaching"]
    cases = list(Case.objects.published().order_by("pk"))
    assert [int(row["ID"]) for row in rows] == [case.pk for case in cases]
    (row,) = [row for row in rows if int(row["ID"]) == coaching.pk]
    assert row["Titel"] == coaching.title
    assert row["Link"] == SITE_URL + coaching.get_absolute_url()
    assert row["Resumé"] == coaching.lead
    themes = Theme.objects.filter(themed_cases__content_object=coaching).order_by("name")
    assert row["Temaer"].split("; ") == [theme.name for theme in themes]
    assert row["Region"] == "Region Nordjylland"
    assert row["Også i regionerne"] == "Region Sjælland"
    assert row["Sektor"] == "Kommunal ældrepleje"
    assert row["Faggrupper"] == "Ledere"
    assert row["Kilde"] == "Testkilde"
    assert row["Udgiver"] == "Danske Regioner"
    assert row["Case-nummer eller afsnit"] == "Case 7"
    assert row["Udgivelsesår"] == "2024"
    local = timezone.localtime(Case.objects.get(pk=coaching.pk).published_at)
    assert row["Offentliggjort"] == local.strftime("%Y-%m-%d %H:%M")


def test_a_cell_that_looks_like_a_formula_is_defused(client, make_case):
    make_case('=HYPERLINK("https://example.com")', slug="formel")

    (row,) = read_csv(client)

    assert row["Titel"] == '\'=HYPERLINK("https://example.com")'


def test_drafts_scheduled_cases_and_contact_persons_are_not_in_the_data(
    client, two_regions, make_case
):
    make_case("Kladde Kilo", status=Case.Status.DRAFT)
    make_case("Planlagt Lima", published_at=timezone.now() + timezone.timedelta(days=1))

    _response, csv_content = download(client, "data_csv")
    _response, json_content = download(client, "data_json")

    for content in (csv_content.decode("utf-8-sig"), json_content.decode()):
        assert "Kladde Kilo" not in content and "Planlagt Lima" not in content
        assert "Hemmelig Kontaktperson" not in content and "kontakt@example.dk" not in content
        assert two_regions["cases"]["coaching"].title in content


def test_licence_is_said_when_chosen(client, library, settings):
    assert read_json(client)["licence"] is None

    settings.OPEN_DATA_LICENCE = "CC BY 4.0"

    assert read_json(client)["licence"] == "CC BY 4.0"


def count_queries(client, name):
    with CaptureQueriesContext(connection) as captured:
        download(client, name)
    return len(captured)


@pytest.mark.parametrize("name", ["data_csv", "data_json"])
def test_query_count_does_not_grow_with_the_library(
    client, make_case, make_theme, make_profession, make_region, make_sector, name, monkeypatch
):
    """Ids (1), then per chunk the cases with region and sector (1) and their themes,
    other regions and groups (3)."""
    monkeypatch.setattr(open_data, "CHUNK_SIZE", 10)
    themes, groups = [make_theme(), make_theme()], [make_profession()]
    region, sector = make_region(), make_sector()

    def add(count):
        for _ in range(count):
            make_case(themes=themes, professions=groups, region=region, sector=sector)

    add(3)
    small = count_queries(client, name)
    add(7)
    one_full_chunk = count_queries(client, name)
    add(15)
    three_chunks = count_queries(client, name)

    assert small == one_full_chunk == 1 + 4
    assert three_chunks == 1 + 3 * 4


def test_case_list_links_open_data(client, library):
    html = client.get(reverse("cases:list")).content.decode()

    assert f'href="{reverse("cases:data_csv")}" download>CSV' in html
    assert f'href="{reverse("cases:data_json")}" type="application/json">JSON' in html
