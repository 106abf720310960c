"""Booklets rendered for real with WeasyPrint and read back with pypdf and pdftotext."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from booklets import views as booklet_views
from cases.models import Case
from portal.models import ThemeGroup

from .pdfs import front_matter_length, outline, pdf_text_pages, toc_entries


@pytest.fixture(autouse=True)
def laid_out_in_parts(settings):
    """Even these small booklets are laid out in two parts, in two worker processes, and
    joined, as a large one is."""
    settings.BOOKLET_RENDER_PROCESSES = 2
    settings.BOOKLET_MIN_CASES_PER_PART = 1


@pytest.fixture
def selection(make_case, make_theme, make_region, make_sector, make_profession):
    group = ThemeGroup.objects.create(name="Hovedtemaer", slug="hoved", position=1)
    fuldtid = make_theme(
        "Fuldtid", group=group, position=1, description="Flere medarbejdere arbejder fuld tid."
    )
    miljo = make_theme(
        "Arbejdsmiljø",
        group=group,
        position=2,
        slug="arbejdsmiljo",
        description="Et godt psykisk arbejdsmiljø.",
    )
    ledelse = make_theme("Ledelse", group=group, position=3)
    syd = make_region("Region Syddanmark", slug="syddanmark")
    nord = make_region("Region Nordjylland", slug="nordjylland")
    sygehus = make_sector("Sygehus", slug="sygehus")
    sygeplejersker = make_profession("Sygeplejersker", slug="sygeplejersker")
    cases = {
        "vagtplan": make_case(
            "Fælles vagtplan på Ærø Sygehus",
            themes=[fuldtid, miljo],
            region=syd,
            sector=sygehus,
            professions=[sygeplejersker],
            body="Vagtplanen lægges i fællesskab (markør-vagtplan).\n\nDet gav ro på afsnittet.",
            key_learnings="Start småt\nInddrag alle faggrupper",
            dos="Aftal spilleregler",
            donts="Glem ikke nattevagterne",
            source_reference="Eksempel 7",
        ),
        "flyvere": make_case(
            "Flyverkorps i Aabenraa",
            themes=[fuldtid],
            region=syd,
            sector=sygehus,
            body="Et internt vikarkorps dækker fravær (markør-flyvere).",
        ),
        "coaching": make_case(
            "Coaching for daglige ledere i Ålborg",
            themes=[ledelse, miljo],
            region=nord,
            sector=sygehus,
            body="Lederne mødes hver måned (markør-coaching).",
        ),
        "ledelse": make_case(
            "Ledelse tæt på opgaven",
            themes=[ledelse],
            region=nord,
            sector=sygehus,
            body="Kun ledelse (markør-ledelse).",
        ),
    }
    return {"cases": cases, "themes": {"fuldtid": fuldtid, "miljo": miljo, "ledelse": ledelse}}


def get_pdf(client, url):
    response = client.get(url)
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/pdf"
    return response, response.content


def test_filter_export_is_a_booklet_of_exactly_the_cases_the_list_shows(client, selection):
    query = "theme=fuldtid&theme=arbejdsmiljo&match=any"
    listed = client.get(f"{reverse('cases:list')}?{query}").context["cases"]
    listed_titles = [case.title for case in listed]
    assert len(listed_titles) == 3
    fuldtid = selection["themes"]["fuldtid"]
    # Under each theme the cases keep the list's order.
    expected_order = [c.title for c in listed if fuldtid in c.themes.all()] + [
        c.title for c in listed if fuldtid not in c.themes.all()
    ]

    _response, data = get_pdf(client, f"{reverse('booklets:booklet')}?{query}")
    reader = PdfReader(io.BytesIO(data))
    pages = pdf_text_pages(data)
    marks = outline(reader)

    # Sections in the order chosen, each case once, under its first chosen theme.
    sections = [(title, page) for level, title, page in marks if level == 1]
    assert [title for title, _ in sections] == ["Indledning", "Indhold", "Fuldtid", "Arbejdsmiljø"]
    case_marks = [title for level, title, _ in marks if level == 2]
    assert case_marks == expected_order
    assert expected_order[-1] == "Coaching for daglige ledere i Ålborg"
    full_text = "\n".join(pages)
    for marker in ("markør-vagtplan", "markør-flyvere", "markør-coaching"):
        assert full_text.count(marker) == 1
    assert "markør-ledelse" not in full_text

    # The contents: every section and case with the page it starts on.
    toc = toc_entries(pages, reader.page_labels)
    toc_sections = [(t, p) for t, p in toc if t in {"Fuldtid", "Arbejdsmiljø"}]
    assert toc_sections == [(t, p) for t, p in sections if t in {"Fuldtid", "Arbejdsmiljø"}]
    for title, page in toc_sections:
        assert title in pages[page - 1]
    toc_cases = [t for t, _ in toc if t not in {"Fuldtid", "Arbejdsmiljø"}]
    assert toc_cases == case_marks
    case_pages = {t: p for level, t, p in marks if level == 2}
    assert all(case_pages[t] == p for t, p in toc if t in case_pages)
    # ... and its entries are links.
    toc_page = reader.pages[[t for t, _ in sections].index("Indhold") and sections[1][1] - 1]
    links = [a.get_object() for a in toc_page.get("/Annots", [])]
    assert sum(1 for a in links if a["/Subtype"] == "/Link") >= len(toc)

    # The case in two chosen themes is referred to from the second.
    miljo_page = pages[sections[3][1] - 1]
    assert "Se også" in miljo_page
    assert "Fælles vagtplan på Ærø Sygehus" in miljo_page

    # Cover with the filters as subtitle, header and footer on the inner pages.
    assert "Tema: Fuldtid" in pages[0]
    assert "Sammen om udvikling af de regionale arbejdspladser" in pages[0]
    assert "Side ii" in pages[1]
    front = front_matter_length(reader.page_labels)
    assert f"Side 1 af {len(pages) - front}" in pages[front]
    assert "Inspirationshæfte" in pages[1].splitlines()[0]


def test_booklet_has_metadata_language_embedded_fonts_and_extractable_danish_letters(
    client, selection
):
    _response, data = get_pdf(client, f"{reverse('booklets:booklet')}?theme=fuldtid")
    reader = PdfReader(io.BytesIO(data))

    assert reader.metadata.title == "Inspirationshæfte"
    assert reader.trailer["/Root"]["/Lang"] == "da"
    # Tagged for screen readers: a structure tree and the "marked" flag.
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    # Only the portal's IBM Plex Sans, no fallback font for a missing glyph.
    assert fonts and all(name.startswith("IBM-Plex-Sans") for name in fonts), fonts

    text = "\n".join(pdf_text_pages(data))
    assert "Fælles vagtplan på Ærø Sygehus" in text
    assert "Glem ikke nattevagterne" in text
    assert "Eksempel 7" in text  # the source's case number in the fact box
    assert "Ærø Sygehus" in "".join(page.extract_text() for page in reader.pages)  # pypdf too


def test_single_case_pdf_is_short_and_has_the_case(client, selection):
    case = selection["cases"]["coaching"]
    _response, data = get_pdf(client, reverse("booklets:case_pdf", kwargs={"slug": case.slug}))
    reader = PdfReader(io.BytesIO(data))

    assert 1 <= len(reader.pages) <= 2
    assert reader.metadata.title == case.title
    text = "\n".join(pdf_text_pages(data))
    assert case.title in text
    assert "markør-coaching" in text


def test_draft_case_has_no_pdf(client, make_case):
    draft = make_case("Kladde", status=Case.Status.DRAFT, published_at=None)

    response = client.get(reverse("booklets:case_pdf", kwargs={"slug": draft.slug}))

    assert response.status_code == 404


def test_empty_selection_returns_to_the_list_with_a_danish_message(client, selection):
    response = client.get(f"{reverse('booklets:booklet')}?q=zzzyyyxxx", follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("cases:list"))
    assert "q=zzzyyyxxx" in response.redirect_chain[0][0]
    assert "Der er ingen cases, der passer til din søgning" in response.content.decode()


def test_too_large_selection_returns_to_the_list_with_a_danish_message(
    client, selection, monkeypatch
):
    monkeypatch.setattr(booklet_views, "MAX_FILTER_CASES", 2)

    response = client.get(reverse("booklets:booklet"), follow=True)

    assert response.redirect_chain[0][0] == reverse("cases:list")
    assert "Et hæfte kan rumme højst 2" in response.content.decode()


def test_repeat_download_is_cached_by_content_and_a_conditional_request_gets_304(
    client, selection, booklet_cache
):
    url = f"{reverse('booklets:booklet')}?theme=ledelse"
    first, data = get_pdf(client, url)
    etag = first["ETag"]
    assert etag.startswith('"') and len(list(booklet_cache.glob("*.pdf"))) == 1

    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""

    again, again_data = get_pdf(client, url)
    assert again["ETag"] == etag and again_data == data

    # Editing a case in the selection gives a new ETag and a new PDF.
    case = selection["cases"]["ledelse"]
    case.lead = "Et nyt resumé med æøå."
    case.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Et nyt resumé med æøå." in "\n".join(pdf_text_pages(changed.content))


def test_list_and_detail_pages_link_to_their_pdfs(client, selection):
    page = client.get(f"{reverse('cases:list')}?theme=fuldtid&page=1").content.decode()
    assert f'href="{reverse("booklets:booklet")}?theme=fuldtid"' in page
    assert "Hent som PDF" in page

    case = selection["cases"]["vagtplan"]
    page = client.get(case.get_absolute_url()).content.decode()
    assert f'href="{reverse("booklets:case_pdf", kwargs={"slug": case.slug})}"' in page
    assert "Læg i min mappe" in page


def test_head_request_gets_the_etag_without_a_body(client, selection):
    response = client.head(f"{reverse('booklets:booklet')}?theme=ledelse")

    assert response.status_code == 200
    assert response["ETag"]
    assert response.content == b""
