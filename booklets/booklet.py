"""From a selection of cases to the structure of an inspiration booklet.

The model is the regions' printed inspiration booklet: an introduction, then for each
theme a short framing text followed by the examples. A case that carries several of the
booklet's themes is printed once, under its first theme, and listed under "Se også" in
the sections of its other themes.

Which theme comes first:
- exporting a filtered case list with chosen themes: the themes in the order chosen;
- anything else (an unfiltered list, a hand-picked folder, one case): the theme
  ordering of the taxonomy (theme group, then position, then name).

Sections follow the same order, except for the hand-picked folder, where a section
appears where its first case stands in the user's order (`section_order="selection"`), so
that reordering the folder reorders the booklet. Within a section the cases keep the
order they were given in (the list's sort order, or the folder's order).
"""

import base64
import io
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image

from portal.models import Theme

PARTNERSHIP_NAME = "Sammen om udvikling af de regionale arbejdspladser"
DEFAULT_TITLE = "Inspirationshæfte"
MAX_FILTER_CASES = 600
OTHER_SECTION_TITLE = "Øvrige cases"


def case_anchor(case):
    """The id of a case's article in a booklet (booklets/booklet/_case.html)."""
    return f"case-{case.pk}"


@dataclass
class CrossReference:
    """A case printed in another section, listed under "Se også" in this one."""

    case: object
    home: "Section"


@dataclass
class Section:
    theme: Theme | None
    cases: list = field(default_factory=list)
    see_also: list = field(default_factory=list)

    @property
    def title(self):
        return self.theme.name if self.theme else OTHER_SECTION_TITLE

    @property
    def anchor(self):
        return f"tema-{self.theme.slug}" if self.theme else "tema-oevrige"

    @property
    def description(self):
        return self.theme.description if self.theme else ""

    @property
    def group_name(self):
        return self.theme.group.name if self.theme else ""


@dataclass
class Booklet:
    title: str
    subtitle: str
    intro: str
    sections: list
    date: date
    #: "selection" (a list or a folder: cover, introduction, contents) or "case".
    kind: str = "selection"

    @property
    def cases(self):
        """Every case of the booklet once, in print order."""
        return [case for section in self.sections for case in section.cases]

    @property
    def case_count(self):
        return sum(len(section.cases) for section in self.sections)

    @property
    def kicker(self):
        """The line above the cover's title: "Inspirationshæfte", unless that is the title."""
        if self.title.casefold() == DEFAULT_TITLE.casefold():
            return "Gode eksempler"
        return DEFAULT_TITLE

    @property
    def intro_paragraphs(self):
        return [p.strip() for p in self.intro.replace("\r\n", "\n").split("\n\n") if p.strip()]


def standard_intro(case_count, subtitle="", workplaces="regionale arbejdspladser", theme_count=2):
    """The introduction of a booklet whose user did not write one.

    It promises only what the booklet gives: the fact box and a link to each case's page
    on the portal (no contact people: most cases have none).
    """
    chosen = f" Udvalget: {subtitle}." if subtitle else ""
    noun = "case" if case_count == 1 else "cases"
    structure = (
        "Hæftet er bygget op om temaer. Hvert tema indledes med en kort tekst, der rammer det "
        "ind, og derefter følger eksemplerne. En case, der hører til flere af hæftets temaer, "
        "står under det første og nævnes under de øvrige. "
        if theme_count > 1
        else ""
    )
    return (
        f"Dette hæfte samler {case_count} {noun} fra videndelingsportalen for "
        f"{PARTNERSHIP_NAME}.{chosen} Eksemplerne viser, hvordan {workplaces} "
        "har grebet en opgave an, hvad de har lært undervejs, og hvad de vil råde andre til."
        "\n\n"
        f"{structure}Hver case har en faktaboks med sted, region, sektor, faggrupper og kilde "
        "og et link med en QR-kode til casens side på portalen, hvor den altid står i sin "
        "nyeste udgave."
    )


# Sectors of the municipalities (their slugs begin so); every other sector is the regions'.
MUNICIPAL_SECTOR_PREFIX = "kommunal"


def workplaces_of(cases):
    """Whose workplaces the cases come from, in words for the introduction."""
    municipal = {
        (getattr(case.sector, "slug", "") or "").startswith(MUNICIPAL_SECTOR_PREFIX)
        for case in cases
    }
    if municipal == {True}:
        return "kommunale arbejdspladser"
    if municipal == {True, False}:
        return "arbejdspladser i regioner og kommuner"
    return "regionale arbejdspladser"


def portal_url(case):
    """The case's page on the portal as a full address (settings.SITE_URL), for print."""
    return settings.SITE_URL.rstrip("/") + case.get_absolute_url()


# Pixels per QR module: about 260 dpi at the printed 17 mm, sharp even where a viewer
# smooths images; the PDF also asks for no smoothing (booklet.css: image-rendering).
QR_MODULE_PIXELS = 6
QR_PALETTE = (255, 255, 255, 0x00, 0x31, 0x5C)  # light: white; dark: the booklet's blue


@lru_cache(maxsize=1024)
def qr_data_uri(url):
    """A QR code of `url` as a PNG data URI. Medium error correction survives a smudged
    printout.

    A PNG, not an SVG: WeasyPrint parses and draws an SVG path in Python, about 7 ms a
    code (0.7 s of a cold 100-case booklet's layout); a small image costs it almost
    nothing. Pillow makes the PNG (segno's own PNG writer is pure Python and slower).
    One fixed mask pattern: letting segno score all eight took 3 of its 4 ms per code;
    every mask gives a valid code, and 300 portal addresses made this way all read back
    (zbarimg)."""
    code = segno.make_qr(url, error="m", mask=0)
    size = code.symbol_size(border=0)
    image = Image.frombytes("P", size, b"".join(bytes(row) for row in code.matrix))
    image.putpalette(QR_PALETTE)
    image = image.resize(
        (size[0] * QR_MODULE_PIXELS, size[1] * QR_MODULE_PIXELS), Image.Resampling.NEAREST
    )
    output = io.BytesIO()
    image.save(output, format="PNG")
    return "data:image/png;base64," + base64.b64encode(output.getvalue()).decode("ascii")


# Danish letters as they are written without them (slugify would drop them: "ldreplejen").
DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
FILENAME_MAX_LENGTH = 80


def pdf_filename(names, day):
    """A PDF's file name from the words that name its selection, and the date.

    "Fastholdelse", "Kommunal ældrepleje" -> "fastholdelse-kommunal-aeldrepleje-2026-12-03.pdf"
    """
    slug = slugify(" ".join(names).translate(DANISH_LETTERS))
    if len(slug) > FILENAME_MAX_LENGTH:
        slug = slug[:FILENAME_MAX_LENGTH].rsplit("-", 1)[0]
    return f"{slug or 'inspirationshaefte'}-{day:%Y-%m-%d}.pdf"


def _theme_rank():
    """Position of every theme in the taxonomy's ordering (one query)."""
    themes = Theme.objects.select_related("group").order_by(*Theme._meta.ordering)
    return {theme.pk: index for index, theme in enumerate(themes)}


def build_booklet(
    cases,
    *,
    title="",
    subtitle="",
    intro="",
    chosen_themes=(),
    section_order="themes",
    kind="selection",
    selection_label=None,
    day=None,
):
    """Group `cases` (an iterable with `themes` prefetched) into a `Booklet`.

    `chosen_themes` are the themes selected in a filter, in the order chosen; a case
    goes under the first of them it carries. Without chosen themes (or for a case that
    carries none of them) it goes under its own first theme by the taxonomy's ordering,
    and a case without themes under "Øvrige cases" at the end.

    The standard introduction names the selection by `selection_label` (the subtitle when
    None; a hand-picked folder has no words for it). `day` (a date or its ISO text) is
    the date printed on it, today by default.
    """
    cases = list(cases)
    rank = _theme_rank()
    chosen = list(dict.fromkeys(chosen_themes))
    chosen_rank = {theme.pk: index for index, theme in enumerate(chosen)}

    def preference(theme):
        # Chosen themes first (in the order chosen), then the taxonomy's order.
        return (
            0 if theme.pk in chosen_rank else 1,
            chosen_rank.get(theme.pk, 0),
            rank.get(theme.pk, len(rank)),
        )

    sections = {}
    first_seen = {}
    case_themes = {}
    for position, case in enumerate(cases):
        themes = sorted(case.themes.all(), key=preference)
        case_themes[case.pk] = themes
        home = themes[0] if themes else None
        key = home.pk if home else None
        if key not in sections:
            sections[key] = Section(theme=home)
            first_seen[key] = position
        sections[key].cases.append(case)

    # Chosen themes get a section even when all their cases live under an earlier
    # theme: the section then frames the theme and points to them.
    for theme in chosen:
        if theme.pk not in sections and any(theme in themes for themes in case_themes.values()):
            sections[theme.pk] = Section(theme=theme)
            first_seen[theme.pk] = len(cases)

    def section_key(key):
        if key is None:
            return (2, 0, 0)
        theme = sections[key].theme
        if theme.pk in chosen_rank:
            return (0, chosen_rank[theme.pk], 0)
        if section_order == "selection":
            return (1, first_seen[key], 0)
        return (1, rank.get(key, len(rank)), 0)

    ordered = [sections[key] for key in sorted(sections, key=section_key)]

    home_of = {case.pk: section for section in ordered for case in section.cases}
    for case in cases:
        for theme in case_themes[case.pk][1:]:
            if theme.pk in sections:
                sections[theme.pk].see_also.append(CrossReference(case, home_of[case.pk]))

    return Booklet(
        title=title or DEFAULT_TITLE,
        subtitle=subtitle,
        intro=intro
        or standard_intro(
            len(cases),
            subtitle if selection_label is None else selection_label,
            workplaces=workplaces_of(cases),
            theme_count=len(ordered),
        ),
        sections=ordered,
        date=_as_date(day) if day else timezone.localdate(),
        kind=kind,
    )


def _as_date(day):
    return day if isinstance(day, date) else date.fromisoformat(day)


def case_booklet(case, day=None):
    """A one-case document: no cover and no contents, just the case."""
    booklet = build_booklet([case], title=case.title, kind="case", day=day)
    booklet.intro = ""
    return booklet
