"""transparency 0001–0010 in one migration, for new databases: the models as the replaced chain left them,
then the database objects that chain made in SQL and the rows it seeded, by the replaced migrations' own
operations. A database that applied part of the chain finishes it with the replaced migrations, which stay
until every database has passed them."""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import transparency.models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("transparency", "0001_initial"),
        ("transparency", "0002_announcement"),
        ("transparency", "0003_dashboard_snapshot"),
        ("transparency", "0004_notices_and_reminders_are_keyed_emails"),
        ("transparency", "0005_dashboard_snapshot_as_json"),
        ("transparency", "0006_text_length_limits"),
        ("transparency", "0007_open_data_files"),
        ("transparency", "0008_annual_work_report"),
        ("transparency", "0009_dashboard_drawn"),
        ("transparency", "0010_project_parts"),
    ]

    dependencies = [
        ("empowerment", "0002_squashed_0007_topic_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("fundraising", "0001_squashed_0026_campaign_gifts_newest_first"),
        ("projects", "0001_squashed_0010_search_indexes_written_at_once"),
    ]

    operations = [
        migrations.CreateModel(
            name="Announcement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=100, unique=True)),
                ("announced_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "announcement to followers",
                "verbose_name_plural": "announcements to followers",
            },
        ),
        migrations.CreateModel(
            name="DashboardSnapshot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=40, unique=True, verbose_name="name")),
                ("stamp", models.CharField(max_length=200, verbose_name="data stamp")),
                ("figures", models.JSONField(default=dict, verbose_name="figures")),
                ("drawn", models.JSONField(blank=True, default=dict, verbose_name="dashboard as drawn")),
                ("computed_at", models.DateTimeField(verbose_name="computed at")),
                ("seconds", models.FloatField(default=0, verbose_name="seconds to compute")),
            ],
            options={
                "verbose_name": "dashboard snapshot",
                "verbose_name_plural": "dashboard snapshots",
            },
        ),
        migrations.CreateModel(
            name="Disclosure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("progress", "Progress and funds"),
                            ("final", "Final"),
                            ("annual", "Programme annual report"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("period_start", models.DateField(verbose_name="period from")),
                ("period_end", models.DateField(verbose_name="period to")),
                ("due_on", models.DateField(verbose_name="due on")),
                ("narrative", models.TextField(max_length=20000, verbose_name="progress and use of funds")),
                (
                    "leftover_explanation",
                    models.TextField(
                        blank=True,
                        help_text="Required for a final disclosure when money is left.",
                        max_length=20000,
                        verbose_name="funds left over and what happens to them",
                    ),
                ),
                (
                    "funds_received",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        max_digits=14,
                        verbose_name="funds received in the period",
                    ),
                ),
                (
                    "funds_spent",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=14, verbose_name="funds spent in the period"
                    ),
                ),
                (
                    "balance",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        max_digits=14,
                        verbose_name="balance at the end of the period",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("published", "Published")],
                        default="draft",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="published")),
                (
                    "campaign",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disclosures",
                        to="fundraising.campaign",
                        verbose_name="campaign",
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
                    "project",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disclosures",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "disclosure",
                "verbose_name_plural": "disclosures",
                "ordering": ["-period_end", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("kind", "annual"), ("project__isnull", True), ("campaign__isnull", True)
                            ),
                            models.Q(
                                models.Q(("kind", "annual"), _negated=True),
                                models.Q(
                                    models.Q(("project__isnull", False), ("campaign__isnull", True)),
                                    models.Q(("project__isnull", True), ("campaign__isnull", False)),
                                    _connector="OR",
                                ),
                            ),
                            _connector="OR",
                        ),
                        name="disclosure_target_matches_kind",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("period_end__gte", models.F("period_start"))),
                        name="disclosure_period_order",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status", "draft"), ("published_at__isnull", False), _connector="OR"
                        ),
                        name="disclosure_published_dated",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("funds_received__gte", 0), ("funds_spent__gte", 0)),
                        name="disclosure_amounts_positive",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("project__isnull", False)),
                        fields=("project", "kind", "period_end"),
                        name="one_disclosure_per_project_period",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("campaign__isnull", False)),
                        fields=("campaign", "kind", "period_end"),
                        name="one_disclosure_per_campaign_period",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("kind", "annual")),
                        fields=("kind", "period_end"),
                        name="one_annual_report_per_year",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("narrative"), 20000
                        ),
                        name="transparency_disclosure_narrative_len",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("leftover_explanation"), 20000
                        ),
                        name="transparency_disclosure_leftover_explanation_len",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="DisclosureCorrection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("note", models.TextField(max_length=20000, verbose_name="correction")),
                ("published_at", models.DateTimeField(auto_now_add=True, verbose_name="published")),
                (
                    "disclosure",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="corrections",
                        to="transparency.disclosure",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "correction note",
                "verbose_name_plural": "correction notes",
                "ordering": ["published_at", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("note"), 20000
                        ),
                        name="transparency_disclosurecorrection_note_len",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Follower",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("email", models.EmailField(max_length=254, verbose_name="email")),
                ("language", models.CharField(default="en", max_length=10, verbose_name="language")),
                (
                    "token",
                    models.CharField(
                        default=transparency.models._token, editable=False, max_length=64, unique=True
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="subscribed")),
                ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="confirmed")),
                ("unsubscribed_at", models.DateTimeField(blank=True, null=True, verbose_name="unsubscribed")),
                (
                    "campaign",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="followers",
                        to="fundraising.campaign",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="followers",
                        to="projects.project",
                    ),
                ),
            ],
            options={
                "verbose_name": "follower",
                "verbose_name_plural": "followers",
                "ordering": ["-created_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("project__isnull", False), ("campaign__isnull", True)),
                            models.Q(("project__isnull", True), ("campaign__isnull", False)),
                            _connector="OR",
                        ),
                        name="follower_one_target",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("project__isnull", False)),
                        fields=("project", "email"),
                        name="follow_project_once",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("campaign__isnull", False)),
                        fields=("campaign", "email"),
                        name="follow_campaign_once",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalDisclosure",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("progress", "Progress and funds"),
                            ("final", "Final"),
                            ("annual", "Programme annual report"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("period_start", models.DateField(verbose_name="period from")),
                ("period_end", models.DateField(verbose_name="period to")),
                ("due_on", models.DateField(verbose_name="due on")),
                ("narrative", models.TextField(max_length=20000, verbose_name="progress and use of funds")),
                (
                    "leftover_explanation",
                    models.TextField(
                        blank=True,
                        help_text="Required for a final disclosure when money is left.",
                        max_length=20000,
                        verbose_name="funds left over and what happens to them",
                    ),
                ),
                (
                    "funds_received",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        max_digits=14,
                        verbose_name="funds received in the period",
                    ),
                ),
                (
                    "funds_spent",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=14, verbose_name="funds spent in the period"
                    ),
                ),
                (
                    "balance",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        max_digits=14,
                        verbose_name="balance at the end of the period",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("published", "Published")],
                        default="draft",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="published")),
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
                    "campaign",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.campaign",
                        verbose_name="campaign",
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
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical disclosure",
                "verbose_name_plural": "historical disclosures",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDisclosureCorrection",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("note", models.TextField(max_length=20000, verbose_name="correction")),
                ("published_at", models.DateTimeField(blank=True, editable=False, verbose_name="published")),
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
                    "disclosure",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="transparency.disclosure",
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
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical correction note",
                "verbose_name_plural": "historical correction notes",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalQuestion",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("question", "Question"), ("concern", "Concern")],
                        default="question",
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("name", models.CharField(blank=True, max_length=100, verbose_name="your name")),
                ("body", models.TextField(max_length=4000, verbose_name="your question or concern")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("new", "New"),
                            ("answered", "Answered"),
                            ("closed", "Closed without answer"),
                        ],
                        default="new",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("answer", models.TextField(blank=True, max_length=20000, verbose_name="answer")),
                ("answered_at", models.DateTimeField(blank=True, null=True, verbose_name="answered")),
                ("published", models.BooleanField(default=False, verbose_name="answer published")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="asked")),
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
                    "answered_by",
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
                    "campaign",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.campaign",
                        verbose_name="campaign",
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
                "verbose_name": "historical public question",
                "verbose_name_plural": "historical public questions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalTransparencyReport",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "scope",
                    models.CharField(
                        choices=[("programme", "Programme"), ("project", "Project")],
                        max_length=10,
                        verbose_name="scope",
                    ),
                ),
                (
                    "period_kind",
                    models.CharField(
                        choices=[("month", "Month"), ("quarter", "Quarter"), ("year", "Year")],
                        max_length=8,
                        verbose_name="period",
                    ),
                ),
                ("period_start", models.DateField(verbose_name="from")),
                ("period_end", models.DateField(verbose_name="to")),
                ("language", models.CharField(default="en", max_length=10, verbose_name="language")),
                ("scheduled", models.BooleanField(default=False, verbose_name="scheduled")),
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
                    "document",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="empowerment.document",
                        verbose_name="PDF",
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
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical transparency report",
                "verbose_name_plural": "historical transparency reports",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalWorkReport",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("year", models.PositiveSmallIntegerField(db_index=True, verbose_name="year")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("published", "Published")],
                        default="draft",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("figures_taken_at", models.DateTimeField(verbose_name="figures taken at")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="created")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="published")),
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
                    "disclosure",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="transparency.disclosure",
                        verbose_name="disclosure",
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
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical annual work report",
                "verbose_name_plural": "historical annual work reports",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="OpenDataFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=60, verbose_name="name")),
                ("language", models.CharField(max_length=10, verbose_name="language")),
                ("file", models.FileField(max_length=200, upload_to="open-data/", verbose_name="file")),
                ("etag", models.CharField(max_length=80, verbose_name="ETag")),
                ("stamp", models.DateTimeField(blank=True, null=True, verbose_name="data changed at")),
                ("size", models.BigIntegerField(default=0, verbose_name="size in bytes")),
                ("built_at", models.DateTimeField(verbose_name="built at")),
                ("seconds", models.FloatField(default=0, verbose_name="seconds to build")),
            ],
            options={
                "verbose_name": "open-data file",
                "verbose_name_plural": "open-data files",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("name", "language"), name="open_data_file_once_per_language"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ProjectParts",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("language", models.CharField(max_length=10, verbose_name="language")),
                ("stamp", models.CharField(max_length=200, verbose_name="data stamp")),
                ("parts", models.JSONField(default=dict, verbose_name="parts as drawn")),
                ("drawn_at", models.DateTimeField(verbose_name="drawn at")),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
            ],
            options={
                "verbose_name": "project page parts",
                "verbose_name_plural": "project page parts",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("project", "language"), name="project_parts_once_per_language"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Question",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("question", "Question"), ("concern", "Concern")],
                        default="question",
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("name", models.CharField(blank=True, max_length=100, verbose_name="your name")),
                ("email", models.EmailField(max_length=254, verbose_name="your email")),
                ("body", models.TextField(max_length=4000, verbose_name="your question or concern")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("new", "New"),
                            ("answered", "Answered"),
                            ("closed", "Closed without answer"),
                        ],
                        default="new",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("answer", models.TextField(blank=True, max_length=20000, verbose_name="answer")),
                ("answered_at", models.DateTimeField(blank=True, null=True, verbose_name="answered")),
                ("published", models.BooleanField(default=False, verbose_name="answer published")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="asked")),
                (
                    "answered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "campaign",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="public_questions",
                        to="fundraising.campaign",
                        verbose_name="campaign",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="public_questions",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
            ],
            options={
                "verbose_name": "public question",
                "verbose_name_plural": "public questions",
                "ordering": ["-created_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("project__isnull", False), ("campaign__isnull", True)),
                            models.Q(("project__isnull", True), ("campaign__isnull", False)),
                            _connector="OR",
                        ),
                        name="question_one_target",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("published", False),
                            models.Q(("status", "answered"), models.Q(("answer", ""), _negated=True)),
                            _connector="OR",
                        ),
                        name="question_published_only_when_answered",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("body"), 4000
                        ),
                        name="transparency_question_body_len",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("answer"), 20000
                        ),
                        name="transparency_question_answer_len",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="TransparencyReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "scope",
                    models.CharField(
                        choices=[("programme", "Programme"), ("project", "Project")],
                        max_length=10,
                        verbose_name="scope",
                    ),
                ),
                (
                    "period_kind",
                    models.CharField(
                        choices=[("month", "Month"), ("quarter", "Quarter"), ("year", "Year")],
                        max_length=8,
                        verbose_name="period",
                    ),
                ),
                ("period_start", models.DateField(verbose_name="from")),
                ("period_end", models.DateField(verbose_name="to")),
                ("language", models.CharField(default="en", max_length=10, verbose_name="language")),
                ("scheduled", models.BooleanField(default=False, verbose_name="scheduled")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "document",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="transparency_report",
                        to="empowerment.document",
                        verbose_name="PDF",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="transparency_reports",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "transparency report",
                "verbose_name_plural": "transparency reports",
                "ordering": ["-period_start", "scope", "language"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("scope", "programme"), ("project__isnull", True)),
                            models.Q(("scope", "project"), ("project__isnull", False)),
                            _connector="OR",
                        ),
                        name="report_scope_matches_project",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("period_end__gte", models.F("period_start"))),
                        name="report_period_order",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("scope", "programme")),
                        fields=("period_kind", "period_start", "language"),
                        name="one_programme_report_per_period_and_language",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("scope", "project")),
                        fields=("project", "period_kind", "period_start", "language"),
                        name="one_project_report_per_period_and_language",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="WorkReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="year")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("published", "Published")],
                        default="draft",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("figures_taken_at", models.DateTimeField(verbose_name="figures taken at")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="published")),
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
                    "disclosure",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="work_report",
                        to="transparency.disclosure",
                        verbose_name="disclosure",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "annual work report",
                "verbose_name_plural": "annual work reports",
                "ordering": ["-year"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("year__gte", 2000), ("year__lte", 2100)),
                        name="work_report_year_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status", "draft"),
                            models.Q(
                                ("status", "published"),
                                ("published_at__isnull", False),
                                ("disclosure__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="work_report_published_recorded",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalWorkReportSection",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "key",
                    models.CharField(
                        choices=[
                            ("basic", "Basic information"),
                            ("training", "Training and capacity building"),
                            ("projects", "Community projects"),
                            ("money", "Income and spending"),
                            ("ratios", "Charitable-spending and management-cost ratios"),
                            ("disclosure", "Information disclosure"),
                        ],
                        max_length=12,
                        verbose_name="section",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("figures_taken_at", models.DateTimeField(verbose_name="figures taken at")),
                (
                    "narrative",
                    models.TextField(blank=True, max_length=20000, verbose_name="narrative (English)"),
                ),
                (
                    "narrative_zh",
                    models.TextField(blank=True, max_length=20000, verbose_name="narrative (Chinese)"),
                ),
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
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "updated_by",
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
                    "report",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="transparency.workreport",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical work report section",
                "verbose_name_plural": "historical work report sections",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="WorkReportSection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key",
                    models.CharField(
                        choices=[
                            ("basic", "Basic information"),
                            ("training", "Training and capacity building"),
                            ("projects", "Community projects"),
                            ("money", "Income and spending"),
                            ("ratios", "Charitable-spending and management-cost ratios"),
                            ("disclosure", "Information disclosure"),
                        ],
                        max_length=12,
                        verbose_name="section",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                ("figures", models.JSONField(default=dict, verbose_name="figures")),
                ("figures_taken_at", models.DateTimeField(verbose_name="figures taken at")),
                (
                    "narrative",
                    models.TextField(blank=True, max_length=20000, verbose_name="narrative (English)"),
                ),
                (
                    "narrative_zh",
                    models.TextField(blank=True, max_length=20000, verbose_name="narrative (Chinese)"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sections",
                        to="transparency.workreport",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "work report section",
                "verbose_name_plural": "work report sections",
                "ordering": ["report", "position"],
                "constraints": [
                    models.UniqueConstraint(fields=("report", "key"), name="one_work_report_section_per_key"),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("narrative"), 20000
                        ),
                        name="transparency_workreportsection_narrative_len",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("narrative_zh"), 20000
                        ),
                        name="transparency_workreportsection_narrative_zh_len",
                    ),
                ],
            },
        ),
    ]
