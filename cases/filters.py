"""The case list's filters: theme, region, sector, profession, free text and sort order.

`CaseFilter` reads a filter state from the query string and answers everything the list,
its facet counts, the embeddable list and the booklet of a filtered list ask, from one
engine: the facet index (cases/facets.py). Nothing here filters in SQL; the database is
asked only for the cases of one page by primary key, and for the cases a search matches.
The rules written as SQL are the tests' reference (tests/cases/reference.py).

The taxonomy options are loaded once per process and library version
(`TaxonomyOptions.current`) and serve three purposes: the form's choices, turning slugs
into ids without further queries, and the facet lists with counts. So the list page runs
the same number of queries whatever filters are set and whatever the page size.
"""

from collections import OrderedDict
from urllib.parse import urlencode

import django_filters
from django import forms
from django_filters import fields as filter_fields

from portal.models import ProfessionalGroup, Region, Sector, Theme

from .facets import FacetIndex
from .models import Case, library_version
from .search import CaseSearch, query_words

MATCH_ALL, MATCH_ANY = "all", "any"
SORT_NEWEST, SORT_TITLE, SORT_RELEVANCE = "newest", "title", "relevance"
SORT_CHOICES = [
    (SORT_RELEVANCE, "Bedste match"),
    (SORT_NEWEST, "Nyeste først"),
    (SORT_TITLE, "Titel (A–Å)"),
]
MAX_VALUES_PER_PARAMETER = 20


class LenientMultipleChoiceField(filter_fields.MultipleChoiceField):
    """Keeps the known values and remembers the unknown ones instead of rejecting all.

    A shared link with one outdated theme slug should still show the other filters
    applied, with a message about the one that was ignored.
    """

    def clean(self, value):
        values = [v for v in (value or []) if isinstance(v, str) and v.strip()]
        values = list(OrderedDict.fromkeys(v.strip() for v in values))
        known = {str(key) for key, _label in self.choices}
        self.unknown_values = [v for v in values if v not in known]
        return [v for v in values if v in known][:MAX_VALUES_PER_PARAMETER]


class LenientChoiceField(filter_fields.ChoiceField):
    """An unknown choice falls back to the default with a message, not an error page."""

    def clean(self, value):
        valid = {str(key) for key, _label in self.choices}
        self.unknown_values = [value] if value and value not in valid else []
        return value if value in valid else ""


class LenientMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField


class LenientChoiceFilter(django_filters.ChoiceFilter):
    field_class = LenientChoiceField


class TaxonomyOptions:
    """All filter options, loaded in four queries.

    `current(version)` keeps one set per process, for the library's version (a change to
    the taxonomy bumps it, cases/signals.py): the set is loaded again when the version
    moves on, so every server shows a change on its next request.
    """

    _current = None

    @classmethod
    def current(cls, version):
        options = cls._current
        if options is None or options.version != version:
            options = cls._current = cls(version)
        return options

    @classmethod
    def forget(cls):
        cls._current = None

    def __init__(self, version):
        self.version = version
        self.themes = list(Theme.objects.select_related("group"))
        self.regions = list(Region.objects.all())
        self.sectors = list(Sector.objects.all())
        self.professions = list(ProfessionalGroup.objects.all())
        self.by_parameter = {
            "theme": self.themes,
            "region": self.regions,
            "sector": self.sectors,
            "profession": self.professions,
        }

    def choices(self, parameter):
        return [(obj.slug, obj.name) for obj in self.by_parameter[parameter]]

    def objects(self, parameter, slugs):
        by_slug = {obj.slug: obj for obj in self.by_parameter[parameter]}
        return [by_slug[slug] for slug in slugs if slug in by_slug]


PARAMETER_LABELS = {
    "theme": "Tema",
    "region": "Region",
    "sector": "Sektor",
    "profession": "Faggruppe",
}


class CaseFilterForm(forms.Form):
    """The list's parameters, cleaned leniently: an unknown value is dropped with a note."""

    q = forms.CharField(label="Søg i cases", max_length=200, strip=True, required=False)
    theme = LenientMultipleChoiceField(label="Temaer", required=False)
    match = LenientChoiceField(
        label="Vis cases med",
        choices=[(MATCH_ALL, "alle de valgte temaer"), (MATCH_ANY, "mindst ét af temaerne")],
        empty_label=None,
        required=False,
    )
    region = LenientMultipleChoiceField(label="Region", required=False)
    sector = LenientMultipleChoiceField(label="Sektor", required=False)
    profession = LenientMultipleChoiceField(label="Faggruppe", required=False)
    sort = LenientChoiceField(
        label="Sortér efter", choices=SORT_CHOICES, empty_label=None, required=False
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        for parameter in PARAMETER_LABELS:
            self.fields[parameter].choices = options.choices(parameter)


class CaseFilter:
    """One filter state of the case list, answered by the facet index.

    The library's version is read once, when the state is made (one primary-key
    look-up), and the index, the options and the search's cache all belong to it, so
    one request sees one library.
    """

    def __init__(self, data=None, *, options=None):
        self.version = library_version()
        self.options = options or TaxonomyOptions.current(self.version)
        self.is_bound = data is not None
        self.form = CaseFilterForm(data, options=self.options)
        self._search = None

    @property
    def index(self):
        return FacetIndex.for_version(self.version)

    # -- cleaned values -------------------------------------------------------------

    def _cleaned(self, name, default=None):
        """A cleaned value; an invalid field (e.g. a too long `q`) counts as not set."""
        if not self.is_bound:
            return default
        self.form.is_valid()
        return self.form.cleaned_data.get(name) or default

    @property
    def match_mode(self):
        return MATCH_ANY if self._cleaned("match") == MATCH_ANY else MATCH_ALL

    @property
    def search_text(self):
        """The search as its words, lower case: "Vold!" is "vold", and "!!!" no search.

        The booklet's subtitle and so its cache key come from this, so text that
        searches for the same thing cannot make the server lay out a booklet anew.
        """
        return " ".join(query_words(self._cleaned("q", "")))

    @property
    def sort_order(self):
        sort = self._cleaned("sort")
        if sort == SORT_RELEVANCE and not self.search_text:
            sort = None
        return sort or (SORT_RELEVANCE if self.search_text else SORT_NEWEST)

    def selected(self, parameter):
        return self.options.objects(parameter, self._cleaned(parameter, []))

    @property
    def search(self):
        if self._search is None:
            self._search = CaseSearch(self.search_text, version=self.version)
        return self._search

    # -- facets --------------------------------------------------------------------

    def counts(self):
        """{"total": number of matching cases, "facets": {dimension: {id: count}}}.

        Counted in memory from the process's `FacetIndex` for the library's version
        (cases/facets.py), so any change to a published case shows at once.
        """
        if not hasattr(self, "_counts"):
            index = self._index = self.index
            search_bits = None
            if self.search.active:
                result = index.search_result(self.search)
                # In best-match order the cases matching most of the words follow those
                # matching all of them; in another order they would mix, so they are left out.
                relevance = self.sort_order == SORT_RELEVANCE
                search_bits = result.with_partial if relevance else result.bits
                self._complete_bits = result.bits
            selected = {
                parameter: [obj.pk for obj in self.selected(parameter)]
                for parameter in PARAMETER_LABELS
            }
            self._counts = index.counts(selected, self.match_mode == MATCH_ALL, search_bits)
        return self._counts

    def listed_page(self, offset, limit):
        """The cases of one page of the result, in the list's order, fetched by primary
        key with the pks from the facet index (no filtering or sorting in the database)."""
        if limit <= 0:
            return []
        pks = self.page_pks(offset, limit)
        listed = Case.objects.filter(pk__in=pks).for_listing().order_by()
        cases = {case.pk: case for case in listed}
        return [cases[pk] for pk in pks if pk in cases]

    def listed_pks(self):
        """The pks of every case of the result, in the list's order (the booklet of a
        filtered list takes exactly these)."""
        return self.page_pks(0, self.counts()["total"])

    def page_pks(self, offset, limit):
        self.counts()
        sort, order = self.sort_order, None
        if sort == SORT_TITLE:
            order = self._index.title_order
        elif sort == SORT_RELEVANCE and self.search.active:
            order = self._index.search_result(self.search).ranked
        return self._index.page_pks(self._counts["matching"], offset, limit, order)

    def partial_match_notice(self):
        """When the list goes on with cases that match only most of the search's words,
        how many match them all (in Danish); else ""."""
        matching = self.counts()["matching"]
        complete_bits = getattr(self, "_complete_bits", None)
        if complete_bits is None or not matching & ~complete_bits:
            return ""
        complete = (matching & complete_bits).bit_count()
        if complete == 0:
            return "Ingen cases indeholder alle ordene. Her er de cases, der har flest af dem."
        found = "1 case indeholder" if complete == 1 else f"{complete} cases indeholder"
        return f"{found} alle ordene. Derefter følger de cases, der har flest af dem."

    def suggestion(self):
        """A search the library has words for ("Mente du …?"), when this one found nothing:
        {"text": the search, "query": the list's query string with it}; None otherwise.
        Only on PostgreSQL, from the lexeme table."""
        if not self.search.active or self.counts()["total"]:
            return None
        text = self.search.suggestion()
        if not text:
            return None
        pairs = [("q", text)] + [pair for pair in self._state() if pair[0] != "q"]
        return {"text": text, "query": urlencode(pairs)}

    @property
    def has_choices(self):
        """Whether any theme, region, sector or profession is chosen (besides a search)."""
        return any(self.selected(p) for p in PARAMETER_LABELS)

    def facets(self):
        """Options per dimension with count and selected state, for the template."""
        counts = self.counts()["facets"]
        facets = {}
        for parameter in PARAMETER_LABELS:
            selected = {obj.slug for obj in self.selected(parameter)}
            facets[parameter] = [
                {
                    "object": obj,
                    "slug": obj.slug,
                    "name": obj.name,
                    "count": counts[parameter].get(obj.pk, 0),
                    "selected": obj.slug in selected,
                }
                for obj in self.options.by_parameter[parameter]
            ]
        return facets

    # -- describing the state ----------------------------------------------------

    def warnings(self):
        """Danish messages about parameters that were ignored."""
        if not self.is_bound:
            return []
        self.form.is_valid()
        messages = []
        for parameter, label in PARAMETER_LABELS.items():
            field = self.form.fields[parameter]
            for value in getattr(field, "unknown_values", []):
                messages.append(f"{label} „{value}“ findes ikke og er ikke brugt i filtreringen.")
        for parameter in ("match", "sort"):
            for value in getattr(self.form.fields[parameter], "unknown_values", []):
                messages.append(
                    f"Værdien „{value}“ for {self.form.fields[parameter].label.lower()} "
                    "kendes ikke; standardvalget er brugt."
                )
        for field, errors in self.form.errors.items():
            label = self.form.fields[field].label
            messages.extend(f"{label}: {error}" for error in errors)
        return messages

    def _state(self):
        """The active state as (parameter, value) pairs, in a stable order."""
        pairs = []
        if self.search_text:
            pairs.append(("q", self.search_text))
        for parameter in PARAMETER_LABELS:
            pairs.extend((parameter, obj.slug) for obj in self.selected(parameter))
        if self.match_mode == MATCH_ANY:
            pairs.append(("match", MATCH_ANY))
        sort = self._cleaned("sort")
        if sort:
            pairs.append(("sort", sort))
        return pairs

    def querystring(self, without=None):
        """The current state as a query string, optionally without one (name, value)."""
        return urlencode([pair for pair in self._state() if pair != without])

    def active_filters(self):
        """Each active filter with its label and the query string that removes it."""
        active = []
        if self.search_text:
            active.append(
                {
                    "label": f"Søgning: „{self.search_text}“",
                    "remove_query": self.querystring(without=("q", self.search_text)),
                }
            )
        for parameter, label in PARAMETER_LABELS.items():
            for obj in self.selected(parameter):
                active.append(
                    {
                        "label": f"{label}: {obj.name}",
                        "remove_query": self.querystring(without=(parameter, obj.slug)),
                    }
                )
        return active

    def active_filter_labels(self):
        """The active filters in words, for the booklet's subtitle and the page title.

        The search appears as the words it searches by: a booklet for "og vold" is the
        booklet for "vold", and one for "og" the booklet of no search.
        """
        labels = [item["label"] for item in self.active_filters()]
        if self.search_text:
            used = " ".join(self.search.used_words())
            labels = labels[1:] if not used else [f"Søgning: „{used}“", *labels[1:]]
        if self.match_mode == MATCH_ANY and len(self.selected("theme")) > 1:
            labels.append("Mindst ét af temaerne")
        return labels

    @property
    def has_filters(self):
        return bool(self.search_text) or any(self.selected(p) for p in PARAMETER_LABELS)
