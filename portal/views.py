"""Pages that gather several apps (the home page and the theme pages), and the pages about
the portal itself that every page's footer links (contact, privacy, accessibility).

Each app is asked for its part through a manager method (`Case.objects.for_theme`,
`Initiative.objects.for_theme`, `Workshop.objects.for_theme`), so the apps never reach
into each other.
"""

import datetime

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.views.generic import DetailView, RedirectView, TemplateView

from cases.models import Case
from initiatives.models import Initiative
from workshops.models import Workshop

from .models import Theme, ThemeGroup
from .site_info import site_info


def themes_with_counts():
    """Theme groups with their themes, each theme annotated with `case_count`."""
    counts = Case.objects.count_by_theme()
    groups = list(ThemeGroup.objects.prefetch_related("themes"))
    for group in groups:
        for theme in group.themes.all():
            theme.case_count = counts.get(theme.pk, 0)
    return groups


class HomeView(TemplateView):
    template_name = "portal/home.html"
    newest_count = 6

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["theme_groups"] = themes_with_counts()
        context["newest_cases"] = (
            Case.objects.published()
            .for_listing()
            .order_by("-published_at", "-pk")[: self.newest_count]
        )
        context["case_total"] = Case.objects.published().count()
        return context


class ThemeListView(TemplateView):
    template_name = "portal/theme_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["theme_groups"] = themes_with_counts()
        return context


class ThemeDetailView(DetailView):
    model = Theme
    template_name = "portal/theme_detail.html"
    context_object_name = "theme"
    case_count_shown = 10
    workshop_count_shown = 10

    def get_queryset(self):
        return Theme.objects.select_related("group")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cases = Case.objects.for_theme(self.object)
        context["case_total"] = cases.count()
        context["cases"] = cases.for_listing().order_by("-published_at", "-pk")[
            : self.case_count_shown
        ]
        context["initiatives"] = list(Initiative.objects.for_theme(self.object).order_by("title"))
        workshops = Workshop.objects.for_theme(self.object)
        context["upcoming_workshops"] = list(workshops.upcoming().order_by("starts_at", "pk"))
        context["past_workshops"] = list(
            workshops.past().order_by("-starts_at", "-pk")[: self.workshop_count_shown]
        )
        context["sibling_themes"] = self.object.group.themes.exclude(pk=self.object.pk)
        return context


class SiteInfoPageView(TemplateView):
    """A page about the portal itself (contact, privacy, accessibility), linked from the
    footer of every page."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["info"] = site_info()
        return context


class ContactView(SiteInfoPageView):
    template_name = "portal/contact.html"


class PrivacyView(SiteInfoPageView):
    template_name = "portal/privacy.html"


class AccessibilityView(SiteInfoPageView):
    template_name = "portal/accessibility.html"
    # When the statement was prepared and last reviewed: change these when it is reviewed
    # (at least once a year, and when the site changes in a way the statement describes).
    prepared = datetime.date(2026, 12, 3)
    reviewed = datetime.date(2026, 12, 3)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["prepared"] = self.prepared
        context["reviewed"] = self.reviewed
        context["site_url"] = self.request.build_absolute_uri("/")
        return context


class AccessibilityShortcutView(RedirectView):
    """/was, the short address Digitaliseringsstyrelsen asks for: the statement published
    in WAS-Tool once ACCESSIBILITY_STATEMENT_URL is set, the portal's own until then."""

    permanent = False
    http_method_names = ["get", "head"]

    def get_redirect_url(self, *args, **kwargs):
        return settings.ACCESSIBILITY_STATEMENT_URL or reverse("portal:accessibility")


class FaviconView(RedirectView):
    """/favicon.ico, which browsers ask for whatever the page links (the admin too)."""

    permanent = True
    http_method_names = ["get", "head"]

    def get_redirect_url(self, *args, **kwargs):
        return static("portal/favicon.ico")
