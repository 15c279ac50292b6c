"""fundraising 0001–0026 in one migration, for new databases: the models as the replaced chain left them, then
the database objects that chain made in SQL and the rows it seeded, by the replaced migrations' own
operations. A database that applied part of the chain finishes it with the replaced migrations, which stay
until every database has passed them."""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import fundraising.models
from empowerment.migration_operations import OnPostgreSQLOnlyDatabaseOperations, replaced_operations


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("fundraising", "0001_initial"),
        ("fundraising", "0002_append_only_ledger"),
        ("fundraising", "0003_project_funds_and_expenditures"),
        ("fundraising", "0004_ledger_month_totals"),
        ("fundraising", "0005_list_order_indexes"),
        ("fundraising", "0006_donation_notifications"),
        ("fundraising", "0007_import_dry_run_contract_and_notification_conflicts"),
        ("fundraising", "0008_ledger_checkpoints"),
        ("fundraising", "0009_ledger_transaction_occurred_on"),
        ("fundraising", "0010_ledger_refuses_truncate"),
        ("fundraising", "0011_text_length_limits"),
        ("fundraising", "0012_expenditure_over_budget_reason"),
        ("fundraising", "0013_official_receipt"),
        ("fundraising", "0014_platform_bills_and_bank_lines"),
        ("fundraising", "0015_annual_statements"),
        ("fundraising", "0016_public_texts_in_both_languages"),
        ("fundraising", "0017_bank_line_payout_method"),
        ("fundraising", "0018_fund_monthly_figures"),
        ("fundraising", "0019_programme_monthly_totals"),
        ("fundraising", "0020_ledger_entries_chained_after_import"),
        ("fundraising", "0021_fund_balance_apart"),
        ("fundraising", "0022_bulk_write_indexes"),
        ("fundraising", "0023_unique_where_set"),
        ("fundraising", "0024_fewer_index_entries_per_import_row"),
        ("fundraising", "0025_ledger_campaign_totals"),
        ("fundraising", "0026_campaign_gifts_newest_first"),
    ]

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("organizations", "0001_squashed_0005_public_texts_in_both_languages"),
        ("projects", "0001_squashed_0010_search_indexes_written_at_once"),
    ]

    operations = [
        migrations.CreateModel(
            name="Campaign",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="web address")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("title_en", models.CharField(max_length=200, null=True, verbose_name="title")),
                ("title_zh_hans", models.CharField(max_length=200, null=True, verbose_name="title")),
                (
                    "summary",
                    models.CharField(
                        help_text="Shown when the page is shared.", max_length=300, verbose_name="summary"
                    ),
                ),
                (
                    "summary_en",
                    models.CharField(
                        help_text="Shown when the page is shared.",
                        max_length=300,
                        null=True,
                        verbose_name="summary",
                    ),
                ),
                (
                    "summary_zh_hans",
                    models.CharField(
                        help_text="Shown when the page is shared.",
                        max_length=300,
                        null=True,
                        verbose_name="summary",
                    ),
                ),
                ("story", models.TextField(max_length=20000, verbose_name="story")),
                ("story_en", models.TextField(max_length=20000, null=True, verbose_name="story")),
                ("story_zh_hans", models.TextField(max_length=20000, null=True, verbose_name="story")),
                ("goal", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="goal")),
                ("starts_on", models.DateField(verbose_name="starts")),
                ("ends_on", models.DateField(verbose_name="ends")),
                (
                    "matching_ratio",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        help_text="Yuan the partner adds per yuan donated, e.g. 1.00 for one to one.",
                        max_digits=4,
                        verbose_name="matching ratio",
                    ),
                ),
                (
                    "matching_cap",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=14, verbose_name="matching cap"
                    ),
                ),
                ("published", models.BooleanField(default=False, verbose_name="published")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
            ],
            options={
                "verbose_name": "campaign",
                "verbose_name_plural": "campaigns",
                "ordering": ["-starts_on"],
            },
        ),
        migrations.CreateModel(
            name="Channel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                ("name_en", models.CharField(max_length=120, null=True, verbose_name="name")),
                ("name_zh_hans", models.CharField(max_length=120, null=True, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("bank", "Bank transfer"),
                            ("online", "Online fundraising platform"),
                            ("cash", "Cash / local collection"),
                            ("contract", "Government service contract"),
                            ("grant", "Grant agreement"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "notify_secret",
                    models.CharField(
                        default=fundraising.models._secret,
                        help_text="Shared with the platform to sign its donation notifications (HMAC-SHA256).",
                        max_length=100,
                        verbose_name="notification secret",
                    ),
                ),
                (
                    "column_mapping",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text="Which column of this source's exports holds each field; saved from the import page.",
                        verbose_name="import column mapping",
                    ),
                ),
                ("active", models.BooleanField(default=True, verbose_name="active")),
            ],
            options={
                "verbose_name": "channel",
                "verbose_name_plural": "channels",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="Fund",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(max_length=80, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("name_en", models.CharField(max_length=200, null=True, verbose_name="name")),
                ("name_zh_hans", models.CharField(max_length=200, null=True, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("general", "General programme fund"),
                            ("community", "Community fund"),
                            ("project", "Project fund"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                (
                    "restricted",
                    models.BooleanField(
                        default=True,
                        help_text="Restricted funds may be spent only on their purpose.",
                        verbose_name="restricted",
                    ),
                ),
                ("description", models.TextField(blank=True, max_length=20000, verbose_name="description")),
                (
                    "description_en",
                    models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
                ),
                (
                    "description_zh_hans",
                    models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "area",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="community_funds",
                        to="organizations.area",
                        verbose_name="community",
                    ),
                ),
                (
                    "project",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="fund",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
            ],
            options={
                "verbose_name": "fund",
                "verbose_name_plural": "funds",
                "ordering": ["kind", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("kind", "general")),
                        fields=("kind",),
                        name="fund_one_general_fund",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("description"), 20000
                        ),
                        name="fundraising_fund_description_len",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("description_en"), 20000
                        ),
                        name="fundraising_fund_description_en_len",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("description_zh_hans"), 20000
                        ),
                        name="fundraising_fund_description_zh_hans_len",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="LedgerChain",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("last_seq", models.BigIntegerField(default=0)),
                (
                    "last_hash",
                    models.CharField(
                        default="0000000000000000000000000000000000000000000000000000000000000000",
                        max_length=64,
                    ),
                ),
                ("chained_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "ledger chain head",
                "verbose_name_plural": "ledger chain head",
            },
        ),
        migrations.CreateModel(
            name="AnnualStatements",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="year")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
            ],
            options={
                "verbose_name": "annual financial statements",
                "verbose_name_plural": "annual financial statements",
                "ordering": ["-year"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("year__gte", 2000), ("year__lte", 2999)),
                        name="annual_statements_year_range",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CampaignImage",
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
                        upload_to=fundraising.models.campaign_image_upload_to, verbose_name="image"
                    ),
                ),
                ("caption", models.CharField(blank=True, max_length=200, verbose_name="caption")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="images",
                        to="fundraising.campaign",
                    ),
                ),
            ],
            options={
                "verbose_name": "campaign image",
                "verbose_name_plural": "campaign images",
                "ordering": ["position", "pk"],
            },
        ),
        migrations.AddField(
            model_name="campaign",
            name="channel",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="campaigns",
                to="fundraising.channel",
                verbose_name="channel",
            ),
        ),
        migrations.CreateModel(
            name="Account",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=80, unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "type",
                    models.CharField(
                        choices=[
                            ("asset", "Asset"),
                            ("net_assets", "Net assets"),
                            ("income", "Income"),
                            ("expense", "Expense"),
                        ],
                        max_length=12,
                        verbose_name="type",
                    ),
                ),
                ("in_kind", models.BooleanField(default=False, verbose_name="in kind")),
                (
                    "classification",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("programme", "Programme (charitable activities)"),
                            ("management", "Management"),
                            ("fundraising", "Fundraising"),
                        ],
                        max_length=12,
                        verbose_name="cost classification",
                    ),
                ),
                ("category", models.CharField(blank=True, max_length=20, verbose_name="budget category")),
                (
                    "channel",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="fundraising.channel",
                        verbose_name="channel",
                    ),
                ),
            ],
            options={
                "verbose_name": "account",
                "verbose_name_plural": "chart of accounts",
                "ordering": ["code"],
            },
        ),
        migrations.CreateModel(
            name="Donation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("receipt_number", models.CharField(max_length=64, verbose_name="receipt number")),
                (
                    "external_id",
                    models.CharField(
                        blank=True,
                        help_text="The source's own id (imports, notices).",
                        max_length=100,
                        verbose_name="external id",
                    ),
                ),
                ("donor_name", models.CharField(blank=True, max_length=120, verbose_name="donor name")),
                (
                    "show_name",
                    models.BooleanField(default=False, verbose_name="donor agreed to show the name"),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("received_on", models.DateField(verbose_name="date received")),
                ("is_matching", models.BooleanField(default=False, verbose_name="matching gift")),
                ("note", models.CharField(blank=True, max_length=255, verbose_name="note")),
                (
                    "status",
                    models.CharField(
                        choices=[("recorded", "Recorded"), ("reversed", "Reversed")],
                        default="recorded",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "campaign",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="donations",
                        to="fundraising.campaign",
                        verbose_name="campaign",
                    ),
                ),
                (
                    "channel",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="donations",
                        to="fundraising.channel",
                        verbose_name="channel",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "fund",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="donations",
                        to="fundraising.fund",
                        verbose_name="designation",
                    ),
                ),
            ],
            options={
                "verbose_name": "donation",
                "verbose_name_plural": "donations",
                "ordering": ["-received_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="DonationNotification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("external_id", models.CharField(max_length=100, verbose_name="platform's donation id")),
                ("receipt_number", models.CharField(max_length=64, verbose_name="receipt number")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("received_on", models.DateField(verbose_name="date received")),
                ("donor_name", models.CharField(blank=True, max_length=120, verbose_name="donor name")),
                (
                    "show_name",
                    models.BooleanField(default=False, verbose_name="donor agreed to show the name"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting to be recorded"),
                            ("recorded", "Recorded"),
                            ("failed", "Could not be recorded"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "error",
                    models.CharField(blank=True, max_length=255, verbose_name="why it could not be recorded"),
                ),
                ("received_at", models.DateTimeField(auto_now_add=True, verbose_name="received")),
                ("recorded_at", models.DateTimeField(blank=True, null=True, verbose_name="recorded")),
                (
                    "campaign",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="fundraising.campaign",
                        verbose_name="campaign",
                    ),
                ),
                (
                    "channel",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="notifications",
                        to="fundraising.channel",
                        verbose_name="channel",
                    ),
                ),
                (
                    "donation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="notifications",
                        to="fundraising.donation",
                        verbose_name="donation",
                    ),
                ),
                (
                    "fund",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="fundraising.fund",
                        verbose_name="designation",
                    ),
                ),
            ],
            options={
                "verbose_name": "donation notification",
                "verbose_name_plural": "donation notifications",
                "ordering": ["-received_at", "-pk"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("status", "pending")),
                        fields=["id"],
                        name="notification_pending_idx",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("channel", "external_id"), name="notification_unique_donation_id"
                    ),
                    models.UniqueConstraint(
                        fields=("channel", "receipt_number"), name="notification_unique_receipt"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="notification_amount_positive"
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="campaign",
            name="fund",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="campaigns",
                to="fundraising.fund",
                verbose_name="designation",
            ),
        ),
        migrations.CreateModel(
            name="Funder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("government", "Government department"),
                            ("foundation", "Foundation"),
                            ("enterprise", "Enterprise"),
                            ("community", "Community / residents"),
                            ("individual", "Individual"),
                            ("platform", "Online fundraising platform"),
                        ],
                        max_length=12,
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
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
            ],
            options={
                "verbose_name": "funder",
                "verbose_name_plural": "funders",
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(fields=("name", "kind"), name="funder_unique_name_kind"),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("notes"), 20000
                        ),
                        name="fundraising_funder_notes_len",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="donation",
            name="funder",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="Leave empty for an anonymous gift.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="donations",
                to="fundraising.funder",
                verbose_name="funder",
            ),
        ),
        migrations.AddField(
            model_name="campaign",
            name="matching_partner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="matched_campaigns",
                to="fundraising.funder",
                verbose_name="matching partner",
            ),
        ),
        migrations.CreateModel(
            name="Grant",
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
                        choices=[("grant", "Grant"), ("contract", "Government service contract")],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "reference",
                    models.CharField(blank=True, max_length=80, verbose_name="agreement reference"),
                ),
                ("total", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="total amount")),
                ("signed_on", models.DateField(verbose_name="signed on")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "channel",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="grants",
                        to="fundraising.channel",
                        verbose_name="channel",
                    ),
                ),
                (
                    "fund",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="grants",
                        to="fundraising.fund",
                        verbose_name="designation",
                    ),
                ),
                (
                    "funder",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="grants",
                        to="fundraising.funder",
                        verbose_name="funder",
                    ),
                ),
            ],
            options={
                "verbose_name": "grant or contract",
                "verbose_name_plural": "grants and contracts",
                "ordering": ["-signed_on"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("total__gt", 0)), name="grant_total_positive")
                ],
            },
        ),
        migrations.CreateModel(
            name="GrantTranche",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(verbose_name="number")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="due on")),
                ("milestone", models.CharField(blank=True, max_length=200, verbose_name="milestone")),
                (
                    "grant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tranches",
                        to="fundraising.grant",
                        verbose_name="grant",
                    ),
                ),
            ],
            options={
                "verbose_name": "tranche",
                "verbose_name_plural": "tranches",
                "ordering": ["grant", "number"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="tranche_amount_positive"
                    ),
                    models.UniqueConstraint(fields=("grant", "number"), name="tranche_number_per_grant"),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("due_on__isnull", False),
                            models.Q(("milestone", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="tranche_date_or_milestone",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="donation",
            name="grant_tranche",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="donation",
                to="fundraising.granttranche",
                verbose_name="grant tranche",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalAccountMapping",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "line",
                    models.CharField(
                        choices=[
                            ("bs_cash", "Cash and bank deposits"),
                            ("bs_short_investments", "Short-term investments"),
                            ("bs_receivables", "Receivables (incl. other receivables)"),
                            ("bs_prepayments", "Prepayments (incl. advances to partner organizations)"),
                            ("bs_inventories", "Inventories"),
                            ("bs_other_current", "Other current assets"),
                            ("bs_long_investments", "Long-term investments"),
                            ("bs_fixed_assets", "Fixed assets"),
                            ("bs_intangibles", "Intangible assets"),
                            ("bs_entrusted", "Entrusted agency assets"),
                            ("na_adjustment", "Direct adjustment of net assets"),
                            ("in_donations", "Donation income"),
                            ("in_membership", "Membership fee income"),
                            ("in_services", "Income from services provided"),
                            ("in_sales", "Income from sales of goods"),
                            ("in_government", "Government grant income"),
                            ("in_investment", "Investment income"),
                            ("in_other", "Other income"),
                            ("ex_programme", "Programme activity costs"),
                            ("ex_management", "Management expenses"),
                            ("ex_fundraising", "Fundraising expenses"),
                            ("ex_other", "Other expenses"),
                        ],
                        max_length=32,
                        verbose_name="statement line",
                    ),
                ),
                (
                    "cash_flow",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("cf_donations", "Cash received from donations"),
                            ("cf_membership", "Cash received from membership fees"),
                            ("cf_services", "Cash received from services provided"),
                            ("cf_sales", "Cash received from sales of goods"),
                            ("cf_government", "Cash received from government grants"),
                            ("cf_other_in", "Other cash received relating to operating activities"),
                            ("cf_grants_paid", "Cash paid for donations and grants made"),
                            ("cf_staff", "Cash paid to and for employees"),
                            ("cf_purchases", "Cash paid for goods and services"),
                            ("cf_other_out", "Other cash paid relating to operating activities"),
                            ("cf_inv_recovered", "Cash received from recovery of investments"),
                            ("cf_inv_income", "Cash received from investment income"),
                            (
                                "cf_disposals",
                                "Net cash received from disposal of fixed and intangible assets",
                            ),
                            ("cf_fixed_assets", "Cash paid to acquire fixed and intangible assets"),
                            ("cf_investments", "Cash paid for investments"),
                            ("cf_other_investing", "Other cash relating to investing activities"),
                            ("cf_borrowing", "Cash received from borrowing"),
                            ("cf_repayments", "Cash paid to repay debts"),
                            ("cf_interest", "Cash paid for interest"),
                            ("cf_other_financing", "Other cash relating to financing activities"),
                        ],
                        max_length=32,
                        verbose_name="cash-flow line",
                    ),
                ),
                ("updated_at", models.DateTimeField(blank=True, editable=False, verbose_name="changed")),
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
                    "account",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.account",
                        verbose_name="account",
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
                        verbose_name="changed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical account mapping",
                "verbose_name_plural": "historical chart of accounts mapping",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCampaign",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("slug", models.SlugField(max_length=80, verbose_name="web address")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("title_en", models.CharField(max_length=200, null=True, verbose_name="title")),
                ("title_zh_hans", models.CharField(max_length=200, null=True, verbose_name="title")),
                (
                    "summary",
                    models.CharField(
                        help_text="Shown when the page is shared.", max_length=300, verbose_name="summary"
                    ),
                ),
                (
                    "summary_en",
                    models.CharField(
                        help_text="Shown when the page is shared.",
                        max_length=300,
                        null=True,
                        verbose_name="summary",
                    ),
                ),
                (
                    "summary_zh_hans",
                    models.CharField(
                        help_text="Shown when the page is shared.",
                        max_length=300,
                        null=True,
                        verbose_name="summary",
                    ),
                ),
                ("story", models.TextField(max_length=20000, verbose_name="story")),
                ("story_en", models.TextField(max_length=20000, null=True, verbose_name="story")),
                ("story_zh_hans", models.TextField(max_length=20000, null=True, verbose_name="story")),
                ("goal", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="goal")),
                ("starts_on", models.DateField(verbose_name="starts")),
                ("ends_on", models.DateField(verbose_name="ends")),
                (
                    "matching_ratio",
                    models.DecimalField(
                        decimal_places=2,
                        default=0,
                        help_text="Yuan the partner adds per yuan donated, e.g. 1.00 for one to one.",
                        max_digits=4,
                        verbose_name="matching ratio",
                    ),
                ),
                (
                    "matching_cap",
                    models.DecimalField(
                        decimal_places=2, default=0, max_digits=14, verbose_name="matching cap"
                    ),
                ),
                ("published", models.BooleanField(default=False, verbose_name="published")),
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
                    "channel",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.channel",
                        verbose_name="channel",
                    ),
                ),
                (
                    "fund",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.fund",
                        verbose_name="designation",
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
                    "matching_partner",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.funder",
                        verbose_name="matching partner",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical campaign",
                "verbose_name_plural": "historical campaigns",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalChannel",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("code", models.SlugField(max_length=40, verbose_name="code")),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                ("name_en", models.CharField(max_length=120, null=True, verbose_name="name")),
                ("name_zh_hans", models.CharField(max_length=120, null=True, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("bank", "Bank transfer"),
                            ("online", "Online fundraising platform"),
                            ("cash", "Cash / local collection"),
                            ("contract", "Government service contract"),
                            ("grant", "Grant agreement"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "column_mapping",
                    models.JSONField(
                        blank=True,
                        default=dict,
                        help_text="Which column of this source's exports holds each field; saved from the import page.",
                        verbose_name="import column mapping",
                    ),
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
            ],
            options={
                "verbose_name": "historical channel",
                "verbose_name_plural": "historical channels",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalFund",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("code", models.SlugField(max_length=80, verbose_name="code")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("name_en", models.CharField(max_length=200, null=True, verbose_name="name")),
                ("name_zh_hans", models.CharField(max_length=200, null=True, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("general", "General programme fund"),
                            ("community", "Community fund"),
                            ("project", "Project fund"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                (
                    "restricted",
                    models.BooleanField(
                        default=True,
                        help_text="Restricted funds may be spent only on their purpose.",
                        verbose_name="restricted",
                    ),
                ),
                ("description", models.TextField(blank=True, max_length=20000, verbose_name="description")),
                (
                    "description_en",
                    models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
                ),
                (
                    "description_zh_hans",
                    models.TextField(blank=True, max_length=20000, null=True, verbose_name="description"),
                ),
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
                        verbose_name="community",
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
                "verbose_name": "historical fund",
                "verbose_name_plural": "historical funds",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalFunder",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("government", "Government department"),
                            ("foundation", "Foundation"),
                            ("enterprise", "Enterprise"),
                            ("community", "Community / residents"),
                            ("individual", "Individual"),
                            ("platform", "Online fundraising platform"),
                        ],
                        max_length=12,
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
                "verbose_name": "historical funder",
                "verbose_name_plural": "historical funders",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalGrant",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("grant", "Grant"), ("contract", "Government service contract")],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "reference",
                    models.CharField(blank=True, max_length=80, verbose_name="agreement reference"),
                ),
                ("total", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="total amount")),
                ("signed_on", models.DateField(verbose_name="signed on")),
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
                    "channel",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.channel",
                        verbose_name="channel",
                    ),
                ),
                (
                    "fund",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.fund",
                        verbose_name="designation",
                    ),
                ),
                (
                    "funder",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.funder",
                        verbose_name="funder",
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
                "verbose_name": "historical grant or contract",
                "verbose_name_plural": "historical grants and contracts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalGrantTranche",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("number", models.PositiveSmallIntegerField(verbose_name="number")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="due on")),
                ("milestone", models.CharField(blank=True, max_length=200, verbose_name="milestone")),
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
                    "grant",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.grant",
                        verbose_name="grant",
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
                "verbose_name": "historical tranche",
                "verbose_name_plural": "historical tranches",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalImportBatch",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("file", models.TextField(max_length=100, verbose_name="file")),
                ("filename", models.CharField(max_length=200, verbose_name="file name")),
                ("encoding", models.CharField(blank=True, max_length=20, verbose_name="encoding")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("preview", "Dry run ready"),
                            ("queued", "Queued"),
                            ("running", "Importing"),
                            ("done", "Imported"),
                            ("failed", "Failed"),
                            ("discarded", "Discarded"),
                        ],
                        default="preview",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("total_rows", models.PositiveIntegerField(default=0, verbose_name="rows")),
                ("valid_rows", models.PositiveIntegerField(default=0, verbose_name="valid rows")),
                ("duplicate_rows", models.PositiveIntegerField(default=0, verbose_name="already imported")),
                ("created_count", models.PositiveIntegerField(default=0, verbose_name="donations created")),
                ("message", models.TextField(blank=True, max_length=20000, verbose_name="message")),
                ("file_sha256", models.CharField(blank=True, max_length=64, verbose_name="file SHA-256")),
                ("mapping", models.JSONField(blank=True, default=dict, verbose_name="column mapping")),
                ("error_rows", models.PositiveIntegerField(default=0, verbose_name="rows in error")),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="uploaded")),
                ("queued_at", models.DateTimeField(blank=True, null=True, verbose_name="queued")),
                ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="started")),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished")),
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
                    "channel",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.channel",
                        verbose_name="source",
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
            ],
            options={
                "verbose_name": "historical import",
                "verbose_name_plural": "historical imports",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPlatformBill",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "preset",
                    models.CharField(
                        choices=[
                            ("wechat", "WeChat Pay merchant trade bill"),
                            ("alipay", "Alipay account statement"),
                            ("charity", "Charity platform donation export"),
                            ("bank", "Bank statement"),
                        ],
                        max_length=10,
                        verbose_name="layout",
                    ),
                ),
                ("file", models.TextField(max_length=100, verbose_name="file")),
                ("filename", models.CharField(max_length=200, verbose_name="file name")),
                ("file_sha256", models.CharField(max_length=64, verbose_name="file SHA-256")),
                ("encoding", models.CharField(blank=True, max_length=20, verbose_name="encoding")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("preview", "Dry run ready"),
                            ("imported", "Imported"),
                            ("discarded", "Discarded"),
                        ],
                        default="preview",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False, verbose_name="uploaded")),
                ("imported_at", models.DateTimeField(blank=True, null=True, verbose_name="imported")),
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
                    "channel",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.channel",
                        verbose_name="channel",
                    ),
                ),
                (
                    "default_fund",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.fund",
                        verbose_name="designation of gifts without one",
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
            ],
            options={
                "verbose_name": "historical platform bill",
                "verbose_name_plural": "historical platform bills",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ImportBatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("file", models.FileField(upload_to="imports/%Y/%m/", verbose_name="file")),
                ("filename", models.CharField(max_length=200, verbose_name="file name")),
                ("encoding", models.CharField(blank=True, max_length=20, verbose_name="encoding")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("preview", "Dry run ready"),
                            ("queued", "Queued"),
                            ("running", "Importing"),
                            ("done", "Imported"),
                            ("failed", "Failed"),
                            ("discarded", "Discarded"),
                        ],
                        default="preview",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("total_rows", models.PositiveIntegerField(default=0, verbose_name="rows")),
                ("valid_rows", models.PositiveIntegerField(default=0, verbose_name="valid rows")),
                ("duplicate_rows", models.PositiveIntegerField(default=0, verbose_name="already imported")),
                ("processed_rows", models.PositiveIntegerField(default=0, verbose_name="processed rows")),
                ("created_count", models.PositiveIntegerField(default=0, verbose_name="donations created")),
                ("errors", models.JSONField(blank=True, default=list, verbose_name="errors")),
                ("preview", models.JSONField(blank=True, default=list, verbose_name="rows to import")),
                ("message", models.TextField(blank=True, max_length=20000, verbose_name="message")),
                ("file_sha256", models.CharField(blank=True, max_length=64, verbose_name="file SHA-256")),
                ("mapping", models.JSONField(blank=True, default=dict, verbose_name="column mapping")),
                ("summary", models.JSONField(blank=True, default=dict, verbose_name="dry-run summary")),
                ("error_rows", models.PositiveIntegerField(default=0, verbose_name="rows in error")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded")),
                ("queued_at", models.DateTimeField(blank=True, null=True, verbose_name="queued")),
                ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="started")),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished")),
                (
                    "channel",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="imports",
                        to="fundraising.channel",
                        verbose_name="source",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "import",
                "verbose_name_plural": "imports",
                "ordering": ["-created_at"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("status__in", ["queued", "running"])),
                        fields=["status"],
                        name="import_in_flight_idx",
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("message"), 20000
                        ),
                        name="fundraising_importbatch_message_len",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="donation",
            name="import_batch",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="donations",
                to="fundraising.importbatch",
            ),
        ),
        migrations.CreateModel(
            name="LedgerAccountMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(help_text="The first day of the month.", verbose_name="month")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("entries", models.PositiveIntegerField(default=0, verbose_name="entries")),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="programme_months",
                        to="fundraising.account",
                        verbose_name="account",
                    ),
                ),
            ],
            options={
                "verbose_name": "programme's monthly total",
                "verbose_name_plural": "programme's monthly totals",
                "ordering": ["month", "account"],
                "constraints": [
                    models.UniqueConstraint(fields=("account", "month"), name="ledger_account_month_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("month__day", 1)), name="ledger_account_month_first_of_month"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="LedgerCampaignTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("is_matching", models.BooleanField(verbose_name="matching gifts")),
                (
                    "reversal",
                    models.BooleanField(
                        help_text="The entries of the gifts' reversals.", verbose_name="reversals"
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="Income is a credit: the money raised is its opposite.",
                        max_digits=14,
                        verbose_name="amount",
                    ),
                ),
                ("entries", models.PositiveIntegerField(default=0, verbose_name="entries")),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="ledger_totals",
                        to="fundraising.campaign",
                        verbose_name="campaign",
                    ),
                ),
            ],
            options={
                "verbose_name": "campaign's ledger total",
                "verbose_name_plural": "campaigns' ledger totals",
                "ordering": ["campaign", "is_matching", "reversal"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("campaign", "is_matching", "reversal"), name="ledger_campaign_total_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="LedgerCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=20, unique=True, verbose_name="code")),
                (
                    "kind",
                    models.CharField(
                        choices=[("month_close", "Month close"), ("daily", "Daily")],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("taken_on", models.DateField(verbose_name="taken on")),
                ("month", models.DateField(blank=True, null=True, verbose_name="closed month")),
                ("seq", models.BigIntegerField(verbose_name="last entry")),
                ("hash", models.CharField(max_length=64, verbose_name="hash of the last entry")),
                ("balances", models.JSONField(blank=True, default=dict, verbose_name="balances by fund")),
                ("total", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="total balance")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
            ],
            options={
                "verbose_name": "ledger checkpoint",
                "verbose_name_plural": "ledger checkpoints",
                "ordering": ["-seq", "-pk"],
                "indexes": [models.Index(fields=["taken_on", "seq"], name="fundraising_taken_o_7861ca_idx")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("seq__gte", 0)), name="ledger_checkpoint_seq_not_negative"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("kind", "daily")),
                        fields=("taken_on",),
                        name="ledger_checkpoint_one_daily_per_day",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("kind", "month_close")),
                        fields=("month",),
                        name="ledger_checkpoint_one_per_closed_month",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "month_close"), ("month__isnull", False), ("month__day", 1)),
                            models.Q(("kind", "daily"), ("month__isnull", True)),
                            _connector="OR",
                        ),
                        name="ledger_checkpoint_month_matches_kind",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="LedgerFundMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(help_text="The first day of the month.", verbose_name="month")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("donation", "Donation"),
                            ("in_kind", "In-kind gift"),
                            ("allocation", "Allocation"),
                            ("disbursement", "Disbursement"),
                            ("expenditure", "Expenditure"),
                            ("reversal", "Reversal"),
                            ("adjustment", "Adjustment"),
                        ],
                        max_length=14,
                        verbose_name="transaction kind",
                    ),
                ),
                (
                    "reverses_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("donation", "Donation"),
                            ("in_kind", "In-kind gift"),
                            ("allocation", "Allocation"),
                            ("disbursement", "Disbursement"),
                            ("expenditure", "Expenditure"),
                            ("reversal", "Reversal"),
                            ("adjustment", "Adjustment"),
                        ],
                        max_length=14,
                        verbose_name="kind of the transaction reversed",
                    ),
                ),
                ("positive", models.BooleanField(verbose_name="debit")),
                ("funder_kind", models.CharField(max_length=12, verbose_name="kind of funder")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("entries", models.PositiveIntegerField(default=0, verbose_name="entries")),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="fund_month_figures",
                        to="fundraising.account",
                        verbose_name="account",
                    ),
                ),
                (
                    "fund",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="month_figures",
                        to="fundraising.fund",
                        verbose_name="fund",
                    ),
                ),
            ],
            options={
                "verbose_name": "fund's monthly figure",
                "verbose_name_plural": "funds' monthly figures",
                "ordering": ["fund", "month", "account"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "fund",
                            "account",
                            "month",
                            "kind",
                            "reverses_kind",
                            "positive",
                            "funder_kind",
                        ),
                        name="ledger_fund_month_unique",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("month__day", 1)), name="ledger_fund_month_first_of_month"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="LedgerMonthTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(help_text="The first day of the month.", verbose_name="month")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("entries", models.PositiveIntegerField(default=0, verbose_name="entries")),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="month_totals",
                        to="fundraising.account",
                        verbose_name="account",
                    ),
                ),
                (
                    "fund",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="month_totals",
                        to="fundraising.fund",
                        verbose_name="fund",
                    ),
                ),
            ],
            options={
                "verbose_name": "ledger month total",
                "verbose_name_plural": "ledger month totals",
                "ordering": ["month", "account", "fund"],
                "indexes": [models.Index(fields=["month", "account"], name="fundraising_month_45d2f2_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("account", "fund", "month"), name="ledger_month_total_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("month__day", 1)), name="ledger_month_total_first_of_month"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="LedgerTransaction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(verbose_name="date")),
                (
                    "occurred_on",
                    models.DateField(
                        blank=True,
                        help_text="Set only for a prior-period adjustment: the real date of an event that fell in a month already closed when it was posted (the transaction is then dated in the first open month).",
                        null=True,
                        verbose_name="occurred on",
                    ),
                ),
                ("memo", models.CharField(max_length=255, verbose_name="memo")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("donation", "Donation"),
                            ("in_kind", "In-kind gift"),
                            ("allocation", "Allocation"),
                            ("disbursement", "Disbursement"),
                            ("expenditure", "Expenditure"),
                            ("reversal", "Reversal"),
                            ("adjustment", "Adjustment"),
                        ],
                        max_length=14,
                        verbose_name="kind",
                    ),
                ),
                ("source_id", models.CharField(blank=True, max_length=40)),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "reverses",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reversed_by",
                        to="fundraising.ledgertransaction",
                        verbose_name="reverses",
                    ),
                ),
                (
                    "source_type",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
            ],
            options={
                "verbose_name": "ledger transaction",
                "verbose_name_plural": "ledger transactions",
                "ordering": ["-date", "-pk"],
                "indexes": [
                    models.Index(fields=["source_type", "source_id"], name="fundraising_source__a75fac_idx"),
                    models.Index(fields=["date"], name="fundraising_date_6cf6d0_idx"),
                    models.Index(fields=["created_at"], name="fundraising_created_c01614_idx"),
                    models.Index(
                        condition=models.Q(("occurred_on__isnull", False)),
                        fields=["occurred_on"],
                        name="fundraising_ledgertx_occurred",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="LedgerEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="Debit positive, credit negative.",
                        max_digits=14,
                        verbose_name="amount",
                    ),
                ),
                ("seq", models.BigIntegerField(blank=True, null=True, verbose_name="sequence")),
                (
                    "prev_hash",
                    models.CharField(blank=True, max_length=64, null=True, verbose_name="previous hash"),
                ),
                ("hash", models.CharField(blank=True, max_length=64, null=True, verbose_name="hash")),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="fundraising.account",
                        verbose_name="account",
                    ),
                ),
                (
                    "fund",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="fundraising.fund",
                        verbose_name="fund",
                    ),
                ),
                (
                    "transaction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="fundraising.ledgertransaction",
                        verbose_name="transaction",
                    ),
                ),
            ],
            options={
                "verbose_name": "ledger entry",
                "verbose_name_plural": "ledger entries",
                "ordering": ["seq"],
                "indexes": [
                    models.Index(fields=["fund", "account"], name="fundraising_fund_id_f87d0e_idx"),
                    models.Index(
                        condition=models.Q(("seq__isnull", True)),
                        fields=["id"],
                        name="ledger_entry_unchained",
                    ),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount", 0), _negated=True), name="ledger_entry_not_zero"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("hash__isnull", False), ("prev_hash__isnull", False), ("seq__isnull", False)
                            ),
                            models.Q(
                                ("hash__isnull", True), ("prev_hash__isnull", True), ("seq__isnull", True)
                            ),
                            _connector="OR",
                        ),
                        name="ledger_entry_chained_whole",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("seq__isnull", False)),
                        fields=("seq",),
                        name="fundraising_ledgerentry_seq_key",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("hash__isnull", False)),
                        fields=("hash",),
                        name="fundraising_ledgerentry_hash_key",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="InKindGift",
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
                            ("goods", "Goods"),
                            ("venue", "Venue"),
                            ("service", "Professional service"),
                            ("volunteer", "Volunteer labour"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("giver_name", models.CharField(blank=True, max_length=120, verbose_name="giver name")),
                ("description", models.CharField(max_length=255, verbose_name="description")),
                ("value", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="stated value")),
                (
                    "basis",
                    models.CharField(
                        help_text="E.g. market price, or hours × hourly rate.",
                        max_length=255,
                        verbose_name="basis of the value",
                    ),
                ),
                (
                    "hours",
                    models.DecimalField(
                        blank=True, decimal_places=1, max_digits=8, null=True, verbose_name="hours"
                    ),
                ),
                ("received_on", models.DateField(verbose_name="date")),
                (
                    "fund",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="fundraising.fund",
                        verbose_name="designation",
                    ),
                ),
                (
                    "funder",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="fundraising.funder",
                        verbose_name="giver",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "ledger_transaction",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="in_kind_gift",
                        to="fundraising.ledgertransaction",
                    ),
                ),
            ],
            options={
                "verbose_name": "in-kind gift",
                "verbose_name_plural": "in-kind gifts and volunteer labour",
                "ordering": ["-received_on"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("value__gt", 0)), name="in_kind_value_positive"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalInKindGift",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("goods", "Goods"),
                            ("venue", "Venue"),
                            ("service", "Professional service"),
                            ("volunteer", "Volunteer labour"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("giver_name", models.CharField(blank=True, max_length=120, verbose_name="giver name")),
                ("description", models.CharField(max_length=255, verbose_name="description")),
                ("value", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="stated value")),
                (
                    "basis",
                    models.CharField(
                        help_text="E.g. market price, or hours × hourly rate.",
                        max_length=255,
                        verbose_name="basis of the value",
                    ),
                ),
                (
                    "hours",
                    models.DecimalField(
                        blank=True, decimal_places=1, max_digits=8, null=True, verbose_name="hours"
                    ),
                ),
                ("received_on", models.DateField(verbose_name="date")),
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
                    "fund",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.fund",
                        verbose_name="designation",
                    ),
                ),
                (
                    "funder",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.funder",
                        verbose_name="giver",
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
                    "ledger_transaction",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.ledgertransaction",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical in-kind gift",
                "verbose_name_plural": "historical in-kind gifts and volunteer labour",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalExpenditure",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("description", models.CharField(max_length=255, verbose_name="description")),
                (
                    "payee",
                    models.CharField(
                        help_text="Who was paid (kept private).", max_length=200, verbose_name="payee"
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("spent_on", models.DateField(verbose_name="date spent")),
                (
                    "classification",
                    models.CharField(
                        choices=[
                            ("programme", "Programme (charitable activities)"),
                            ("management", "Management"),
                            ("fundraising", "Fundraising"),
                        ],
                        default="programme",
                        max_length=12,
                        verbose_name="cost classification",
                    ),
                ),
                (
                    "paid_from",
                    models.CharField(
                        choices=[
                            ("advance", "The organization, from disbursed funds"),
                            ("bank", "The foundation, directly"),
                        ],
                        default="advance",
                        max_length=8,
                        verbose_name="paid by",
                    ),
                ),
                (
                    "invoice_number",
                    models.CharField(blank=True, max_length=64, verbose_name="invoice or receipt number"),
                ),
                ("document", models.TextField(max_length=100, verbose_name="invoice or receipt")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "Waiting for approval"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                            ("reversed", "Reversed"),
                        ],
                        default="submitted",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("submitted_at", models.DateTimeField(blank=True, editable=False, verbose_name="submitted")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                ("decision_note", models.CharField(blank=True, max_length=500, verbose_name="decision note")),
                (
                    "over_budget_reason",
                    models.CharField(
                        blank=True,
                        help_text="Required when the claim takes its budget line's approved and pending spending over the line's amount; shown to the approver and kept in the history.",
                        max_length=500,
                        verbose_name="reason for going over the budget line",
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
                    "budget_line",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.budgetline",
                        verbose_name="budget line",
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
                        verbose_name="decided by",
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
                    "submitted_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="submitted by",
                    ),
                ),
                (
                    "ledger_transaction",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.ledgertransaction",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical expenditure",
                "verbose_name_plural": "historical expenditures",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDonation",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("receipt_number", models.CharField(max_length=64, verbose_name="receipt number")),
                (
                    "external_id",
                    models.CharField(
                        blank=True,
                        help_text="The source's own id (imports, notices).",
                        max_length=100,
                        verbose_name="external id",
                    ),
                ),
                ("donor_name", models.CharField(blank=True, max_length=120, verbose_name="donor name")),
                (
                    "show_name",
                    models.BooleanField(default=False, verbose_name="donor agreed to show the name"),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("received_on", models.DateField(verbose_name="date received")),
                ("is_matching", models.BooleanField(default=False, verbose_name="matching gift")),
                ("note", models.CharField(blank=True, max_length=255, verbose_name="note")),
                (
                    "status",
                    models.CharField(
                        choices=[("recorded", "Recorded"), ("reversed", "Reversed")],
                        default="recorded",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
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
                    "campaign",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.campaign",
                        verbose_name="campaign",
                    ),
                ),
                (
                    "channel",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.channel",
                        verbose_name="channel",
                    ),
                ),
                (
                    "fund",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.fund",
                        verbose_name="designation",
                    ),
                ),
                (
                    "funder",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        help_text="Leave empty for an anonymous gift.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.funder",
                        verbose_name="funder",
                    ),
                ),
                (
                    "grant_tranche",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.granttranche",
                        verbose_name="grant tranche",
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
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "import_batch",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.importbatch",
                    ),
                ),
                (
                    "ledger_transaction",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.ledgertransaction",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical donation",
                "verbose_name_plural": "historical donations",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDisbursement",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("tranche", models.PositiveSmallIntegerField(verbose_name="tranche")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("paid_on", models.DateField(verbose_name="paid on")),
                ("note", models.CharField(blank=True, max_length=255, verbose_name="note")),
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
                    "fund",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.fund",
                        verbose_name="project fund",
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
                    "ledger_transaction",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.ledgertransaction",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical disbursement",
                "verbose_name_plural": "historical disbursements",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalAllocation",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("allocated_on", models.DateField(verbose_name="date")),
                ("note", models.CharField(blank=True, max_length=255, verbose_name="note")),
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
                    "from_fund",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.fund",
                        verbose_name="from fund",
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
                    "to_fund",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.fund",
                        verbose_name="to fund",
                    ),
                ),
                (
                    "ledger_transaction",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.ledgertransaction",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical allocation",
                "verbose_name_plural": "historical allocations",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Expenditure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("description", models.CharField(max_length=255, verbose_name="description")),
                (
                    "payee",
                    models.CharField(
                        help_text="Who was paid (kept private).", max_length=200, verbose_name="payee"
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("spent_on", models.DateField(verbose_name="date spent")),
                (
                    "classification",
                    models.CharField(
                        choices=[
                            ("programme", "Programme (charitable activities)"),
                            ("management", "Management"),
                            ("fundraising", "Fundraising"),
                        ],
                        default="programme",
                        max_length=12,
                        verbose_name="cost classification",
                    ),
                ),
                (
                    "paid_from",
                    models.CharField(
                        choices=[
                            ("advance", "The organization, from disbursed funds"),
                            ("bank", "The foundation, directly"),
                        ],
                        default="advance",
                        max_length=8,
                        verbose_name="paid by",
                    ),
                ),
                (
                    "invoice_number",
                    models.CharField(blank=True, max_length=64, verbose_name="invoice or receipt number"),
                ),
                (
                    "document",
                    models.FileField(
                        upload_to=fundraising.models.expenditure_document_upload_to,
                        verbose_name="invoice or receipt",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "Waiting for approval"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                            ("reversed", "Reversed"),
                        ],
                        default="submitted",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("submitted_at", models.DateTimeField(auto_now_add=True, verbose_name="submitted")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided")),
                ("decision_note", models.CharField(blank=True, max_length=500, verbose_name="decision note")),
                (
                    "over_budget_reason",
                    models.CharField(
                        blank=True,
                        help_text="Required when the claim takes its budget line's approved and pending spending over the line's amount; shown to the approver and kept in the history.",
                        max_length=500,
                        verbose_name="reason for going over the budget line",
                    ),
                ),
                (
                    "budget_line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="expenditures",
                        to="projects.budgetline",
                        verbose_name="budget line",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="expenditures",
                        to="organizations.organization",
                        verbose_name="organization",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="expenditures",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="submitted by",
                    ),
                ),
                (
                    "ledger_transaction",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="expenditure",
                        to="fundraising.ledgertransaction",
                    ),
                ),
            ],
            options={
                "verbose_name": "expenditure",
                "verbose_name_plural": "expenditures",
                "ordering": ["-spent_on", "-pk"],
                "indexes": [
                    models.Index(fields=["status"], name="fundraising_status_a0e9fb_idx"),
                    models.Index(fields=["spent_on", "id"], name="fundraising_spent_o_44555c_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="expenditure_amount_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["submitted", "approved", "rejected", "reversed"])),
                        name="expenditure_status_valid",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="donation",
            name="ledger_transaction",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="donation",
                to="fundraising.ledgertransaction",
            ),
        ),
        migrations.CreateModel(
            name="Disbursement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("tranche", models.PositiveSmallIntegerField(verbose_name="tranche")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("paid_on", models.DateField(verbose_name="paid on")),
                ("note", models.CharField(blank=True, max_length=255, verbose_name="note")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disbursements",
                        to="organizations.organization",
                        verbose_name="organization",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disbursements",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
                (
                    "fund",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="fundraising.fund",
                        verbose_name="project fund",
                    ),
                ),
                (
                    "ledger_transaction",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disbursement",
                        to="fundraising.ledgertransaction",
                    ),
                ),
            ],
            options={
                "verbose_name": "disbursement",
                "verbose_name_plural": "disbursements",
                "ordering": ["-paid_on", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="disbursement_amount_positive"
                    ),
                    models.UniqueConstraint(
                        fields=("project", "tranche"), name="disbursement_tranche_per_project"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Allocation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("allocated_on", models.DateField(verbose_name="date")),
                ("note", models.CharField(blank=True, max_length=255, verbose_name="note")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "from_fund",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="fundraising.fund",
                        verbose_name="from fund",
                    ),
                ),
                (
                    "to_fund",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="fundraising.fund",
                        verbose_name="to fund",
                    ),
                ),
                (
                    "ledger_transaction",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="allocation",
                        to="fundraising.ledgertransaction",
                    ),
                ),
            ],
            options={
                "verbose_name": "allocation",
                "verbose_name_plural": "allocations",
                "ordering": ["-allocated_on"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="allocation_amount_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("from_fund", models.F("to_fund")), _negated=True),
                        name="allocation_two_funds",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="LedgerVerification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("verified_at", models.DateTimeField(auto_now_add=True, verbose_name="verified at")),
                ("seq", models.BigIntegerField(verbose_name="last entry checked")),
                ("hash", models.CharField(max_length=64, verbose_name="hash of the last entry checked")),
                ("seconds", models.FloatField(default=0, verbose_name="seconds")),
                (
                    "checkpoint",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="verifications",
                        to="fundraising.ledgercheckpoint",
                        verbose_name="latest checkpoint covered",
                    ),
                ),
            ],
            options={
                "verbose_name": "ledger verification",
                "verbose_name_plural": "ledger verifications",
                "ordering": ["-verified_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="NotificationConflict",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("external_id", models.CharField(max_length=100, verbose_name="platform's donation id")),
                ("received", models.JSONField(verbose_name="values received")),
                ("differences", models.JSONField(default=list, verbose_name="fields that differ")),
                ("digest", models.CharField(max_length=64)),
                ("received_at", models.DateTimeField(auto_now_add=True, verbose_name="received")),
                ("times", models.PositiveIntegerField(default=1, verbose_name="times received")),
                ("reviewed_at", models.DateTimeField(blank=True, null=True, verbose_name="reviewed")),
                (
                    "channel",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="notification_conflicts",
                        to="fundraising.channel",
                        verbose_name="channel",
                    ),
                ),
                (
                    "notification",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="conflicts",
                        to="fundraising.donationnotification",
                        verbose_name="notification first stored",
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reviewed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "notification conflict",
                "verbose_name_plural": "notification conflicts",
                "ordering": ["-received_at", "-pk"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("reviewed_at__isnull", True)),
                        fields=["id"],
                        name="notification_conflict_open",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("channel", "external_id", "digest"), name="notification_conflict_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("times__gte", 1)), name="notification_conflict_times_positive"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="NotificationNonce",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("nonce", models.CharField(max_length=100)),
                ("received_at", models.DateTimeField(auto_now_add=True)),
                (
                    "channel",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="fundraising.channel",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("channel", "nonce"), name="notification_nonce_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="OfficialReceipt",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        help_text="The 票据代码 printed on the receipt book.",
                        max_length=20,
                        verbose_name="receipt book code",
                    ),
                ),
                (
                    "number",
                    models.CharField(
                        help_text="The 票据号码 of the receipt.", max_length=20, verbose_name="receipt number"
                    ),
                ),
                ("payer_name", models.CharField(max_length=200, verbose_name="payer")),
                ("payer_email", models.EmailField(blank=True, max_length=254, verbose_name="payer's email")),
                ("payer_phone", models.CharField(blank=True, max_length=30, verbose_name="payer's phone")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("issued_on", models.DateField(verbose_name="date issued")),
                (
                    "state",
                    models.CharField(
                        choices=[("issued", "Issued"), ("reissued", "Reissued"), ("voided", "Voided")],
                        default="issued",
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                (
                    "void_reason",
                    models.CharField(blank=True, max_length=255, verbose_name="reason for voiding"),
                ),
                ("voided_at", models.DateTimeField(blank=True, null=True, verbose_name="voided at")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "donation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="official_receipts",
                        to="fundraising.donation",
                        verbose_name="donation",
                    ),
                ),
                (
                    "funder",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="official_receipts",
                        to="fundraising.funder",
                        verbose_name="paying funder",
                    ),
                ),
                (
                    "issued_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="issued by",
                    ),
                ),
                (
                    "replaces",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="replaced_by",
                        to="fundraising.officialreceipt",
                        verbose_name="replaces",
                    ),
                ),
                (
                    "voided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="voided by",
                    ),
                ),
            ],
            options={
                "verbose_name": "official donation receipt",
                "verbose_name_plural": "official donation receipts",
                "ordering": ["-issued_on", "-pk"],
                "indexes": [
                    models.Index(fields=["issued_on", "id"], name="official_receipt_issued_idx"),
                    models.Index(fields=["payer_name"], name="official_receipt_payer_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("code", "number"), name="official_receipt_serial_once"),
                    models.UniqueConstraint(
                        condition=models.Q(("state__in", ("issued", "reissued"))),
                        fields=("donation",),
                        name="official_receipt_one_live_per_donation",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="official_receipt_amount_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("code", ""), _negated=True),
                            models.Q(("number", ""), _negated=True),
                            models.Q(("payer_name", ""), _negated=True),
                        ),
                        name="official_receipt_serial_and_payer",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("state", "voided"),
                                ("voided_at__isnull", False),
                                ("voided_by__isnull", False),
                                models.Q(("void_reason", ""), _negated=True),
                            ),
                            models.Q(
                                ("state__in", ("issued", "reissued")),
                                ("void_reason", ""),
                                ("voided_at__isnull", True),
                                ("voided_by__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="official_receipt_void_has_reason",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("replaces__isnull", True), ("state", "issued")),
                            models.Q(("replaces__isnull", False), ("state", "reissued")),
                            ("state", "voided"),
                            _connector="OR",
                        ),
                        name="official_receipt_reissue_linked",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("replaces", models.F("pk")), _negated=True),
                        name="official_receipt_not_itself",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalOfficialReceipt",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "code",
                    models.CharField(
                        help_text="The 票据代码 printed on the receipt book.",
                        max_length=20,
                        verbose_name="receipt book code",
                    ),
                ),
                (
                    "number",
                    models.CharField(
                        help_text="The 票据号码 of the receipt.", max_length=20, verbose_name="receipt number"
                    ),
                ),
                ("payer_name", models.CharField(max_length=200, verbose_name="payer")),
                ("payer_email", models.EmailField(blank=True, max_length=254, verbose_name="payer's email")),
                ("payer_phone", models.CharField(blank=True, max_length=30, verbose_name="payer's phone")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("issued_on", models.DateField(verbose_name="date issued")),
                (
                    "state",
                    models.CharField(
                        choices=[("issued", "Issued"), ("reissued", "Reissued"), ("voided", "Voided")],
                        default="issued",
                        max_length=10,
                        verbose_name="state",
                    ),
                ),
                (
                    "void_reason",
                    models.CharField(blank=True, max_length=255, verbose_name="reason for voiding"),
                ),
                ("voided_at", models.DateTimeField(blank=True, null=True, verbose_name="voided at")),
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
                    "donation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.donation",
                        verbose_name="donation",
                    ),
                ),
                (
                    "funder",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.funder",
                        verbose_name="paying funder",
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
                        verbose_name="issued by",
                    ),
                ),
                (
                    "voided_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="voided by",
                    ),
                ),
                (
                    "replaces",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.officialreceipt",
                        verbose_name="replaces",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical official donation receipt",
                "verbose_name_plural": "historical official donation receipts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="PeriodClose",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "month",
                    models.DateField(
                        help_text="The first day of the closed month.", unique=True, verbose_name="month"
                    ),
                ),
                ("closed_at", models.DateTimeField(auto_now_add=True, verbose_name="closed at")),
                ("note", models.CharField(blank=True, max_length=255, verbose_name="note")),
                (
                    "closed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="closed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "closed month",
                "verbose_name_plural": "closed months",
                "ordering": ["-month"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("month__day", 1)), name="period_close_first_of_month"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PlatformBill",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "preset",
                    models.CharField(
                        choices=[
                            ("wechat", "WeChat Pay merchant trade bill"),
                            ("alipay", "Alipay account statement"),
                            ("charity", "Charity platform donation export"),
                            ("bank", "Bank statement"),
                        ],
                        max_length=10,
                        verbose_name="layout",
                    ),
                ),
                ("file", models.FileField(upload_to="bills/%Y/%m/", verbose_name="file")),
                ("filename", models.CharField(max_length=200, verbose_name="file name")),
                ("file_sha256", models.CharField(max_length=64, verbose_name="file SHA-256")),
                ("encoding", models.CharField(blank=True, max_length=20, verbose_name="encoding")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("preview", "Dry run ready"),
                            ("imported", "Imported"),
                            ("discarded", "Discarded"),
                        ],
                        default="preview",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("summary", models.JSONField(blank=True, default=dict, verbose_name="dry-run summary")),
                ("errors", models.JSONField(blank=True, default=list, verbose_name="errors")),
                ("preview", models.JSONField(blank=True, default=list, verbose_name="rows to import")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded")),
                ("imported_at", models.DateTimeField(blank=True, null=True, verbose_name="imported")),
                (
                    "channel",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bills",
                        to="fundraising.channel",
                        verbose_name="channel",
                    ),
                ),
                (
                    "default_fund",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="fundraising.fund",
                        verbose_name="designation of gifts without one",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "platform bill",
                "verbose_name_plural": "platform bills",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalBankLine",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("external_id", models.CharField(max_length=100, verbose_name="bank's serial number")),
                ("occurred_on", models.DateField(verbose_name="date")),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="Money in positive, money out negative.",
                        max_digits=14,
                        verbose_name="amount",
                    ),
                ),
                (
                    "balance",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="balance"
                    ),
                ),
                ("summary", models.CharField(blank=True, max_length=200, verbose_name="summary")),
                ("counterparty", models.CharField(blank=True, max_length=200, verbose_name="counterparty")),
                (
                    "counterparty_account",
                    models.CharField(blank=True, max_length=100, verbose_name="counterparty account"),
                ),
                ("row", models.PositiveIntegerField(default=0, verbose_name="row")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("unmatched", "Not matched"),
                            ("matched", "Matched"),
                            ("explained", "Explained"),
                        ],
                        default="unmatched",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("exact", "Same amount and day"),
                            ("near", "Same amount, within the date window"),
                            ("reference", "By reference"),
                            ("manual", "By hand"),
                            ("payout", "Recorded as a platform's payout"),
                        ],
                        max_length=10,
                        verbose_name="matched",
                    ),
                ),
                ("explanation", models.TextField(blank=True, max_length=20000, verbose_name="explanation")),
                ("resolved_at", models.DateTimeField(blank=True, null=True, verbose_name="reconciled")),
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
                    "channel",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.channel",
                        verbose_name="bank account",
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
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reconciled by",
                    ),
                ),
                (
                    "matched_transaction",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.ledgertransaction",
                        verbose_name="ledger transaction",
                    ),
                ),
                (
                    "bill",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="fundraising.platformbill",
                        verbose_name="statement",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical bank statement line",
                "verbose_name_plural": "historical bank statement lines",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="BillLine",
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
                            ("gift", "Gift"),
                            ("fee", "Platform fee"),
                            ("refund", "Refund"),
                            ("fee_refund", "Fee returned"),
                            ("payout", "Payout to the bank"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("external_id", models.CharField(max_length=100, verbose_name="platform's id")),
                (
                    "reference",
                    models.CharField(blank=True, max_length=100, verbose_name="order or reference"),
                ),
                ("occurred_on", models.DateField(verbose_name="date")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount")),
                ("row", models.PositiveIntegerField(default=0, verbose_name="row")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "channel",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bill_lines",
                        to="fundraising.channel",
                        verbose_name="channel",
                    ),
                ),
                (
                    "donation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bill_lines",
                        to="fundraising.donation",
                        verbose_name="donation",
                    ),
                ),
                (
                    "fund",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="fundraising.fund",
                        verbose_name="fund",
                    ),
                ),
                (
                    "ledger_transaction",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bill_line",
                        to="fundraising.ledgertransaction",
                    ),
                ),
                (
                    "bill",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lines",
                        to="fundraising.platformbill",
                        verbose_name="bill",
                    ),
                ),
            ],
            options={
                "verbose_name": "bill line",
                "verbose_name_plural": "bill lines",
                "ordering": ["occurred_on", "pk"],
                "indexes": [
                    models.Index(
                        fields=["channel", "kind", "occurred_on"], name="fundraising_channel_b9d9a1_idx"
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gt", 0)), name="bill_line_amount_positive"
                    ),
                    models.UniqueConstraint(
                        fields=("channel", "kind", "external_id"), name="bill_line_once_per_platform_id"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind__in", ["gift", "refund"]), _negated=True),
                            ("donation__isnull", False),
                            _connector="OR",
                        ),
                        name="bill_line_gift_refund_has_donation",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="BankLine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("external_id", models.CharField(max_length=100, verbose_name="bank's serial number")),
                ("occurred_on", models.DateField(verbose_name="date")),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        help_text="Money in positive, money out negative.",
                        max_digits=14,
                        verbose_name="amount",
                    ),
                ),
                (
                    "balance",
                    models.DecimalField(
                        blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="balance"
                    ),
                ),
                ("summary", models.CharField(blank=True, max_length=200, verbose_name="summary")),
                ("counterparty", models.CharField(blank=True, max_length=200, verbose_name="counterparty")),
                (
                    "counterparty_account",
                    models.CharField(blank=True, max_length=100, verbose_name="counterparty account"),
                ),
                ("row", models.PositiveIntegerField(default=0, verbose_name="row")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("unmatched", "Not matched"),
                            ("matched", "Matched"),
                            ("explained", "Explained"),
                        ],
                        default="unmatched",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "method",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("exact", "Same amount and day"),
                            ("near", "Same amount, within the date window"),
                            ("reference", "By reference"),
                            ("manual", "By hand"),
                            ("payout", "Recorded as a platform's payout"),
                        ],
                        max_length=10,
                        verbose_name="matched",
                    ),
                ),
                ("explanation", models.TextField(blank=True, max_length=20000, verbose_name="explanation")),
                ("resolved_at", models.DateTimeField(blank=True, null=True, verbose_name="reconciled")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reconciled by",
                    ),
                ),
                (
                    "channel",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="fundraising.channel",
                        verbose_name="bank account",
                    ),
                ),
                (
                    "matched_transaction",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bank_line",
                        to="fundraising.ledgertransaction",
                        verbose_name="ledger transaction",
                    ),
                ),
                (
                    "bill",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="bank_lines",
                        to="fundraising.platformbill",
                        verbose_name="statement",
                    ),
                ),
            ],
            options={
                "verbose_name": "bank statement line",
                "verbose_name_plural": "bank statement lines",
                "ordering": ["occurred_on", "pk"],
                "indexes": [
                    models.Index(fields=["status", "occurred_on"], name="fundraising_status_4cad90_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount", 0), _negated=True), name="bank_line_not_zero"
                    ),
                    models.UniqueConstraint(
                        fields=("channel", "external_id"), name="bank_line_once_per_serial"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "unmatched"), ("matched_transaction__isnull", True)),
                            models.Q(
                                ("status", "matched"),
                                ("matched_transaction__isnull", False),
                                models.Q(("method", ""), _negated=True),
                            ),
                            models.Q(
                                ("status", "explained"),
                                ("matched_transaction__isnull", True),
                                models.Q(("explanation", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="bank_line_status_consistent",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("explanation"), 20000
                        ),
                        name="fundraising_bankline_explanation_len",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="AccountMapping",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "line",
                    models.CharField(
                        choices=[
                            ("bs_cash", "Cash and bank deposits"),
                            ("bs_short_investments", "Short-term investments"),
                            ("bs_receivables", "Receivables (incl. other receivables)"),
                            ("bs_prepayments", "Prepayments (incl. advances to partner organizations)"),
                            ("bs_inventories", "Inventories"),
                            ("bs_other_current", "Other current assets"),
                            ("bs_long_investments", "Long-term investments"),
                            ("bs_fixed_assets", "Fixed assets"),
                            ("bs_intangibles", "Intangible assets"),
                            ("bs_entrusted", "Entrusted agency assets"),
                            ("na_adjustment", "Direct adjustment of net assets"),
                            ("in_donations", "Donation income"),
                            ("in_membership", "Membership fee income"),
                            ("in_services", "Income from services provided"),
                            ("in_sales", "Income from sales of goods"),
                            ("in_government", "Government grant income"),
                            ("in_investment", "Investment income"),
                            ("in_other", "Other income"),
                            ("ex_programme", "Programme activity costs"),
                            ("ex_management", "Management expenses"),
                            ("ex_fundraising", "Fundraising expenses"),
                            ("ex_other", "Other expenses"),
                        ],
                        max_length=32,
                        verbose_name="statement line",
                    ),
                ),
                (
                    "cash_flow",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("cf_donations", "Cash received from donations"),
                            ("cf_membership", "Cash received from membership fees"),
                            ("cf_services", "Cash received from services provided"),
                            ("cf_sales", "Cash received from sales of goods"),
                            ("cf_government", "Cash received from government grants"),
                            ("cf_other_in", "Other cash received relating to operating activities"),
                            ("cf_grants_paid", "Cash paid for donations and grants made"),
                            ("cf_staff", "Cash paid to and for employees"),
                            ("cf_purchases", "Cash paid for goods and services"),
                            ("cf_other_out", "Other cash paid relating to operating activities"),
                            ("cf_inv_recovered", "Cash received from recovery of investments"),
                            ("cf_inv_income", "Cash received from investment income"),
                            (
                                "cf_disposals",
                                "Net cash received from disposal of fixed and intangible assets",
                            ),
                            ("cf_fixed_assets", "Cash paid to acquire fixed and intangible assets"),
                            ("cf_investments", "Cash paid for investments"),
                            ("cf_other_investing", "Other cash relating to investing activities"),
                            ("cf_borrowing", "Cash received from borrowing"),
                            ("cf_repayments", "Cash paid to repay debts"),
                            ("cf_interest", "Cash paid for interest"),
                            ("cf_other_financing", "Other cash relating to financing activities"),
                        ],
                        max_length=32,
                        verbose_name="cash-flow line",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="changed")),
                (
                    "account",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="statement_mapping",
                        to="fundraising.account",
                        verbose_name="account",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="changed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "account mapping",
                "verbose_name_plural": "chart of accounts mapping",
                "ordering": ["account__code"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "line__in",
                                [
                                    "bs_cash",
                                    "bs_short_investments",
                                    "bs_receivables",
                                    "bs_prepayments",
                                    "bs_inventories",
                                    "bs_other_current",
                                    "bs_long_investments",
                                    "bs_fixed_assets",
                                    "bs_intangibles",
                                    "bs_entrusted",
                                    "na_adjustment",
                                    "in_donations",
                                    "in_membership",
                                    "in_services",
                                    "in_sales",
                                    "in_government",
                                    "in_investment",
                                    "in_other",
                                    "ex_programme",
                                    "ex_management",
                                    "ex_fundraising",
                                    "ex_other",
                                ],
                            )
                        ),
                        name="account_mapping_line_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("line", "bs_cash"), ("cash_flow", "")),
                            models.Q(
                                models.Q(("line", "bs_cash"), _negated=True),
                                (
                                    "cash_flow__in",
                                    [
                                        "cf_donations",
                                        "cf_membership",
                                        "cf_services",
                                        "cf_sales",
                                        "cf_government",
                                        "cf_other_in",
                                        "cf_grants_paid",
                                        "cf_staff",
                                        "cf_purchases",
                                        "cf_other_out",
                                        "cf_inv_recovered",
                                        "cf_inv_income",
                                        "cf_disposals",
                                        "cf_fixed_assets",
                                        "cf_investments",
                                        "cf_other_investing",
                                        "cf_borrowing",
                                        "cf_repayments",
                                        "cf_interest",
                                        "cf_other_financing",
                                    ],
                                ),
                            ),
                            _connector="OR",
                        ),
                        name="account_mapping_cash_flow_unless_cash",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="FundBalance",
            fields=[
                (
                    "fund",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="running_balance",
                        serialize=False,
                        to="fundraising.fund",
                        verbose_name="fund",
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="balance"),
                ),
            ],
            options={
                "verbose_name": "fund balance",
                "verbose_name_plural": "fund balances",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount__gte", 0)), name="fund_running_balance_not_negative"
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="campaign",
            constraint=models.CheckConstraint(
                condition=models.Q(("goal__gt", 0)), name="campaign_goal_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="campaign",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_on__gte", models.F("starts_on"))), name="campaign_period"
            ),
        ),
        migrations.AddConstraint(
            model_name="campaign",
            constraint=models.CheckConstraint(
                condition=models.Q(("matching_cap__gte", 0), ("matching_ratio__gte", 0)),
                name="campaign_matching_not_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="campaign",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("story"), 20000
                ),
                name="fundraising_campaign_story_len",
            ),
        ),
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
        migrations.AddIndex(
            model_name="donation",
            index=models.Index(fields=["received_on", "id"], name="fundraising_receive_7733b2_idx"),
        ),
        migrations.AddIndex(
            model_name="donation",
            index=models.Index(
                condition=models.Q(("campaign__isnull", False)),
                fields=["campaign", "received_on", "id"],
                name="donation_campaign_latest",
            ),
        ),
        migrations.AddIndex(
            model_name="donation",
            index=models.Index(
                condition=models.Q(("funder__isnull", False)), fields=["funder"], name="donation_funder_set"
            ),
        ),
        migrations.AddConstraint(
            model_name="donation",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__gt", 0)), name="donation_amount_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="donation",
            constraint=models.UniqueConstraint(
                fields=("channel", "receipt_number"), name="donation_receipt_per_channel"
            ),
        ),
        migrations.AddConstraint(
            model_name="donation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_id", ""), _negated=True),
                fields=("channel", "external_id"),
                name="donation_external_id_per_channel",
            ),
        ),
        *replaced_operations("fundraising", "0002_append_only_ledger"),
        *replaced_operations("fundraising", "0010_ledger_refuses_truncate"),
        *replaced_operations("fundraising", "0020_ledger_entries_chained_after_import", migrations.RunPython),
        *replaced_operations("fundraising", "0023_unique_where_set", OnPostgreSQLOnlyDatabaseOperations),
    ]
