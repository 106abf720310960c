"""Booklets as PDF with WeasyPrint: `render_pdf(booklet)` gives the bytes.

A single case (`SinglePdf`) is laid out in one go from `case.html`. A booklet
(`BookletPdf`) is laid out in parts, several at a time, and joined (see parts.py): one
`body.html` per part of the theme sections, then `front.html` (cover, introduction,
contents). Both use the booklet stylesheet with the portal's IBM Plex Sans embedded.

The front matter is paginated on its own, as in a book (i, ii, …), and the theme
sections from 1: so the contents can be written as soon as the sections are laid out,
whatever its own length, and nothing is laid out twice.

This runs in the task queue's workers (booklets.queue, booklets.tasks), never in a web
process; it knows nothing of HTTP, the queue or the storage, so a benchmark or a shell can
call it as a plain function. Rendering cost is WeasyPrint's layout; database and template
time are small beside it (see scripts/bench_booklet.py).
"""

import hashlib
from functools import lru_cache, partial
from pathlib import Path

import pikepdf
import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .booklet import case_anchor
from .parts import join_parts, render_part, render_parts, split_into_parts

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "booklets" / "booklet"
STYLESHEET = TEMPLATE_DIR / "booklet.css"
NUMBERS_STYLESHEET = TEMPLATE_DIR / "numbers.css"
FONT_DIR = "vendor/dkfds/fonts/IBMPlexSans/complete/ttf"
FONT_FACES = [
    # (file, weight, style)
    ("IBMPlexSans-Regular.ttf", 400, "normal"),
    ("IBMPlexSans-Italic.ttf", 400, "italic"),
    ("IBMPlexSans-SemiBold.ttf", 600, "normal"),
    ("IBMPlexSans-Bold.ttf", 700, "normal"),
    ("IBMPlexSans-BoldItalic.ttf", 700, "italic"),
]

# A tagged PDF carries its reading order and structure (headings, lists, links) for
# screen readers; public-sector documents must be accessible. It costs about a fifth
# more rendering time.
PDF_OPTIONS = {"pdf_tags": True}


@lru_cache(maxsize=1)
def _font_face_css():
    rules = []
    for filename, weight, style in FONT_FACES:
        path = finders.find(f"{FONT_DIR}/{filename}")
        if path is None:  # pragma: no cover - the fonts are vendored
            continue
        rules.append(
            "@font-face { font-family: 'IBM Plex Sans'; "
            f"src: url('{Path(path).as_uri()}'); font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def stylesheet_text():
    return _font_face_css() + "\n" + STYLESHEET.read_text(encoding="utf-8")


def _base_url():
    return str(settings.BASE_DIR)


def _context(booklet, **extra):
    return {"booklet": booklet, "partnership": settings.SITE_NAME, **extra}


class SinglePdf:
    """One case as a short PDF, laid out in one go."""

    def __init__(self, booklet):
        self.html = render_to_string("booklets/booklet/case.html", _context(booklet))

    def render(self):
        return render_part(self.html, [stylesheet_text()], _base_url(), PDF_OPTIONS).pdf


class BookletPdf:
    """A booklet, laid out in parts and joined; see parts.py for how."""

    def __init__(self, booklet, processes=None):
        self.booklet = booklet
        self.processes = processes or settings.BOOKLET_RENDER_PROCESSES
        wanted = booklet.case_count // max(1, settings.BOOKLET_MIN_CASES_PER_PART)
        self.parts = split_into_parts(booklet.sections, max(1, min(self.processes, wanted)))
        self.homes = self._homes()
        self.body_html = [
            render_to_string(
                "booklets/booklet/body.html",
                _context(booklet, slices=slices, elsewhere=self._elsewhere(number, slices)),
            )
            for number, slices in enumerate(self.parts, start=1)
        ]

    def _homes(self):
        """The index of the part (0 the front matter) that holds each section and case."""
        homes = {}
        for number, slices in enumerate(self.parts, start=1):
            for piece in slices:
                if piece.first:
                    homes[piece.section.anchor] = number
                homes.update((case_anchor(case), number) for case in piece.cases)
        return homes

    def _elsewhere(self, number, slices):
        """The cases part `number` refers to under "Se også" but does not hold."""
        return sorted(
            {
                case_anchor(ref.case)
                for piece in slices
                if piece.last
                for ref in piece.section.see_also
                if self.homes[case_anchor(ref.case)] != number
            }
        )

    def front_html(self, page_numbers):
        """Cover, introduction and contents; `page_numbers` maps each section's and
        case's anchor to its page number among the theme sections (the first is 1)."""
        contents = [
            {
                "title": section.title,
                "anchor": section.anchor,
                "page": page_numbers[section.anchor],
                "cases": [
                    {
                        "title": case.title,
                        "anchor": case_anchor(case),
                        "page": page_numbers[case_anchor(case)],
                    }
                    for case in section.cases
                ],
            }
            for section in self.booklet.sections
        ]
        return render_to_string(
            "booklets/booklet/front.html",
            _context(
                self.booklet,
                contents=contents,
                one_page=front_fits_one_page(self.booklet, contents),
            ),
        )

    def _job(self, html):
        return (html, [stylesheet_text()], _base_url(), PDF_OPTIONS)

    def render(self):
        body, _ = render_parts([self._job(html) for html in self.body_html], self.processes)
        body_pages = sum(part.page_count for part in body)
        front_job = self._job(self.front_html(self._page_numbers(body)))
        # The page numbers of the sections are laid out while the front matter is.
        numbers, front = _with_numbers(body_pages, self.processes, partial(render_part, *front_job))
        return join_parts([front, *body], self.homes, numbers)

    @staticmethod
    def _page_numbers(body):
        numbers, offset = {}, 0
        for part in body:
            for anchor, index in part.anchors.items():
                numbers.setdefault(anchor, offset + index + 1)
            offset += part.page_count
        return numbers


# An estimate, in mm, of what the introduction and the contents take (booklet.css): a
# line's height and how many characters fit on it. On the safe side: when it fails, the
# contents just goes on to the next page.
FRONT_PAGE_HEIGHT = 235
FRONT_HEADING = 27
INTRO_LINE, INTRO_LINE_CHARS, PARAGRAPH_GAP = 6.6, 62, 2.5
TOC_SECTION, TOC_CASE_LINE, TOC_CASE_LINE_CHARS = 13, 6.1, 80


def _lines(text, per_line):
    return max(1, -(-len(text) // per_line))


def front_fits_one_page(booklet, contents):
    """Whether the introduction and the contents fit on one page together, so that a
    small booklet does not spend a page on each (3 cases made 7 pages)."""
    height = 2 * FRONT_HEADING
    for paragraph in booklet.intro_paragraphs:
        height += _lines(paragraph, INTRO_LINE_CHARS) * INTRO_LINE + PARAGRAPH_GAP
    for entry in contents:
        height += TOC_SECTION
        for case in entry["cases"]:
            height += _lines(case["title"], TOC_CASE_LINE_CHARS) * TOC_CASE_LINE
    return height <= FRONT_PAGE_HEIGHT


_numbers_cache = {}
NUMBERS_CACHE_SIZE = 32


def _with_numbers(page_count, processes, meanwhile):
    """(a PDF of `page_count` pages with nothing but "Side X af Y"; what `meanwhile()`
    returned). Kept for the next booklet of as many pages."""
    numbers = _numbers_cache.get(page_count)
    if numbers is not None:
        return numbers, meanwhile()
    html = render_to_string("booklets/booklet/numbers.html", {"pages": range(page_count)})
    stylesheets = [stylesheet_text(), NUMBERS_STYLESHEET.read_text(encoding="utf-8")]
    [rendered], result = render_parts(
        [(html, stylesheets, _base_url(), {})], processes, meanwhile=meanwhile
    )
    if len(_numbers_cache) >= NUMBERS_CACHE_SIZE:
        _numbers_cache.pop(next(iter(_numbers_cache)))
    _numbers_cache[page_count] = rendered.pdf
    return rendered.pdf, result


def document_for(booklet):
    return SinglePdf(booklet) if booklet.kind == "case" else BookletPdf(booklet)


def render_pdf(booklet):
    """The booklet as PDF bytes."""
    return document_for(booklet).render()


@lru_cache(maxsize=1)
def renderer_fingerprint():
    """A hash of what decides a PDF's bytes besides the booklet's content: this app's
    code and templates, the fonts and the versions of WeasyPrint and pikepdf. Read once
    per process (a deploy restarts them)."""
    digest = hashlib.sha256(
        f"weasyprint {weasyprint.__version__}, pikepdf {pikepdf.__version__}".encode()
    )
    app_dir = Path(__file__).resolve().parent
    for path in sorted([*app_dir.glob("*.py"), *TEMPLATE_DIR.iterdir()]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(_font_face_css().encode())
    return digest.hexdigest()[:40]
