"""Workshop times in Danish, and workshops shown on other apps' pages."""

from django import template
from django.db.models import Prefetch
from django.utils import formats, timezone

from workshops.models import DevelopmentRoom, Workshop

register = template.Library()


@register.filter
def workshop_time(workshop):
    """ "torsdag 3. december 2026 kl. 9.00–15.00" in Copenhagen time; a workshop over
    several days names both days."""
    starts = timezone.localtime(workshop.starts_at)
    ends = timezone.localtime(workshop.ends_at)
    start_day = formats.date_format(starts, "l j. F Y")
    start_time = formats.date_format(starts, "G.i")
    end_time = formats.date_format(ends, "G.i")
    if starts.date() == ends.date():
        return f"{start_day} kl. {start_time}–{end_time}"
    end_day = formats.date_format(ends, "l j. F Y")
    return f"{start_day} kl. {start_time} til {end_day} kl. {end_time}"


@register.inclusion_tag("workshops/includes/case_workshops.html")
def workshops_for_case(case):
    """The published workshops that name `case` as related (one query)."""
    workshops = list(
        Workshop.objects.published().filter(related_cases=case).order_by("-starts_at", "pk")
    )
    return {"workshops": workshops}


@register.inclusion_tag("workshops/includes/initiative_rooms.html")
def development_rooms_for(initiative):
    """The published udviklingsrum `initiative` takes part in, with their meetings."""
    rooms = list(
        DevelopmentRoom.objects.published()
        .filter(initiatives=initiative)
        .prefetch_related(
            Prefetch(
                "meetings",
                queryset=Workshop.objects.published().order_by("starts_at", "pk"),
            )
        )
        .order_by("title")
    )
    return {"rooms": rooms, "initiative": initiative}


@register.simple_tag(takes_context=True)
def print_url(context, path):
    """The full address of `path`, for the print stylesheet to write after a link."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path
