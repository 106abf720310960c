"""Facet counts for the case list, counted in memory.

Every filter option of the case list shows how many cases it would give. Asking the
database costs four GROUP BY queries over the matching cases for each new filter state
(30–40 ms at 10,000 cases, and PostgreSQL shares the web server's cores). Instead each
process keeps a `FacetIndex`: one bitset (a Python int, one bit per published case) for
each theme, region, sector and professional group. A filter state is then a few AND/OR
operations on 10,000-bit integers, and a count is `int.bit_count()`.

The index is rebuilt (five queries) when the library's version (`library_version()`, a
counter in the database that every change to the library bumps, see cases/signals.py)
differs from the one it was built for; the version is read on every request, so a
change made on any server shows on the next. A search narrows by the set of cases it
matches, from the database, kept with the index for the most recent search texts within
a byte budget (`SEARCH_CACHE_BYTES`). A page of the list (newest, title or relevance
order) is read off the index too (`page_pks`), and its cases fetched by primary key.
"""

import sys
import threading
from collections import defaultdict
from itertools import chain
from typing import NamedTuple

from django.conf import settings

from .lru import SizedLRU
from .models import Case, ThemedCase, library_version
from .search import FEW_COMPLETE_MATCHES

DIMENSIONS = ("theme", "region", "sector", "profession")


class SearchResult(NamedTuple):
    #: the matching cases
    bits: int
    #: their positions, best match first (None when the search is not ranked)
    ranked: list | None
    #: when few cases match every word: those and the cases matching most of the words,
    #: which the ranked order lists after them (cases.search.CaseSearch.partial_matches)
    with_partial: int = 0


def result_size(result):
    """About the bytes a `SearchResult` holds: its bitsets and its ranked positions."""
    size = sys.getsizeof(result.bits)
    if result.with_partial is not result.bits:
        size += sys.getsizeof(result.with_partial)
    if result.ranked is not None:
        # Small ints are shared by the interpreter; larger positions are objects of their own.
        size += sys.getsizeof(result.ranked)
        size += sum(sys.getsizeof(position) for position in result.ranked if position > 256)
    return size


# The positions of the set bits of every byte value, lowest first.
_BYTE_POSITIONS = [tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256)]


def _bitset(positions, size):
    data = bytearray((size + 7) // 8)
    for position in positions:
        data[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(data, "little")


class FacetIndex:
    """The published cases' filter values as bitsets, for one library version."""

    _current = None
    _lock = threading.Lock()

    def __init__(self, version):
        self.version = version
        # Positions in the list's default order, newest first: the first page of a
        # result is then its lowest set bits (`page_pks`).
        rows = list(
            Case.objects.published()
            .order_by("-published_at", "-pk")
            .values_list("pk", "region_id", "sector_id")
        )
        self.size = len(rows)
        self.pks = [pk for pk, _region, _sector in rows]
        self.position = {pk: index for index, pk in enumerate(self.pks)}
        self.everything = (1 << self.size) - 1
        # The positions in the list's title order (Danish collation on PostgreSQL).
        self.title_order = [
            self.position[pk]
            for pk in Case.objects.published().in_title_order().values_list("pk", flat=True)
            if pk in self.position
        ]
        self._searches = SizedLRU(settings.SEARCH_CACHE_BYTES, result_size)
        through = Case.professional_groups.through
        # A case that the source ties to more regions is found under each of them.
        other_regions = Case.other_regions.through.objects.values_list("case_id", "region_id")
        self.bits = {
            "region": self._bitsets(
                chain(((pk, region) for pk, region, _sector in rows), other_regions.iterator())
            ),
            "sector": self._bitsets((pk, sector) for pk, _region, sector in rows),
            "theme": self._bitsets(
                ThemedCase.objects.values_list("content_object_id", "tag_id").iterator()
            ),
            "profession": self._bitsets(
                through.objects.values_list("case_id", "professionalgroup_id").iterator()
            ),
        }

    def _bitsets(self, pairs):
        """{value: bitset of the cases carrying it} from (case pk, value) pairs."""
        positions = defaultdict(list)
        for case_pk, value in pairs:
            position = self.position.get(case_pk)
            if position is not None and value is not None:
                positions[value].append(position)
        return {value: _bitset(found, self.size) for value, found in positions.items()}

    @classmethod
    def current(cls):
        """The index of the library as it is now: one primary-key look-up of the version."""
        return cls.for_version(library_version())

    @classmethod
    def for_version(cls, version):
        index = cls._current
        if index is None or index.version != version:
            with cls._lock:
                index = cls._current
                if index is None or index.version != version:
                    index = cls._current = cls(version)
        return index

    @classmethod
    def forget(cls):
        cls._current = None

    def search_result(self, search):
        """The cases `search` (a cases.search.CaseSearch) matches: a `SearchResult`.

        Kept for the most recent searches of this library version (one query each, and
        one more when fewer than `FEW_COMPLETE_MATCHES` cases match every word).
        """
        result = self._searches.get(search.text)
        if result is not None:
            return result
        queryset = search.apply(Case.objects.published()).order_by()
        ranked = with_partial = None
        if search.ranked:
            rows = [
                (self.position[pk], rank)
                for pk, rank in queryset.values_list("pk", "rank")
                if pk in self.position
            ]
            positions = [position for position, _rank in rows]
            # Best match first; on a tie, the newest (the lower position) first.
            ranked = [position for position, _rank in sorted(rows, key=lambda r: (-r[1], r[0]))]
            partial = None
            if len(rows) < FEW_COMPLETE_MATCHES:
                partial = search.partial_matches(
                    Case.objects.published(), [self.pks[position] for position in positions]
                )
            if partial is not None:
                more = [
                    (self.position[pk], matched, rank)
                    for pk, matched, rank in partial.values_list("pk", "matched", "rank")
                    if pk in self.position
                ]
                more.sort(key=lambda r: (-r[1], -r[2], r[0]))
                ranked += [position for position, _matched, _rank in more]
                with_partial = _bitset(positions + [r[0] for r in more], self.size)
        else:
            positions = [
                self.position[pk]
                for pk in queryset.values_list("pk", flat=True)
                if pk in self.position
            ]
        bits = _bitset(positions, self.size)
        result = SearchResult(bits, ranked, with_partial or bits)
        self._searches.set(search.text, result)
        return result

    def matching(self, selected, match_all, search_bits=None, without=None):
        """The bitset of the cases a filter state gives.

        `selected` maps each dimension to the ids chosen in it; themes combine with AND
        when `match_all`, everything else with OR within a dimension and AND between
        dimensions. `without` leaves one dimension out.
        """
        result = self.everything if search_bits is None else search_bits
        for dimension in DIMENSIONS:
            ids = selected.get(dimension)
            if not ids or dimension == without:
                continue
            bits = self.bits[dimension]
            if dimension == "theme" and match_all:
                for value in ids:
                    result &= bits.get(value, 0)
            else:
                either = 0
                for value in ids:
                    either |= bits.get(value, 0)
                result &= either
        return result

    def page_pks(self, bits, offset, limit, order=None):
        """The pks of the cases at `offset` .. `offset + limit` of `bits`, in `order` (a
        list of positions), or newest first."""
        data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
        found, seen = [], 0
        if order is not None:
            for position in order:
                byte = position >> 3
                if byte < len(data) and data[byte] >> (position & 7) & 1:
                    if seen >= offset:
                        found.append(self.pks[position])
                        if len(found) == limit:
                            break
                    seen += 1
            return found
        for index, byte in enumerate(data):
            if not byte:
                continue
            positions = _BYTE_POSITIONS[byte]
            if seen + len(positions) <= offset:
                seen += len(positions)
                continue
            for bit in positions:
                if seen >= offset:
                    found.append(self.pks[index * 8 + bit])
                    if len(found) == limit:
                        return found
                seen += 1
        return found

    def counts(self, selected, match_all, search_bits=None):
        """{"total": matching cases, "facets": {dimension: {id: count}}, "matching": bits}.

        For themes in "all" mode an option's count is the current result narrowed by
        it; otherwise it is what choosing that option alone in its dimension would give,
        with the other dimensions' filters.
        """
        facets = {}
        for dimension in DIMENSIONS:
            if dimension == "theme" and match_all:
                base = self.matching(selected, match_all, search_bits)
            else:
                base = self.matching(selected, match_all, search_bits, without=dimension)
            facets[dimension] = {
                value: count
                for value, bits in self.bits[dimension].items()
                if (count := (base & bits).bit_count())
            }
        matching = self.matching(selected, match_all, search_bits)
        return {"total": matching.bit_count(), "facets": facets, "matching": matching}
