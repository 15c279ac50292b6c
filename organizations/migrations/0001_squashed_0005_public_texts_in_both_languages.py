"""organizations 0001–0005 in one migration, for new databases: the models as the replaced chain left them,
then the database objects that chain made in SQL and the rows it seeded, by the replaced migrations' own
operations. A database that applied part of the chain finishes it with the replaced migrations, which stay
until every database has passed them."""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from empowerment.migration_operations import OnPostgreSQLOnlyDatabaseOperations

import organizations.credit_code
import organizations.models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("organizations", "0001_initial"),
        ("organizations", "0002_due_diligence_review_and_volunteer_rate"),
        ("organizations", "0003_application_answers_stay_private"),
        ("organizations", "0004_text_length_limits"),
        ("organizations", "0005_public_texts_in_both_languages"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Theme",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(unique=True, verbose_name="key")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("name_en", models.CharField(max_length=100, null=True, verbose_name="name")),
                ("name_zh_hans", models.CharField(max_length=100, null=True, verbose_name="name")),
            ],
            options={
                "verbose_name": "theme",
                "verbose_name_plural": "themes",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="Volunteer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("phone", models.CharField(blank=True, max_length=30, verbose_name="phone")),
                ("skills", models.CharField(blank=True, max_length=255, verbose_name="skills")),
                (
                    "joined_on",
                    models.DateField(default=django.utils.timezone.localdate, verbose_name="joined on"),
                ),
                ("active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "volunteer",
                "verbose_name_plural": "volunteers",
                "ordering": ["team", "name"],
            },
        ),
        migrations.CreateModel(
            name="Area",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("name_en", models.CharField(blank=True, max_length=100, verbose_name="name in English")),
                ("code", models.CharField(max_length=12, unique=True, verbose_name="division code")),
                (
                    "level",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "League / city"),
                            (2, "Banner / county / district"),
                            (3, "Town / sub-district"),
                            (4, "Community / village"),
                        ],
                        verbose_name="level",
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="organizations.area",
                        verbose_name="parent",
                    ),
                ),
            ],
            options={
                "verbose_name": "area",
                "verbose_name_plural": "areas",
                "ordering": ["code"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("level__gte", 1), ("level__lte", 4)), name="area_level_range"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("level", 1), ("parent__isnull", True)),
                            models.Q(("level__gt", 1), ("parent__isnull", False)),
                            _connector="OR",
                        ),
                        name="area_parent_matches_level",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalArea",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("name_en", models.CharField(blank=True, max_length=100, verbose_name="name in English")),
                ("code", models.CharField(db_index=True, max_length=12, verbose_name="division code")),
                (
                    "level",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "League / city"),
                            (2, "Banner / county / district"),
                            (3, "Town / sub-district"),
                            (4, "Community / village"),
                        ],
                        verbose_name="level",
                    ),
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
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.area",
                        verbose_name="parent",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical area",
                "verbose_name_plural": "historical areas",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalOrganization",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name", models.CharField(db_index=True, max_length=200, verbose_name="name")),
                ("name_en", models.CharField(db_index=True, max_length=200, null=True, verbose_name="name")),
                (
                    "name_zh_hans",
                    models.CharField(db_index=True, max_length=200, null=True, verbose_name="name"),
                ),
                ("slug", models.SlugField(max_length=80, verbose_name="web address")),
                (
                    "legal_form",
                    models.CharField(
                        choices=[
                            ("social_group", "Social group"),
                            ("social_service", "Social service organization"),
                            ("foundation", "Foundation"),
                            ("unregistered", "Unregistered community group"),
                        ],
                        max_length=20,
                        verbose_name="legal form",
                    ),
                ),
                (
                    "credit_code",
                    models.CharField(
                        blank=True,
                        db_index=True,
                        help_text="18 characters, on the registration certificate. Leave empty for an unregistered group.",
                        max_length=18,
                        null=True,
                        validators=[organizations.credit_code.validate_credit_code],
                        verbose_name="unified social credit code",
                    ),
                ),
                (
                    "registration_date",
                    models.DateField(blank=True, null=True, verbose_name="registration date"),
                ),
                ("address", models.CharField(blank=True, max_length=255, verbose_name="address")),
                ("description", models.TextField(blank=True, max_length=20000, verbose_name="description")),
                (
                    "description_en",
                    models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
                ),
                (
                    "description_zh_hans",
                    models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
                ),
                ("staff_count", models.PositiveIntegerField(default=0, verbose_name="paid staff")),
                ("volunteer_count", models.PositiveIntegerField(default=0, verbose_name="volunteers")),
                ("contact_name", models.CharField(blank=True, max_length=100, verbose_name="contact person")),
                ("contact_phone", models.CharField(blank=True, max_length=30, verbose_name="contact phone")),
                (
                    "contact_email",
                    models.EmailField(blank=True, max_length=254, verbose_name="contact email"),
                ),
                ("website", models.URLField(blank=True, verbose_name="website")),
                ("logo", models.TextField(blank=True, max_length=100, verbose_name="logo")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("applicant", "Applicant"),
                            ("active", "Active"),
                            ("graduated", "Graduated"),
                            ("suspended", "Suspended"),
                        ],
                        default="applicant",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("joined_on", models.DateField(blank=True, null=True, verbose_name="joined the programme")),
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
                    "area",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.area",
                        verbose_name="area",
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
                "verbose_name": "historical organization",
                "verbose_name_plural": "historical organizations",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPartner",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name", models.CharField(db_index=True, max_length=200, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("government", "Government department"),
                            ("enterprise", "Enterprise"),
                            ("foundation", "Foundation"),
                            ("social_group", "Social organization"),
                            ("community", "Community committee"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("contact_name", models.CharField(blank=True, max_length=100, verbose_name="contact person")),
                ("contact_phone", models.CharField(blank=True, max_length=30, verbose_name="contact phone")),
                (
                    "contact_email",
                    models.EmailField(blank=True, max_length=254, verbose_name="contact email"),
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
                    "area",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.area",
                        verbose_name="area",
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
                "verbose_name": "historical partner",
                "verbose_name_plural": "historical partners",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalVolunteerHourRate",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("valid_from", models.DateField(db_index=True, verbose_name="valid from")),
                (
                    "yuan_per_hour",
                    models.DecimalField(decimal_places=2, max_digits=14, verbose_name="yuan per hour"),
                ),
                (
                    "basis",
                    models.CharField(
                        help_text="Where the rate comes from, e.g. the local minimum hourly wage.",
                        max_length=255,
                        verbose_name="basis of the rate",
                    ),
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
            ],
            options={
                "verbose_name": "historical volunteer hour valuation",
                "verbose_name_plural": "historical volunteer hour valuations",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Organization",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True, verbose_name="name")),
                ("name_en", models.CharField(max_length=200, null=True, unique=True, verbose_name="name")),
                (
                    "name_zh_hans",
                    models.CharField(max_length=200, null=True, unique=True, verbose_name="name"),
                ),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="web address")),
                (
                    "legal_form",
                    models.CharField(
                        choices=[
                            ("social_group", "Social group"),
                            ("social_service", "Social service organization"),
                            ("foundation", "Foundation"),
                            ("unregistered", "Unregistered community group"),
                        ],
                        max_length=20,
                        verbose_name="legal form",
                    ),
                ),
                (
                    "credit_code",
                    models.CharField(
                        blank=True,
                        help_text="18 characters, on the registration certificate. Leave empty for an unregistered group.",
                        max_length=18,
                        null=True,
                        unique=True,
                        validators=[organizations.credit_code.validate_credit_code],
                        verbose_name="unified social credit code",
                    ),
                ),
                (
                    "registration_date",
                    models.DateField(blank=True, null=True, verbose_name="registration date"),
                ),
                ("address", models.CharField(blank=True, max_length=255, verbose_name="address")),
                ("description", models.TextField(blank=True, max_length=20000, verbose_name="description")),
                (
                    "description_en",
                    models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
                ),
                (
                    "description_zh_hans",
                    models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
                ),
                ("staff_count", models.PositiveIntegerField(default=0, verbose_name="paid staff")),
                ("volunteer_count", models.PositiveIntegerField(default=0, verbose_name="volunteers")),
                ("contact_name", models.CharField(blank=True, max_length=100, verbose_name="contact person")),
                ("contact_phone", models.CharField(blank=True, max_length=30, verbose_name="contact phone")),
                (
                    "contact_email",
                    models.EmailField(blank=True, max_length=254, verbose_name="contact email"),
                ),
                ("website", models.URLField(blank=True, verbose_name="website")),
                (
                    "logo",
                    models.ImageField(
                        blank=True, upload_to=organizations.models.logo_upload_to, verbose_name="logo"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("applicant", "Applicant"),
                            ("active", "Active"),
                            ("graduated", "Graduated"),
                            ("suspended", "Suspended"),
                        ],
                        default="applicant",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("joined_on", models.DateField(blank=True, null=True, verbose_name="joined the programme")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "area",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="organizations",
                        to="organizations.area",
                        verbose_name="area",
                    ),
                ),
                (
                    "themes",
                    models.ManyToManyField(
                        blank=True, to="organizations.theme", verbose_name="themes served"
                    ),
                ),
            ],
            options={
                "verbose_name": "organization",
                "verbose_name_plural": "organizations",
                "ordering": ["name"],
                "indexes": [models.Index(fields=["status", "area"], name="organizatio_status_72a0a4_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("legal_form", "unregistered"), ("credit_code__isnull", False), _connector="OR"
                        ),
                        name="org_registered_has_credit_code",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["applicant", "active", "graduated", "suspended"])),
                        name="org_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("description"), 20000
                        ),
                        name="organizations_organization_description_len",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("description_en"), 20000
                        ),
                        name="organizations_organization_description_en_len",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("description_zh_hans"), 20000
                        ),
                        name="organizations_organization_description_zh_hans_len",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[("admin", "Administrator"), ("editor", "Editor"), ("viewer", "Viewer")],
                        default="viewer",
                        max_length=10,
                        verbose_name="role",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="member since")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="organizations.organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "membership",
                "verbose_name_plural": "memberships",
                "ordering": ["organization", "user__email"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organization", "user"), name="one_membership_per_user_and_org"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("role__in", ["admin", "editor", "viewer"])),
                        name="membership_role_valid",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Invitation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("email", models.EmailField(max_length=254, verbose_name="email address")),
                (
                    "role",
                    models.CharField(
                        choices=[("admin", "Administrator"), ("editor", "Editor"), ("viewer", "Viewer")],
                        default="editor",
                        max_length=10,
                        verbose_name="role",
                    ),
                ),
                (
                    "token",
                    models.CharField(
                        default=organizations.models._invitation_token,
                        editable=False,
                        max_length=64,
                        unique=True,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="sent")),
                (
                    "expires_at",
                    models.DateTimeField(
                        default=organizations.models._invitation_expiry, verbose_name="expires"
                    ),
                ),
                ("accepted_at", models.DateTimeField(blank=True, null=True, verbose_name="accepted")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked")),
                (
                    "accepted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "invited_by",
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
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitations",
                        to="organizations.organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "invitation",
                "verbose_name_plural": "invitations",
                "ordering": ["-created_at"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("accepted_at__isnull", True), ("revoked_at__isnull", True)),
                        fields=("organization", "email"),
                        name="one_open_invitation_per_email_and_org",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalVolunteerTeam",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("leader_name", models.CharField(blank=True, max_length=100, verbose_name="team leader")),
                ("founded_on", models.DateField(blank=True, null=True, verbose_name="founded on")),
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
                    "area",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.area",
                        verbose_name="area",
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
                    ),
                ),
            ],
            options={
                "verbose_name": "historical volunteer team",
                "verbose_name_plural": "historical volunteer teams",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalProgrammeApplication",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name", models.CharField(max_length=200, verbose_name="organization name")),
                (
                    "legal_form",
                    models.CharField(
                        choices=[
                            ("social_group", "Social group"),
                            ("social_service", "Social service organization"),
                            ("foundation", "Foundation"),
                            ("unregistered", "Unregistered community group"),
                        ],
                        max_length=20,
                        verbose_name="legal form",
                    ),
                ),
                (
                    "credit_code",
                    models.CharField(
                        blank=True,
                        max_length=18,
                        validators=[organizations.credit_code.validate_credit_code],
                        verbose_name="unified social credit code",
                    ),
                ),
                (
                    "registration_date",
                    models.DateField(blank=True, null=True, verbose_name="registration date"),
                ),
                ("address", models.CharField(blank=True, max_length=255, verbose_name="address")),
                ("staff_count", models.PositiveIntegerField(default=0, verbose_name="paid staff")),
                ("volunteer_count", models.PositiveIntegerField(default=0, verbose_name="volunteers")),
                ("contact_name", models.CharField(max_length=100, verbose_name="your name")),
                ("contact_email", models.EmailField(max_length=254, verbose_name="your email")),
                ("contact_phone", models.CharField(blank=True, max_length=30, verbose_name="your phone")),
                (
                    "motivation",
                    models.TextField(max_length=20000, verbose_name="why do you want to join the programme?"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                        ],
                        default="submitted",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("submitted_at", models.DateTimeField(blank=True, editable=False, verbose_name="submitted")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                (
                    "decision_note",
                    models.TextField(blank=True, max_length=20000, verbose_name="decision note"),
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
                    "area",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.area",
                        verbose_name="area",
                    ),
                ),
                (
                    "decided_by",
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
                    ),
                ),
            ],
            options={
                "verbose_name": "historical programme application",
                "verbose_name_plural": "historical programme applications",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalMembership",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[("admin", "Administrator"), ("editor", "Editor"), ("viewer", "Viewer")],
                        default="viewer",
                        max_length=10,
                        verbose_name="role",
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="member since")),
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
                    "user",
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
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical membership",
                "verbose_name_plural": "historical memberships",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalInvitation",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("email", models.EmailField(max_length=254, verbose_name="email address")),
                (
                    "role",
                    models.CharField(
                        choices=[("admin", "Administrator"), ("editor", "Editor"), ("viewer", "Viewer")],
                        default="editor",
                        max_length=10,
                        verbose_name="role",
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="sent")),
                (
                    "expires_at",
                    models.DateTimeField(
                        default=organizations.models._invitation_expiry, verbose_name="expires"
                    ),
                ),
                ("accepted_at", models.DateTimeField(blank=True, null=True, verbose_name="accepted")),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked")),
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
                    "accepted_by",
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
                    "invited_by",
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
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical invitation",
                "verbose_name_plural": "historical invitations",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDueDiligenceDocument",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("registration", "Registration certificate"),
                            ("charter", "Charter"),
                            ("annual_inspection", "Annual inspection result"),
                            ("bank_account", "Bank account proof"),
                            ("audit", "Audit report"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("file", models.TextField(max_length=100, verbose_name="file")),
                ("issued_on", models.DateField(blank=True, null=True, verbose_name="issued on")),
                ("expires_on", models.DateField(blank=True, null=True, verbose_name="expires on")),
                ("notes", models.TextField(blank=True, max_length=20000, verbose_name="notes")),
                ("uploaded_at", models.DateTimeField(blank=True, editable=False, verbose_name="uploaded")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "Waiting for verification"),
                            ("verified", "Verified"),
                            ("returned", "Returned"),
                        ],
                        default="submitted",
                        max_length=10,
                        verbose_name="verification",
                    ),
                ),
                ("reviewed_at", models.DateTimeField(blank=True, null=True, verbose_name="reviewed")),
                (
                    "return_reason",
                    models.TextField(blank=True, max_length=20000, verbose_name="reason for returning"),
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
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
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
                    ),
                ),
            ],
            options={
                "verbose_name": "historical due-diligence document",
                "verbose_name_plural": "historical due-diligence documents",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="DueDiligenceDocument",
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
                            ("registration", "Registration certificate"),
                            ("charter", "Charter"),
                            ("annual_inspection", "Annual inspection result"),
                            ("bank_account", "Bank account proof"),
                            ("audit", "Audit report"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "file",
                    models.FileField(upload_to=organizations.models.document_upload_to, verbose_name="file"),
                ),
                ("issued_on", models.DateField(blank=True, null=True, verbose_name="issued on")),
                ("expires_on", models.DateField(blank=True, null=True, verbose_name="expires on")),
                ("notes", models.TextField(blank=True, max_length=20000, verbose_name="notes")),
                ("uploaded_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "Waiting for verification"),
                            ("verified", "Verified"),
                            ("returned", "Returned"),
                        ],
                        default="submitted",
                        max_length=10,
                        verbose_name="verification",
                    ),
                ),
                ("reviewed_at", models.DateTimeField(blank=True, null=True, verbose_name="reviewed")),
                (
                    "return_reason",
                    models.TextField(blank=True, max_length=20000, verbose_name="reason for returning"),
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
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="documents",
                        to="organizations.organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "due-diligence document",
                "verbose_name_plural": "due-diligence documents",
                "ordering": ["expires_on"],
                "indexes": [
                    models.Index(fields=["status", "expires_on"], name="organizatio_status_0b4bc4_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("expires_on__isnull", True),
                            ("issued_on__isnull", True),
                            ("expires_on__gte", models.F("issued_on")),
                            _connector="OR",
                        ),
                        name="document_expires_after_issue",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["submitted", "verified", "returned"])),
                        name="dd_document_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status", "submitted"), ("reviewed_at__isnull", False), _connector="OR"
                        ),
                        name="dd_document_review_dated",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "returned"), _negated=True),
                            models.Q(("return_reason", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="dd_document_returned_with_reason",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("notes"), 20000
                        ),
                        name="organizations_duediligencedocument_notes_len",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("return_reason"), 20000
                        ),
                        name="organizations_duediligencedocument_return_reason_len",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Partner",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("government", "Government department"),
                            ("enterprise", "Enterprise"),
                            ("foundation", "Foundation"),
                            ("social_group", "Social organization"),
                            ("community", "Community committee"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("contact_name", models.CharField(blank=True, max_length=100, verbose_name="contact person")),
                ("contact_phone", models.CharField(blank=True, max_length=30, verbose_name="contact phone")),
                (
                    "contact_email",
                    models.EmailField(blank=True, max_length=254, verbose_name="contact email"),
                ),
                ("notes", models.TextField(blank=True, max_length=20000, verbose_name="notes")),
                (
                    "area",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="organizations.area",
                        verbose_name="area",
                    ),
                ),
                (
                    "organizations",
                    models.ManyToManyField(
                        blank=True,
                        related_name="partners",
                        to="organizations.organization",
                        verbose_name="linked organizations",
                    ),
                ),
            ],
            options={
                "verbose_name": "partner",
                "verbose_name_plural": "partners",
                "ordering": ["name"],
                "constraints": [
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("notes"), 20000
                        ),
                        name="organizations_partner_notes_len",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalPartnerResource",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("venue", "Venue"),
                            ("volunteers", "Volunteers"),
                            ("goods", "Goods"),
                            ("expertise", "Expertise"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("description", models.CharField(max_length=255, verbose_name="description")),
                (
                    "provided_on",
                    models.DateField(default=django.utils.timezone.localdate, verbose_name="provided on"),
                ),
                (
                    "estimated_value",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=14, verbose_name="estimated value (yuan)"
                    ),
                ),
                (
                    "valuation_basis",
                    models.CharField(blank=True, max_length=255, verbose_name="basis of the value"),
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
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.organization",
                        verbose_name="for organization",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.partner",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical partner resource",
                "verbose_name_plural": "historical partner resources",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PartnerResource",
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
                            ("venue", "Venue"),
                            ("volunteers", "Volunteers"),
                            ("goods", "Goods"),
                            ("expertise", "Expertise"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("description", models.CharField(max_length=255, verbose_name="description")),
                (
                    "provided_on",
                    models.DateField(default=django.utils.timezone.localdate, verbose_name="provided on"),
                ),
                (
                    "estimated_value",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=14, verbose_name="estimated value (yuan)"
                    ),
                ),
                (
                    "valuation_basis",
                    models.CharField(blank=True, max_length=255, verbose_name="basis of the value"),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="partner_resources",
                        to="organizations.organization",
                        verbose_name="for organization",
                    ),
                ),
                (
                    "partner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="resources",
                        to="organizations.partner",
                    ),
                ),
            ],
            options={
                "verbose_name": "partner resource",
                "verbose_name_plural": "partner resources",
                "ordering": ["-provided_on"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("estimated_value__gte", 0)),
                        name="partner_resource_value_nonnegative",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ProgrammeApplication",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="organization name")),
                (
                    "legal_form",
                    models.CharField(
                        choices=[
                            ("social_group", "Social group"),
                            ("social_service", "Social service organization"),
                            ("foundation", "Foundation"),
                            ("unregistered", "Unregistered community group"),
                        ],
                        max_length=20,
                        verbose_name="legal form",
                    ),
                ),
                (
                    "credit_code",
                    models.CharField(
                        blank=True,
                        max_length=18,
                        validators=[organizations.credit_code.validate_credit_code],
                        verbose_name="unified social credit code",
                    ),
                ),
                (
                    "registration_date",
                    models.DateField(blank=True, null=True, verbose_name="registration date"),
                ),
                ("address", models.CharField(blank=True, max_length=255, verbose_name="address")),
                ("staff_count", models.PositiveIntegerField(default=0, verbose_name="paid staff")),
                ("volunteer_count", models.PositiveIntegerField(default=0, verbose_name="volunteers")),
                ("contact_name", models.CharField(max_length=100, verbose_name="your name")),
                ("contact_email", models.EmailField(max_length=254, verbose_name="your email")),
                ("contact_phone", models.CharField(blank=True, max_length=30, verbose_name="your phone")),
                (
                    "motivation",
                    models.TextField(max_length=20000, verbose_name="why do you want to join the programme?"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "Submitted"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                        ],
                        default="submitted",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("submitted_at", models.DateTimeField(auto_now_add=True, verbose_name="submitted")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                (
                    "decision_note",
                    models.TextField(blank=True, max_length=20000, verbose_name="decision note"),
                ),
                (
                    "area",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organizations.area",
                        verbose_name="area",
                    ),
                ),
                (
                    "decided_by",
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
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="application",
                        to="organizations.organization",
                    ),
                ),
                (
                    "themes",
                    models.ManyToManyField(
                        blank=True, to="organizations.theme", verbose_name="themes served"
                    ),
                ),
            ],
            options={
                "verbose_name": "programme application",
                "verbose_name_plural": "programme applications",
                "ordering": ["-submitted_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status", "submitted"), ("decided_at__isnull", False), _connector="OR"
                        ),
                        name="application_decision_dated",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("motivation"), 20000
                        ),
                        name="organizations_programmeapplication_motivation_len",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("decision_note"), 20000
                        ),
                        name="organizations_programmeapplication_decision_note_len",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalVolunteerHours",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("date", models.DateField(verbose_name="date")),
                ("hours", models.DecimalField(decimal_places=1, max_digits=5, verbose_name="hours")),
                ("activity", models.CharField(max_length=255, verbose_name="activity")),
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
                    "volunteer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.volunteer",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical volunteer hours",
                "verbose_name_plural": "historical volunteer hours",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="VolunteerHourRate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("valid_from", models.DateField(unique=True, verbose_name="valid from")),
                (
                    "yuan_per_hour",
                    models.DecimalField(decimal_places=2, max_digits=14, verbose_name="yuan per hour"),
                ),
                (
                    "basis",
                    models.CharField(
                        help_text="Where the rate comes from, e.g. the local minimum hourly wage.",
                        max_length=255,
                        verbose_name="basis of the rate",
                    ),
                ),
            ],
            options={
                "verbose_name": "volunteer hour valuation",
                "verbose_name_plural": "volunteer hour valuations",
                "ordering": ["-valid_from"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("yuan_per_hour__gt", 0)), name="volunteer_rate_positive"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="VolunteerHours",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(verbose_name="date")),
                ("hours", models.DecimalField(decimal_places=1, max_digits=5, verbose_name="hours")),
                ("activity", models.CharField(max_length=255, verbose_name="activity")),
                (
                    "volunteer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="hours",
                        to="organizations.volunteer",
                    ),
                ),
            ],
            options={
                "verbose_name": "volunteer hours",
                "verbose_name_plural": "volunteer hours",
                "ordering": ["-date"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("hours__gt", 0), ("hours__lte", 24)),
                        name="volunteer_hours_in_a_day",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="VolunteerTeam",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("leader_name", models.CharField(blank=True, max_length=100, verbose_name="team leader")),
                ("founded_on", models.DateField(blank=True, null=True, verbose_name="founded on")),
                (
                    "area",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="organizations.area",
                        verbose_name="area",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="volunteer_teams",
                        to="organizations.organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "volunteer team",
                "verbose_name_plural": "volunteer teams",
                "ordering": ["organization", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organization", "name"), name="volunteer_team_unique_name"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="volunteer",
            name="team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="volunteers",
                to="organizations.volunteerteam",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalVolunteer",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("phone", models.CharField(blank=True, max_length=30, verbose_name="phone")),
                ("skills", models.CharField(blank=True, max_length=255, verbose_name="skills")),
                (
                    "joined_on",
                    models.DateField(default=django.utils.timezone.localdate, verbose_name="joined on"),
                ),
                ("active", models.BooleanField(default=True, verbose_name="active")),
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
                    "team",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.volunteerteam",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical volunteer",
                "verbose_name_plural": "historical volunteers",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        # The replaced chain made name_en unique by altering the field, under the name Django gives such a
        # constraint; a new database keeps that name too, so both kinds of database are the same.
        OnPostgreSQLOnlyDatabaseOperations(
            database_operations=[
                migrations.RunSQL(
                    'ALTER TABLE "organizations_organization" RENAME CONSTRAINT '
                    '"organizations_organization_name_en_key" TO "organizations_organization_name_en_06ac9f88_uniq"',
                    'ALTER TABLE "organizations_organization" RENAME CONSTRAINT '
                    '"organizations_organization_name_en_06ac9f88_uniq" TO "organizations_organization_name_en_key"',
                )
            ],
        ),
    ]
