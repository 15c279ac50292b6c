"""Names and descriptions in both languages (django-modeltranslation): <field>_en and <field>_zh_hans.

Every existing text is kept: an organization's English name stays in its column name_en (in its history
too) (which becomes the
English translation, empty ones made NULL so that it can be unique), its name goes to name_zh_hans (to
name_en when it is written in Latin letters only and no English name was given); a theme's name and name_zh
become name_en and name_zh_hans; a description goes to the language it is written in (Chinese when it holds
Chinese characters)."""

import re

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _is_chinese(text):
    return bool(text and CHINESE.search(text))


def forwards(apps, schema_editor):
    Theme = apps.get_model("organizations", "Theme")
    for theme in Theme.objects.all():
        theme.name_en = None if _is_chinese(theme.name) else theme.name
        theme.name_zh_hans = theme.name_zh or (theme.name if _is_chinese(theme.name) else None)
        theme.save(update_fields=["name_en", "name_zh_hans"])
    organizations_forwards(apps.get_model("organizations", "Organization"))


def organizations_forwards(Organization):
    """Also called by the tests with the live model, whose queries modeltranslation would rewrite (`name`
    read as the active language's column): the columns are read as they are."""
    rows = Organization.objects.all()
    rows = rows.rewrite(False) if hasattr(rows, "rewrite") else rows
    for pk, name, name_en, description in rows.values_list("pk", "name", "name_en", "description"):
        values = {"name_en": name_en or None, "name_zh_hans": None}
        if values["name_en"] is None and not _is_chinese(name):
            values["name_en"] = name
        else:
            values["name_zh_hans"] = name
        if description:
            values["description_zh_hans" if _is_chinese(description) else "description_en"] = description
        Organization.objects.filter(pk=pk).update(**values)


def backwards(apps, schema_editor):
    Theme = apps.get_model("organizations", "Theme")
    for theme in Theme.objects.all():
        theme.name_zh = theme.name_zh_hans or ""
        theme.name = theme.name_en or theme.name_zh_hans or theme.name
        theme.save(update_fields=["name", "name_zh"])
    Organization = apps.get_model("organizations", "Organization")
    Organization.objects.filter(name_en__isnull=True).update(name_en="")
    for org in Organization.objects.exclude(name_zh_hans__isnull=True):
        org.name = org.name_zh_hans
        org.description = org.description_zh_hans or org.description_en or org.description
        org.save(update_fields=["name", "description"])


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0004_text_length_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="theme",
            name="name_en",
            field=models.CharField(max_length=100, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="theme",
            name="name_zh_hans",
            field=models.CharField(max_length=100, null=True, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="organization",
            name="name_en",
            field=models.CharField(max_length=200, null=True, blank=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="organization",
            name="name_zh_hans",
            field=models.CharField(max_length=200, null=True, unique=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="organization",
            name="description_en",
            field=models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="organization",
            name="description_zh_hans",
            field=models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="description_en",
            field=models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="description_zh_hans",
            field=models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="historicalorganization",
            name="name_en",
            field=models.CharField(db_index=True, max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="name_zh_hans",
            field=models.CharField(db_index=True, max_length=200, null=True, verbose_name="name"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="organization",
            name="name_en",
            field=models.CharField(max_length=200, null=True, unique=True, verbose_name="name"),
        ),
        migrations.RemoveField(
            model_name="theme",
            name="name_zh",
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("description_en"), 20000
                ),
                name="organizations_organization_description_en_len",
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("description_zh_hans"), 20000
                ),
                name="organizations_organization_description_zh_hans_len",
            ),
        ),
    ]
