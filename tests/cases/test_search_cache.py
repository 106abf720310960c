"""The case list's recent searches are kept within a byte budget, not an entry count."""

from django.urls import reverse

from cases.facets import FacetIndex, SearchResult, result_size
from cases.lru import SizedLRU
from cases.search import CaseSearch


def test_the_cache_keeps_what_fits_its_budget_and_drops_the_least_recently_used():
    cache = SizedLRU(100, len)
    for key in "abcd":
        cache.set(key, "x" * 30)
    assert cache.size == 90 and len(cache) == 3
    assert "a" not in cache

    assert cache.get("b") == "x" * 30  # now the most recently used
    cache.set("e", "x" * 30)

    assert "b" in cache and "c" not in cache
    assert cache.size == 90


def test_one_large_entry_pushes_out_many_small_ones_and_too_large_is_not_kept():
    cache = SizedLRU(1000, len)
    for number in range(50):
        cache.set(number, "x" * 10)
    assert len(cache) == 50

    cache.set("large", "x" * 900)
    assert cache.size <= 1000 and len(cache) == 1 + 10
    cache.set("too large", "x" * 1001)
    assert "too large" not in cache and "large" in cache

    cache.set("large", "x")
    assert cache.size == 10 * 10 + 1


def test_a_search_is_measured_by_its_bitsets_and_ranked_positions():
    few = SearchResult(0b1011, [0, 1, 3])
    many = SearchResult((1 << 10_000) - 1, list(range(10_000)), (1 << 10_000) - 1)
    assert result_size(few) < 200
    # Two bitsets of 10,000 bits, a list of 10,000 pointers and most positions as objects.
    assert result_size(many) > 2 * 1250 + 8 * 10_000 + 28 * 9_000


def test_the_case_lists_searches_stay_within_search_cache_bytes(client, settings, make_case):
    for number in range(40):
        make_case(f"Trivsel og vagtplaner {number}", lead="Om trivsel og vagtplaner.")
    searches = ["trivsel", "vagtplaner", "trivsel vagtplaner", "vagtplan", "trivslen", "planer"]
    index = FacetIndex.current()
    budget = 2 * max(result_size(index.search_result(CaseSearch(text))) for text in searches)
    settings.SEARCH_CACHE_BYTES = budget
    FacetIndex.forget()

    for text in searches:
        assert client.get(reverse("cases:list"), {"q": text}).status_code == 200

    kept = FacetIndex.current()._searches
    assert 2 <= len(kept) < len(searches)
    assert kept.size <= budget
    assert searches[-1] in kept and searches[0] not in kept
