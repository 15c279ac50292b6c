"""The search's GIN indexes (0006, 0007, 0009) take each new or changed row at once (fastupdate off).

With fastupdate on, PostgreSQL's default, a GIN index keeps the entries of new rows in a pending list that
only a vacuum (or a list grown to gin_pending_list_limit, 4 MB) merges into the index, and every search reads
that list from end to end. Projects and organizations are added a few at a time, far too slowly for
autovacuum's insert threshold (1,000 rows and a fifth of the table): after a bulk import, or months of
ordinary use, the whole table could sit in the pending lists, and a search then cost more the more projects
there were (at province, all 3,000 projects and 2,000 organizations were pending: the searched list 13 ms
instead of 7). The search reads these indexes at every uncached render of the public list; their rows are
written rarely. The lists pending now are merged. PostgreSQL only: on SQLite both directions do nothing."""

from django.db import migrations

TABLES = ("projects_project", "organizations_organization")

GIN_INDEXES = """
SELECT index.relname FROM pg_index i
JOIN pg_class index ON index.oid = i.indexrelid
JOIN pg_class tab ON tab.oid = i.indrelid
JOIN pg_am am ON am.oid = index.relam
WHERE am.amname = 'gin' AND tab.relname = ANY(%s)
ORDER BY index.relname
"""


def _indexes(schema_editor) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(GIN_INDEXES, [list(TABLES)])
        return [row[0] for row in cursor.fetchall()]


def _each_index(written_at_once: bool):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        qn = schema_editor.connection.ops.quote_name
        for name in _indexes(schema_editor):
            if not written_at_once:
                schema_editor.execute(f"ALTER INDEX {qn(name)} RESET (fastupdate)")
                continue
            schema_editor.execute(f"ALTER INDEX {qn(name)} SET (fastupdate = off)")
            # Turning it off keeps what is pending; merged here, as a vacuum would.
            schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [qn(name)])

    return run


class Migration(migrations.Migration):
    dependencies = [("projects", "0009_search_grams")]

    operations = [migrations.RunPython(_each_index(True), _each_index(False), elidable=False)]
