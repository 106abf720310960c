"""Numbered page links for templates/includes/pagination.html."""

from django import template

register = template.Library()


@register.simple_tag
def page_links(page_obj, on_each_side=2, on_ends=1):
    """The page numbers to link to around the current page, with None where pages are left
    out (1 2 3 4 … 12)."""
    paginator = page_obj.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    ]
