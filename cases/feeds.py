"""Atom feeds of newly published cases: all of them, and those of one theme.

Links are absolute on SITE_URL (portal.accounts.on_site), as in mails and booklets: a feed
is read by an aggregator or an intranet, not by the browser that asked for it. Only
published cases appear (`Case.objects.published()`), newest first, at most
`MAX_ITEMS`.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from portal.accounts import on_site
from portal.models import Theme

from .models import Case

MAX_ITEMS = 50


@method_decorator(require_safe, name="__call__")
class LatestCasesFeed(Feed):
    feed_type = Atom1Feed
    language = "da"
    title = "Nye cases – Regionalt arbejdsliv"
    subtitle = (
        "Nyligt offentliggjorte gode erfaringer fra samarbejdet Sammen om udvikling af de "
        "regionale arbejdspladser."
    )

    def link(self, obj):
        return on_site(reverse("cases:list"))

    def feed_url(self, obj):
        return on_site(reverse("cases:feed"))

    def author_name(self, obj):
        return "Sammen om udvikling af de regionale arbejdspladser"

    def cases(self, obj):
        return Case.objects.published()

    def items(self, obj):
        return (
            self.cases(obj)
            .select_related("region", "sector")
            .prefetch_related("themes")
            .defer("body", "key_learnings", "dos", "donts")
            .order_by("-published_at", "-pk")[:MAX_ITEMS]
        )

    def item_title(self, item):
        # Atom titles are plain text: Django's default escapes them once more for RSS.
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return on_site(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]

    def item_author_name(self, item):
        """Who shared it: the workplace, with the person if a contributor agreed to be
        credited (`Case.shared_by`); never anyone's address."""
        return item.shared_by or item.place or item.source_publisher or None


class ThemeCasesFeed(LatestCasesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Theme, slug=slug)

    def title(self, obj):
        return f"Nye cases om {obj.name} – Regionalt arbejdsliv"

    def subtitle(self, obj):
        return f"Nyligt offentliggjorte cases med temaet „{obj.name}“."

    def link(self, obj):
        return on_site(obj.get_absolute_url())

    def feed_url(self, obj):
        return on_site(reverse("portal:theme_feed", kwargs={"slug": obj.slug}))

    def cases(self, obj):
        return Case.objects.for_theme(obj)
