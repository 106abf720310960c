"""The workshop list's filters: upcoming or past, theme, region, kind and year.

There are tens or hundreds of workshops, not thousands, so `WorkshopIndex` reads every
published workshop's filter values in three queries (workshops, theme links, region links)
and counts and pages in memory. With the taxonomy options shared with the case list
(`TaxonomyOptions`, kept per process for the library's version, so a new theme or region
shows on every server at once), the list runs the same number of queries whatever the
filters and however many workshops there are.
"""

from urllib.parse import urlencode

import django_filters
from django.utils import timezone

from cases.filters import LenientChoiceFilter, LenientMultipleChoiceFilter, TaxonomyOptions
from cases.models import library_version

from .models import ThemedWorkshop, Workshop

WHEN_UPCOMING, WHEN_PAST = "upcoming", "past"
WHEN_CHOICES = [(WHEN_UPCOMING, "Kommende"), (WHEN_PAST, "Afholdte")]
DIMENSIONS = ("theme", "region", "kind", "year")
PARAMETER_LABELS = {"theme": "Tema", "region": "Region", "kind": "Type", "year": "År"}
UNKNOWN_VALUE = {
    "theme": "Temaet „{}“ findes ikke og er ikke brugt i filtreringen.",
    "region": "Regionen „{}“ findes ikke og er ikke brugt i filtreringen.",
    "kind": "Typen „{}“ findes ikke og er ikke brugt i filtreringen.",
    "year": "Der er ingen workshops fra året „{}“; året er ikke brugt i filtreringen.",
}


class WorkshopIndex:
    """Every published workshop's kind, year, themes and regions, read in three queries."""

    def __init__(self, now=None):
        self.now = now or timezone.now()
        rows = list(
            Workshop.objects.published()
            .order_by("starts_at", "pk")
            .values_list("pk", "kind", "starts_at", "ends_at")
        )
        themes, regions = {}, {}
        theme_links = ThemedWorkshop.objects.filter(content_object__is_published=True)
        for workshop_id, theme_id in theme_links.values_list("content_object_id", "tag_id"):
            themes.setdefault(workshop_id, set()).add(theme_id)
        region_links = Workshop.regions.through.objects.filter(workshop__is_published=True)
        for workshop_id, region_id in region_links.values_list("workshop_id", "region_id"):
            regions.setdefault(workshop_id, set()).add(region_id)
        self.values = {}
        self.when = {}
        self.order = []
        for pk, kind, starts_at, ends_at in rows:
            self.order.append(pk)
            self.when[pk] = WHEN_UPCOMING if ends_at >= self.now else WHEN_PAST
            self.values[pk] = {
                "theme": themes.get(pk, set()),
                "region": regions.get(pk, set()),
                "kind": {kind},
                "year": {timezone.localtime(starts_at).year},
            }

    @property
    def years(self):
        return sorted({year for values in self.values.values() for year in values["year"]})

    def matches(self, pk, selected, without=None):
        """Whether a workshop has one of the selected values in every dimension
        (except `without`); several values in one dimension mean "any of them"."""
        values = self.values[pk]
        return all(
            not chosen or values[dimension] & chosen
            for dimension, chosen in selected.items()
            if dimension != without
        )

    def result(self, selected, when):
        """The matching workshops' pks in the list's order (upcoming: soonest first;
        past: latest first), the totals per section and the counts per option."""
        pks = [pk for pk in self.order if self.matches(pk, selected)]
        totals = {section: 0 for section, _label in WHEN_CHOICES}
        for pk in pks:
            totals[self.when[pk]] += 1
        listed = [pk for pk in pks if self.when[pk] == when]
        if when == WHEN_PAST:
            listed.reverse()
        counts = {dimension: {} for dimension in DIMENSIONS}
        for pk in self.order:
            if self.when[pk] != when:
                continue
            for dimension in DIMENSIONS:
                if self.matches(pk, selected, without=dimension):
                    for value in self.values[pk][dimension]:
                        counts[dimension][value] = counts[dimension].get(value, 0) + 1
        return {"pks": listed, "totals": totals, "counts": counts}


class WorkshopFilter(django_filters.FilterSet):
    when = LenientChoiceFilter(
        label="Vis", choices=WHEN_CHOICES, method="filter_nothing", empty_label=None
    )
    theme = LenientMultipleChoiceFilter(label="Temaer", method="filter_nothing")
    region = LenientMultipleChoiceFilter(label="Region", method="filter_nothing")
    kind = LenientMultipleChoiceFilter(
        label="Type", choices=Workshop.Kind.choices, method="filter_nothing"
    )
    year = LenientMultipleChoiceFilter(label="År", method="filter_nothing")

    class Meta:
        model = Workshop
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, index=None, options=None):
        if queryset is None:
            queryset = Workshop.objects.published()
        super().__init__(data, queryset, request=request)
        self.options = options or TaxonomyOptions.current(library_version())
        self.index = index or WorkshopIndex()
        self.filters["theme"].extra["choices"] = self.options.choices("theme")
        self.filters["region"].extra["choices"] = self.options.choices("region")
        self.filters["year"].extra["choices"] = [(str(y), str(y)) for y in self.index.years]

    def filter_nothing(self, queryset, name, value):
        return queryset

    def _cleaned(self, name, default=None):
        """A cleaned value; an invalid field counts as not set."""
        if not self.is_bound:
            return default
        self.form.is_valid()
        return self.form.cleaned_data.get(name) or default

    @property
    def section(self):
        """The section shown: upcoming (the default) or past."""
        return WHEN_PAST if self._cleaned("when") == WHEN_PAST else WHEN_UPCOMING

    def selected_objects(self, parameter):
        """The selected options of one dimension as (slug, name, id) triples."""
        chosen = self._cleaned(parameter, [])
        if parameter in ("theme", "region"):
            return [(o.slug, o.name, o.pk) for o in self.options.objects(parameter, chosen)]
        if parameter == "kind":
            labels = dict(Workshop.Kind.choices)
            return [(kind, labels[kind], kind) for kind in chosen]
        return [(year, year, int(year)) for year in chosen]

    def selected_ids(self):
        return {
            parameter: {value for _slug, _name, value in self.selected_objects(parameter)}
            for parameter in DIMENSIONS
        }

    def result(self):
        if not hasattr(self, "_result"):
            self._result = self.index.result(self.selected_ids(), self.section)
        return self._result

    def listed_page(self, offset, limit):
        """One page of the result, fetched by primary key in the list's order."""
        pks = self.result()["pks"][offset : offset + limit]
        if not pks:
            return []
        workshops = {w.pk: w for w in Workshop.objects.filter(pk__in=pks).for_listing()}
        return [workshops[pk] for pk in pks if pk in workshops]

    def facets(self):
        """Per dimension the options with their counts; options that would give no
        workshop are left out unless selected."""
        counts = self.result()["counts"]
        all_options = {
            "theme": [(o.slug, o.name, o.pk) for o in self.options.by_parameter["theme"]],
            "region": [(o.slug, o.name, o.pk) for o in self.options.by_parameter["region"]],
            "kind": [(value, label, value) for value, label in Workshop.Kind.choices],
            "year": [(str(y), str(y), y) for y in reversed(self.index.years)],
        }
        facets = {}
        for parameter, options in all_options.items():
            selected = {slug for slug, _name, _value in self.selected_objects(parameter)}
            facets[parameter] = [
                {
                    "slug": slug,
                    "name": name,
                    "count": counts[parameter].get(value, 0),
                    "selected": slug in selected,
                }
                for slug, name, value in options
                if counts[parameter].get(value) or slug in selected
            ]
        return facets

    def sections(self):
        """The upcoming/past switch: each section with its count and its link."""
        totals = self.result()["totals"]
        return [
            {
                "value": value,
                "label": label,
                "count": totals[value],
                "current": value == self.section,
                "query": self.querystring(when=value),
            }
            for value, label in WHEN_CHOICES
        ]

    def warnings(self):
        """Danish messages about parameters that were ignored."""
        if not self.is_bound:
            return []
        self.form.is_valid()
        messages = []
        for parameter in DIMENSIONS:
            for value in getattr(self.form.fields[parameter], "unknown_values", []):
                messages.append(UNKNOWN_VALUE[parameter].format(value))
        for value in getattr(self.form.fields["when"], "unknown_values", []):
            messages.append(f"Visningen „{value}“ kendes ikke; kommende workshops er vist.")
        return messages

    def _state(self, when=None):
        when = when or self.section
        pairs = [("when", when)] if when != WHEN_UPCOMING else []
        for parameter in DIMENSIONS:
            pairs.extend(
                (parameter, slug) for slug, _name, _value in self.selected_objects(parameter)
            )
        return pairs

    def querystring(self, without=None, when=None):
        """The current state as a query string, optionally without one (name, value)."""
        return urlencode([pair for pair in self._state(when) if pair != without])

    def active_filters(self):
        """Each active filter with its label and the query string that removes it."""
        return [
            {
                "label": f"{label}: {name}",
                "remove_query": self.querystring(without=(parameter, slug)),
            }
            for parameter, label in PARAMETER_LABELS.items()
            for slug, name, _value in self.selected_objects(parameter)
        ]

    @property
    def has_filters(self):
        return any(self.selected_objects(parameter) for parameter in DIMENSIONS)
