"""Free-text search over cases.

On PostgreSQL: full-text search with the `danish` configuration, ranked, over a stored
vector (title and themes weigh most, then lead and place, then body and learnings).
Each query word is matched by its Danish stem *and* by the lexemes of the corpus that
are trigram-similar to it (pg_trgm), which forgives typos and the stemmer's asymmetric
cases. On other databases: a case-insensitive substring match on a shortened stem.
"""

import re

from django.db import connection
from django.db.models import F, Q

WORD_RE = re.compile(r"[\wæøåÆØÅéü]+", re.UNICODE)
MAX_QUERY_WORDS = 8
TRIGRAM_THRESHOLD = 0.45
MAX_SIMILAR_LEXEMES = 6

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


def _tsquery_for_words(words):
    """Build a tsquery string: each word OR its similar lexemes, words ANDed together."""
    clauses = []
    with connection.cursor() as cursor:
        for word in words:
            cursor.execute(
                """
                SELECT quote_literal(lexeme) FROM (
                    SELECT unnest(tsvector_to_array(to_tsvector('danish', %s))) AS lexeme
                    UNION
                    SELECT word FROM (
                        SELECT word FROM cases_searchlexeme
                        WHERE word %% %s
                        ORDER BY word <-> %s LIMIT %s
                    ) similar
                ) alternatives
                """,
                [word, word, word, MAX_SIMILAR_LEXEMES],
            )
            alternatives = [row[0] for row in cursor.fetchall()]
            if alternatives:
                clauses.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(clauses)


def search_cases(queryset, text):
    """Filter `queryset` to cases matching `text`; on PostgreSQL annotate `rank`."""
    words = query_words(text)
    if not words:
        return queryset
    if is_postgresql():
        return _search_postgresql(queryset, words)
    return _search_fallback(queryset, words)


def _search_postgresql(queryset, words):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    with connection.cursor() as cursor:
        cursor.execute("SELECT set_limit(%s)", [TRIGRAM_THRESHOLD])
    tsquery = _tsquery_for_words(words)
    if not tsquery:
        return queryset.none()
    query = SearchQuery(tsquery, search_type="raw", config="simple")
    return queryset.filter(search_vector=query).annotate(
        rank=SearchRank(F("search_vector"), query)
    )


def _fallback_stem(word):
    """Crude Danish suffix stripping so inflected forms share a substring."""
    for suffix in ("erne", "ene", "ers", "er", "en", "et", "e", "s"):
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _search_fallback(queryset, words):
    for word in words:
        stem = _fallback_stem(word)
        queryset = queryset.filter(
            Q(title__icontains=stem)
            | Q(lead__icontains=stem)
            | Q(body__icontains=stem)
            | Q(place__icontains=stem)
            | Q(themes__name__icontains=stem)
        )
    return queryset.distinct()
