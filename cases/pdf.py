"""Booklets as PDF with WeasyPrint, cached by content.

`booklet_html` renders a `cases.booklet.Booklet` with the templates under
`cases/templates/cases/booklet/`; `render_pdf` lays it out with the booklet stylesheet
and the portal's IBM Plex Sans embedded; `pdf_response` serves it.

The cache key is a hash of what decides the PDF's bytes: the rendered HTML (every case's
text and facts, the themes, the title, introduction and date), the stylesheet and the
WeasyPrint version. It is also the response's ETag, so a conditional request gets a 304
before any layout work, and editing a case, a theme description or a template gives a
new key without any invalidation code. PDFs are kept as files under
MEDIA_ROOT/booklets (shared by all worker processes), pruned when they grow old.

Rendering cost is WeasyPrint's layout; database and template time are small beside it
(see scripts/bench_booklet.py).
"""

import hashlib
import os
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header, parse_etags
from weasyprint.text.fonts import FontConfiguration

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "cases" / "booklet"
STYLESHEET = TEMPLATE_DIR / "booklet.css"
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


def booklet_html(booklet):
    template = "cases/booklet/case.html" if booklet.kind == "case" else "cases/booklet/booklet.html"
    return render_to_string(
        template,
        {
            "booklet": booklet,
            "partnership": settings.SITE_NAME,
        },
    )


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


def content_key(html):
    """A hash of everything that decides the PDF's bytes."""
    digest = hashlib.sha256()
    for part in (weasyprint.__version__, stylesheet_text(), html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:40]


# A tagged PDF carries its reading order and structure (headings, lists, links) for
# screen readers; public-sector documents must be accessible. It costs about a fifth
# more rendering time.
PDF_OPTIONS = {"pdf_tags": True}


def render_document(html, base_url=None):
    """Lay out `html` with the booklet stylesheet; returns a WeasyPrint Document."""
    font_config = FontConfiguration()
    css = weasyprint.CSS(string=stylesheet_text(), font_config=font_config)
    return weasyprint.HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).render(
        stylesheets=[css], font_config=font_config, **PDF_OPTIONS
    )


def write_pdf(document):
    return document.write_pdf(**PDF_OPTIONS)


def render_pdf(html, base_url=None):
    return write_pdf(render_document(html, base_url))


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


def pdf_for_html(html):
    """(key, pdf bytes) for `html`, from the cache or freshly rendered and stored."""
    key = content_key(html)
    pdf = cached_pdf(key)
    if pdf is None:
        pdf = render_pdf(html)
        store_pdf(key, pdf)
    return key, pdf


# -- HTTP ---------------------------------------------------------------------------


def pdf_response(request, booklet, filename):
    """The booklet as a PDF response with an ETag; 304 when the client has it already."""
    html = booklet_html(booklet)
    key = content_key(html)
    etag = f'"{key}"'
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match and (etag in parse_etags(if_none_match) or if_none_match.strip() == "*"):
        response = HttpResponseNotModified()
    else:
        key, pdf = pdf_for_html(html)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        response["Content-Length"] = str(len(pdf))
    response["ETag"] = etag
    # Revalidate every time: the booklet changes as soon as a case does.
    response["Cache-Control"] = "private, no-cache"
    return response
