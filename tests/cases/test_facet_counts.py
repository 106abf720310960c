"""The case list's facet counts, counted in memory, agree with the database."""

import random
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from cases.facets import FacetIndex
from cases.filters import CaseFilter
from cases.models import Case


def database_count(params):
    return CaseFilter(QueryDict(urlencode(params, doseq=True))).qs.count()


def expected_counts(params, options):
    """What each option would give, asked of the database one filter state at a time."""
    expected = {}
    for dimension, objects in options.items():
        expected[dimension] = {}
        for obj in objects:
            state = {key: list(value) for key, value in params.items()}
            if dimension == "theme" and params.get("match") != ["any"]:
                state["theme"] = sorted(set(state.get("theme", [])) | {obj.slug})
            else:
                state[dimension] = [obj.slug]
            count = database_count(state)
            if count:
                expected[dimension][obj.pk] = count
    return expected


def test_counts_from_the_index_match_the_database_for_many_filter_states(
    make_case, make_theme, make_region, make_sector, make_profession
):
    rng = random.Random(2026)
    options = {
        "theme": [make_theme(f"Tema {n}") for n in range(4)],
        "region": [make_region(f"Region {n}") for n in range(3)],
        "sector": [make_sector(f"Sektor {n}") for n in range(2)],
        "profession": [make_profession(f"Faggruppe {n}") for n in range(3)],
    }
    for n in range(30):
        make_case(
            f"Case {n} om {'vagtplaner' if n % 3 == 0 else 'trivsel'}",
            themes=rng.sample(options["theme"], rng.randint(0, 3)),
            professions=rng.sample(options["profession"], rng.randint(0, 2)),
            region=rng.choice(options["region"]),
            sector=rng.choice(options["sector"]),
            status=Case.Status.DRAFT if n % 10 == 9 else Case.Status.PUBLISHED,
        )

    themes = [theme.slug for theme in options["theme"]]
    states = [
        {"theme": themes[:2]},
        {"theme": themes[:2], "match": ["any"]},
        {"theme": themes[1:4], "match": ["any"], "q": ["vagtplaner"]},
    ]
    for _ in range(40):
        params = {}
        for dimension, objects in options.items():
            chosen = rng.sample(objects, rng.choice([0, 1, 2]))
            if chosen:
                params[dimension] = [obj.slug for obj in chosen]
        if rng.random() < 0.4:
            params["match"] = ["any"]
        if rng.random() < 0.3:
            params["q"] = ["vagtplaner"]
        states.append(params)

    for params in states:
        case_filter = CaseFilter(QueryDict(urlencode(params, doseq=True)))

        counts = case_filter.counts()

        assert counts["total"] == case_filter.qs.count(), params
        assert counts["facets"] == expected_counts(params, options), params


def test_the_index_is_rebuilt_when_the_library_changes(make_case, make_theme):
    fuldtid = make_theme("Fuldtid")
    make_case("Første", themes=[fuldtid])
    first = FacetIndex.for_version(Case.objects.library_version())
    assert FacetIndex.for_version(Case.objects.library_version()) is first

    make_case("Anden", themes=[fuldtid])
    second = FacetIndex.for_version(Case.objects.library_version())

    assert second is not first
    assert second.counts({"theme": [fuldtid.pk]}, True)["total"] == 2


def test_list_pages_from_the_index_are_the_databases_pages(
    client, make_case, make_theme, make_region
):
    """The list takes a page's cases from the facet index; they must be the cases, in
    the order, the database gives for the same filters and sort order."""
    rng = random.Random(11)
    themes = [make_theme(f"Tema {n}") for n in range(3)]
    regions = [make_region(f"Region {n}") for n in range(2)]
    now = timezone.now()
    for n in range(65):
        make_case(
            f"{rng.choice(['Ærø', 'Aabenraa', 'Øster', 'Zealand', 'Åby'])} case {n}",
            lead="Om vagtplaner og trivsel. " * (n % 4),
            themes=rng.sample(themes, rng.randint(1, 2)),
            region=rng.choice(regions),
            # Some share a publishing time: the order falls back on the pk.
            published_at=now - timezone.timedelta(hours=n // 3),
        )
    states = [
        {},
        {"theme": [themes[0].slug]},
        {"theme": [themes[0].slug, themes[1].slug], "match": ["any"]},
        {"region": [regions[1].slug], "sort": ["newest"]},
        {"q": ["case"], "sort": ["newest"]},
        {"sort": ["title"]},
        {"theme": [themes[2].slug], "sort": ["title"]},
        # Relevance on PostgreSQL (ranked); newest first elsewhere.
        {"q": ["case om vagtplaner"]},
        {"q": ["vagtplaner"], "region": [regions[0].slug]},
    ]
    for params in states:
        case_filter = CaseFilter(QueryDict(urlencode(params, doseq=True)))
        in_order = list(case_filter.qs.values_list("pk", flat=True))
        for page in (1, 2, 3, 4):
            response = client.get(reverse("cases:list"), {**params, "page": page})
            listed = [case.pk for case in response.context["cases"]]
            start = (response.context["page_obj"].number - 1) * 20
            assert listed == in_order[start : start + 20], (params, page)
