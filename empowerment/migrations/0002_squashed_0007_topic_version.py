"""empowerment 0002–0007 in one migration, for new databases: the models as the replaced chain left them, then
the database objects that chain made in SQL and the rows it seeded, by the replaced migrations' own
operations. A database that applied part of the chain finishes it with the replaced migrations, which stay
until every database has passed them."""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from empowerment.migration_operations import replaced_operations


class Migration(migrations.Migration):
    replaces = [
        ("empowerment", "0002_staff_groups"),
        ("empowerment", "0003_outgoing_email"),
        ("empowerment", "0004_text_length_limits_and_document_redispatch"),
        ("empowerment", "0005_user_language"),
        ("empowerment", "0006_submission_key"),
        ("empowerment", "0007_topic_version"),
    ]

    dependencies = [
        ("organizations", "0001_squashed_0005_public_texts_in_both_languages"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("empowerment", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Email",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key",
                    models.CharField(blank=True, max_length=255, null=True, unique=True, verbose_name="key"),
                ),
                ("to", models.EmailField(max_length=254, verbose_name="to")),
                ("language", models.CharField(default="en", max_length=10, verbose_name="language")),
                ("subject", models.CharField(max_length=255, verbose_name="subject")),
                ("body", models.TextField(max_length=200000, verbose_name="body")),
                ("headers", models.JSONField(blank=True, default=dict, verbose_name="headers")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("sending", "Sending"),
                            ("sent", "Sent"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                ("last_error", models.TextField(blank=True, max_length=20000, verbose_name="last error")),
                (
                    "created_at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="queued at"
                    ),
                ),
                ("claimed_at", models.DateTimeField(blank=True, null=True, verbose_name="sending since")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
            ],
            options={
                "verbose_name": "email",
                "verbose_name_plural": "emails",
                "ordering": ["-created_at"],
                "indexes": [
                    models.Index(fields=["status", "created_at"], name="empowerment_status_cacc90_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["queued", "sending", "sent", "failed"])),
                        name="email_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "sent"), _negated=True),
                            ("sent_at__isnull", False),
                            _connector="OR",
                        ),
                        name="email_sent_has_time",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("body"), 200000
                        ),
                        name="empowerment_email_body_len",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("last_error"), 20000
                        ),
                        name="empowerment_email_last_error_len",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="SubmissionKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.UUIDField(editable=False, verbose_name="key")),
                ("kind", models.CharField(max_length=40, verbose_name="kind")),
                ("created_id", models.CharField(blank=True, max_length=64)),
                ("redirect", models.CharField(blank=True, max_length=500, verbose_name="answer")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
                ),
            ],
            options={
                "verbose_name": "submission key",
                "verbose_name_plural": "submission keys",
            },
        ),
        migrations.CreateModel(
            name="TopicVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("topic", models.CharField(max_length=60, unique=True, verbose_name="topic")),
                ("version", models.BigIntegerField(verbose_name="version")),
            ],
            options={
                "verbose_name": "topic version",
                "verbose_name_plural": "topic versions",
            },
        ),
        migrations.AddField(
            model_name="document",
            name="redispatched_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="sent again at"),
        ),
        migrations.AddField(
            model_name="historicaluser",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("en", "English"), ("zh-hans", "Simplified Chinese")],
                max_length=10,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("en", "English"), ("zh-hans", "Simplified Chinese")],
                max_length=10,
                verbose_name="language",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="error",
            field=models.TextField(blank=True, max_length=20000, verbose_name="error"),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("error"), 20000
                ),
                name="empowerment_document_error_len",
            ),
        ),
        migrations.AddField(
            model_name="submissionkey",
            name="created_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="submissionkey",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddConstraint(
            model_name="submissionkey",
            constraint=models.UniqueConstraint(fields=("key",), name="submission_key_unique"),
        ),
        *replaced_operations("empowerment", "0002_staff_groups"),
    ]
