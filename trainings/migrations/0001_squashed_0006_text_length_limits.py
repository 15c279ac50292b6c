"""trainings 0001–0006 in one migration, for new databases: the models as the replaced chain left them, then
the database objects that chain made in SQL and the rows it seeded, by the replaced migrations' own
operations. A database that applied part of the chain finishes it with the replaced migrations, which stay
until every database has passed them."""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import trainings.models
from empowerment.migration_operations import replaced_operations


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("trainings", "0001_initial"),
        ("trainings", "0002_seed_modules_and_dimensions"),
        ("trainings", "0003_staff_screens_mentoring_capacity_enrolment"),
        ("trainings", "0004_seed_scale_levels"),
        ("trainings", "0005_cohort_modules"),
        ("trainings", "0006_text_length_limits"),
    ]

    dependencies = [
        ("empowerment", "0002_squashed_0007_topic_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("organizations", "0001_squashed_0005_public_texts_in_both_languages"),
    ]

    operations = [
        migrations.CreateModel(
            name="CapacityDimension",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=60, unique=True, verbose_name="key")),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                ("name_zh", models.CharField(blank=True, max_length=150, verbose_name="name in Chinese")),
                (
                    "description",
                    models.TextField(blank=True, max_length=20000, verbose_name="what a high score means"),
                ),
                ("scale_min", models.PositiveSmallIntegerField(default=1, verbose_name="lowest score")),
                ("scale_max", models.PositiveSmallIntegerField(default=5, verbose_name="highest score")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("active", models.BooleanField(default=True, verbose_name="in use")),
            ],
            options={
                "verbose_name": "capacity dimension",
                "verbose_name_plural": "capacity dimensions",
                "ordering": ["position", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("scale_max__gt", models.F("scale_min"))),
                        name="dimension_scale_ordered",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("description"), 20000
                        ),
                        name="trainings_capacitydimension_description_len",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Cohort",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True, verbose_name="name")),
                ("starts_on", models.DateField(verbose_name="starts on")),
                ("ends_on", models.DateField(verbose_name="ends on")),
                (
                    "min_attendance_percent",
                    models.PositiveSmallIntegerField(
                        default=80,
                        help_text="Share of the cohort's sessions a participant must attend (present or late).",
                        verbose_name="minimum attendance (%)",
                    ),
                ),
                (
                    "require_exercises",
                    models.BooleanField(
                        default=True,
                        help_text="The participant's organization must have each required exercise accepted.",
                        verbose_name="required exercises must be accepted",
                    ),
                ),
                ("description", models.TextField(blank=True, max_length=20000, verbose_name="description")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "city",
                    models.ForeignKey(
                        limit_choices_to={"level": 1},
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cohorts",
                        to="organizations.area",
                        verbose_name="city",
                    ),
                ),
                (
                    "organizations",
                    models.ManyToManyField(
                        blank=True,
                        related_name="cohorts",
                        to="organizations.organization",
                        verbose_name="organizations",
                    ),
                ),
            ],
            options={
                "verbose_name": "cohort",
                "verbose_name_plural": "cohorts",
                "ordering": ["-starts_on", "name"],
            },
        ),
        migrations.CreateModel(
            name="CapacityAssessment",
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
                        choices=[("baseline", "Baseline"), ("follow_up", "Follow-up")],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[("staff", "Staff assessment"), ("self", "Self-assessment")],
                        db_index=True,
                        default="staff",
                        max_length=10,
                        verbose_name="scored by",
                    ),
                ),
                (
                    "assessed_on",
                    models.DateField(default=django.utils.timezone.localdate, verbose_name="date"),
                ),
                ("notes", models.TextField(blank=True, max_length=20000, verbose_name="notes")),
                (
                    "assessor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assessor",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="capacity_assessments",
                        to="organizations.organization",
                        verbose_name="organization",
                    ),
                ),
                (
                    "cohort",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="assessments",
                        to="trainings.cohort",
                        verbose_name="cohort",
                    ),
                ),
            ],
            options={
                "verbose_name": "capacity assessment",
                "verbose_name_plural": "capacity assessments",
                "ordering": ["organization", "assessed_on"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["baseline", "follow_up"])),
                        name="assessment_kind_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("source__in", ["staff", "self"])), name="assessment_source_valid"
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("notes"), 20000
                        ),
                        name="trainings_capacityassessment_notes_len",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Enrolment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "enrolled_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="enrolled"),
                ),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True, verbose_name="withdrawn")),
                (
                    "withdrawn_reason",
                    models.CharField(blank=True, max_length=255, verbose_name="reason for withdrawing"),
                ),
                (
                    "cohort",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="enrolments",
                        to="trainings.cohort",
                        verbose_name="cohort",
                    ),
                ),
            ],
            options={
                "verbose_name": "enrolment",
                "verbose_name_plural": "enrolments",
                "ordering": ["participant__organization__name", "participant__name"],
            },
        ),
        migrations.CreateModel(
            name="Certificate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("issued_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="issued")),
                (
                    "language",
                    models.CharField(
                        choices=[("en", "English"), ("zh-hans", "Simplified Chinese")],
                        default="zh-hans",
                        max_length=10,
                        verbose_name="language",
                    ),
                ),
                (
                    "verification_code",
                    models.CharField(
                        default=trainings.models._certificate_code,
                        editable=False,
                        max_length=20,
                        unique=True,
                        verbose_name="verification code",
                    ),
                ),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked")),
                (
                    "revoked_reason",
                    models.TextField(blank=True, max_length=20000, verbose_name="reason for revoking"),
                ),
                (
                    "document",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="empowerment.document",
                        verbose_name="PDF",
                    ),
                ),
                (
                    "issued_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "enrolment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="certificates",
                        to="trainings.enrolment",
                        verbose_name="enrolment",
                    ),
                ),
            ],
            options={
                "verbose_name": "certificate",
                "verbose_name_plural": "certificates",
                "ordering": ["-issued_at"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("revoked_at__isnull", True)),
                        fields=("enrolment",),
                        name="one_valid_certificate_per_enrolment",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("revoked_at__isnull", True),
                            models.Q(("revoked_reason", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="certificate_revocation_has_reason",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("revoked_reason"), 20000
                        ),
                        name="trainings_certificate_revoked_reason_len",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Exercise",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("instructions", models.TextField(max_length=20000, verbose_name="instructions")),
                ("due_on", models.DateField(verbose_name="due on")),
                ("required", models.BooleanField(default=True, verbose_name="required for completion")),
                (
                    "cohort",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exercises",
                        to="trainings.cohort",
                        verbose_name="cohort",
                    ),
                ),
            ],
            options={
                "verbose_name": "exercise",
                "verbose_name_plural": "exercises",
                "ordering": ["due_on", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCapacityAssessment",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("baseline", "Baseline"), ("follow_up", "Follow-up")],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[("staff", "Staff assessment"), ("self", "Self-assessment")],
                        db_index=True,
                        default="staff",
                        max_length=10,
                        verbose_name="scored by",
                    ),
                ),
                (
                    "assessed_on",
                    models.DateField(default=django.utils.timezone.localdate, verbose_name="date"),
                ),
                ("notes", models.TextField(blank=True, max_length=20000, verbose_name="notes")),
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
                    "assessor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assessor",
                    ),
                ),
                (
                    "cohort",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.cohort",
                        verbose_name="cohort",
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
                "verbose_name": "historical capacity assessment",
                "verbose_name_plural": "historical capacity assessments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCapacityDimension",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("slug", models.SlugField(max_length=60, verbose_name="key")),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                ("name_zh", models.CharField(blank=True, max_length=150, verbose_name="name in Chinese")),
                (
                    "description",
                    models.TextField(blank=True, max_length=20000, verbose_name="what a high score means"),
                ),
                ("scale_min", models.PositiveSmallIntegerField(default=1, verbose_name="lowest score")),
                ("scale_max", models.PositiveSmallIntegerField(default=5, verbose_name="highest score")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("active", models.BooleanField(default=True, verbose_name="in use")),
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
                "verbose_name": "historical capacity dimension",
                "verbose_name_plural": "historical capacity dimensions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCapacityScore",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("score", models.PositiveSmallIntegerField(verbose_name="score")),
                ("scale_min", models.PositiveSmallIntegerField(editable=False, verbose_name="lowest score")),
                ("scale_max", models.PositiveSmallIntegerField(editable=False, verbose_name="highest score")),
                ("evidence", models.TextField(blank=True, max_length=20000, verbose_name="evidence")),
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
                    "assessment",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.capacityassessment",
                        verbose_name="assessment",
                    ),
                ),
                (
                    "dimension",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.capacitydimension",
                        verbose_name="dimension",
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
                "verbose_name": "historical capacity score",
                "verbose_name_plural": "historical capacity scores",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCertificate",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("issued_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="issued")),
                (
                    "language",
                    models.CharField(
                        choices=[("en", "English"), ("zh-hans", "Simplified Chinese")],
                        default="zh-hans",
                        max_length=10,
                        verbose_name="language",
                    ),
                ),
                (
                    "verification_code",
                    models.CharField(
                        db_index=True,
                        default=trainings.models._certificate_code,
                        editable=False,
                        max_length=20,
                        verbose_name="verification code",
                    ),
                ),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked")),
                (
                    "revoked_reason",
                    models.TextField(blank=True, max_length=20000, verbose_name="reason for revoking"),
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
                    "enrolment",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.enrolment",
                        verbose_name="enrolment",
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
                    "issued_by",
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
                "verbose_name": "historical certificate",
                "verbose_name_plural": "historical certificates",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCohort",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name", models.CharField(db_index=True, max_length=200, verbose_name="name")),
                ("starts_on", models.DateField(verbose_name="starts on")),
                ("ends_on", models.DateField(verbose_name="ends on")),
                (
                    "min_attendance_percent",
                    models.PositiveSmallIntegerField(
                        default=80,
                        help_text="Share of the cohort's sessions a participant must attend (present or late).",
                        verbose_name="minimum attendance (%)",
                    ),
                ),
                (
                    "require_exercises",
                    models.BooleanField(
                        default=True,
                        help_text="The participant's organization must have each required exercise accepted.",
                        verbose_name="required exercises must be accepted",
                    ),
                ),
                ("description", models.TextField(blank=True, max_length=20000, verbose_name="description")),
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
                    "city",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        limit_choices_to={"level": 1},
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.area",
                        verbose_name="city",
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
                "verbose_name": "historical cohort",
                "verbose_name_plural": "historical cohorts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalMentorAssignment",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "assigned_on",
                    models.DateField(default=django.utils.timezone.localdate, verbose_name="assigned on"),
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
                    "mentor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        limit_choices_to={"is_staff": True},
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="mentor",
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
                "verbose_name": "historical mentor assignment",
                "verbose_name_plural": "historical mentor assignments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalMentoringVisit",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("date", models.DateField(default=django.utils.timezone.localdate, verbose_name="date")),
                (
                    "mode",
                    models.CharField(
                        choices=[("visit", "Visit"), ("call", "Phone call"), ("online", "Online meeting")],
                        default="visit",
                        max_length=10,
                        verbose_name="mode",
                    ),
                ),
                ("topics", models.CharField(max_length=255, verbose_name="topics")),
                ("notes", models.TextField(blank=True, max_length=20000, verbose_name="notes")),
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
                    "cohort",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.cohort",
                        verbose_name="cohort",
                    ),
                ),
                (
                    "expert",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        limit_choices_to={"is_staff": True},
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="expert",
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
                "verbose_name": "historical mentoring visit",
                "verbose_name_plural": "historical mentoring visits",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalModule",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("slug", models.SlugField(max_length=60, verbose_name="key")),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                ("name_zh", models.CharField(blank=True, max_length=150, verbose_name="name in Chinese")),
                ("description", models.TextField(blank=True, max_length=20000, verbose_name="description")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
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
                "verbose_name": "historical course module",
                "verbose_name_plural": "historical course modules",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalParticipant",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("title", models.CharField(blank=True, max_length=100, verbose_name="role or title")),
                ("phone", models.CharField(blank=True, max_length=30, verbose_name="phone")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="email")),
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
                "verbose_name": "historical participant",
                "verbose_name_plural": "historical participants",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalScaleLevel",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("score", models.PositiveSmallIntegerField(verbose_name="score")),
                ("description", models.CharField(max_length=255, verbose_name="description")),
                (
                    "description_zh",
                    models.CharField(blank=True, max_length=255, verbose_name="description in Chinese"),
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
                    "dimension",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.capacitydimension",
                        verbose_name="dimension",
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
                "verbose_name": "historical scale level",
                "verbose_name_plural": "historical scale levels",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalSubmission",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("file", models.TextField(max_length=100, verbose_name="file")),
                ("note", models.TextField(blank=True, max_length=20000, verbose_name="note to the trainer")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted"),
                            ("accepted", "Accepted"),
                            ("returned", "Returned for changes"),
                        ],
                        default="submitted",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "submitted_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="submitted"),
                ),
                ("feedback", models.TextField(blank=True, max_length=20000, verbose_name="trainer feedback")),
                ("reviewed_at", models.DateTimeField(blank=True, null=True, verbose_name="reviewed")),
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
                    "exercise",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.exercise",
                        verbose_name="exercise",
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
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reviewed by",
                    ),
                ),
                (
                    "submitted_by",
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
                "verbose_name": "historical submission",
                "verbose_name_plural": "historical submissions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="MentorAssignment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "assigned_on",
                    models.DateField(default=django.utils.timezone.localdate, verbose_name="assigned on"),
                ),
                (
                    "mentor",
                    models.ForeignKey(
                        limit_choices_to={"is_staff": True},
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="mentor_assignments",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="mentor",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mentor_assignments",
                        to="organizations.organization",
                        verbose_name="organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "mentor assignment",
                "verbose_name_plural": "mentor assignments",
                "ordering": ["organization__name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("mentor", "organization"), name="one_assignment_per_mentor_and_org"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="MentoringVisit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(default=django.utils.timezone.localdate, verbose_name="date")),
                (
                    "mode",
                    models.CharField(
                        choices=[("visit", "Visit"), ("call", "Phone call"), ("online", "Online meeting")],
                        default="visit",
                        max_length=10,
                        verbose_name="mode",
                    ),
                ),
                ("topics", models.CharField(max_length=255, verbose_name="topics")),
                ("notes", models.TextField(blank=True, max_length=20000, verbose_name="notes")),
                (
                    "cohort",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="visits",
                        to="trainings.cohort",
                        verbose_name="cohort",
                    ),
                ),
                (
                    "expert",
                    models.ForeignKey(
                        limit_choices_to={"is_staff": True},
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="mentoring_visits",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="expert",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mentoring_visits",
                        to="organizations.organization",
                        verbose_name="organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "mentoring visit",
                "verbose_name_plural": "mentoring visits",
                "ordering": ["-date", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("mode__in", ["visit", "call", "online"])),
                        name="mentoring_mode_valid",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("notes"), 20000
                        ),
                        name="trainings_mentoringvisit_notes_len",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAgreedAction",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("text", models.CharField(max_length=255, verbose_name="action")),
                (
                    "owner",
                    models.CharField(
                        blank=True,
                        help_text="Who sees that it is done (a name or role).",
                        max_length=100,
                        verbose_name="owner",
                    ),
                ),
                ("due_on", models.DateField(verbose_name="due on")),
                ("done_at", models.DateTimeField(blank=True, null=True, verbose_name="done")),
                (
                    "reply",
                    models.TextField(blank=True, max_length=20000, verbose_name="organization's answer"),
                ),
                ("replied_at", models.DateTimeField(blank=True, null=True, verbose_name="answered")),
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
                    "replied_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="answered by",
                    ),
                ),
                (
                    "visit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.mentoringvisit",
                        verbose_name="mentoring visit",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical agreed action",
                "verbose_name_plural": "historical agreed actions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="AgreedAction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.CharField(max_length=255, verbose_name="action")),
                (
                    "owner",
                    models.CharField(
                        blank=True,
                        help_text="Who sees that it is done (a name or role).",
                        max_length=100,
                        verbose_name="owner",
                    ),
                ),
                ("due_on", models.DateField(verbose_name="due on")),
                ("done_at", models.DateTimeField(blank=True, null=True, verbose_name="done")),
                (
                    "reply",
                    models.TextField(blank=True, max_length=20000, verbose_name="organization's answer"),
                ),
                ("replied_at", models.DateTimeField(blank=True, null=True, verbose_name="answered")),
                (
                    "replied_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="answered by",
                    ),
                ),
                (
                    "visit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="actions",
                        to="trainings.mentoringvisit",
                        verbose_name="mentoring visit",
                    ),
                ),
            ],
            options={
                "verbose_name": "agreed action",
                "verbose_name_plural": "agreed actions",
                "ordering": ["due_on", "pk"],
                "indexes": [
                    models.Index(fields=["done_at", "due_on"], name="trainings_a_done_at_1605c0_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("reply"), 20000
                        ),
                        name="trainings_agreedaction_reply_len",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Module",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=60, unique=True, verbose_name="key")),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                ("name_zh", models.CharField(blank=True, max_length=150, verbose_name="name in Chinese")),
                ("description", models.TextField(blank=True, max_length=20000, verbose_name="description")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
            ],
            options={
                "verbose_name": "course module",
                "verbose_name_plural": "course modules",
                "ordering": ["position", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("description"), 20000
                        ),
                        name="trainings_module_description_len",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalSession",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("title", models.CharField(blank=True, max_length=200, verbose_name="title")),
                ("starts_at", models.DateTimeField(verbose_name="starts at")),
                ("ends_at", models.DateTimeField(verbose_name="ends at")),
                ("venue", models.CharField(blank=True, max_length=255, verbose_name="venue")),
                ("online_url", models.URLField(blank=True, verbose_name="online link")),
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
                    "cohort",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.cohort",
                        verbose_name="cohort",
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
                    "module",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.module",
                        verbose_name="module",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical session",
                "verbose_name_plural": "historical sessions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalExercise",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("instructions", models.TextField(max_length=20000, verbose_name="instructions")),
                ("due_on", models.DateField(verbose_name="due on")),
                ("required", models.BooleanField(default=True, verbose_name="required for completion")),
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
                    "cohort",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.cohort",
                        verbose_name="cohort",
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
                    "module",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.module",
                        verbose_name="module",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical exercise",
                "verbose_name_plural": "historical exercises",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="exercise",
            name="module",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="trainings.module",
                verbose_name="module",
            ),
        ),
        migrations.AddField(
            model_name="cohort",
            name="modules",
            field=models.ManyToManyField(
                blank=True,
                help_text="The course modules this cohort teaches; its sessions are scheduled on them.",
                related_name="cohorts",
                to="trainings.module",
                verbose_name="modules",
            ),
        ),
        migrations.CreateModel(
            name="Participant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("title", models.CharField(blank=True, max_length=100, verbose_name="role or title")),
                ("phone", models.CharField(blank=True, max_length=30, verbose_name="phone")),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="email")),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="participants",
                        to="organizations.organization",
                        verbose_name="organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "participant",
                "verbose_name_plural": "participants",
                "ordering": ["organization__name", "name"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalEnrolment",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "enrolled_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="enrolled"),
                ),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True, verbose_name="withdrawn")),
                (
                    "withdrawn_reason",
                    models.CharField(blank=True, max_length=255, verbose_name="reason for withdrawing"),
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
                    "cohort",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.cohort",
                        verbose_name="cohort",
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
                    "participant",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.participant",
                        verbose_name="participant",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical enrolment",
                "verbose_name_plural": "historical enrolments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="enrolment",
            name="participant",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="enrolments",
                to="trainings.participant",
                verbose_name="participant",
            ),
        ),
        migrations.CreateModel(
            name="ScaleLevel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("score", models.PositiveSmallIntegerField(verbose_name="score")),
                ("description", models.CharField(max_length=255, verbose_name="description")),
                (
                    "description_zh",
                    models.CharField(blank=True, max_length=255, verbose_name="description in Chinese"),
                ),
                (
                    "dimension",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="levels",
                        to="trainings.capacitydimension",
                        verbose_name="dimension",
                    ),
                ),
            ],
            options={
                "verbose_name": "scale level",
                "verbose_name_plural": "scale levels",
                "ordering": ["dimension", "score"],
                "constraints": [
                    models.UniqueConstraint(fields=("dimension", "score"), name="one_description_per_level")
                ],
            },
        ),
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(blank=True, max_length=200, verbose_name="title")),
                ("starts_at", models.DateTimeField(verbose_name="starts at")),
                ("ends_at", models.DateTimeField(verbose_name="ends at")),
                ("venue", models.CharField(blank=True, max_length=255, verbose_name="venue")),
                ("online_url", models.URLField(blank=True, verbose_name="online link")),
                (
                    "cohort",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sessions",
                        to="trainings.cohort",
                        verbose_name="cohort",
                    ),
                ),
                (
                    "module",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sessions",
                        to="trainings.module",
                        verbose_name="module",
                    ),
                ),
                (
                    "trainers",
                    models.ManyToManyField(
                        blank=True,
                        limit_choices_to={"is_staff": True},
                        related_name="training_sessions",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="trainers",
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "ordering": ["starts_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                        name="session_ends_after_start",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("venue", ""), _negated=True),
                            models.Q(("online_url", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="session_has_venue_or_link",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalAttendance",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("present", "Present"),
                            ("late", "Late"),
                            ("absent", "Absent"),
                            ("excused", "Excused"),
                        ],
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="recorded"),
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
                    "enrolment",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.enrolment",
                        verbose_name="enrolment",
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
                    "recorded_by",
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
                    "session",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="trainings.session",
                        verbose_name="session",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical attendance",
                "verbose_name_plural": "historical attendance",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Attendance",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("present", "Present"),
                            ("late", "Late"),
                            ("absent", "Absent"),
                            ("excused", "Excused"),
                        ],
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "recorded_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="recorded"),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "enrolment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendances",
                        to="trainings.enrolment",
                        verbose_name="enrolment",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendances",
                        to="trainings.session",
                        verbose_name="session",
                    ),
                ),
            ],
            options={
                "verbose_name": "attendance",
                "verbose_name_plural": "attendance",
                "ordering": ["session", "enrolment"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("session", "enrolment"), name="one_attendance_per_session_and_enrolment"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["present", "late", "absent", "excused"])),
                        name="attendance_status_valid",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Submission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(upload_to=trainings.models.submission_upload_to, verbose_name="file"),
                ),
                ("note", models.TextField(blank=True, max_length=20000, verbose_name="note to the trainer")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted"),
                            ("accepted", "Accepted"),
                            ("returned", "Returned for changes"),
                        ],
                        default="submitted",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "submitted_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="submitted"),
                ),
                ("feedback", models.TextField(blank=True, max_length=20000, verbose_name="trainer feedback")),
                ("reviewed_at", models.DateTimeField(blank=True, null=True, verbose_name="reviewed")),
                (
                    "exercise",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="submissions",
                        to="trainings.exercise",
                        verbose_name="exercise",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exercise_submissions",
                        to="organizations.organization",
                        verbose_name="organization",
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
                        verbose_name="reviewed by",
                    ),
                ),
                (
                    "submitted_by",
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
                "verbose_name": "submission",
                "verbose_name_plural": "submissions",
                "ordering": ["submitted_at"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("exercise", "organization"), name="one_submission_per_exercise_and_org"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["submitted", "accepted", "returned"])),
                        name="submission_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status", "submitted"), ("reviewed_at__isnull", False), _connector="OR"
                        ),
                        name="submission_review_dated",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("note"), 20000
                        ),
                        name="trainings_submission_note_len",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("feedback"), 20000
                        ),
                        name="trainings_submission_feedback_len",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="CapacityScore",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("score", models.PositiveSmallIntegerField(verbose_name="score")),
                ("scale_min", models.PositiveSmallIntegerField(editable=False, verbose_name="lowest score")),
                ("scale_max", models.PositiveSmallIntegerField(editable=False, verbose_name="highest score")),
                ("evidence", models.TextField(blank=True, max_length=20000, verbose_name="evidence")),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scores",
                        to="trainings.capacityassessment",
                        verbose_name="assessment",
                    ),
                ),
                (
                    "dimension",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="scores",
                        to="trainings.capacitydimension",
                        verbose_name="dimension",
                    ),
                ),
            ],
            options={
                "verbose_name": "capacity score",
                "verbose_name_plural": "capacity scores",
                "ordering": ["dimension__position", "dimension_id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("assessment", "dimension"), name="one_score_per_dimension"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("score__gte", models.F("scale_min")), ("score__lte", models.F("scale_max"))
                        ),
                        name="score_within_scale",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("evidence"), 20000
                        ),
                        name="trainings_capacityscore_evidence_len",
                    ),
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="exercise",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("instructions"), 20000
                ),
                name="trainings_exercise_instructions_len",
            ),
        ),
        migrations.AddConstraint(
            model_name="cohort",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_on__gte", models.F("starts_on"))), name="cohort_ends_after_start"
            ),
        ),
        migrations.AddConstraint(
            model_name="cohort",
            constraint=models.CheckConstraint(
                condition=models.Q(("min_attendance_percent__gte", 0), ("min_attendance_percent__lte", 100)),
                name="cohort_attendance_percent_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="cohort",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("description"), 20000
                ),
                name="trainings_cohort_description_len",
            ),
        ),
        migrations.AddConstraint(
            model_name="enrolment",
            constraint=models.UniqueConstraint(
                fields=("cohort", "participant"), name="one_enrolment_per_person_and_cohort"
            ),
        ),
        migrations.AddConstraint(
            model_name="enrolment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("withdrawn_at__isnull", True),
                    models.Q(("withdrawn_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="enrolment_withdrawal_has_reason",
            ),
        ),
        *replaced_operations("trainings", "0002_seed_modules_and_dimensions"),
        *replaced_operations("trainings", "0004_seed_scale_levels"),
    ]
