"""Booklets as PDF with WeasyPrint, cached by content.

A single case (`SinglePdf`) is laid out in one go from `case.html`. A booklet
(`BookletPdf`) is laid out in parts, several at a time, and joined (see parts.py):
`front.html` (cover, introduction, contents) and one `body.html` per part of the theme
sections. Both use the booklet stylesheet with the portal's IBM Plex Sans embedded;
`pdf_response` serves them.

The cache key is a hash of what decides the PDF's bytes: the HTML of every part (every
case's text and facts, the themes, the title, introduction and date), the stylesheets
and the versions of WeasyPrint and pikepdf. It is also the response's ETag, so a
conditional request gets a 304 before any layout work, and editing a case, a theme
description or a template gives a new key without any invalidation code. PDFs are kept
as files under MEDIA_ROOT/booklets (shared by all worker processes), pruned when they
grow old.

Rendering cost is WeasyPrint's layout; database and template time are small beside it
(see scripts/bench_booklet.py).
"""

import hashlib
import os
import tempfile
import time
from functools import lru_cache, partial
from pathlib import Path

import pikepdf
import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header, parse_etags

from portal import ratelimit

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
CACHE_SUBDIR = "booklets"
CACHE_MAX_AGE_SECONDS = 7 * 24 * 3600
CACHE_MAX_FILES = 500

# A tagged PDF carries its reading order and structure (headings, lists, links) for
# screen readers; public-sector documents must be accessible. It costs about a fifth
# more rendering time.
PDF_OPTIONS = {"pdf_tags": True}
# Stands for a page number in the contents until the real ones are known: as wide as
# any number a booklet gets, so the contents takes as many pages as it will.
PLACEHOLDER_PAGE = "000"


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


def content_key(*parts):
    """A hash of everything that decides the PDF's bytes."""
    digest = hashlib.sha256()
    versions = f"weasyprint {weasyprint.__version__}, pikepdf {pikepdf.__version__}"
    for part in (versions, stylesheet_text(), *parts):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:40]


def _base_url():
    return str(settings.BASE_DIR)


def _context(booklet, **extra):
    return {"booklet": booklet, "partnership": settings.SITE_NAME, **extra}


class SinglePdf:
    """One case as a short PDF, laid out in one go."""

    def __init__(self, booklet):
        self.html = render_to_string("booklets/booklet/case.html", _context(booklet))
        self.key = content_key(self.html)

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
        self.key = content_key(
            NUMBERS_STYLESHEET.read_text(encoding="utf-8"), self.front_html(), *self.body_html
        )

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

    def front_html(self, page_numbers=None):
        """Cover, introduction and contents; `page_numbers` maps each section's and
        case's anchor to its page (placeholders when None)."""

        def page(anchor):
            return page_numbers[anchor] if page_numbers else PLACEHOLDER_PAGE

        contents = [
            {
                "title": section.title,
                "anchor": section.anchor,
                "page": page(section.anchor),
                "cases": [
                    {
                        "title": case.title,
                        "anchor": case_anchor(case),
                        "page": page(case_anchor(case)),
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
        parallel = self.processes > 1 and len(self.body_html) > 1
        body, placeholder_front = render_parts(
            [self._job(html) for html in self.body_html],
            self.processes,
            # Learn the front matter's length while the parts are laid out.
            meanwhile=partial(render_part, *self._job(self.front_html())) if parallel else None,
        )
        # Without that, guess: cover, introduction and a page of contents.
        front_pages = placeholder_front.page_count if placeholder_front else 3
        body_pages = sum(part.page_count for part in body)
        for _attempt in range(4):
            front_job = self._job(self.front_html(self._page_numbers(front_pages, body)))
            # The page numbers are laid out while the front matter is.
            numbers, front = _with_numbers(
                front_pages + body_pages, self.processes, partial(render_part, *front_job)
            )
            if front.page_count == front_pages:
                return join_parts([front, *body], self.homes, numbers)
            front_pages = front.page_count
        raise RuntimeError("The front matter's length did not settle; no booklet made.")

    @staticmethod
    def _page_numbers(front_pages, body):
        numbers, offset = {}, front_pages
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
    """(a PDF of `page_count` pages with nothing but "Side X af Y", none on the first;
    what `meanwhile()` returned). Kept for the next booklet of as many pages."""
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


# -- the file cache -----------------------------------------------------------------


def cache_dir():
    return Path(settings.MEDIA_ROOT) / CACHE_SUBDIR


def _cache_path(key):
    return cache_dir() / f"{key}.pdf"


def cached_pdf(key):
    try:
        return _cache_path(key).read_bytes()
    except FileNotFoundError:
        return None


def store_pdf(key, pdf):
    directory = cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=directory, suffix=".tmp")
    with os.fdopen(handle, "wb") as temp_file:
        temp_file.write(pdf)
    os.replace(temp_name, _cache_path(key))
    _prune(directory)


def _prune(directory):
    """Drop cached booklets older than a week, and the oldest beyond CACHE_MAX_FILES."""
    entries = []
    now = time.time()
    for path in directory.glob("*.pdf"):
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            continue
        if now - mtime > CACHE_MAX_AGE_SECONDS:
            path.unlink(missing_ok=True)
        else:
            entries.append((mtime, path))
    entries.sort()
    for _, path in entries[: max(0, len(entries) - CACHE_MAX_FILES)]:
        path.unlink(missing_ok=True)


def pdf_for(document):
    """The PDF bytes of `document`, from the cache or freshly rendered and stored."""
    pdf = cached_pdf(document.key)
    if pdf is None:
        pdf = document.render()
        store_pdf(document.key, pdf)
    return pdf


# -- HTTP ---------------------------------------------------------------------------


def too_busy_response(request, retry_after):
    """429 with a Danish page: this client has had its share of fresh renders."""
    response = render(
        request,
        "booklets/pdf_too_busy.html",
        {"retry_minutes": max(1, round(retry_after / 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def pdf_response(request, booklet, filename):
    """The booklet as a PDF response with an ETag; 304 when the client has it already.

    A PDF not in the cache yet is rendered only while the client is within its share
    of fresh renders (portal.ratelimit); past it, a 429 page asks it to come back.
    """
    document = document_for(booklet)
    etag = f'"{document.key}"'
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match and (etag in parse_etags(if_none_match) or if_none_match.strip() == "*"):
        response = HttpResponseNotModified()
    else:
        pdf = cached_pdf(document.key)
        if pdf is None:
            limit, client = ratelimit.render_limit(), ratelimit.client_ip(request)
            retry_after = limit.retry_after(client)
            if retry_after:
                return too_busy_response(request, retry_after)
            limit.hit(client)
            pdf = pdf_for(document)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["Content-Length"] = str(len(pdf))
    response["ETag"] = etag
    # Revalidate every time: the booklet changes as soon as a case does.
    response["Cache-Control"] = "private, no-cache"
    return response
