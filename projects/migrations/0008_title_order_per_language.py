"""The public project list is ordered by the title in the visitor's language (title_en or title_zh_hans,
since migration 0007 gave every public text both languages), so a b-tree on each of those, with the id that
breaks ties, lets a page of the unfiltered list stop after its rows instead of joining and sorting every
public project. The b-tree on the untranslated title (0006), which that order no longer reads, is dropped.
PostgreSQL only, like 0006: on SQLite both directions do nothing."""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS projects_project_title_en_order ON projects_project (title_en, id)",
    "CREATE INDEX IF NOT EXISTS projects_project_title_zh_order ON projects_project (title_zh_hans, id)",
    "DROP INDEX IF EXISTS projects_project_title_order",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS projects_project_title_order ON projects_project (title, id)",
    "DROP INDEX IF EXISTS projects_project_title_zh_order",
    "DROP INDEX IF EXISTS projects_project_title_en_order",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("projects", "0007_public_texts_in_both_languages")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
