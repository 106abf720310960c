"""Public workshop pages: the list (upcoming and past), a workshop, an udviklingsrum."""

from django.core.paginator import InvalidPage
from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from cases.models import Case
from cases.views import KnownCountPaginator
from initiatives.models import Initiative

from .filters import WHEN_PAST, WorkshopFilter
from .models import DevelopmentRoom, Workshop


class WorkshopListView(ListView):
    """Upcoming (soonest first) or past (latest first) workshops, filtered by theme,
    region, kind and year, with a count for every option."""

    template_name = "workshops/workshop_list.html"
    context_object_name = "workshops"
    paginate_by = 20

    def get_queryset(self):
        self.filterset = WorkshopFilter(self.request.GET or None, request=self.request)
        self.notices = self.filterset.warnings()
        return Workshop.objects.none()

    def paginate_queryset(self, queryset, page_size):
        """A page number that doesn't exist shows the nearest page with a message."""
        paginator = KnownCountPaginator(
            queryset,
            page_size,
            allow_empty_first_page=True,
            count=len(self.filterset.result()["pks"]),
            fetch_page=self.filterset.listed_page,
        )
        requested = self.request.GET.get("page") or 1
        try:
            page = paginator.page(requested)
        except InvalidPage:
            requested_number = str(requested)
            is_number = requested_number.isascii() and requested_number.isdigit()
            page = paginator.page(paginator.num_pages if is_number else 1)
            self.notices.append(
                f"Siden „{requested}“ findes ikke; viser side {page.number} "
                f"af {paginator.num_pages}."
            )
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        querystring = self.filterset.querystring()
        context.update(
            filter=self.filterset,
            notices=self.notices,
            facets=self.filterset.facets(),
            sections=self.filterset.sections(),
            showing_past=self.filterset.section == WHEN_PAST,
            querystring_without_page=f"{querystring}&" if querystring else "",
        )
        return context


class WorkshopDetailView(DetailView):
    """A workshop's invitation and its record, laid out for reading and printing."""

    template_name = "workshops/workshop_detail.html"
    context_object_name = "workshop"

    def get_queryset(self):
        return (
            Workshop.objects.published()
            .select_related("development_room")
            .prefetch_related(
                "points",
                "themes__group",
                "regions",
                "professional_groups",
                Prefetch(
                    "related_cases",
                    queryset=Case.objects.published().select_related("region", "sector"),
                ),
                Prefetch(
                    "related_initiatives",
                    queryset=Initiative.objects.published().select_related("region"),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        room = self.object.development_room
        context["development_room"] = room if room and room.is_published else None
        return context


class DevelopmentRoomDetailView(DetailView):
    """An udviklingsrum: its course, phase, member initiatives and meetings."""

    template_name = "workshops/development_room_detail.html"
    context_object_name = "room"

    def get_queryset(self):
        return DevelopmentRoom.objects.published().prefetch_related(
            Prefetch(
                "initiatives",
                queryset=Initiative.objects.published().select_related("region").order_by("title"),
            ),
            Prefetch(
                "meetings",
                queryset=Workshop.objects.published().order_by("starts_at", "pk"),
            ),
        )
