"""PostgreSQL-only search support: pg_trgm and the GIN indexes behind free-text search.

On SQLite (the zero-setup default) this migration does nothing; search falls back to
substring matching there.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS cases_case_search_vector_gin "
    "ON cases_case USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS cases_searchlexeme_word_trgm "
    "ON cases_searchlexeme USING gin (word gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS cases_searchlexeme_word_trgm",
    "DROP INDEX IF EXISTS cases_case_search_vector_gin",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
