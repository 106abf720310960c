"""The folder and booklets as a new user meets them (issue 14); PDFs rendered for real and
read back with pypdf and pdftotext."""

import io
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from booklets.booklet import PARTNERSHIP_NAME, build_booklet
from booklets.folder import SESSION_KEY

from .pdfs import pdf_text_pages


def test_emptying_the_folder_asks_first_and_a_get_changes_nothing(client, make_case):
    case = make_case("Seniorsamtaler om livsfaser")
    client.post(reverse("booklets:folder_add"), {"case": case.pk})
    folder_page = client.get(reverse("booklets:folder")).content.decode()
    assert f'href="{reverse("booklets:folder_clear")}"' in folder_page

    question = client.get(reverse("booklets:folder_clear"))
    assert question.status_code == 200
    assert "Tøm din inspirationsmappe?" in question.content.decode()
    assert "Ja, tøm mappen" in question.content.decode()
    assert client.session[SESSION_KEY]["ids"] == [case.pk]

    response = client.post(reverse("booklets:folder_clear"))
    assert response.status_code == 302
    assert client.session[SESSION_KEY]["ids"] == []


def test_folder_buttons_return_to_the_card_that_was_clicked(client, make_case):
    case = make_case("Seniorsamtaler om livsfaser")
    page = client.get(reverse("cases:list") + "?page=1").content.decode()
    assert f'value="/cases/?page=1#case-{case.pk}-title"' in page
    response = client.post(
        reverse("booklets:folder_add"),
        {"case": case.pk, "next": f"/cases/?page=1#case-{case.pk}-title"},
    )
    assert response["Location"] == f"/cases/?page=1#case-{case.pk}-title"
    detail = client.get(case.get_absolute_url()).content.decode()
    assert f'value="{case.get_absolute_url()}#case-actions"' in detail


# -- the booklets ---------------------------------------------------------------------

LONG_SOURCE = (
    "Rapport fra Sammen om udvikling af de regionale arbejdspladser om fastholdelse af "
    "medarbejdere i den kommunale ældrepleje, kapitel 4, afsnit om læringsvejledere"
)


@pytest.fixture
def municipal(make_case, make_theme, make_region, make_sector):
    """Three cases from the municipal elder care, as a facilitator collects them."""
    theme = make_theme("Fastholdelse", slug="fastholdelse", description="At blive i faget.")
    sector = make_sector("Kommunal ældrepleje", slug="kommunal-aeldrepleje")
    region = make_region("Region Hovedstaden", slug="hovedstaden")
    body = "\n\n".join(
        "Medarbejderne fik en fast læringsvejleder, der fulgte dem i de første måneder, "
        "og afdelingen holdt faste samtaler om trivsel og kompetencer. " * 3
        for _ in range(3)
    )
    return [
        make_case(
            title,
            themes=[theme],
            sector=sector,
            region=region,
            body=body,
            source_title=LONG_SOURCE,
        )
        for title in (
            "Læringsvejledere i hjemmeplejen i Gladsaxe Kommune",
            "Seniorsamtaler i ældreplejen i Køge Kommune",
            "Introduktionsforløb for nye social- og sundhedsassistenter i Århus",
        )
    ]


def folder_pdf(client, cases, title=""):
    for case in cases:
        client.post(reverse("booklets:folder_add"), {"case": case.pk})
    if title:
        client.post(reverse("booklets:folder"), {"title": title, "intro": ""})
    response = client.get(reverse("booklets:folder_pdf"))
    assert response.status_code == 200
    return response


def test_pdf_file_names_keep_danish_letters_and_name_the_selection(client, municipal):
    day = timezone.localdate().isoformat()
    response = client.get(
        reverse("booklets:booklet") + "?theme=fastholdelse&sector=kommunal-aeldrepleje"
    )
    assert response.status_code == 200
    assert (
        f'filename="inspirationshaefte-fastholdelse-kommunal-aeldrepleje-{day}.pdf"'
        in response["Content-Disposition"]
    )

    case = municipal[2]
    response = client.get(reverse("booklets:case_pdf", kwargs={"slug": case.slug}))
    assert (
        f'filename="introduktionsforloeb-for-nye-social-og-sundhedsassistenter-i-aarhus-{day}.pdf"'
        in response["Content-Disposition"]
    )

    response = folder_pdf(client, municipal, title="Fastholdelse på afdelingsmødet")
    assert (
        f'filename="fastholdelse-paa-afdelingsmoedet-{day}.pdf"' in response["Content-Disposition"]
    )


def test_each_case_in_a_booklet_links_to_its_page_on_the_portal(client, municipal, settings):
    settings.SITE_URL = "https://inspiration.example.dk"
    data = folder_pdf(client, municipal).content
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(pdf_text_pages(data))
    uris = set()
    qr_pages = 0
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                uris.add(str(action["/URI"]))
        xobjects = page["/Resources"].get("/XObject", {})
        qr_pages += any(
            xobject.get_object().get("/Subtype") == "/Image" for xobject in xobjects.values()
        )
    for case in municipal:
        url = f"https://inspiration.example.dk{case.get_absolute_url()}"
        assert url in uris, uris
        assert url in "".join(text.split())
    # A QR code (a PNG image) on the page of each case.
    assert qr_pages >= len(municipal)


def test_a_small_folder_does_not_waste_pages(client, municipal):
    data = folder_pdf(client, municipal).content
    pages = pdf_text_pages(data)
    # The introduction and the contents share the page after the cover.
    assert "Indledning" in pages[1]
    assert "Indhold" in pages[1]
    assert all(case.title in pages[1] for case in municipal)
    assert "Fastholdelse" in pages[2]
    # The cover says "Inspirationshæfte" once, not as kicker and title both.
    assert pages[0].lower().count("inspirationshæfte") <= 1
    response = client.get(reverse("booklets:booklet") + "?theme=fastholdelse")
    assert pdf_text_pages(response.content)[0].lower().count("inspirationshæfte") == 1


def test_standard_introduction_fits_what_was_selected(client, municipal):
    pages = pdf_text_pages(folder_pdf(client, municipal).content)
    intro = " ".join(pages[1].split("Indhold")[0].split())
    assert "kommunale arbejdspladser" in intro
    joined = re.sub(r"-\s+", "", intro)  # words hyphenated across lines, whole again
    assert "regionale arbejdspladser" not in joined.replace(PARTNERSHIP_NAME, "")
    # The booklet gives a link to each case, not the people behind it.
    assert "mennesker" not in intro
    assert "portalen" in intro


def _fact_lines(data):
    """(x of the "Kilde:" label, x of the first word of the fact's second line), in points."""
    result = subprocess.run(
        ["pdftotext", "-bbox-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    words = [
        (float(x), float(y), text)
        for x, y, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', result.stdout.decode()
        )
    ]
    index = next(i for i, word in enumerate(words) if word[2] == "Kilde:")
    label_x, label_y, _ = words[index]
    second = next(w for w in words[index + 1 :] if w[1] > label_y)
    return label_x, second[0]


def test_fact_box_lines_have_no_stray_indent(client, municipal):
    """A fact is a line that starts with its label; a value too long for one line goes on
    at the same left edge, neither indented nor hanging."""
    data = folder_pdf(client, municipal).content
    label, wrapped = _fact_lines(data)
    assert abs(label - wrapped) < 0.5, (label, wrapped)


def test_standard_introduction_names_whose_workplaces(make_case, make_sector):
    municipal = make_case("Hjemmeplejen", sector=make_sector("Kommunal ældrepleje"))
    hospital = make_case("Sygehuset", sector=make_sector("Sygehus"))

    assert "hvordan regionale arbejdspladser" in build_booklet([hospital]).intro
    assert "hvordan kommunale arbejdspladser" in build_booklet([municipal]).intro
    both = build_booklet([hospital, municipal]).intro
    assert "hvordan arbejdspladser i regioner og kommuner" in both


def test_a_full_folder_returns_to_the_top_where_the_error_is_shown(client, make_case):
    case = make_case("Seniorsamtaler om livsfaser")
    session = client.session
    session[SESSION_KEY] = {"ids": list(range(10**6, 10**6 + 100)), "title": "", "intro": ""}
    session.save()
    response = client.post(
        reverse("booklets:folder_add"), {"case": case.pk, "next": f"/cases/#case-{case.pk}-title"}
    )
    assert response["Location"] == "/cases/"
    assert "fuld" in client.get(response["Location"]).content.decode()
