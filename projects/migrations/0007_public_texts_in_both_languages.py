"""A project's title and summary in both languages (django-modeltranslation: <field>_en and <field>_zh_hans).

Every existing text goes to the language it is written in (Chinese when it holds Chinese characters, else
English). The public search reads both languages' columns, so each gets a pg_trgm index like the original
ones (migration 0006; PostgreSQL only)."""

import re

from django.db import migrations, models

CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

INDEXES = [
    ("projects_project_title_en_trgm", "projects_project", "gin (upper(title_en) gin_trgm_ops)"),
    ("projects_project_title_zh_trgm", "projects_project", "gin (upper(title_zh_hans) gin_trgm_ops)"),
    ("projects_project_summary_en_trgm", "projects_project", "gin (upper(summary_en) gin_trgm_ops)"),
    ("projects_project_summary_zh_trgm", "projects_project", "gin (upper(summary_zh_hans) gin_trgm_ops)"),
    (
        "organizations_org_name_zh_trgm",
        "organizations_organization",
        "gin (upper(name_zh_hans) gin_trgm_ops)",
    ),
]


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL and does nothing on any other database (as in 0006)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def forwards(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    for project in Project.objects.only("pk", "title", "summary").iterator():
        for field in ("title", "summary"):
            text = getattr(project, field)
            if text:
                lang = "zh_hans" if CHINESE.search(text) else "en"
                setattr(project, f"{field}_{lang}", text)
        project.save(update_fields=["title_en", "title_zh_hans", "summary_en", "summary_zh_hans"])


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0005_public_texts_in_both_languages"),
        ("projects", "0006_project_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="summary_en",
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name="summary"),
        ),
        migrations.AddField(
            model_name="project",
            name="summary_zh_hans",
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name="summary"),
        ),
        migrations.AddField(
            model_name="project",
            name="title_en",
            field=models.CharField(max_length=200, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="project",
            name="title_zh_hans",
            field=models.CharField(max_length=200, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="summary_en",
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name="summary"),
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="summary_zh_hans",
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name="summary"),
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="title_en",
            field=models.CharField(max_length=200, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="title_zh_hans",
            field=models.CharField(max_length=200, null=True, verbose_name="title"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        *[
            PostgreSQLOnly(
                sql=f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING {definition}",
                reverse_sql=f"DROP INDEX IF EXISTS {name}",
            )
            for name, table, definition in INDEXES
        ],
    ]
