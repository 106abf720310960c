"""The case list's filter rules written as SQL: the reference the facet index is held to.

The list, its counts, the embeddable list and the booklet of a filtered list all ask the
facet index (cases/facets.py through cases.filters.CaseFilter); nothing in the portal runs
these queries. The tests compare the index's answers with them.
"""

from django.db.models import Count, Q

from cases.filters import MATCH_ALL, SORT_RELEVANCE, SORT_TITLE
from cases.models import Case, ThemedCase
from cases.search import FEW_COMPLETE_MATCHES


def _ids(case_filter, parameter):
    return [obj.pk for obj in case_filter.selected(parameter)]


def _with_themes(queryset, theme_ids, mode):
    if not theme_ids:
        return queryset
    links = ThemedCase.objects.filter(tag_id__in=theme_ids)
    if mode == MATCH_ALL and len(theme_ids) > 1:
        links = (
            links.values("content_object_id")
            .annotate(matched=Count("tag_id", distinct=True))
            .filter(matched=len(theme_ids))
        )
    return queryset.filter(pk__in=links.values("content_object_id"))


def filtered(case_filter, queryset):
    """`queryset` narrowed by the state's themes, regions, sectors and professions."""
    queryset = _with_themes(queryset, _ids(case_filter, "theme"), case_filter.match_mode)
    if regions := _ids(case_filter, "region"):
        also = Case.other_regions.through.objects.filter(region_id__in=regions).values("case_id")
        queryset = queryset.filter(Q(region_id__in=regions) | Q(pk__in=also))
    if sectors := _ids(case_filter, "sector"):
        queryset = queryset.filter(sector_id__in=sectors)
    if professions := _ids(case_filter, "profession"):
        links = Case.professional_groups.through.objects.filter(
            professionalgroup_id__in=professions
        )
        queryset = queryset.filter(pk__in=links.values("case_id"))
    return queryset


def reference_pks(case_filter):
    """The pks of the cases the state gives, in the list's order, asked of the database."""
    search = case_filter.search
    published = Case.objects.published()
    queryset = filtered(case_filter, search.apply(published))
    sort = case_filter.sort_order
    if sort == SORT_RELEVANCE and search.ranked:
        complete = list(search.apply(published).values_list("pk", flat=True))
        pks = list(queryset.order_by("-rank", "-published_at", "-pk").values_list("pk", flat=True))
        # Few cases match every word: those matching most of them follow.
        partial = (
            search.partial_matches(published, complete)
            if len(complete) < FEW_COMPLETE_MATCHES
            else None
        )
        if partial is not None:
            pks += list(
                filtered(case_filter, partial)
                .order_by("-matched", "-rank", "-published_at", "-pk")
                .values_list("pk", flat=True)
            )
        return pks
    if sort == SORT_TITLE:
        return list(queryset.in_title_order().values_list("pk", flat=True))
    return list(queryset.order_by("-published_at", "-pk").values_list("pk", flat=True))
