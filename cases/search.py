"""Free-text search over cases.

On PostgreSQL: full-text search with the `danish` configuration, ranked, over a stored
vector (title and themes weigh most, then lead, place and the names of the case's
sector, regions and professional groups, then body and learnings). Each query word is
matched by its Danish stem, its root and compound parts, and the corpus lexemes within
the typo threshold of its length (candidates from pg_trgm, see `CaseSearch`). On other
databases: a case-insensitive substring match on a shortened stem.
"""

import hashlib
import re

from django.core.cache import caches
from django.db import connection
from django.db.models import Q

# Letters and digits; not the underscore, which \w counts as a word character.
WORD_RE = re.compile(r"[^\W_]+")
MAX_QUERY_WORDS = 8
# Trigram similarity only proposes candidates; the edit distance decides (`max_typos`).
TRIGRAM_THRESHOLD = 0.3
MAX_TRIGRAM_CANDIDATES = 20
# A suggestion is asked only when nothing matched, and only the closest word is offered.
SUGGESTION_THRESHOLD = 0.2
MAX_SIMILAR_LEXEMES = 6
MIN_PREFIX_LENGTH = 4

VECTOR_SQL = """
UPDATE cases_case AS c SET search_vector =
    setweight(to_tsvector('danish', coalesce(c.title, '')), 'A')
    || setweight(to_tsvector('danish', coalesce((
        SELECT string_agg(t.name, ' ') FROM cases_themedcase ct
        JOIN portal_theme t ON t.id = ct.tag_id WHERE ct.content_object_id = c.id
    ), '')), 'A')
    || setweight(to_tsvector('danish', coalesce(c.lead, '') || ' ' || coalesce(c.place, '')), 'B')
    || setweight(to_tsvector('danish',
        coalesce((SELECT s.name FROM portal_sector s WHERE s.id = c.sector_id), '') || ' '
        || coalesce((SELECT r.name FROM portal_region r WHERE r.id = c.region_id), '') || ' '
        || coalesce((
            SELECT string_agg(r.name, ' ') FROM cases_case_other_regions cr
            JOIN portal_region r ON r.id = cr.region_id WHERE cr.case_id = c.id
        ), '') || ' '
        || coalesce((
            SELECT string_agg(g.name, ' ') FROM cases_case_professional_groups cg
            JOIN portal_professionalgroup g ON g.id = cg.professionalgroup_id
            WHERE cg.case_id = c.id
        ), '')), 'B')
    || setweight(to_tsvector('danish', coalesce(c.body, '') || ' ' || coalesce(c.key_learnings, '')
        || ' ' || coalesce(c.dos, '') || ' ' || coalesce(c.donts, '')), 'C')
WHERE {where}
"""

LEXEME_SQL = """
INSERT INTO cases_searchlexeme (word)
SELECT DISTINCT lexeme FROM cases_case, unnest(search_vector) AS u(lexeme)
WHERE {where} AND length(lexeme) BETWEEN 3 AND 200
ON CONFLICT (word) DO NOTHING
"""

TSQUERY_CACHE_SECONDS = 600


def is_postgresql():
    return connection.vendor == "postgresql"


def update_search_vector(case_id=None):
    """Recompute the stored vector of one case (or all when `case_id` is None)."""
    if case_id is None:
        update_search_vectors(None)
    else:
        update_search_vectors([case_id])


def update_search_vectors(case_ids):
    """Recompute the stored vectors of the cases with these ids (all when None)."""
    if not is_postgresql() or case_ids == []:
        return
    if case_ids is None:
        where, lex_where, params = "TRUE", "TRUE", []
    else:
        where, lex_where = "c.id = ANY(%s)", "cases_case.id = ANY(%s)"
        params = [list(case_ids)]
    with connection.cursor() as cursor:
        cursor.execute(VECTOR_SQL.format(where=where), params)
        cursor.execute(LEXEME_SQL.format(where=lex_where), params)


def query_words(text):
    return [w.lower() for w in WORD_RE.findall(text or "")][:MAX_QUERY_WORDS]


RESOLVE_SQL = """
SELECT w.position, 'stem', stem.lexeme, 0, 0
FROM unnest(%(words)s::text[]) WITH ORDINALITY AS w(word, position)
CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('danish', w.word))) AS stem(lexeme)
UNION ALL
SELECT w.position, 'near', near.word, 0, 0
FROM unnest(%(words)s::text[]) WITH ORDINALITY AS w(word, position)
CROSS JOIN LATERAL (
    SELECT l.word FROM cases_searchlexeme l
    WHERE length(w.word) >= 4
      AND tsvector_to_array(to_tsvector('danish', w.word)) <> '{}'
      AND l.word %% w.word
    ORDER BY l.word <-> w.word
    LIMIT %(candidates)s
) AS near
UNION ALL
SELECT p.position, 'part', half.term, p.split, p.side
FROM unnest(%(part_positions)s::int[], %(part_splits)s::int[], %(part_sides)s::int[],
            %(part_texts)s::text[]) AS p(position, split, side, text)
CROSS JOIN LATERAL (
    SELECT stem.lexeme AS term
    FROM unnest(tsvector_to_array(to_tsvector('danish', p.text))) AS stem(lexeme)
    WHERE length(stem.lexeme) >= %(min_part)s
      AND EXISTS (SELECT 1 FROM cases_searchlexeme l WHERE l.word = stem.lexeme)
    UNION
    SELECT p.text WHERE p.side = 0 AND EXISTS (
        -- A range on the primary key's index, then the exact test.
        SELECT 1 FROM cases_searchlexeme l
        WHERE l.word > p.text AND l.word < p.text || chr(1114111) AND starts_with(l.word, p.text)
    )
) AS half
"""

# For each query word the library does not have (its stem is no lexeme): the closest
# lexeme, written as the published cases most often write a word that begins with it.
SUGGEST_SQL = r"""
SELECT w.position, (
    SELECT found.match[1]
    FROM (
        SELECT c.title, c.lead, c.body FROM cases_case c
        WHERE c.status = %(published)s AND c.published_at <= now()
          AND c.search_vector @@ quote_literal(near.word)::tsquery
        LIMIT 20
    ) AS c,
    regexp_matches(lower(c.title || ' ' || c.lead || ' ' || c.body),
                   '\m(' || near.word || '[[:alpha:]]*)', 'g') AS found(match)
    GROUP BY found.match[1]
    ORDER BY count(*) DESC, length(found.match[1])
    LIMIT 1
)
FROM unnest(%(words)s::text[]) WITH ORDINALITY AS w(word, position)
CROSS JOIN LATERAL (
    SELECT l.word FROM cases_searchlexeme l
    WHERE length(w.word) >= 3 AND l.word %% w.word
      AND tsvector_to_array(to_tsvector('danish', w.word)) <> '{}'
    ORDER BY l.word <-> w.word
    LIMIT 1
) AS near
WHERE NOT EXISTS (
    SELECT 1 FROM unnest(tsvector_to_array(to_tsvector('danish', w.word))) AS stem(lexeme)
    JOIN cases_searchlexeme l ON l.word = stem.lexeme
)
"""

# Danish joins the parts of a compound with an "s" or an "e" ("volds|forebyggelse"), and
# writes the verb where the compound has the noun ("forebygge vold"): a part is also
# tried without these endings. A half counts when the library has its stem as a word, and
# a first half also when it begins other words as typed ("ledelses" in "ledelsesmæssig").
LINKING_LETTERS = ("s", "e")
NOUN_ENDINGS = ("else", "ning", "ing", "hed")
MIN_COMPOUND_LENGTH = 8
MIN_PART_LENGTH = 4
MAX_SPLITS_PER_WORD = 3
# The "side" of a word's root (the word without its noun ending) in RESOLVE_SQL's rows.
ROOT_SIDE = 2
FEW_COMPLETE_MATCHES = 5


def max_typos(word):
    """Edits forgiven in a word of this length: none below five letters ("mad" is not
    "mod"), one up to eight, two from nine ("hjemmepelje", "kerneopgve")."""
    if len(word) < 5:
        return 0
    return 1 if len(word) < 9 else 2


def edit_distance(a, b):
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps
    of two neighbouring letters ("pelje"/"pleje") each count one."""
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def compound_splits(word):
    """(left, right) readings of a long word as two words: "voldsforebyggelse" as
    ("vold", "forebyggelse"), ("vold", "forebygg"), ..."""
    splits = []
    for cut in range(MIN_PART_LENGTH, len(word) - MIN_PART_LENGTH + 1):
        left, right = word[:cut], word[cut:]
        lefts = [left] + [
            left[:-1]
            for letter in LINKING_LETTERS
            if left.endswith(letter) and len(left) > MIN_PART_LENGTH
        ]
        rights = [right] + [
            right[: -len(ending)]
            for ending in NOUN_ENDINGS
            if right.endswith(ending) and len(right) - len(ending) >= MIN_PART_LENGTH
        ]
        splits.extend((a, b) for a in lefts for b in rights)
    return splits


class CaseSearch:
    """A free-text search, resolved once and applied to any number of querysets.

    The case list applies the same search to the page and to each facet count, so the
    lexeme look-up runs once per request, not once per query.

    Each query word becomes a clause of alternatives: its Danish stem (also as a prefix),
    the stem of its root when it is a noun made from a verb ("planlægning", "planlægge"),
    its parts when it is a compound whose parts the library contains, and the library's
    lexemes within the typo threshold of its length. A case matches when every clause
    does. Ranking puts the word itself above its parts and both far above a typo match,
    and a title that contains the query as typed above all.
    """

    def __init__(self, text, version=None):
        self.text = (text or "").strip()
        self.words = query_words(self.text)
        self._resolved = None
        self.ranked = False
        # With the library's version (cases.facets), the resolved query is kept in the
        # per-process "local" cache: the corpus lexemes it draws on change only with the library.
        self.version = version

    @property
    def active(self):
        return bool(self.words)

    def tsquery(self):
        """Each word as (its stem | its parts | similar corpus lexemes), the words ANDed.

        A stem of four letters or more also matches as a prefix, because Danish writes
        compounds as one word: "senior" finds "seniorsamtaler", "vold" finds
        "voldsforebyggelse".
        """
        return " & ".join(_either(clause) for clause in self._clauses())

    def used_words(self):
        """The words that narrow the search: on PostgreSQL those with a stem or a similar
        corpus lexeme (a stop word such as "og" has neither), elsewhere those that are
        not stop words. "og vold" searches for what "vold" does."""
        if not self.active:
            return []
        if is_postgresql():
            positions = {position for position, _clause in self._resolution()}
            return [word for position, word in enumerate(self.words, 1) if position in positions]
        return [word for word in self.words if word not in FALLBACK_STOP_WORDS]

    def _clauses(self):
        return [clause for _position, clause in self._resolution()]

    def _resolution(self):
        """[(position, {"stem": terms, "part": terms, "near": terms})], the words with
        something to match, from the cache when it can."""
        if self._resolved is None and self.version is not None:
            self._resolved = caches["local"].get(self._cache_key())
        if self._resolved is None:
            self._resolved = self._resolve()
            if self.version is not None:
                caches["local"].set(self._cache_key(), self._resolved, TSQUERY_CACHE_SECONDS)
        return self._resolved

    def _cache_key(self):
        digest = hashlib.sha256(f"v3|{self.version}|{self.text}".encode()).hexdigest()[:32]
        return f"case-search-query:{digest}"

    def _resolve(self):
        parts = [
            (position, split, side, text)
            for position, word in enumerate(self.words, 1)
            if len(word) >= MIN_COMPOUND_LENGTH
            for split, pair in enumerate(compound_splits(word))
            for side, text in enumerate(pair)
        ]
        # The word without a noun ending, as a whole ("planlægning" → "planlæg").
        parts += [
            (position, -1, ROOT_SIDE, word[: -len(ending)])
            for position, word in enumerate(self.words, 1)
            for ending in NOUN_ENDINGS
            if word.endswith(ending) and len(word) - len(ending) >= MIN_PART_LENGTH + 1
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
                [str(TRIGRAM_THRESHOLD)],
            )
            cursor.execute(
                RESOLVE_SQL,
                {
                    "words": self.words,
                    "candidates": MAX_TRIGRAM_CANDIDATES,
                    "part_positions": [p[0] for p in parts],
                    "part_splits": [p[1] for p in parts],
                    "part_sides": [p[2] for p in parts],
                    "part_texts": [p[3] for p in parts],
                    "min_part": MIN_PART_LENGTH,
                },
            )
            rows = cursor.fetchall()
        stems, near, halves, roots = {}, {}, {}, {}
        for position, kind, lexeme, split, side in rows:
            if kind == "stem":
                stems.setdefault(position, set()).add(lexeme)
            elif kind == "near":
                near.setdefault(position, []).append(lexeme)
            elif side == ROOT_SIDE:
                roots.setdefault(position, set()).add(lexeme)
            else:
                halves.setdefault(position, {}).setdefault(split, [set(), set()])[side].add(lexeme)
        resolution = []
        for position, word in enumerate(self.words, 1):
            clause = {"stem": [], "part": [], "near": []}
            for stem in sorted(stems.get(position, ())):
                clause["stem"].append(_term(stem))
            for root in sorted(roots.get(position, set()) - stems.get(position, set())):
                clause["part"].append(_term(root))
            for pair in _best_splits(halves.get(position, {})):
                clause["part"].append(pair)
            word_stems = stems.get(position, set()) | {word}
            typos = max_typos(word)
            kept = []
            for lexeme in near.get(position, []):
                if any(lexeme.startswith(stem) for stem in stems.get(position, ())):
                    continue  # the stem's prefix term already matches it
                distance = min(edit_distance(lexeme, form) for form in word_stems)
                if distance <= typos:
                    kept.append((distance, lexeme))
            clause["near"] = [_quote_lexeme(lexeme) for _d, lexeme in sorted(kept)][
                :MAX_SIMILAR_LEXEMES
            ]
            if clause["stem"] or clause["part"] or clause["near"]:
                resolution.append((position, clause))
        return resolution

    def suggestion(self):
        """The search with each word the library lacks replaced by the library's closest
        word, as it is written in the cases ("flyvrkrps" → "flyverkorps"); "" when there
        is none or the library has every word. PostgreSQL only."""
        if not is_postgresql() or not self.active:
            return ""
        from .models import Case

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
                [str(SUGGESTION_THRESHOLD)],
            )
            cursor.execute(SUGGEST_SQL, {"words": self.words, "published": Case.Status.PUBLISHED})
            closest = {position: word for position, word in cursor.fetchall() if word}
        words = [closest.get(position, word) for position, word in enumerate(self.words, 1)]
        return " ".join(words) if words != self.words else ""

    def apply(self, queryset):
        if not self.active:
            return queryset
        if is_postgresql():
            return self._apply_postgresql(queryset)
        return self._apply_fallback(queryset)

    def _apply_postgresql(self, queryset):
        from django.contrib.postgres.search import SearchQuery

        tsquery = self.tsquery()
        if not tsquery:
            # Only stop words ("og", "i"): nothing to narrow by.
            return queryset
        query = SearchQuery(tsquery, search_type="raw", config="simple")
        self.ranked = True
        return queryset.filter(search_vector=query).annotate(rank=self._rank())

    def partial_matches(self, queryset, exclude_pks):
        """The cases matching most of the words (at least half of them, and not all),
        ranked like full matches; None when the search has fewer than two words."""
        from django.contrib.postgres.search import SearchQuery
        from django.db.models.expressions import RawSQL

        clauses = self._clauses()
        if not is_postgresql() or len(clauses) < 2:
            return None
        either = " | ".join(_either(clause) for clause in clauses)
        matched = RawSQL(
            " + ".join(
                ["(CASE WHEN cases_case.search_vector @@ %s::tsquery THEN 1 ELSE 0 END)"]
                * len(clauses)
            ),
            [_either(clause) for clause in clauses],
        )
        return (
            queryset.filter(search_vector=SearchQuery(either, search_type="raw", config="simple"))
            .exclude(pk__in=list(exclude_pks))
            .annotate(matched=matched, rank=self._rank())
            .filter(matched__gte=(len(clauses) + 1) // 2)
        )

    def _rank(self):
        """Two points for each word matched as itself (one and a half as the start of a
        longer word), one for its root or its parts, none for a typo;
        one more when the title contains the query as typed, a half when the title or the
        themes contain every word; then the full-text rank (below one) of the words
        themselves, and a tenth of that of the typo matches."""
        from django.db.models import FloatField
        from django.db.models.expressions import RawSQL

        sql, params = [], []
        exact_terms, near_terms = [], []
        for clause in self._clauses():
            if clause["stem"]:
                # The stem as a whole word before the stem as the start of a longer word
                # ("arbejdspr" of "arbejdspres" also starts "arbejdsprocesser").
                sql.append(
                    "(CASE WHEN cases_case.search_vector @@ %s::tsquery THEN 2"
                    " WHEN cases_case.search_vector @@ %s::tsquery THEN 1.5 ELSE 0 END)"
                )
                params.append(" | ".join(term.removesuffix(":*") for term in clause["stem"]))
                params.append(" | ".join(clause["stem"]))
                exact_terms.extend(clause["stem"])
            if clause["part"]:
                sql.append("(CASE WHEN cases_case.search_vector @@ %s::tsquery THEN 1 ELSE 0 END)")
                params.append(" | ".join(clause["part"]))
                exact_terms.extend(clause["part"])
            near_terms.extend(clause["near"])
        phrase = r"\m" + r"\W+".join(self.words) + r"\M"
        sql.append("(CASE WHEN lower(cases_case.title) ~ %s THEN 1 ELSE 0 END)")
        params.append(phrase)
        # Weight A is the title's and the themes' (VECTOR_SQL): read off the stored vector.
        stems = [
            " | ".join(_weighted(term, "A") for term in c["stem"])
            for c in self._clauses()
            if c["stem"]
        ]
        if stems:
            sql.append("(CASE WHEN cases_case.search_vector @@ %s::tsquery THEN 0.5 ELSE 0 END)")
            params.append(" & ".join(f"({s})" for s in stems))
        if exact_terms:
            sql.append("ts_rank(cases_case.search_vector, %s::tsquery, 32)")
            params.append(" | ".join(exact_terms))
        if near_terms:
            sql.append("0.1 * ts_rank(cases_case.search_vector, %s::tsquery, 32)")
            params.append(" | ".join(near_terms))
        return RawSQL(" + ".join(sql), params, output_field=FloatField())

    def _apply_fallback(self, queryset):
        from .models import Case, ThemedCase

        for word in self.words:
            if word in FALLBACK_STOP_WORDS:
                continue
            stem = _fallback_stem(word)
            queryset = queryset.filter(
                Q(title__icontains=stem)
                | Q(lead__icontains=stem)
                | Q(body__icontains=stem)
                | Q(place__icontains=stem)
                | Q(sector__name__icontains=stem)
                | Q(region__name__icontains=stem)
                | Q(
                    pk__in=ThemedCase.objects.filter(tag__name__icontains=stem).values(
                        "content_object_id"
                    )
                )
                | Q(pk__in=Case.objects.filter(other_regions__name__icontains=stem).values("pk"))
                | Q(
                    pk__in=Case.objects.filter(professional_groups__name__icontains=stem).values(
                        "pk"
                    )
                )
            )
        return queryset


def _term(stem):
    term = _quote_lexeme(stem)
    return term + ":*" if len(stem) >= MIN_PREFIX_LENGTH else term


def _weighted(term, weights):
    """A tsquery term that matches only lexemes of these weights ("'vold':*" → "'vold':*A")."""
    return term + weights if term.endswith(":*") else term + ":" + weights


def _either(clause):
    return "(" + " | ".join(clause["stem"] + clause["part"] + clause["near"]) + ")"


def _best_splits(splits):
    """At most `MAX_SPLITS_PER_WORD` readings whose both halves the library contains, as
    tsquery text "(left & right)", the most even first."""
    found = []
    for left, right in splits.values():
        for a in left:
            for b in right:
                found.append((-min(len(a), len(b)), a, b))
    terms = []
    for _evenness, a, b in sorted(set(found)):
        term = f"({_term(a)} & {_term(b)})"
        if term not in terms:
            terms.append(term)
    return terms[:MAX_SPLITS_PER_WORD]


def _quote_lexeme(lexeme):
    """Quote a lexeme for a raw tsquery (single quotes doubled, as to_tsquery expects)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


# The most common words of Danish's stop-word list; only the fallback needs them, as
# PostgreSQL's danish configuration drops stop words itself.
FALLBACK_STOP_WORDS = frozenset(
    [
        "af",
        "alle",
        "at",
        "blev",
        "da",
        "de",
        "dem",
        "den",
        "der",
        "det",
        "du",
        "efter",
        "eller",
        "en",
        "er",
        "et",
        "for",
        "fra",
        "han",
        "har",
        "hun",
        "i",
        "ikke",
        "jeg",
        "kan",
        "man",
        "med",
        "men",
        "mod",
        "nu",
        "når",
        "og",
        "om",
        "op",
        "os",
        "på",
        "sig",
        "som",
        "så",
        "til",
        "ud",
        "under",
        "var",
        "vi",
        "vil",
        "ved",
    ]
)


def _fallback_stem(word):
    """Crude Danish suffix stripping so inflected forms share a substring."""
    for suffix in ("erne", "ene", "ers", "er", "en", "et", "e", "s"):
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word
