"""Public texts of channels, funds and campaigns in both languages (django-modeltranslation: <field>_en and
<field>_zh_hans). Every existing text goes to the language it is written in (Chinese when it holds Chinese
characters, else English)."""

import re

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
TEXTS = {"Channel": ("name",), "Fund": ("name", "description"), "Campaign": ("title", "summary", "story")}


def forwards(apps, schema_editor):
    for model_name, fields in TEXTS.items():
        model = apps.get_model("fundraising", model_name)
        for row in model.objects.only("pk", *fields).iterator():
            for field in fields:
                text = getattr(row, field)
                if text:
                    lang = "zh_hans" if CHINESE.search(text) else "en"
                    setattr(row, f"{field}_{lang}", text)
            row.save(update_fields=[f"{f}_{lang}" for f in fields for lang in ("en", "zh_hans")])


class Migration(migrations.Migration):
    dependencies = [
        ("fundraising", "0015_annual_statements"),
        ("organizations", "0005_public_texts_in_both_languages"),
        ("projects", "0007_public_texts_in_both_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="story_en",
            field=models.TextField(max_length=20000, null=True, verbose_name="story"),
        ),
        migrations.AddField(
            model_name="campaign",
            name="story_zh_hans",
            field=models.TextField(max_length=20000, null=True, verbose_name="story"),
        ),
        migrations.AddField(
            model_name="campaign",
            name="summary_en",
            field=models.CharField(
                help_text="Shown when the page is shared.", max_length=300, null=True, verbose_name="summary"
            ),
        ),
        migrations.AddField(
            model_name="campaign",
            name="summary_zh_hans",
            field=models.CharField(
                help_text="Shown when the page is shared.", max_length=300, null=True, verbose_name="summary"
            ),
        ),
        migrations.AddField(
            model_name="campaign",
            name="title_en",
            field=models.CharField(max_length=200, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="campaign",
            name="title_zh_hans",
            field=models.CharField(max_length=200, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="channel",
            name="name_en",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="channel",
            name="name_zh_hans",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="fund",
            name="description_en",
            field=models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="fund",
            name="description_zh_hans",
            field=models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="fund",
            name="name_en",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="fund",
            name="name_zh_hans",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalcampaign",
            name="story_en",
            field=models.TextField(max_length=20000, null=True, verbose_name="story"),
        ),
        migrations.AddField(
            model_name="historicalcampaign",
            name="story_zh_hans",
            field=models.TextField(max_length=20000, null=True, verbose_name="story"),
        ),
        migrations.AddField(
            model_name="historicalcampaign",
            name="summary_en",
            field=models.CharField(
                help_text="Shown when the page is shared.", max_length=300, null=True, verbose_name="summary"
            ),
        ),
        migrations.AddField(
            model_name="historicalcampaign",
            name="summary_zh_hans",
            field=models.CharField(
                help_text="Shown when the page is shared.", max_length=300, null=True, verbose_name="summary"
            ),
        ),
        migrations.AddField(
            model_name="historicalcampaign",
            name="title_en",
            field=models.CharField(max_length=200, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalcampaign",
            name="title_zh_hans",
            field=models.CharField(max_length=200, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalchannel",
            name="name_en",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalchannel",
            name="name_zh_hans",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalfund",
            name="description_en",
            field=models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="historicalfund",
            name="description_zh_hans",
            field=models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
        ),
        migrations.AddField(
            model_name="historicalfund",
            name="name_en",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalfund",
            name="name_zh_hans",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="campaign",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("story_en"), 20000
                ),
                name="fundraising_campaign_story_en_len",
            ),
        ),
        migrations.AddConstraint(
            model_name="campaign",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("story_zh_hans"), 20000
                ),
                name="fundraising_campaign_story_zh_hans_len",
            ),
        ),
        migrations.AddConstraint(
            model_name="fund",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("description_en"), 20000
                ),
                name="fundraising_fund_description_en_len",
            ),
        ),
        migrations.AddConstraint(
            model_name="fund",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("description_zh_hans"), 20000
                ),
                name="fundraising_fund_description_zh_hans_len",
            ),
        ),
    ]
