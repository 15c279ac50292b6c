"""projects 0001–0010 in one migration, for new databases: the models as the replaced chain left them, then
the database objects that chain made in SQL and the rows it seeded, by the replaced migrations' own
operations. A database that applied part of the chain finishes it with the replaced migrations, which stay
until every database has passed them."""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import projects.models
from empowerment.migration_operations import replaced_operations


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("projects", "0001_initial"),
        ("projects", "0002_scoring_criteria"),
        ("projects", "0003_reminders_are_keyed_emails"),
        ("projects", "0004_text_length_limits"),
        ("projects", "0005_results_framework_and_report_rating"),
        ("projects", "0006_project_search_indexes"),
        ("projects", "0007_public_texts_in_both_languages"),
        ("projects", "0008_title_order_per_language"),
        ("projects", "0009_search_grams"),
        ("projects", "0010_search_indexes_written_at_once"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("organizations", "0001_squashed_0005_public_texts_in_both_languages"),
    ]

    operations = [
        migrations.CreateModel(
            name="Activity",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="activity")),
                ("description", models.TextField(blank=True, max_length=20000, verbose_name="description")),
                ("start_date", models.DateField(verbose_name="start")),
                ("end_date", models.DateField(verbose_name="end")),
            ],
            options={
                "verbose_name": "activity",
                "verbose_name_plural": "activities",
                "ordering": ["start_date", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Indicator",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="indicator")),
                ("unit", models.CharField(max_length=40, verbose_name="unit")),
                (
                    "value_type",
                    models.CharField(
                        choices=[
                            ("number", "Number"),
                            ("percentage", "Percentage"),
                            ("count", "Count (whole number)"),
                        ],
                        max_length=12,
                        verbose_name="value type",
                    ),
                ),
                (
                    "baseline",
                    models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="baseline"),
                ),
                ("target", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="target")),
                (
                    "aggregation",
                    models.CharField(
                        choices=[("cumulative", "Cumulative (sum of updates)"), ("latest", "Latest value")],
                        default="cumulative",
                        max_length=12,
                        verbose_name="progress is",
                    ),
                ),
                (
                    "frequency",
                    models.CharField(
                        choices=[("monthly", "Monthly"), ("quarterly", "Quarterly")],
                        default="monthly",
                        max_length=10,
                        verbose_name="reported",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "level",
                    models.CharField(
                        choices=[("output", "Output"), ("outcome", "Outcome")],
                        default="output",
                        max_length=8,
                        verbose_name="level",
                    ),
                ),
                ("by_sex", models.BooleanField(default=False, verbose_name="by sex")),
                ("by_age_band", models.BooleanField(default=False, verbose_name="by age band")),
                ("by_special_group", models.BooleanField(default=False, verbose_name="by special group")),
            ],
            options={
                "verbose_name": "indicator",
                "verbose_name_plural": "indicators",
                "ordering": ["position", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalNeedsAssessment",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("survey", "Survey"),
                            ("interviews", "Interviews"),
                            ("focus_groups", "Focus groups"),
                            ("observation", "Observation"),
                        ],
                        max_length=20,
                        verbose_name="method",
                    ),
                ),
                ("started_on", models.DateField(verbose_name="started on")),
                ("ended_on", models.DateField(verbose_name="ended on")),
                ("sample_size", models.PositiveIntegerField(default=0, verbose_name="sample size")),
                ("findings", models.TextField(blank=True, max_length=20000, verbose_name="findings")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "community",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.area",
                        verbose_name="community",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.organization",
                        verbose_name="organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical needs assessment",
                "verbose_name_plural": "historical needs assessments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalProject",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("title_en", models.CharField(max_length=200, null=True, verbose_name="title")),
                ("title_zh_hans", models.CharField(max_length=200, null=True, verbose_name="title")),
                ("slug", models.SlugField(max_length=80, verbose_name="web address")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("returned", "Returned for changes"),
                            ("approved", "Approved for incubation"),
                            ("active", "Active"),
                            ("completed", "Completed"),
                            ("closed", "Closed"),
                            ("rejected", "Rejected"),
                        ],
                        default="draft",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("summary", models.CharField(blank=True, max_length=300, verbose_name="summary")),
                (
                    "summary_en",
                    models.CharField(blank=True, max_length=300, null=True, verbose_name="summary"),
                ),
                (
                    "summary_zh_hans",
                    models.CharField(blank=True, max_length=300, null=True, verbose_name="summary"),
                ),
                (
                    "problem_statement",
                    models.TextField(blank=True, max_length=20000, verbose_name="problem statement"),
                ),
                ("target_group", models.TextField(blank=True, max_length=20000, verbose_name="target group")),
                ("objectives", models.TextField(blank=True, max_length=20000, verbose_name="objectives")),
                ("start_date", models.DateField(blank=True, null=True, verbose_name="start date")),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="end date")),
                (
                    "reporting_frequency",
                    models.CharField(
                        choices=[("monthly", "Monthly"), ("quarterly", "Quarterly")],
                        default="monthly",
                        max_length=10,
                        verbose_name="reporting schedule",
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created")),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="updated")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "community",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.area",
                        verbose_name="community",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.organization",
                        verbose_name="organization",
                    ),
                ),
                (
                    "theme",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.theme",
                        verbose_name="theme",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical project",
                "verbose_name_plural": "historical projects",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalScoringCriterion",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("key", models.SlugField(verbose_name="key")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("description", models.CharField(blank=True, max_length=255, verbose_name="description")),
                (
                    "weight",
                    models.DecimalField(decimal_places=2, default=1, max_digits=5, verbose_name="weight"),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical scoring criterion",
                "verbose_name_plural": "historical scoring criteria",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalStandardIndicator",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("code", models.SlugField(max_length=40, verbose_name="code")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("name_zh", models.CharField(blank=True, max_length=200, verbose_name="name in Chinese")),
                ("unit", models.CharField(max_length=40, verbose_name="unit")),
                ("unit_zh", models.CharField(blank=True, max_length=40, verbose_name="unit in Chinese")),
                (
                    "level",
                    models.CharField(
                        choices=[("output", "Output"), ("outcome", "Outcome")],
                        default="output",
                        max_length=8,
                        verbose_name="level",
                    ),
                ),
                (
                    "value_type",
                    models.CharField(
                        choices=[("number", "Number"), ("count", "Count (whole number)")],
                        max_length=12,
                        verbose_name="value type",
                    ),
                ),
                (
                    "aggregation",
                    models.CharField(
                        choices=[("cumulative", "Cumulative (sum of updates)"), ("latest", "Latest value")],
                        default="cumulative",
                        max_length=12,
                        verbose_name="progress is",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "theme",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.theme",
                        verbose_name="theme",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical theme indicator",
                "verbose_name_plural": "historical theme indicators",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="IndicatorValue",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="value")),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="values",
                        to="projects.indicator",
                    ),
                ),
            ],
            options={
                "verbose_name": "indicator value",
                "verbose_name_plural": "indicator values",
            },
        ),
        migrations.CreateModel(
            name="HistoricalIndicatorValuePart",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "dimension",
                    models.CharField(
                        choices=[
                            ("sex", "By sex"),
                            ("age_band", "By age band"),
                            ("special_group", "By special group"),
                        ],
                        max_length=14,
                        verbose_name="breakdown",
                    ),
                ),
                ("category", models.CharField(max_length=14, verbose_name="part")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="value")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "value",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.indicatorvalue",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical indicator value part",
                "verbose_name_plural": "historical indicator value parts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="NeedsAssessment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("survey", "Survey"),
                            ("interviews", "Interviews"),
                            ("focus_groups", "Focus groups"),
                            ("observation", "Observation"),
                        ],
                        max_length=20,
                        verbose_name="method",
                    ),
                ),
                ("started_on", models.DateField(verbose_name="started on")),
                ("ended_on", models.DateField(verbose_name="ended on")),
                ("sample_size", models.PositiveIntegerField(default=0, verbose_name="sample size")),
                ("findings", models.TextField(blank=True, max_length=20000, verbose_name="findings")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "community",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organizations.area",
                        verbose_name="community",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="needs_assessments",
                        to="organizations.organization",
                        verbose_name="organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "needs assessment",
                "verbose_name_plural": "needs assessments",
                "ordering": ["-started_on", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("ended_on__gte", models.F("started_on"))),
                        name="assessment_dates_order",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("findings"), 20000
                        ),
                        name="projects_needsassessment_findings_len",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Need",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="need")),
                ("description", models.TextField(blank=True, max_length=20000, verbose_name="description")),
                ("chosen", models.BooleanField(default=False, verbose_name="chosen")),
                (
                    "chosen_reason",
                    models.TextField(blank=True, max_length=20000, verbose_name="reason for the choice"),
                ),
                ("chosen_at", models.DateTimeField(blank=True, null=True, verbose_name="chosen at")),
                (
                    "chosen_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="needs",
                        to="projects.needsassessment",
                        verbose_name="assessment",
                    ),
                ),
            ],
            options={
                "verbose_name": "need",
                "verbose_name_plural": "needs",
                "ordering": ["pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("chosen", False), models.Q(("chosen_reason", ""), _negated=True), _connector="OR"
                        ),
                        name="chosen_need_has_reason",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("description"), 20000
                        ),
                        name="projects_need_description_len",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("chosen_reason"), 20000
                        ),
                        name="projects_need_chosen_reason_len",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalSurveyImport",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("filename", models.CharField(max_length=255, verbose_name="file name")),
                ("encoding", models.CharField(max_length=20, verbose_name="encoding")),
                ("columns", models.JSONField(default=list, verbose_name="columns")),
                ("mapping", models.JSONField(blank=True, default=dict, verbose_name="mapping")),
                ("summary", models.JSONField(blank=True, default=list, verbose_name="summary")),
                ("respondents", models.PositiveIntegerField(default=0, verbose_name="respondents")),
                (
                    "status",
                    models.CharField(
                        choices=[("mapping", "Waiting for column mapping"), ("done", "Summarised")],
                        default="mapping",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="imported")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "assessment",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.needsassessment",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical survey import",
                "verbose_name_plural": "historical survey imports",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalNeed",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("title", models.CharField(max_length=200, verbose_name="need")),
                ("description", models.TextField(blank=True, max_length=20000, verbose_name="description")),
                ("chosen", models.BooleanField(default=False, verbose_name="chosen")),
                (
                    "chosen_reason",
                    models.TextField(blank=True, max_length=20000, verbose_name="reason for the choice"),
                ),
                ("chosen_at", models.DateTimeField(blank=True, null=True, verbose_name="chosen at")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "chosen_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "assessment",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.needsassessment",
                        verbose_name="assessment",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical need",
                "verbose_name_plural": "historical needs",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalAssessmentAttachment",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("file", models.TextField(max_length=255, verbose_name="file")),
                ("uploaded_at", models.DateTimeField(blank=True, editable=False, verbose_name="uploaded")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "assessment",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.needsassessment",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical attachment",
                "verbose_name_plural": "historical attachments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="AssessmentAttachment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "file",
                    models.FileField(
                        max_length=255, upload_to=projects.models.attachment_upload_to, verbose_name="file"
                    ),
                ),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded")),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attachments",
                        to="projects.needsassessment",
                    ),
                ),
            ],
            options={
                "verbose_name": "attachment",
                "verbose_name_plural": "attachments",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="ProgressUpdate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("period_start", models.DateField(verbose_name="period from")),
                ("period_end", models.DateField(verbose_name="period to")),
                ("narrative", models.TextField(max_length=20000, verbose_name="what happened")),
                (
                    "volunteer_hours",
                    models.DecimalField(
                        decimal_places=1, default=0, max_digits=8, verbose_name="volunteer hours"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("returned", "Returned for changes"),
                            ("approved", "Approved"),
                        ],
                        default="draft",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="submitted")),
                ("reviewed_at", models.DateTimeField(blank=True, null=True, verbose_name="reviewed")),
                (
                    "review_comment",
                    models.TextField(blank=True, max_length=20000, verbose_name="review comment"),
                ),
                (
                    "quality_score",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        choices=[
                            (1, "1 · Poor: the report does not show what was done; values lack evidence"),
                            (2, "2 · Weak: activities listed, little on results; evidence thin"),
                            (3, "3 · Adequate: activities and results reported, with some evidence"),
                            (
                                4,
                                "4 · Good: clear results against the indicators, with evidence for the values",
                            ),
                            (
                                5,
                                "5 · Excellent: clear, complete and well evidenced; lessons drawn for the next period",
                            ),
                        ],
                        null=True,
                        verbose_name="quality score",
                    ),
                ),
                ("rating_feedback", models.TextField(blank=True, max_length=20000, verbose_name="feedback")),
                ("rated_at", models.DateTimeField(blank=True, null=True, verbose_name="rated")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "rated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="rated by",
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "supersedes",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="superseded_by",
                        to="projects.progressupdate",
                        verbose_name="corrects",
                    ),
                ),
            ],
            options={
                "verbose_name": "progress update",
                "verbose_name_plural": "progress updates",
                "ordering": ["-period_end", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="PeopleReached",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "sex",
                    models.CharField(
                        choices=[("female", "Female"), ("male", "Male"), ("unspecified", "Not recorded")],
                        max_length=12,
                        verbose_name="sex",
                    ),
                ),
                (
                    "age_band",
                    models.CharField(
                        choices=[
                            ("0-17", "Under 18"),
                            ("18-59", "18–59"),
                            ("60-79", "60–79"),
                            ("80+", "80 and over"),
                        ],
                        max_length=6,
                        verbose_name="age",
                    ),
                ),
                (
                    "special_group",
                    models.CharField(
                        choices=[
                            ("none", "None"),
                            ("disability", "People with disabilities"),
                            ("left_behind", "Left-behind children"),
                            ("living_alone", "Older people living alone"),
                            ("low_income", "Low-income households"),
                            ("other", "Other"),
                        ],
                        default="none",
                        max_length=14,
                        verbose_name="special group",
                    ),
                ),
                ("count", models.PositiveIntegerField(verbose_name="people")),
                (
                    "update",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="people",
                        to="projects.progressupdate",
                    ),
                ),
            ],
            options={
                "verbose_name": "people reached",
                "verbose_name_plural": "people reached",
                "ordering": ["pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("update", "sex", "age_band", "special_group"),
                        name="one_count_per_update_and_group",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("count__gt", 0)), name="people_reached_positive"
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="indicatorvalue",
            name="update",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="values",
                to="projects.progressupdate",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalUpdatePhoto",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("image", models.TextField(max_length=255, verbose_name="photo")),
                ("caption", models.CharField(blank=True, max_length=200, verbose_name="caption")),
                ("uploaded_at", models.DateTimeField(blank=True, editable=False, verbose_name="uploaded")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "update",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.progressupdate",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical photo",
                "verbose_name_plural": "historical photos",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalUpdateDocument",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("file", models.TextField(max_length=255, verbose_name="document")),
                ("uploaded_at", models.DateTimeField(blank=True, editable=False, verbose_name="uploaded")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "update",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.progressupdate",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical evidence document",
                "verbose_name_plural": "historical evidence documents",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPeopleReached",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "sex",
                    models.CharField(
                        choices=[("female", "Female"), ("male", "Male"), ("unspecified", "Not recorded")],
                        max_length=12,
                        verbose_name="sex",
                    ),
                ),
                (
                    "age_band",
                    models.CharField(
                        choices=[
                            ("0-17", "Under 18"),
                            ("18-59", "18–59"),
                            ("60-79", "60–79"),
                            ("80+", "80 and over"),
                        ],
                        max_length=6,
                        verbose_name="age",
                    ),
                ),
                (
                    "special_group",
                    models.CharField(
                        choices=[
                            ("none", "None"),
                            ("disability", "People with disabilities"),
                            ("left_behind", "Left-behind children"),
                            ("living_alone", "Older people living alone"),
                            ("low_income", "Low-income households"),
                            ("other", "Other"),
                        ],
                        default="none",
                        max_length=14,
                        verbose_name="special group",
                    ),
                ),
                ("count", models.PositiveIntegerField(verbose_name="people")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "update",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.progressupdate",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical people reached",
                "verbose_name_plural": "historical people reached",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalIndicatorValue",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("value", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="value")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.indicator",
                    ),
                ),
                (
                    "update",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.progressupdate",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical indicator value",
                "verbose_name_plural": "historical indicator values",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Project",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("title_en", models.CharField(max_length=200, null=True, verbose_name="title")),
                ("title_zh_hans", models.CharField(max_length=200, null=True, verbose_name="title")),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="web address")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("returned", "Returned for changes"),
                            ("approved", "Approved for incubation"),
                            ("active", "Active"),
                            ("completed", "Completed"),
                            ("closed", "Closed"),
                            ("rejected", "Rejected"),
                        ],
                        default="draft",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("summary", models.CharField(blank=True, max_length=300, verbose_name="summary")),
                (
                    "summary_en",
                    models.CharField(blank=True, max_length=300, null=True, verbose_name="summary"),
                ),
                (
                    "summary_zh_hans",
                    models.CharField(blank=True, max_length=300, null=True, verbose_name="summary"),
                ),
                (
                    "problem_statement",
                    models.TextField(blank=True, max_length=20000, verbose_name="problem statement"),
                ),
                ("target_group", models.TextField(blank=True, max_length=20000, verbose_name="target group")),
                ("objectives", models.TextField(blank=True, max_length=20000, verbose_name="objectives")),
                ("start_date", models.DateField(blank=True, null=True, verbose_name="start date")),
                ("end_date", models.DateField(blank=True, null=True, verbose_name="end date")),
                (
                    "reporting_frequency",
                    models.CharField(
                        choices=[("monthly", "Monthly"), ("quarterly", "Quarterly")],
                        default="monthly",
                        max_length=10,
                        verbose_name="reporting schedule",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "community",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organizations.area",
                        verbose_name="community",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "needs",
                    models.ManyToManyField(
                        blank=True,
                        related_name="projects",
                        to="projects.need",
                        verbose_name="needs addressed",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="projects",
                        to="organizations.organization",
                        verbose_name="organization",
                    ),
                ),
                (
                    "theme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        to="organizations.theme",
                        verbose_name="theme",
                    ),
                ),
            ],
            options={
                "verbose_name": "project",
                "verbose_name_plural": "projects",
                "ordering": ["-created_at", "-pk"],
                "indexes": [models.Index(fields=["status", "theme"], name="projects_pr_status_b69575_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "status__in",
                                [
                                    "draft",
                                    "submitted",
                                    "returned",
                                    "approved",
                                    "active",
                                    "completed",
                                    "closed",
                                    "rejected",
                                ],
                            )
                        ),
                        name="project_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("start_date__isnull", True),
                            ("end_date__isnull", True),
                            ("end_date__gte", models.F("start_date")),
                            _connector="OR",
                        ),
                        name="project_dates_order",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("problem_statement"), 20000
                        ),
                        name="projects_project_problem_statement_len",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("target_group"), 20000
                        ),
                        name="projects_project_target_group_len",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("objectives"), 20000
                        ),
                        name="projects_project_objectives_len",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="progressupdate",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="updates", to="projects.project"
            ),
        ),
        migrations.CreateModel(
            name="Milestone",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="milestone")),
                ("due_date", models.DateField(verbose_name="due")),
                (
                    "activity",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="milestones",
                        to="projects.activity",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="milestones",
                        to="projects.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "milestone",
                "verbose_name_plural": "milestones",
                "ordering": ["due_date", "pk"],
            },
        ),
        migrations.AddField(
            model_name="indicator",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="indicators", to="projects.project"
            ),
        ),
        migrations.CreateModel(
            name="HistoricalProgressUpdate",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("period_start", models.DateField(verbose_name="period from")),
                ("period_end", models.DateField(verbose_name="period to")),
                ("narrative", models.TextField(max_length=20000, verbose_name="what happened")),
                (
                    "volunteer_hours",
                    models.DecimalField(
                        decimal_places=1, default=0, max_digits=8, verbose_name="volunteer hours"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("returned", "Returned for changes"),
                            ("approved", "Approved"),
                        ],
                        default="draft",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="submitted")),
                ("reviewed_at", models.DateTimeField(blank=True, null=True, verbose_name="reviewed")),
                (
                    "review_comment",
                    models.TextField(blank=True, max_length=20000, verbose_name="review comment"),
                ),
                (
                    "quality_score",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        choices=[
                            (1, "1 · Poor: the report does not show what was done; values lack evidence"),
                            (2, "2 · Weak: activities listed, little on results; evidence thin"),
                            (3, "3 · Adequate: activities and results reported, with some evidence"),
                            (
                                4,
                                "4 · Good: clear results against the indicators, with evidence for the values",
                            ),
                            (
                                5,
                                "5 · Excellent: clear, complete and well evidenced; lessons drawn for the next period",
                            ),
                        ],
                        null=True,
                        verbose_name="quality score",
                    ),
                ),
                ("rating_feedback", models.TextField(blank=True, max_length=20000, verbose_name="feedback")),
                ("rated_at", models.DateTimeField(blank=True, null=True, verbose_name="rated")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "rated_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="rated by",
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "supersedes",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.progressupdate",
                        verbose_name="corrects",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical progress update",
                "verbose_name_plural": "historical progress updates",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalMilestone",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("title", models.CharField(max_length=200, verbose_name="milestone")),
                ("due_date", models.DateField(verbose_name="due")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "activity",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.activity",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical milestone",
                "verbose_name_plural": "historical milestones",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalBudgetLine",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("personnel", "Personnel"),
                            ("activities", "Activities"),
                            ("materials", "Materials"),
                            ("equipment", "Equipment"),
                            ("venue", "Venue"),
                            ("travel", "Travel"),
                            ("management", "Management"),
                            ("other", "Other"),
                        ],
                        max_length=12,
                        verbose_name="category",
                    ),
                ),
                ("description", models.CharField(max_length=255, verbose_name="description")),
                (
                    "amount",
                    models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount (yuan)"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical budget line",
                "verbose_name_plural": "historical budget lines",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalActivity",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("title", models.CharField(max_length=200, verbose_name="activity")),
                ("description", models.TextField(blank=True, max_length=20000, verbose_name="description")),
                ("start_date", models.DateField(verbose_name="start")),
                ("end_date", models.DateField(verbose_name="end")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical activity",
                "verbose_name_plural": "historical activities",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="BudgetLine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("personnel", "Personnel"),
                            ("activities", "Activities"),
                            ("materials", "Materials"),
                            ("equipment", "Equipment"),
                            ("venue", "Venue"),
                            ("travel", "Travel"),
                            ("management", "Management"),
                            ("other", "Other"),
                        ],
                        max_length=12,
                        verbose_name="category",
                    ),
                ),
                ("description", models.CharField(max_length=255, verbose_name="description")),
                (
                    "amount",
                    models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount (yuan)"),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="budget_lines",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
            ],
            options={
                "verbose_name": "budget line",
                "verbose_name_plural": "budget lines",
                "ordering": ["pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="budget_line_amount_positive"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="activity",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="activities", to="projects.project"
            ),
        ),
        migrations.CreateModel(
            name="ProjectDecision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("returned", "Returned for changes"),
                            ("approved", "Approved for incubation"),
                            ("active", "Active"),
                            ("completed", "Completed"),
                            ("closed", "Closed"),
                            ("rejected", "Rejected"),
                        ],
                        max_length=12,
                        verbose_name="from",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("returned", "Returned for changes"),
                            ("approved", "Approved for incubation"),
                            ("active", "Active"),
                            ("completed", "Completed"),
                            ("closed", "Closed"),
                            ("rejected", "Rejected"),
                        ],
                        max_length=12,
                        verbose_name="to",
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="at")),
                ("comment", models.TextField(blank=True, max_length=20000, verbose_name="comment")),
                (
                    "by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="decisions",
                        to="projects.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "project decision",
                "verbose_name_plural": "project decisions",
                "ordering": ["at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("comment"), 20000
                        ),
                        name="projects_projectdecision_comment_len",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ScoringCriterion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.SlugField(unique=True, verbose_name="key")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("description", models.CharField(blank=True, max_length=255, verbose_name="description")),
                (
                    "weight",
                    models.DecimalField(decimal_places=2, default=1, max_digits=5, verbose_name="weight"),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
            ],
            options={
                "verbose_name": "scoring criterion",
                "verbose_name_plural": "scoring criteria",
                "ordering": ["position", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("weight__gte", 0)), name="criterion_weight_not_negative"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="NeedScore",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("score", models.PositiveSmallIntegerField(verbose_name="score")),
                (
                    "need",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="scores", to="projects.need"
                    ),
                ),
                (
                    "criterion",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="scores",
                        to="projects.scoringcriterion",
                    ),
                ),
            ],
            options={
                "verbose_name": "need score",
                "verbose_name_plural": "need scores",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("need", "criterion"), name="one_score_per_need_and_criterion"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("score__gte", 1), ("score__lte", 5)), name="need_score_range"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalNeedScore",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("score", models.PositiveSmallIntegerField(verbose_name="score")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "need",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.need",
                    ),
                ),
                (
                    "criterion",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.scoringcriterion",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical need score",
                "verbose_name_plural": "historical need scores",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="StandardIndicator",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("name_zh", models.CharField(blank=True, max_length=200, verbose_name="name in Chinese")),
                ("unit", models.CharField(max_length=40, verbose_name="unit")),
                ("unit_zh", models.CharField(blank=True, max_length=40, verbose_name="unit in Chinese")),
                (
                    "level",
                    models.CharField(
                        choices=[("output", "Output"), ("outcome", "Outcome")],
                        default="output",
                        max_length=8,
                        verbose_name="level",
                    ),
                ),
                (
                    "value_type",
                    models.CharField(
                        choices=[("number", "Number"), ("count", "Count (whole number)")],
                        max_length=12,
                        verbose_name="value type",
                    ),
                ),
                (
                    "aggregation",
                    models.CharField(
                        choices=[("cumulative", "Cumulative (sum of updates)"), ("latest", "Latest value")],
                        default="cumulative",
                        max_length=12,
                        verbose_name="progress is",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "theme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organizations.theme",
                        verbose_name="theme",
                    ),
                ),
            ],
            options={
                "verbose_name": "theme indicator",
                "verbose_name_plural": "theme indicators",
                "ordering": ["theme", "position", "code"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("value_type__in", ["number", "count"])),
                        name="standard_indicator_summable_type",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("aggregation__in", ["cumulative", "latest"])),
                        name="standard_indicator_aggregation",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("level__in", ["output", "outcome"])),
                        name="standard_indicator_level_valid",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="indicator",
            name="standard",
            field=models.ForeignKey(
                blank=True,
                help_text="A programme indicator this one counts towards, so it adds up across projects.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="indicators",
                to="projects.standardindicator",
                verbose_name="theme indicator",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalIndicator",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name", models.CharField(max_length=200, verbose_name="indicator")),
                ("unit", models.CharField(max_length=40, verbose_name="unit")),
                (
                    "value_type",
                    models.CharField(
                        choices=[
                            ("number", "Number"),
                            ("percentage", "Percentage"),
                            ("count", "Count (whole number)"),
                        ],
                        max_length=12,
                        verbose_name="value type",
                    ),
                ),
                (
                    "baseline",
                    models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="baseline"),
                ),
                ("target", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="target")),
                (
                    "aggregation",
                    models.CharField(
                        choices=[("cumulative", "Cumulative (sum of updates)"), ("latest", "Latest value")],
                        default="cumulative",
                        max_length=12,
                        verbose_name="progress is",
                    ),
                ),
                (
                    "frequency",
                    models.CharField(
                        choices=[("monthly", "Monthly"), ("quarterly", "Quarterly")],
                        default="monthly",
                        max_length=10,
                        verbose_name="reported",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "level",
                    models.CharField(
                        choices=[("output", "Output"), ("outcome", "Outcome")],
                        default="output",
                        max_length=8,
                        verbose_name="level",
                    ),
                ),
                ("by_sex", models.BooleanField(default=False, verbose_name="by sex")),
                ("by_age_band", models.BooleanField(default=False, verbose_name="by age band")),
                ("by_special_group", models.BooleanField(default=False, verbose_name="by special group")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.project",
                    ),
                ),
                (
                    "standard",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="A programme indicator this one counts towards, so it adds up across projects.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.standardindicator",
                        verbose_name="theme indicator",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical indicator",
                "verbose_name_plural": "historical indicators",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="SurveyImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("filename", models.CharField(max_length=255, verbose_name="file name")),
                ("encoding", models.CharField(max_length=20, verbose_name="encoding")),
                ("columns", models.JSONField(default=list, verbose_name="columns")),
                ("rows", models.JSONField(default=list, verbose_name="rows")),
                ("mapping", models.JSONField(blank=True, default=dict, verbose_name="mapping")),
                ("summary", models.JSONField(blank=True, default=list, verbose_name="summary")),
                ("respondents", models.PositiveIntegerField(default=0, verbose_name="respondents")),
                (
                    "status",
                    models.CharField(
                        choices=[("mapping", "Waiting for column mapping"), ("done", "Summarised")],
                        default="mapping",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="imported")),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="survey_imports",
                        to="projects.needsassessment",
                    ),
                ),
            ],
            options={
                "verbose_name": "survey import",
                "verbose_name_plural": "survey imports",
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="UpdateDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "file",
                    models.FileField(
                        max_length=255, upload_to=projects.models.evidence_upload_to, verbose_name="document"
                    ),
                ),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded")),
                (
                    "update",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="documents",
                        to="projects.progressupdate",
                    ),
                ),
            ],
            options={
                "verbose_name": "evidence document",
                "verbose_name_plural": "evidence documents",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="UpdatePhoto",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "image",
                    models.ImageField(
                        max_length=255, upload_to=projects.models.photo_upload_to, verbose_name="photo"
                    ),
                ),
                ("caption", models.CharField(blank=True, max_length=200, verbose_name="caption")),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded")),
                (
                    "update",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photos",
                        to="projects.progressupdate",
                    ),
                ),
            ],
            options={
                "verbose_name": "photo",
                "verbose_name_plural": "photos",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="IndicatorValuePart",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "dimension",
                    models.CharField(
                        choices=[
                            ("sex", "By sex"),
                            ("age_band", "By age band"),
                            ("special_group", "By special group"),
                        ],
                        max_length=14,
                        verbose_name="breakdown",
                    ),
                ),
                ("category", models.CharField(max_length=14, verbose_name="part")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="value")),
                (
                    "value",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="parts",
                        to="projects.indicatorvalue",
                    ),
                ),
            ],
            options={
                "verbose_name": "indicator value part",
                "verbose_name_plural": "indicator value parts",
                "ordering": ["pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("value", "dimension", "category"), name="one_part_per_value_and_category"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gte", 0)), name="indicator_part_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("category__in", ["female", "male", "unspecified"]), ("dimension", "sex")
                            ),
                            models.Q(
                                ("category__in", ["0-17", "18-59", "60-79", "80+"]), ("dimension", "age_band")
                            ),
                            models.Q(
                                (
                                    "category__in",
                                    [
                                        "none",
                                        "disability",
                                        "left_behind",
                                        "living_alone",
                                        "low_income",
                                        "other",
                                    ],
                                ),
                                ("dimension", "special_group"),
                            ),
                            _connector="OR",
                        ),
                        name="indicator_part_category_valid",
                    ),
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="indicatorvalue",
            constraint=models.UniqueConstraint(
                fields=("update", "indicator"), name="one_value_per_update_and_indicator"
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorvalue",
            constraint=models.CheckConstraint(
                condition=models.Q(("value__gte", 0)), name="indicator_value_not_negative"
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(("period_end__gte", models.F("period_start"))), name="update_period_order"
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(("volunteer_hours__gte", 0)), name="update_hours_not_negative"
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["draft", "submitted", "returned", "approved"])),
                name="update_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("narrative"), 20000
                ),
                name="projects_progressupdate_narrative_len",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("review_comment"), 20000
                ),
                name="projects_progressupdate_review_comment_len",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("rating_feedback"), 20000
                ),
                name="projects_progressupdate_rating_feedback_len",
            ),
        ),
        migrations.AddConstraint(
            model_name="progressupdate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("quality_score__isnull", True),
                    models.Q(("quality_score__gte", 1), ("quality_score__lte", 5), ("status", "approved")),
                    _connector="OR",
                ),
                name="update_rating_approved_in_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=models.Q(("end_date__gte", models.F("start_date"))), name="activity_dates_order"
            ),
        ),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("description"), 20000
                ),
                name="projects_activity_description_len",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(("target__gt", 0)), name="indicator_target_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(("baseline__gte", 0)), name="indicator_baseline_not_negative"
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("value_type", "percentage"), _negated=True),
                    models.Q(("baseline__lte", 100), ("target__lte", 100)),
                    _connector="OR",
                ),
                name="indicator_percentage_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(("level__in", ["output", "outcome"])), name="indicator_level_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("value_type", "percentage"), _negated=True),
                    models.Q(("by_age_band", False), ("by_sex", False), ("by_special_group", False)),
                    _connector="OR",
                ),
                name="indicator_percentage_not_disaggregated",
            ),
        ),
        *replaced_operations("projects", "0002_scoring_criteria"),
        *replaced_operations("projects", "0006_project_search_indexes"),
        *replaced_operations("projects", "0007_public_texts_in_both_languages", migrations.RunSQL),
        *replaced_operations("projects", "0008_title_order_per_language"),
        *replaced_operations("projects", "0009_search_grams"),
        *replaced_operations("projects", "0010_search_indexes_written_at_once"),
    ]
