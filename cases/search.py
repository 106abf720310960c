"""Free-text search over cases.

On PostgreSQL: full-text search with the `danish` configuration, ranked, over a stored
vector (title and themes weigh most, then lead and place, then body and learnings).
Each query word is matched by its Danish stem *and* by the lexemes of the corpus that
are trigram-similar to it (pg_trgm), which forgives typos and the stemmer's asymmetric
cases. On other databases: a case-insensitive substring match on a shortened stem.
"""

import hashlib
import re

from django.core.cache import caches
from django.db import connection
from django.db.models import F, Q

# Letters and digits; not the underscore, which \w counts as a word character.
WORD_RE = re.compile(r"[^\W_]+")
MAX_QUERY_WORDS = 8
TRIGRAM_THRESHOLD = 0.5
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
    if not is_postgresql():
        return
    where, params = ("c.id = %s", [case_id]) if case_id is not None else ("TRUE", [])
    lex_where = "cases_case.id = %s" if case_id is not None else "TRUE"
    with connection.cursor() as cursor:
        cursor.execute(VECTOR_SQL.format(where=where), params)
        cursor.execute(LEXEME_SQL.format(where=lex_where), params)


def query_words(text):
    return [w.lower() for w in WORD_RE.findall(text or "")][:MAX_QUERY_WORDS]


ALTERNATIVES_SQL = """
SELECT w.position, alt.lexeme, alt.is_stem
FROM unnest(%s::text[]) WITH ORDINALITY AS w(word, position)
CROSS JOIN LATERAL (
    SELECT stem.lexeme, true AS is_stem
    FROM unnest(tsvector_to_array(to_tsvector('danish', w.word))) AS stem(lexeme)
    UNION
    SELECT near.word, false FROM (
        SELECT l.word FROM cases_searchlexeme l
        WHERE length(w.word) >= 4
          AND tsvector_to_array(to_tsvector('danish', w.word)) <> '{}'
          AND l.word %% w.word
        ORDER BY l.word <-> w.word
        LIMIT %s
    ) AS near
) AS alt
ORDER BY w.position
"""


class CaseSearch:
    """A free-text search, resolved once and applied to any number of querysets.

    The case list applies the same search to the page and to each facet count, so the
    lexeme look-up runs once per request, not once per query.
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
        """Each word as (its stem | similar corpus lexemes), the words ANDed.

        A stem of four letters or more also matches as a prefix, because Danish writes
        compounds as one word: "senior" finds "seniorsamtaler", "vold" finds
        "voldsforebyggelse".
        """
        return self._resolution()[0]

    def used_words(self):
        """The words that narrow the search: on PostgreSQL those with a stem or a similar
        corpus lexeme (a stop word such as "og" has neither), elsewhere those that are
        not stop words. "og vold" searches for what "vold" does."""
        if not self.active:
            return []
        if is_postgresql():
            positions = self._resolution()[1]
            return [word for position, word in enumerate(self.words, 1) if position in positions]
        return [word for word in self.words if word not in FALLBACK_STOP_WORDS]

    def _resolution(self):
        """(tsquery, positions of the words it uses), from the cache when it can."""
        if self._resolved is None and self.version is not None:
            self._resolved = caches["local"].get(self._cache_key())
        if self._resolved is None:
            self._resolved = self._resolve()
            if self.version is not None:
                caches["local"].set(self._cache_key(), self._resolved, TSQUERY_CACHE_SECONDS)
        return self._resolved

    def _cache_key(self):
        digest = hashlib.sha256(f"{self.version}|{self.text}".encode()).hexdigest()[:32]
        return f"case-search-query:{digest}"

    def _resolve(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
                [str(TRIGRAM_THRESHOLD)],
            )
            cursor.execute(ALTERNATIVES_SQL, [self.words, MAX_SIMILAR_LEXEMES])
            alternatives = {}
            for position, lexeme, is_stem in cursor.fetchall():
                term = _quote_lexeme(lexeme)
                if is_stem and len(lexeme) >= MIN_PREFIX_LENGTH:
                    term += ":*"
                alternatives.setdefault(position, set()).add(term)
        clauses = [
            "(" + " | ".join(sorted(terms)) + ")"
            for _position, terms in sorted(alternatives.items())
        ]
        return " & ".join(clauses), frozenset(alternatives)

    def apply(self, queryset):
        if not self.active:
            return queryset
        if is_postgresql():
            return self._apply_postgresql(queryset)
        return self._apply_fallback(queryset)

    def _apply_postgresql(self, queryset):
        from django.contrib.postgres.search import SearchQuery, SearchRank

        tsquery = self.tsquery()
        if not tsquery:
            # Only stop words ("og", "i"): nothing to narrow by.
            return queryset
        query = SearchQuery(tsquery, search_type="raw", config="simple")
        self.ranked = True
        return queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )

    def _apply_fallback(self, queryset):
        from .models import ThemedCase

        for word in self.words:
            if word in FALLBACK_STOP_WORDS:
                continue
            stem = _fallback_stem(word)
            queryset = queryset.filter(
                Q(title__icontains=stem)
                | Q(lead__icontains=stem)
                | Q(body__icontains=stem)
                | Q(place__icontains=stem)
                | Q(
                    pk__in=ThemedCase.objects.filter(tag__name__icontains=stem).values(
                        "content_object_id"
                    )
                )
            )
        return queryset


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
