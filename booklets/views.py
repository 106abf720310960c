"""Views for inspiration booklets (PDF) and "Min inspirationsmappe".

Thin on purpose: the selection rules live in `booklet.py`, the session folder in
`folder.py`, the queue in `queue.py` (a view orders a booklet; a queue worker lays it out
with `pdf.py`). Everything works without JavaScript: the folder is changed with small POST
forms that redirect back, and the page that waits for a booklet reloads itself.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import (
    content_disposition_header,
    parse_etags,
    url_has_allowed_host_and_scheme,
)
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases.filters import CaseFilter
from cases.models import Case
from portal import ratelimit

from . import folder as folder_module
from . import queue
from .booklet import DEFAULT_TITLE, MAX_FILTER_CASES, pdf_filename
from .folder import Folder, FolderFull, parse_case_id

logger = logging.getLogger(__name__)

#: The parameter of the "Prøv igen" link on the page that says a booklet failed.
RETRY_PARAMETER = "igen"
#: Seconds a client is asked to wait (Retry-After) when the task queue cannot be reached.
QUEUE_DOWN_RETRY_AFTER = 120
#: The parameter of the waiting page's "Stop den automatiske opdatering" link: the same
#: page without its meta refresh, so the user decides when to look again (WCAG 2.2.1).
#: Like RETRY_PARAMETER it is no part of the booklet's order or key.
STOP_REFRESH_PARAMETER = "stop"


def _list_url(querystring=""):
    url = reverse("cases:list")
    return f"{url}?{querystring}" if querystring else url


def _url_with(request, **parameters):
    """This request's URL with `parameters` set (a value of None removes one)."""
    query = request.GET.copy()
    for name, value in parameters.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return f"{request.path}?{query.urlencode()}" if query else request.path


def _without_retry(request):
    """Where "Prøv igen" goes on to: a fresh attempt, whose waiting page reloads again."""
    return _url_with(request, **{RETRY_PARAMETER: None, STOP_REFRESH_PARAMETER: None})


def booklet_response(request, order, versions, filename):
    """The booklet as a PDF when it is ready (at once, or for a booklet of at most
    BOOKLET_WAIT_MAX_CASES cases within BOOKLET_WAIT_SECONDS),
    else a page that waits for it, says it failed, asks a busy client to wait, or says
    that booklets cannot be made now (the queue or the shared cache is down).

    The key is the ETag too, so a conditional request gets a 304 without any work.
    """
    key = order.key(versions)
    etag = f'"{key}"'
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match and (etag in parse_etags(if_none_match) or if_none_match.strip() == "*"):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        return response
    try:
        return _booklet_or_page(request, order, key, etag, filename)
    except queue.CACHE_ERRORS:
        # With REDIS_URL the marks and the render limit share the queue's Redis.
        logger.exception("Booklet %s: the shared cache cannot be reached", key)
        return queue_down_response(request)
    except queue.QueueUnavailable:
        return queue_down_response(request)


def _booklet_or_page(request, order, key, etag, filename):
    if RETRY_PARAMETER in request.GET:
        queue.forget_failure(key)
        return redirect(_without_retry(request))
    pdf = queue.stored_pdf(key)
    if pdf is None and not queue.has_failed(key):
        requested = queue.request_render(order, key, ratelimit.client_ip(request))
        if requested.retry_after:
            return too_busy_response(request, requested.retry_after)
        # Only a small booklet can be ready in a moment; waiting for a large one would only
        # hold this web worker (a sync worker serves nobody else while it waits), so it is
        # looked for once.
        small = len(order.case_ids) <= settings.BOOKLET_WAIT_MAX_CASES
        pdf = queue.wait_for(key, settings.BOOKLET_WAIT_SECONDS if small else 0)
    if pdf is None:
        if queue.has_failed(key):
            return _failed_response(request)
        return _waiting_response(request, order)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Length"] = str(len(pdf))
    response["ETag"] = etag
    # Revalidate every time: the booklet changes as soon as a case does.
    response["Cache-Control"] = "private, no-cache"
    return response


def _waiting_response(request, order):
    """202 with the page that waits: it reloads itself, unless the user stopped that."""
    response = render(
        request,
        "booklets/pdf_waiting.html",
        {
            "again_url": request.get_full_path(),
            "case_count": len(order.case_ids),
            "refresh_seconds": settings.BOOKLET_REFRESH_SECONDS,
            "stopped": STOP_REFRESH_PARAMETER in request.GET,
            "stop_url": _url_with(request, **{STOP_REFRESH_PARAMETER: "1"}),
            "refresh_url": _url_with(request, **{STOP_REFRESH_PARAMETER: None}),
        },
        status=202,
    )
    response["Cache-Control"] = "no-store"
    return response


def _failed_response(request):
    response = render(
        request,
        "booklets/pdf_failed.html",
        {"retry_url": _url_with(request, **{RETRY_PARAMETER: "1"})},
        status=500,
    )
    response["Cache-Control"] = "no-store"
    return response


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


def queue_down_response(request):
    """503 with a Danish page: the booklet could not be ordered (the task queue is down)."""
    response = render(
        request,
        "booklets/pdf_queue_down.html",
        {"again_url": request.get_full_path()},
        status=503,
    )
    response["Retry-After"] = str(QUEUE_DOWN_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def _today():
    return timezone.localdate()


@require_safe
def booklet(request):
    """The booklet of exactly the cases the case list shows for the same parameters."""
    # Built exactly as the list builds it, so both select the same cases.
    case_filter = CaseFilter(request.GET or None)
    back = _list_url(case_filter.querystring())
    pks = case_filter.listed_pks()
    if not pks:
        messages.warning(
            request,
            "Der er ingen cases, der passer til din søgning, så der er intet hæfte at hente. "
            "Prøv med færre filtre.",
        )
        return redirect(back)
    if len(pks) > MAX_FILTER_CASES:
        messages.warning(
            request,
            f"Din søgning giver {len(pks)} cases. Et hæfte kan rumme højst "
            f"{MAX_FILTER_CASES}. Vælg et tema, en region eller en faggruppe for at gøre "
            "udvalget mindre.",
        )
        return redirect(back)
    versions = dict(Case.objects.filter(pk__in=pks).values_list("pk", "updated_at"))
    labels = case_filter.active_filter_labels()
    day = _today()
    order = queue.BookletOrder(
        kind="selection",
        case_ids=tuple(pks),
        day=day.isoformat(),
        title=DEFAULT_TITLE,
        subtitle=" · ".join(labels) if labels else "Alle cases på portalen",
        chosen_theme_ids=tuple(theme.pk for theme in case_filter.selected("theme")),
        section_order="themes",
    )
    # Named by what was selected: "inspirationshaefte-fastholdelse-region-hovedstaden-…".
    values = [label.split(": ", 1)[1] for label in labels if ": " in label] or ["alle cases"]
    filename = pdf_filename(["inspirationshaefte", *values], day)
    return booklet_response(request, order, [versions.get(pk) for pk in pks], filename)


@require_safe
def case_pdf(request, slug):
    case = get_object_or_404(
        Case.objects.published().only("pk", "title", "updated_at", "status", "published_at"),
        slug=slug,
    )
    if not case.is_public:
        raise Http404
    day = _today()
    order = queue.BookletOrder(kind="case", case_ids=(case.pk,), day=day.isoformat())
    return booklet_response(request, order, [case.updated_at], pdf_filename([case.title], day))


def folder(request):
    """The folder page: its cases in order, title and introduction, export."""
    user_folder = Folder.for_request(request)
    if request.method == "POST":
        user_folder.set_texts(request.POST.get("title"), request.POST.get("intro"))
        if request.POST.get("action") == "pdf":
            return redirect("booklets:folder_pdf")
        messages.success(request, "Titel og indledning er gemt.")
        return redirect("booklets:folder")
    cases = user_folder.cases(Case.objects.published().select_related("region", "sector"))
    return render(
        request,
        "booklets/folder.html",
        {
            "folder": user_folder,
            "folder_cases": cases,
            "max_cases": folder_module.MAX_CASES,
            "default_title": folder_module.DEFAULT_TITLE,
            "title_max_length": folder_module.TITLE_MAX_LENGTH,
            "intro_max_length": folder_module.INTRO_MAX_LENGTH,
        },
    )


@require_safe
def folder_pdf(request):
    user_folder = Folder.for_request(request)
    cases = user_folder.cases(Case.objects.published().only("pk", "updated_at"))
    if not cases:
        messages.warning(
            request,
            "Din inspirationsmappe er tom. Tilføj cases fra listen over cases, "
            "før du henter mappen som PDF.",
        )
        return redirect("booklets:folder")
    day = _today()
    order = queue.BookletOrder(
        kind="selection",
        case_ids=tuple(case.pk for case in cases),
        day=day.isoformat(),
        title=user_folder.display_title,
        subtitle=f"{len(cases)} udvalgte {'case' if len(cases) == 1 else 'cases'}",
        intro=user_folder.intro,
        section_order="selection",
        selection_label="",
    )
    filename = pdf_filename([user_folder.display_title], day)
    return booklet_response(request, order, [case.updated_at for case in cases], filename)


def _next_url(request, default):
    """The page to go back to: a path on this site (anything else would reach `redirect()`
    as a view name and fail), else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return default


def _posted_case_id(request):
    """The id in the POST's `case`; 404 when it is not one."""
    case_id = parse_case_id(request.POST.get("case", ""))
    if case_id is None:
        raise Http404
    return case_id


def _posted_case(request):
    """The published case named by the POST's `case` (its id), or 404."""
    return get_object_or_404(
        Case.objects.published().only("pk", "title"), pk=_posted_case_id(request)
    )


@require_POST
def folder_add(request):
    case = _posted_case(request)
    try:
        added = Folder.for_request(request).add(case.pk)
    except FolderFull:
        messages.error(
            request,
            f"Din inspirationsmappe er fuld ({folder_module.MAX_CASES} cases). "
            "Fjern en case, før du tilføjer en ny.",
        )
        # Back to the page's top, where the error is shown, not to the card (the fragment).
        return redirect(_next_url(request, case.get_absolute_url()).split("#", 1)[0])
    if added:
        messages.success(request, f"„{case.title}“ er lagt i din inspirationsmappe.")
    return redirect(_next_url(request, case.get_absolute_url()))


@require_POST
def folder_remove(request):
    case_id = _posted_case_id(request)
    user_folder = Folder.for_request(request)
    if user_folder.remove(case_id):
        title = Case.objects.filter(pk=case_id).values_list("title", flat=True).first()
        messages.success(
            request,
            f"„{title}“ er fjernet fra din inspirationsmappe."
            if title
            else "Casen er fjernet fra din inspirationsmappe.",
        )
    return redirect(_next_url(request, reverse("booklets:folder")))


@require_POST
def folder_move(request):
    case_id = _posted_case_id(request)
    Folder.for_request(request).move(case_id, request.POST.get("direction"))
    return redirect(_next_url(request, reverse("booklets:folder")) + f"#mappe-case-{case_id}")


@require_http_methods(["GET", "HEAD", "POST"])
def folder_clear(request):
    """GET asks first (a page with the POST button); POST empties the folder."""
    user_folder = Folder.for_request(request)
    if request.method != "POST":
        return render(
            request,
            "booklets/folder_clear.html",
            {"folder": user_folder, "case_count": len(user_folder.cases())},
        )
    user_folder.clear()
    messages.success(request, "Din inspirationsmappe er tømt.")
    return redirect("booklets:folder")
