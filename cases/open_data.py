"""Open data: every published case as CSV (for Danish Excel) and as JSON.

One record per case (`case_record`) drives both formats; the CSV's columns are a flat
reading of it (`CSV_COLUMNS`). Both are streamed: the published cases' ids are read
first, then the cases `CHUNK_SIZE` at a time with what they show prefetched, so memory
and the number of queries per chunk stay the same however large the library grows.
Contact persons are left out: the files are about practice, not people.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views import View

from portal.accounts import on_site
from portal.admin_tools import excel_csv_streaming_response

from .models import Case

CHUNK_SIZE = 500
LIST_SEPARATOR = "; "


def published_cases():
    """The published cases in id order, fetched `CHUNK_SIZE` at a time."""
    chunk_size = CHUNK_SIZE
    pks = list(Case.objects.published().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), chunk_size):
        yield from (
            Case.objects.filter(pk__in=pks[start : start + chunk_size])
            .order_by("pk")
            .select_related("region", "sector")
            .prefetch_related("themes", "other_regions", "professional_groups")
            .defer("body", "key_learnings", "dos", "donts")
        )


def _term(obj):
    return {"slug": obj.slug, "name": obj.name} if obj is not None else None


def _by_name(terms):
    """Prefetched terms in name order, so the same case always reads the same."""
    return sorted(terms, key=lambda term: term.name)


def case_record(case):
    """What the open data says about one case, as JSON-ready values."""
    return {
        "id": case.pk,
        "slug": case.slug,
        "title": case.title,
        "url": on_site(case.get_absolute_url()),
        "lead": case.lead,
        "themes": [_term(theme) for theme in _by_name(case.themes.all())],
        "region": _term(case.region),
        "other_regions": [_term(region) for region in _by_name(case.other_regions.all())],
        "sector": _term(case.sector),
        "professional_groups": [_term(group) for group in _by_name(case.professional_groups.all())],
        "place": case.place,
        "source": {
            "title": case.source_title,
            "publisher": case.source_publisher,
            "reference": case.source_reference,
            "year": case.source_year,
        },
        "published_at": case.published_at,
        "updated_at": case.updated_at,
    }


def _names(terms):
    return LIST_SEPARATOR.join(term["name"] for term in terms)


def _local_time(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# (column heading, the cell from the record)
CSV_COLUMNS = [
    ("ID", lambda r: r["id"]),
    ("Kortnavn", lambda r: r["slug"]),
    ("Titel", lambda r: r["title"]),
    ("Link", lambda r: r["url"]),
    ("Resumé", lambda r: r["lead"]),
    ("Temaer", lambda r: _names(r["themes"])),
    ("Region", lambda r: r["region"]["name"] if r["region"] else "Tværregional"),
    ("Også i regionerne", lambda r: _names(r["other_regions"])),
    ("Sektor", lambda r: r["sector"]["name"]),
    ("Faggrupper", lambda r: _names(r["professional_groups"])),
    ("Sted", lambda r: r["place"]),
    ("Kilde", lambda r: r["source"]["title"]),
    ("Udgiver", lambda r: r["source"]["publisher"]),
    ("Case-nummer eller afsnit", lambda r: r["source"]["reference"]),
    ("Udgivelsesår", lambda r: r["source"]["year"]),
    ("Offentliggjort", lambda r: _local_time(r["published_at"])),
    ("Sidst ændret", lambda r: _local_time(r["updated_at"])),
]


def csv_rows(records):
    for record in records:
        yield [cell(record) for _heading, cell in CSV_COLUMNS]


def _json(value):
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def json_chunks(records):
    """The JSON document, a case at a time: the data set's description, then the cases."""
    about = {
        "title": "Cases fra Regionalt arbejdsliv",
        "description": (
            "Offentliggjorte gode erfaringer fra samarbejdet Sammen om udvikling af de "
            "regionale arbejdspladser."
        ),
        "url": on_site(reverse("cases:list")),
        "licence": settings.OPEN_DATA_LICENCE or None,
        "generated_at": timezone.now(),
    }
    yield _json(about)[:-1] + ', "cases": ['
    for index, record in enumerate(records):
        yield ("," if index else "") + "\n" + _json(record)
    yield "\n]}\n"


def _records():
    return (case_record(case) for case in published_cases())


class OpenDataCsvView(View):
    http_method_names = ["get", "head"]

    def get(self, request):
        response = excel_csv_streaming_response(
            "cases.csv", [heading for heading, _cell in CSV_COLUMNS], csv_rows(_records())
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response


class OpenDataJsonView(View):
    http_method_names = ["get", "head"]

    def get(self, request):
        response = StreamingHttpResponse(
            json_chunks(_records()), content_type="application/json; charset=utf-8"
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response
