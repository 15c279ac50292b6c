"""Indexes for searching by a term of one or two characters (projects.search). pg_trgm's indexes (0006,
0007) find a text by the trigrams of the term searched for, and a term of one or two characters has none: most
Chinese words ("关爱", "养老"), a single character ("爱") and short Latin ones were searched by reading every
project and organization. search_grams gives a text's distinct characters and pairs of adjacent characters,
and a GIN index on those of each upper-cased text the search reads finds the texts holding one. PostgreSQL
only, like 0006: on SQLite both directions do nothing."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION search_grams(text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT ARRAY(
    SELECT DISTINCT substr($1, i, n) FROM generate_series(1, char_length($1)) AS i, (VALUES (1), (2)) AS k(n)
    WHERE i + n - 1 <= char_length($1)
) $$
"""

INDEXES = [
    ("projects_project_title_en_grams", "projects_project", "title_en"),
    ("projects_project_title_zh_grams", "projects_project", "title_zh_hans"),
    ("projects_project_summary_en_grams", "projects_project", "summary_en"),
    ("projects_project_summary_zh_grams", "projects_project", "summary_zh_hans"),
    ("organizations_org_name_en_grams", "organizations_organization", "name_en"),
    ("organizations_org_name_zh_grams", "organizations_organization", "name_zh_hans"),
]

FORWARD = [
    FUNCTION,
    *[
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_grams(upper({column}::text)))"
        for name, table, column in INDEXES
    ],
]
BACKWARD = [
    *[f"DROP INDEX IF EXISTS {name}" for name, _table, _column in INDEXES],
    "DROP FUNCTION IF EXISTS search_grams(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0005_public_texts_in_both_languages"),
        ("projects", "0008_title_order_per_language"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
