"""What a new user reads in the demo content: cards that say each thing once, one style of
quotation marks, no editorial notes and no internal file names (issue 14)."""

import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.models import Case
from initiatives.models import Initiative
from workshops.models import DevelopmentRoom, Workshop

FIXTURE_DIR = Path(__file__).parents[2] / "fixtures"
FIXTURES = sorted(str(p) for p in FIXTURE_DIR.glob("0*.json"))

# Fields that the public never sees (file names, slugs, addresses, internal notes).
NOT_PUBLIC = {"source_document", "slug", "contact_email", "status", "email"}
STRAIGHT_OR_GUILLEMET_PAIR = re.compile(r'"[^"\n]*"|»[^«\n]*«|«[^»\n]*»|“[^”\n]*”')
SINGLE_QUOTED = re.compile(r"(?<!\w)['’][^'’\n]+['’](?!\w)")
EDITORIAL = re.compile(
    r"ikke oplyst i kilden|knytter ikke eksemplet|kilden (siger|oplyser ikke)|er anslået",
    re.IGNORECASE,
)
INTERNAL_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
CARD_META = re.compile(r'<p class="case-card__meta">(.*?)</p>', re.DOTALL)


def public_texts():
    for path in FIXTURES:
        for item in json.loads(Path(path).read_text(encoding="utf-8")):
            for field, value in item["fields"].items():
                if isinstance(value, str) and field not in NOT_PUBLIC:
                    yield f"{Path(path).name} {item['model']}.{field}", value


@pytest.fixture
def demo(db):
    call_command("loaddata", *FIXTURES, verbosity=0)
    call_command("rebuild_search_index", verbosity=0)  # loaddata stores rows raw


def test_public_text_uses_danish_quotation_marks_only():
    wrong = [
        (where, m.group(0))
        for where, text in public_texts()
        for pattern in (STRAIGHT_OR_GUILLEMET_PAIR, SINGLE_QUOTED)
        for m in pattern.finditer(text)
    ]
    assert wrong == []


def test_every_danish_quotation_is_closed_as_it_opened():
    for where, text in public_texts():
        assert text.count("„") == text.count("“"), where


def test_no_editorial_notes_in_public_text():
    notes = [
        (where, m.group(0)) for where, text in public_texts() for m in EDITORIAL.finditer(text)
    ]
    assert notes == []


def test_no_card_repeats_a_part_of_its_place_region_and_sector(demo, client):
    url, page, seen = reverse("cases:list"), 1, 0
    while True:
        response = client.get(url, {"page": page})
        assert response.status_code == 200
        for meta in CARD_META.findall(response.content.decode()):
            parts = [part.strip() for part in unescape(meta).split("·")]
            seen += 1
            for i, part in enumerate(parts):
                others = parts[:i] + parts[i + 1 :]
                assert not any(part.casefold() in other.casefold() for other in others), parts
        if not response.context["page_obj"].has_next():
            break
        page += 1
    assert seen == Case.objects.published().count()


def test_no_public_page_of_the_demo_content_shows_an_internal_file_name(demo, client):
    call_command("create_demo_workshops", verbosity=0)
    urls = [case.get_absolute_url() for case in Case.objects.published()]
    for model in (Initiative, Workshop, DevelopmentRoom):
        urls += [item.get_absolute_url() for item in model.objects.published()]
    urls += [reverse("portal:theme_list"), reverse("portal:home")]
    shown = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        shown += [(url, name) for name in INTERNAL_FILE.findall(response.content.decode())]
    assert shown == []
    assert len(urls) > 80


@pytest.mark.parametrize(
    "slug, regions, word",
    [
        (
            "sundhedsplatformen-klar-melding-region-hovedstaden",
            ["hovedstaden", "sjaelland"],
            "Sundhedsplatformen",
        ),
        (
            "fra-begreb-til-bundlinje-relationel-koordinering-nordjylland-glostrup",
            ["nordjylland", "hovedstaden"],
            "relationel koordinering",
        ),
    ],
)
def test_a_case_the_source_ties_to_two_regions_is_found_under_both(
    demo, client, slug, regions, word
):
    case = Case.objects.get(slug=slug)
    for region in regions:
        listed = client.get(reverse("cases:list"), {"region": region, "sort": "title"})
        titles = [c.title for c in listed.context["page_obj"].object_list]
        pages = listed.context["page_obj"].paginator.num_pages
        for number in range(2, pages + 1):
            more = client.get(
                reverse("cases:list"), {"region": region, "sort": "title", "page": number}
            )
            titles += [c.title for c in more.context["page_obj"].object_list]
        assert case.title in titles, region
        searched = client.get(reverse("cases:list"), {"region": region, "q": word})
        assert case.title in searched.content.decode(), region
    detail = client.get(case.get_absolute_url()).content.decode()
    assert all(f"?region={region}" in detail for region in regions)
