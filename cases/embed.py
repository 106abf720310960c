"""The embeddable case list: the newest cases for a filter state, for an intranet's iframe.

It takes the case list's filter parameters and finds its cases with the same engine
(`CaseFilter` on the facet index). It is the one page that may be framed by another site:
no X-Frame-Options and `frame-ancestors *` here only; every other page keeps DENY and
`frame-ancestors 'none'`. Its HTML is cached per filter state and library version, and
browsers and proxies may keep it for `MAX_AGE` seconds.
"""

import hashlib

from csp.decorators import csp_replace
from django.core.cache import caches
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.clickjacking import xframe_options_exempt

from portal.accounts import on_site

from .filters import CaseFilter

DEFAULT_COUNT, MAX_COUNT = 5, 20
MAX_AGE = 300
COUNT_PARAMETER = "antal"


def shown_count(value):
    """How many cases to show: `antal` if it is a whole number, within 1..MAX_COUNT."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()):
        return DEFAULT_COUNT
    return min(max(int(text), 1), MAX_COUNT)


@method_decorator(xframe_options_exempt, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": ["*"]}), name="dispatch")
class CaseEmbedView(View):
    http_method_names = ["get", "head"]
    template_name = "cases/embed.html"

    def get(self, request):
        filterset = CaseFilter(request.GET or None)
        count = shown_count(request.GET.get(COUNT_PARAMETER))
        state = f"{filterset.querystring()}&{COUNT_PARAMETER}={count}"
        digest = hashlib.sha256(state.encode()).hexdigest()
        key = f"case-embed:{filterset.version}:{digest}"
        cache = caches["local"]
        html = cache.get(key)
        if html is None:
            html = self.render(filterset, count)
            cache.set(key, html, MAX_AGE)
        response = HttpResponse(html)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    def render(self, filterset, count):
        query = filterset.querystring()
        list_url = on_site(reverse("cases:list")) + (f"?{query}" if query else "")
        context = {
            "cases": filterset.listed_page(0, count),
            "total": filterset.counts()["total"],
            "labels": filterset.active_filter_labels(),
            "list_url": list_url,
        }
        return render_to_string(self.template_name, context)
