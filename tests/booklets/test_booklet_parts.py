"""Booklets laid out in parts by worker processes and joined into one PDF.

Real WeasyPrint layouts, real worker processes and the joined PDF read back: the joined
booklet must read as if it had been laid out in one go.
"""

import io
import os
import signal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from booklets import parts as booklet_parts
from booklets.booklet import build_booklet
from booklets.parts import split_into_parts
from booklets.pdf import BookletPdf
from cases.models import Case

from .pdfs import (
    front_matter_length,
    named_destination_pages,
    outline,
    pdf_text_pages,
    toc_entries,
)


@pytest.fixture
def themes(make_theme):
    return [
        make_theme("Fuldtid", slug="fuldtid", position=1),
        make_theme("Fastholdelse", slug="fastholdelse", position=2),
        make_theme("Arbejdsmiljø", slug="arbejdsmiljo", position=3),
    ]


def long_body(marker, paragraphs=6):
    sentence = (
        "Afdelingen lægger vagtplanen sammen, og medarbejderne oplever, at deres faglighed "
        "kommer i spil, når de rigtige opgaver løses af de rigtige kolleger."
    )
    return "\n\n".join(f"{sentence} {sentence} ({marker}-{n})" for n in range(paragraphs))


def booklet_pdf(client, query):
    response = client.get(f"{reverse('booklets:booklet')}?{query}")
    assert response.status_code == 200
    return response.content


def sliced(parts):
    return [[(piece.section.title, [c.title for c in piece.cases]) for piece in p] for p in parts]


# -- cutting a booklet into parts ----------------------------------------------------------


def test_parts_are_cut_between_sections_when_one_lies_near_the_middle(make_case, themes):
    fuldtid, fastholdelse, _ = themes
    cases = [make_case(f"Fuldtid {n}", themes=[fuldtid]) for n in range(3)]
    cases += [make_case(f"Fastholdelse {n}", themes=[fastholdelse]) for n in range(3)]
    booklet = build_booklet(Case.objects.filter(pk__in=[c.pk for c in cases]).order_by("pk"))

    parts = split_into_parts(booklet.sections, 2)

    assert sliced(parts) == [
        [("Fuldtid", ["Fuldtid 0", "Fuldtid 1", "Fuldtid 2"])],
        [("Fastholdelse", ["Fastholdelse 0", "Fastholdelse 1", "Fastholdelse 2"])],
    ]
    assert all(piece.first and piece.last for part in parts for piece in part)


def test_a_section_too_large_for_one_part_is_cut_between_two_cases(make_case, themes):
    fuldtid = themes[0]
    for n in range(6):
        make_case(f"Fuldtid {n}", themes=[fuldtid])
    booklet = build_booklet(Case.objects.order_by("pk"))

    first, second = split_into_parts(booklet.sections, 2)

    assert len(first) == len(second) == 1
    titles = [c.title for c in first[0].cases], [c.title for c in second[0].cases]
    assert titles[0] + titles[1] == [f"Fuldtid {n}" for n in range(6)]
    # About half each (the header counts as work too).
    assert 2 <= len(titles[0]) <= 3
    # The header goes with the first piece, "Se også" with the last.
    assert (first[0].first, first[0].last) == (True, False)
    assert (second[0].first, second[0].last) == (False, True)


def test_every_case_is_in_exactly_one_part_in_print_order(make_case, themes):
    for n in range(11):
        make_case(f"Case {n:02d}", themes=[themes[n % 3]], body=long_body("x", n % 4 + 1))
    booklet = build_booklet(Case.objects.order_by("pk"))

    for wanted in (1, 2, 3, 4, 11, 30):
        parts = split_into_parts(booklet.sections, wanted)
        printed = [c.title for part in parts for piece in part for c in piece.cases]
        assert printed == [c.title for c in booklet.cases]
        assert len(parts) <= min(wanted, 11)
        # Never a header without a case after it at the end of a part.
        assert all(piece.cases for part in parts for piece in part)


# -- the joined booklet ----------------------------------------------------------------------


@pytest.fixture
def split_booklet(settings, make_case, themes):
    """One theme with cases long enough to fill pages, cut in two inside the section,
    plus a theme whose only case stands under the first one (a "Se også" across parts)."""
    settings.BOOKLET_RENDER_PROCESSES = 2
    settings.BOOKLET_MIN_CASES_PER_PART = 1
    fuldtid, fastholdelse, _ = themes
    cases = [
        make_case(
            f"Fuldtid på afsnit {n}",
            themes=[fuldtid, fastholdelse] if n == 0 else [fuldtid],
            body=long_body(f"markør{n}"),
            # Newest first on the list: case 0 first.
            published_at=timezone.now() - timezone.timedelta(hours=n + 1),
        )
        for n in range(6)
    ]
    return cases


def test_a_booklet_in_parts_reads_as_one_document(client, split_booklet):
    booklet = build_booklet(Case.objects.order_by("pk"))
    assert len(BookletPdf(booklet).parts) == 2

    data = booklet_pdf(client, "theme=fuldtid&theme=fastholdelse&match=any")
    reader = PdfReader(io.BytesIO(data))
    pages = pdf_text_pages(data)
    labels = reader.page_labels

    # Every case once, in order.
    text = "\n".join(pages)
    for n in range(6):
        assert text.count(f"(markør{n}-0)") == 1
    assert text.index("(markør0-0)") < text.index("(markør5-0)")

    # The front matter is numbered i, ii, … (the cover shows none), the theme sections
    # from 1 through both parts; the PDF's page labels say the same.
    front = front_matter_length(labels)
    total = len(pages) - front
    assert "Side" not in pages[0]
    for label, page in zip(labels[1:front], pages[1:front], strict=True):
        assert f"Side {label}" in page and f"Side {label} af" not in page
    for number, page in enumerate(pages[front:], start=1):
        assert f"Side {number} af {total}" in page
    # The running header names the section on a page laid out in the second part too.
    last_case_page = next(i for i, p in enumerate(pages) if "(markør5-0)" in p)
    assert "Fuldtid" in pages[last_case_page].splitlines()[0]

    # Bookmarks: the cases of the second part sit under the section of the first.
    marks = outline(reader)
    assert [t for level, t, _ in marks if level == 1] == [
        "Indledning",
        "Indhold",
        "Fuldtid",
        "Fastholdelse",
    ]
    assert [t for level, t, _ in marks if level == 2] == [
        f"Fuldtid på afsnit {n}" for n in range(6)
    ]
    mark_pages = {t: p for _, t, p in marks}
    for title, page in mark_pages.items():
        assert title in pages[page - 1], (title, page)

    # The contents has the same page numbers, and each entry links to that page.
    assert dict(toc_entries(pages, labels)) == {
        t: p for t, p in mark_pages.items() if t not in {"Indledning", "Indhold"}
    }
    destinations = named_destination_pages(reader)
    case_ids = {f"case-{c.pk}": c.title for c in split_booklet}
    links = [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Dest")
    ]
    linked = {str(link["/Dest"]) for link in links}
    assert set(case_ids) <= linked
    for anchor, title in case_ids.items():
        assert destinations[anchor] == mark_pages[title]
    # "Se også" under Fastholdelse (second part) leads back to the case in the first.
    assert destinations[f"case-{split_booklet[0].pk}"] < mark_pages["Fastholdelse"]


def test_joined_booklet_has_one_consistent_structure_tree(client, split_booklet):
    reader = PdfReader(io.BytesIO(booklet_pdf(client, "theme=fuldtid")))
    root = reader.trailer["/Root"]
    tree = root["/StructTreeRoot"]
    nums = tree["/ParentTree"]["/Nums"]
    keys = [nums[i] for i in range(0, len(nums), 2)]

    assert len(keys) == len(set(keys))
    assert tree["/ParentTreeNextKey"] > max(keys)
    document = tree["/K"][0].get_object()
    assert document["/S"] == "/Document"
    assert all(kid.get_object()["/P"].get_object() == document for kid in document["/K"])
    # Every page and link points into the parent tree with a key of its own.
    used = [page["/StructParents"] for page in reader.pages]
    used += [
        annotation.get_object()["/StructParent"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
    ]
    assert len(used) == len(set(used)) and set(used) <= set(keys)
    assert root["/Lang"] == "da" and root["/MarkInfo"]["/Marked"]


def test_one_process_gives_the_same_booklet_in_one_part(client, settings, split_booklet):
    settings.BOOKLET_RENDER_PROCESSES = 1

    data = booklet_pdf(client, "theme=fuldtid")
    pages, labels = pdf_text_pages(data), PdfReader(io.BytesIO(data)).page_labels

    entries = dict(toc_entries(pages, labels))
    assert len(entries) == 1 + 6
    for title, page in entries.items():
        assert title in pages[page - 1]
    body_pages = len(pages) - front_matter_length(labels)
    assert f"Side {body_pages} af {body_pages}" in pages[-1]


def test_contents_longer_than_a_page_gets_the_right_numbers(client, settings, make_case, themes):
    """A contents of two pages moves no number: the theme sections are numbered from 1
    whatever the length of the front matter."""
    settings.BOOKLET_RENDER_PROCESSES = 1
    for n in range(45):
        make_case(f"Kort case nummer {n:02d}", themes=[themes[0]], body="Kort.")

    data = booklet_pdf(client, "theme=fuldtid")
    pages, labels = pdf_text_pages(data), PdfReader(io.BytesIO(data)).page_labels

    entries = toc_entries(pages, labels)
    assert len(entries) == 46
    contents_pages = {n for n, page in enumerate(pages, start=1) if "Kort case nummer 44" in page}
    assert len(contents_pages) == 2  # in the contents and where the case is
    for title, page in entries:
        assert title in pages[page - 1]


def test_a_worker_process_that_dies_does_not_lose_the_booklet(client, split_booklet):
    pool = booklet_parts._get_pool(2)
    pool.submit(int, 0).result()  # the workers run
    worker = next(iter(pool._processes.values()))
    # One dead worker breaks the whole pool: the others are stopped with it.
    os.kill(worker.pid, signal.SIGKILL)
    worker.join()

    data = booklet_pdf(client, "theme=fuldtid")
    pages, labels = pdf_text_pages(data), PdfReader(io.BytesIO(data)).page_labels

    text = "\n".join(pages)
    assert all(text.count(f"(markør{n}-0)") == 1 for n in range(6))
    front = front_matter_length(labels)
    assert f"Side 1 af {len(pages) - front}" in pages[front]
    # ... and the next booklet gets a new pool.
    assert booklet_parts._get_pool(2) is not pool
