"""Indexes for the public project list's search and order (projects.search): pg_trgm GIN indexes on the
upper-cased texts a search reads with ILIKE-style matching (a project's title and summary, its organization's
names), so a search reads the index instead of every row; a b-tree on the title, the list's order, so a page
of the unfiltered list stops after its rows. PostgreSQL only: on SQLite every operation here does nothing
(the search is a plain LIKE there)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("projects_project_title_trgm", "projects_project", "gin (upper(title) gin_trgm_ops)"),
    ("projects_project_summary_trgm", "projects_project", "gin (upper(summary) gin_trgm_ops)"),
    ("projects_project_title_order", "projects_project", "btree (title, id)"),
    ("organizations_org_name_trgm", "organizations_organization", "gin (upper(name) gin_trgm_ops)"),
    ("organizations_org_name_en_trgm", "organizations_organization", "gin (upper(name_en) gin_trgm_ops)"),
]


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL and does nothing on any other database."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Trigrams(TrigramExtension):
    """pg_trgm on PostgreSQL; nothing elsewhere, also when migrating backwards (Django's own operation asks
    pg_extension there on any database)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0004_text_length_limits"),
        ("projects", "0005_results_framework_and_report_rating"),
    ]

    operations = [
        Trigrams(),
        *[
            PostgreSQLOnly(
                sql=f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING {definition}",
                reverse_sql=f"DROP INDEX IF EXISTS {name}",
            )
            for name, table, definition in INDEXES
        ],
    ]
