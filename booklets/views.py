"""Views for inspiration booklets (PDF) and "Min inspirationsmappe".

Thin on purpose: the selection rules live in `booklet.py`, the session folder in
`folder.py`, rendering and caching in `pdf.py`. Everything works without JavaScript:
the folder is changed with small POST forms that redirect back.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cases.filters import CaseFilter
from cases.models import Case

from . import folder as folder_module
from .booklet import (
    DEFAULT_TITLE,
    MAX_FILTER_CASES,
    build_booklet,
    case_booklet,
    pdf_filename,
)
from .folder import Folder, FolderFull, parse_case_id
from .pdf import pdf_response


def _booklet_queryset(queryset):
    return queryset.with_list_relations().prefetch_related("themes__group")


def _list_url(querystring=""):
    url = reverse("cases:list")
    return f"{url}?{querystring}" if querystring else url


@require_safe
def booklet(request):
    """The booklet of exactly the cases the case list shows for the same parameters."""
    # Built exactly as the list builds it, so both select the same cases.
    case_filter = CaseFilter(
        request.GET or None, queryset=Case.objects.published(), request=request
    )
    back = _list_url(case_filter.querystring())
    queryset = case_filter.qs
    count = queryset.count()
    if count == 0:
        messages.warning(
            request,
            "Der er ingen cases, der passer til din søgning, så der er intet hæfte at hente. "
            "Prøv med færre filtre.",
        )
        return redirect(back)
    if count > MAX_FILTER_CASES:
        messages.warning(
            request,
            f"Din søgning giver {count} cases. Et hæfte kan rumme højst {MAX_FILTER_CASES}. "
            "Vælg et tema, en region eller en faggruppe for at gøre udvalget mindre.",
        )
        return redirect(back)
    labels = case_filter.active_filter_labels()
    booklet = build_booklet(
        _booklet_queryset(queryset),
        title=DEFAULT_TITLE,
        subtitle=" · ".join(labels) if labels else "Alle cases på portalen",
        chosen_themes=case_filter.selected("theme"),
        section_order="themes",
    )
    # Named by what was selected: "inspirationshaefte-fastholdelse-region-hovedstaden-…".
    values = [label.split(": ", 1)[1] for label in labels if ": " in label] or ["alle cases"]
    return pdf_response(
        request, booklet, pdf_filename(["inspirationshaefte", *values], booklet.date)
    )


@require_safe
def case_pdf(request, slug):
    case = get_object_or_404(_booklet_queryset(Case.objects.published()), slug=slug)
    if not case.is_public:
        raise Http404
    booklet = case_booklet(case)
    return pdf_response(request, booklet, pdf_filename([case.title], booklet.date))


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
    cases = user_folder.cases(_booklet_queryset(Case.objects.published()))
    if not cases:
        messages.warning(
            request,
            "Din inspirationsmappe er tom. Tilføj cases fra listen over cases, "
            "før du henter mappen som PDF.",
        )
        return redirect("booklets:folder")
    booklet = build_booklet(
        cases,
        title=user_folder.display_title,
        subtitle=f"{len(cases)} udvalgte {'case' if len(cases) == 1 else 'cases'}",
        intro=user_folder.intro,
        section_order="selection",
        selection_label="",
    )
    return pdf_response(request, booklet, pdf_filename([booklet.title], booklet.date))


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
