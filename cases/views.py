from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.utils.functional import cached_property
from django.views.generic import DetailView, TemplateView

from .filters import CaseFilter
from .models import Case


class KnownCountPaginator(Paginator):
    """A paginator told the number of objects and how to fetch a page's objects
    (`fetch_page(offset, limit)`), so it asks the database for neither: the case list's
    facet index knows both (cases/facets.py)."""

    def __init__(self, *args, count, fetch_page, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = count
        self._fetch_page = fetch_page

    @cached_property
    def count(self):
        return self._known_count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._fetch_page(bottom, top - bottom), number, self)


class CaseListView(TemplateView):
    """The case library: filter by theme, region, sector and profession, search, sort.

    Cases, counts and pages all come from the facet index through `CaseFilter`; the view
    builds no queryset of its own."""

    template_name = "cases/case_list.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case_filter = CaseFilter(self.request.GET or None)
        notices = case_filter.warnings()
        page = self.page(case_filter, notices)
        querystring = case_filter.querystring()
        context.update(
            filter=case_filter,
            notices=notices,
            facets=case_filter.facets(),
            paginator=page.paginator,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            cases=page.object_list,
            querystring_without_page=querystring + "&" if querystring else "",
        )
        return context

    def page(self, case_filter, notices):
        """A page number that doesn't exist shows the nearest page with a message, not a 404."""
        paginator = KnownCountPaginator(
            (),
            self.paginate_by,
            allow_empty_first_page=True,
            count=case_filter.counts()["total"],
            fetch_page=case_filter.listed_page,
        )
        requested = self.request.GET.get("page") or 1
        try:
            return paginator.page(requested)
        except InvalidPage:
            # Past the end: the last page. Not a number ("x", and "²", which
            # str.isdigit() accepts but the paginator does not): the first.
            requested_number = str(requested)
            is_number = requested_number.isascii() and requested_number.isdigit()
            page = paginator.page(paginator.num_pages if is_number else 1)
            notices.append(
                f"Siden „{requested}“ findes ikke; viser side {page.number} "
                f"af {paginator.num_pages}."
            )
            return page


class CaseDetailView(DetailView):
    template_name = "cases/case_detail.html"
    context_object_name = "case"

    def get_queryset(self):
        queryset = Case.objects.select_related("region", "sector").prefetch_related(
            "themes", "professional_groups", "other_regions"
        )
        if self.request.user.has_perm("cases.view_case"):
            return queryset
        return queryset.published()

    def get_object(self, queryset=None):
        case = super().get_object(queryset)
        if not case.is_public and not self.request.user.has_perm("cases.view_case"):
            raise Http404
        return case

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related_cases"] = (
            Case.objects.published()
            .select_related("region", "sector")
            .defer("body", "key_learnings", "dos", "donts")
            .related_to(self.object)
        )
        return context
