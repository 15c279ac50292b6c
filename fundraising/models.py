"""Funders, channels, funds, donations, grants, campaigns, in-kind gifts, allocations, disbursements,
expenditures, imports and the append-only double-entry ledger behind all of them.

Every money event posts exactly one balanced LedgerTransaction through `fundraising.ledger.ledger_post`.
Ledger entries are never updated or deleted (the admin offers no way to; on PostgreSQL a trigger refuses);
mistakes are undone by reversing transactions. Each entry carries the SHA-256 of its content and of the
previous entry, so `manage.py verify_ledger` proves nothing was altered.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from empowerment.money import MoneyField
from empowerment.textlimits import LONG_TEXT, text_length_check

# The ledger --------------------------------------------------------------------------------------------


class Account(models.Model):
    """A line of the chart of accounts. Asset accounts that are not in-kind hold a fund's money (its
    balance); income accounts are per channel; expense accounts per budget category and classification;
    in-kind gifts and volunteer labour post only to accounts flagged `in_kind`, kept apart from cash."""

    class Type(models.TextChoices):
        ASSET = "asset", _("Asset")
        NET_ASSETS = "net_assets", _("Net assets")
        INCOME = "income", _("Income")
        EXPENSE = "expense", _("Expense")

    class Classification(models.TextChoices):
        PROGRAMME = "programme", _("Programme (charitable activities)")
        MANAGEMENT = "management", _("Management")
        FUNDRAISING = "fundraising", _("Fundraising")

    code = models.CharField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    in_kind = models.BooleanField(_("in kind"), default=False)
    classification = models.CharField(
        _("cost classification"), max_length=12, choices=Classification.choices, blank=True
    )
    category = models.CharField(_("budget category"), max_length=20, blank=True)
    channel = models.ForeignKey(
        "Channel", verbose_name=_("channel"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("chart of accounts")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} · {self.name}"


class Fund(models.Model):
    """A pool of money: the programme's general fund (unrestricted), a community fund or a project fund
    (restricted to its purpose). Its running balance is kept apart, in FundBalance (`balance` reads it)."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General programme fund")
        COMMUNITY = "community", _("Community fund")
        PROJECT = "project", _("Project fund")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    restricted = models.BooleanField(
        _("restricted"), default=True, help_text=_("Restricted funds may be spent only on their purpose.")
    )
    description = models.TextField(_("description"), blank=True, max_length=LONG_TEXT)
    area = models.ForeignKey(
        "organizations.Area",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="community_funds",
    )
    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="general"), name="fund_one_general_fund"
            ),
            text_length_check("fundraising_fund", "description"),
            text_length_check("fundraising_fund", "description_en"),
            text_length_check("fundraising_fund", "description_zh_hans"),
        ]

    def __str__(self):
        return self.name

    @property
    def balance(self) -> Decimal:
        """The fund's running balance (FundBalance; zero before its first posting). ledger.lock_funds sets it
        on the funds it locks, read under their lock."""
        if "_balance" in self.__dict__:
            return self.__dict__["_balance"]
        amount = FundBalance.objects.filter(fund_id=self.pk).values_list("amount", flat=True).first()
        return amount if amount is not None else Decimal("0.00")


class FundBalance(models.Model):
    """A fund's running balance: the sum of its cash and advance entries, kept by every posting in the same
    transaction as the entries (under the fund's lock) and checked against that sum by `verify_ledger`; the
    database refuses a negative balance. Kept apart from the fund's row: the postings update it, and every
    donation and ledger entry refers to the fund's row, whose foreign-key checks would otherwise look
    through every version the postings made of it (a large import's checks took minutes that way)."""

    fund = models.OneToOneField(
        Fund,
        verbose_name=_("fund"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="running_balance",
    )
    amount = MoneyField(_("balance"), default=0)

    class Meta:
        verbose_name = _("fund balance")
        verbose_name_plural = _("fund balances")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="fund_running_balance_not_negative"),
        ]

    def __str__(self):
        return f"{self.fund_id} {self.amount}"


class PeriodClose(models.Model):
    """A closed month: nothing may be posted into it, or into any earlier month, afterwards."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the closed month."))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("closed month")
        verbose_name_plural = _("closed months")
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="period_close_first_of_month"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class LedgerChain(models.Model):
    """The head of the hash chain (one row): locked by every posting so entries are chained in order."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    # When entries written unchained (a large import) were last given their place (ledger.chain_pending):
    # they join the public ledger then, after their transactions were created.
    chained_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ledger chain head")
        verbose_name_plural = _("ledger chain head")

    def __str__(self):
        return f"{self.last_seq} {self.last_hash[:12]}"


class LedgerTransaction(models.Model):
    """One balanced event: its entries' amounts sum to zero."""

    class Kind(models.TextChoices):
        DONATION = "donation", _("Donation")
        IN_KIND = "in_kind", _("In-kind gift")
        ALLOCATION = "allocation", _("Allocation")
        DISBURSEMENT = "disbursement", _("Disbursement")
        EXPENDITURE = "expenditure", _("Expenditure")
        REVERSAL = "reversal", _("Reversal")
        ADJUSTMENT = "adjustment", _("Adjustment")

    date = models.DateField(_("date"))
    occurred_on = models.DateField(
        _("occurred on"),
        null=True,
        blank=True,
        help_text=_(
            "Set only for a prior-period adjustment: the real date of an event that fell in a month already "
            "closed when it was posted (the transaction is then dated in the first open month)."
        ),
    )
    memo = models.CharField(_("memo"), max_length=255)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    # Indexed by (source type, source id).
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    source_id = models.CharField(max_length=40, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    # Unique where set: on PostgreSQL the constraint is a partial unique index of the same name (migration
    # 0023), which leaves out the many transactions that reverse nothing. Making the field non-unique later
    # needs `DROP INDEX` there, not Django's `DROP CONSTRAINT`.
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    # Not indexed: nothing looks transactions up by who created them (deleting a user, which PROTECT refuses
    # while any names it, reads the table once), and a million-row import would write an index entry each.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["date"]),
            models.Index(fields=["created_at"]),
            # Set only on prior-period adjustments.
            models.Index(
                fields=["occurred_on"],
                condition=Q(occurred_on__isnull=False),
                name="fundraising_ledgertx_occurred",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.date} {self.memo}"


class LedgerEntry(models.Model):
    """One line of a transaction: a signed amount (debit positive, credit negative) on an account for a
    fund. `hash` is SHA-256 over the entry's content, its transaction's content and `prev_hash`.

    An entry is chained when it is posted, except the entries of a large bulk import: those are written
    without `seq`, `prev_hash` and `hash` (so the import holds the chain head only for a moment) and chained
    just after its commit by `ledger.chain_pending`, a chunk at a time. They count in every figure from the
    commit on; the database lets an entry be updated only to give it its place in the chain, once."""

    transaction = models.ForeignKey(
        LedgerTransaction, verbose_name=_("transaction"), on_delete=models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="entries"
    )
    # Indexed by (fund, account).
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    amount = MoneyField(_("amount"), help_text=_("Debit positive, credit negative."))
    # Unique where set, by a constraint (Meta): the entries waiting for their place are left out of the index.
    seq = models.BigIntegerField(_("sequence"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, null=True, blank=True)
    # Unique by a constraint (Meta), which adds no second index for LIKE searches as unique=True would.
    hash = models.CharField(_("hash"), max_length=64, null=True, blank=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["seq"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_entry_not_zero"),
            # Chained (all three set) or waiting for its place in the chain (none set).
            models.CheckConstraint(
                condition=Q(seq__isnull=False, prev_hash__isnull=False, hash__isnull=False)
                | Q(seq__isnull=True, prev_hash__isnull=True, hash__isnull=True),
                name="ledger_entry_chained_whole",
            ),
            # Only chained entries have a place and a hash: the indexes leave out those waiting (a large
            # import writes millions of them, each an index entry for nothing). Reads in chain order say
            # `seq IS NOT NULL` (or `seq > n`), which lets them use the index.
            models.UniqueConstraint(
                fields=["seq"], condition=Q(seq__isnull=False), name="fundraising_ledgerentry_seq_key"
            ),
            models.UniqueConstraint(
                fields=["hash"], condition=Q(hash__isnull=False), name="fundraising_ledgerentry_hash_key"
            ),
        ]
        indexes = [
            models.Index(fields=["fund", "account"]),
            models.Index(fields=["id"], condition=Q(seq__isnull=True), name="ledger_entry_unchained"),
        ]

    def __str__(self):
        return f"{self.account.code} {self.amount}"


class LedgerMonthTotal(models.Model):
    """The sum and count of the ledger's entries per account, fund and month: a monthly trial balance kept
    by the posting service in the same transaction as the entries (under the chain-head lock), so public
    totals and reports read a few thousand rows instead of every entry. `verify_ledger` checks every row
    against the database sum of its entries."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="month_totals"
    )
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="month_totals"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = MoneyField(_("amount"))
    entries = models.PositiveIntegerField(_("entries"), default=0)

    class Meta:
        verbose_name = _("ledger month total")
        verbose_name_plural = _("ledger month totals")
        ordering = ["month", "account", "fund"]
        constraints = [
            models.UniqueConstraint(fields=["account", "fund", "month"], name="ledger_month_total_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="ledger_month_total_first_of_month"),
        ]
        indexes = [models.Index(fields=["month", "account"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.account_id} {self.fund_id} {self.amount}"


class LedgerAccountMonth(models.Model):
    """The sum and count of the ledger's entries per account and month, every fund together: the
    programme's monthly trial balance, the monthly totals (LedgerMonthTotal) summed over funds, so the
    programme's figures read a few hundred rows instead of one per fund. Kept with the monthly totals, in
    the same transaction; `verify_ledger` checks every row against the database sum of its entries."""

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="programme_months"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = MoneyField(_("amount"))
    entries = models.PositiveIntegerField(_("entries"), default=0)

    class Meta:
        verbose_name = _("programme's monthly total")
        verbose_name_plural = _("programme's monthly totals")
        ordering = ["month", "account"]
        constraints = [
            models.UniqueConstraint(fields=["account", "month"], name="ledger_account_month_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="ledger_account_month_first_of_month"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.account_id} {self.amount}"


class LedgerFundMonth(models.Model):
    """A fund's entries per month, account, transaction kind (and the kind a reversal undoes), sign and the
    kind of funder behind the donation: every figure of one fund's money (`books.fund_ledger`) is a sum over
    these few rows instead of over the fund's entries (the general fund has millions). Kept by the posting
    service in the same transaction as the entries (under the chain-head lock); a funder whose kind changes
    has its funds' months recomputed (`ledger.refresh_fund_months`); `verify_ledger` checks every row against
    the database sum of its entries."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="month_figures"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="fund_month_figures"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    kind = models.CharField(_("transaction kind"), max_length=14, choices=LedgerTransaction.Kind.choices)
    reverses_kind = models.CharField(
        _("kind of the transaction reversed"),
        max_length=14,
        blank=True,
        choices=LedgerTransaction.Kind.choices,
    )
    positive = models.BooleanField(_("debit"))
    funder_kind = models.CharField(_("kind of funder"), max_length=12)
    amount = MoneyField(_("amount"))
    entries = models.PositiveIntegerField(_("entries"), default=0)

    class Meta:
        verbose_name = _("fund's monthly figure")
        verbose_name_plural = _("funds' monthly figures")
        ordering = ["fund", "month", "account"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "account", "month", "kind", "reverses_kind", "positive", "funder_kind"],
                name="ledger_fund_month_unique",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="ledger_fund_month_first_of_month"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.fund_id} {self.account_id} {self.kind} {self.amount}"


class LedgerCampaignTotal(models.Model):
    """A campaign's income entries (cash) summed and counted: those of its donations' own transactions and
    those of the transactions reversing them, apart for the public's gifts and the partner's matching gifts.
    A campaign's money raised is a sum over these few rows, and its donors the gifts' entries less the
    reversals' (each gift has one income entry), instead of reading every donation and entry of the campaign
    (a campaign of a giving day has hundreds of thousands). Kept by the posting service in the same transaction as the entries (under
    the chain-head lock; `fundraising.campaigntotals`); `verify_ledger` checks every row against the database
    sum of its entries."""

    campaign = models.ForeignKey(
        "Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="ledger_totals"
    )
    is_matching = models.BooleanField(_("matching gifts"))
    reversal = models.BooleanField(_("reversals"), help_text=_("The entries of the gifts' reversals."))
    amount = MoneyField(_("amount"), help_text=_("Income is a credit: the money raised is its opposite."))
    entries = models.PositiveIntegerField(_("entries"), default=0)

    class Meta:
        verbose_name = _("campaign's ledger total")
        verbose_name_plural = _("campaigns' ledger totals")
        ordering = ["campaign", "is_matching", "reversal"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "is_matching", "reversal"], name="ledger_campaign_total_unique"
            ),
        ]

    def __str__(self):
        kind = "matching" if self.is_matching else "public"
        return f"{self.campaign_id} {kind}{' reversals' if self.reversal else ''} {self.amount}"


class LedgerCheckpoint(models.Model):
    """A published point of the hash chain: its head (sequence number and hash of the last entry) and every
    fund's balance at that entry, taken at each month close and once a day. Published on the public
    checkpoints page, in open data and in every transparency report, so anyone who kept one can later
    prove with `verify_ledger --checkpoint` that the history up to it was not rewritten. Never edited."""

    class Kind(models.TextChoices):
        MONTH_CLOSE = "month_close", _("Month close")
        DAILY = "daily", _("Daily")

    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    taken_on = models.DateField(_("taken on"))
    month = models.DateField(_("closed month"), null=True, blank=True)
    seq = models.BigIntegerField(_("last entry"))
    hash = models.CharField(_("hash of the last entry"), max_length=64)
    # {fund code: "balance"} for every fund whose balance is not zero; decimals kept as exact strings.
    balances = models.JSONField(_("balances by fund"), default=dict, blank=True)
    total = MoneyField(_("total balance"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger checkpoint")
        verbose_name_plural = _("ledger checkpoints")
        ordering = ["-seq", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(seq__gte=0), name="ledger_checkpoint_seq_not_negative"),
            models.UniqueConstraint(
                fields=["taken_on"], condition=Q(kind="daily"), name="ledger_checkpoint_one_daily_per_day"
            ),
            models.UniqueConstraint(
                fields=["month"],
                condition=Q(kind="month_close"),
                name="ledger_checkpoint_one_per_closed_month",
            ),
            models.CheckConstraint(
                condition=(Q(kind="month_close") & Q(month__isnull=False) & Q(month__day=1))
                | (Q(kind="daily") & Q(month__isnull=True)),
                name="ledger_checkpoint_month_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["taken_on", "seq"])]

    def __str__(self):
        return f"{self.code} #{self.seq} {self.hash[:12]}"


class LedgerVerification(models.Model):
    """One successful full run of `verify_ledger`: how far the chain was proven sound and the latest
    checkpoint it covered, from which `verify_ledger --since-checkpoint` continues."""

    verified_at = models.DateTimeField(_("verified at"), auto_now_add=True)
    seq = models.BigIntegerField(_("last entry checked"))
    hash = models.CharField(_("hash of the last entry checked"), max_length=64)
    checkpoint = models.ForeignKey(
        LedgerCheckpoint,
        verbose_name=_("latest checkpoint covered"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="verifications",
    )
    seconds = models.FloatField(_("seconds"), default=0)

    class Meta:
        verbose_name = _("ledger verification")
        verbose_name_plural = _("ledger verifications")
        ordering = ["-verified_at", "-pk"]

    def __str__(self):
        return f"{self.verified_at:%Y-%m-%d %H:%M} #{self.seq}"


# Funders, channels and donations ------------------------------------------------------------------------


class Funder(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government department")
        FOUNDATION = "foundation", _("Foundation")
        ENTERPRISE = "enterprise", _("Enterprise")
        COMMUNITY = "community", _("Community / residents")
        INDIVIDUAL = "individual", _("Individual")
        PLATFORM = "platform", _("Online fundraising platform")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=LONG_TEXT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="funder_unique_name_kind"),
            text_length_check("fundraising_funder", "notes"),
        ]

    def __str__(self):
        return self.name


def _secret() -> str:
    return secrets.token_urlsafe(32)


class Channel(models.Model):
    """How money arrives: a bank account, an online fundraising platform, cash, a government contract.
    A platform's notifications are signed with its `notify_secret`; its exports are imported with its
    saved column mapping. Receipt numbers and external ids are unique per channel."""

    class Kind(models.TextChoices):
        BANK = "bank", _("Bank transfer")
        ONLINE = "online", _("Online fundraising platform")
        CASH = "cash", _("Cash / local collection")
        CONTRACT = "contract", _("Government service contract")
        GRANT = "grant", _("Grant agreement")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    notify_secret = models.CharField(
        _("notification secret"),
        max_length=100,
        default=_secret,
        help_text=_("Shared with the platform to sign its donation notifications (HMAC-SHA256)."),
    )
    column_mapping = models.JSONField(
        _("import column mapping"),
        default=dict,
        blank=True,
        help_text=_("Which column of this source's exports holds each field; saved from the import page."),
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["notify_secret"])

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Campaign(models.Model):
    """An internet fundraising campaign with a goal, a story, images, a period and optional matching."""

    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("Shown when the page is shared."))
    story = models.TextField(_("story"), max_length=LONG_TEXT)
    goal = MoneyField(_("goal"))
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    fund = models.ForeignKey(
        Fund, verbose_name=_("designation"), on_delete=models.PROTECT, related_name="campaigns"
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="campaigns"
    )
    matching_partner = models.ForeignKey(
        Funder,
        verbose_name=_("matching partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matched_campaigns",
    )
    matching_ratio = models.DecimalField(
        _("matching ratio"),
        max_digits=4,
        decimal_places=2,
        default=0,
        help_text=_("Yuan the partner adds per yuan donated, e.g. 1.00 for one to one."),
    )
    matching_cap = MoneyField(_("matching cap"), default=0)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(goal__gt=0), name="campaign_goal_positive"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_period"),
            models.CheckConstraint(
                condition=Q(matching_ratio__gte=0, matching_cap__gte=0), name="campaign_matching_not_negative"
            ),
            text_length_check("fundraising_campaign", "story"),
            text_length_check("fundraising_campaign", "story_en"),
            text_length_check("fundraising_campaign", "story_zh_hans"),
        ]

    def __str__(self):
        return self.title


def campaign_image_upload_to(instance, filename):
    return f"campaigns/{instance.campaign_id}/{secrets.token_hex(8)}-{filename}"


class CampaignImage(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to=campaign_image_upload_to)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("campaign image")
        verbose_name_plural = _("campaign images")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.caption or self.image.name


class Donation(models.Model):
    """Money received: from a funder or anonymous, through a channel, designated to a fund."""

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        REVERSED = "reversed", _("Reversed")

    # Indexed by the unique (channel, receipt number), whose first column it is.
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="donations", db_index=False
    )
    receipt_number = models.CharField(_("receipt number"), max_length=64)
    external_id = models.CharField(
        _("external id"), max_length=100, blank=True, help_text=_("The source's own id (imports, notices).")
    )
    funder = models.ForeignKey(
        Funder,
        verbose_name=_("funder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        help_text=_("Leave empty for an anonymous gift."),
        db_index=False,
    )
    donor_name = models.CharField(_("donor name"), max_length=120, blank=True)
    show_name = models.BooleanField(_("donor agreed to show the name"), default=False)
    amount = MoneyField(_("amount"))
    received_on = models.DateField(_("date received"))
    fund = models.ForeignKey(
        Fund, verbose_name=_("designation"), on_delete=models.PROTECT, related_name="donations"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        db_index=False,
    )
    is_matching = models.BooleanField(_("matching gift"), default=False)
    # Unique where set, as LedgerTransaction.reverses (migration 0023): most gifts come from no grant.
    grant_tranche = models.OneToOneField(
        "GrantTranche",
        verbose_name=_("grant tranche"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donation",
    )
    import_batch = models.ForeignKey(
        "ImportBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="donations"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECORDED)
    ledger_transaction = models.OneToOneField(
        LedgerTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="donation"
    )
    # Not indexed, as LedgerTransaction.created_by.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The history is read per donation (its id) and by date; the other references are kept unindexed there
    # (a million-row import writes a history row per donation, each index a write more).
    history = HistoricalRecords(
        no_db_index=[
            "channel",
            "funder",
            "fund",
            "campaign",
            "grant_tranche",
            "import_batch",
            "ledger_transaction",
            "recorded_by",
        ]
    )

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="donation_amount_positive"),
            models.UniqueConstraint(
                fields=["channel", "receipt_number"], name="donation_receipt_per_channel"
            ),
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~Q(external_id=""),
                name="donation_external_id_per_channel",
            ),
        ]
        # (received_on, id) serves the admin's and the downloads' newest-first order without a sort. The
        # campaign and the funder are indexed only where set: most gifts (every imported one) have neither.
        # A receipt number is looked up through the unique index per channel (selectors.donation_lookup).
        indexes = [
            models.Index(fields=["received_on", "id"]),
            # A campaign's gifts, newest first (its page lists the latest hundred: read backwards from the
            # newest, not sorted out of all of them).
            models.Index(
                fields=["campaign", "received_on", "id"],
                condition=Q(campaign__isnull=False),
                name="donation_campaign_latest",
            ),
            models.Index(fields=["funder"], condition=Q(funder__isnull=False), name="donation_funder_set"),
        ]

    def __str__(self):
        return f"{self.receipt_number} ({self.amount})"

    @property
    def public_name(self) -> str:
        named_funder = self.show_name and not self.donor_name and self.funder_id
        return self.name_shown(self.show_name, self.donor_name, self.funder.name if named_funder else "")

    @staticmethod
    def name_shown(show_name: bool, donor_name: str, funder_name: str | None) -> str:
        """The donor's name as the public reads it (of a donation's columns): given only when the donor
        agreed to be named, else "Anonymous"."""
        if show_name and (donor_name or funder_name):
            return donor_name or funder_name
        return str(_("Anonymous"))


class Grant(models.Model):
    """A grant agreement or government service contract paid in tranches."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant")
        CONTRACT = "contract", _("Government service contract")

    funder = models.ForeignKey(
        Funder, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="grants"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("agreement reference"), max_length=80, blank=True)
    total = MoneyField(_("total amount"))
    signed_on = models.DateField(_("signed on"))
    fund = models.ForeignKey(
        Fund, verbose_name=_("designation"), on_delete=models.PROTECT, related_name="grants"
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="grants"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grant or contract")
        verbose_name_plural = _("grants and contracts")
        ordering = ["-signed_on"]
        constraints = [models.CheckConstraint(condition=Q(total__gt=0), name="grant_total_positive")]

    def __str__(self):
        return self.title


class GrantTranche(models.Model):
    """One payment of a grant, due on a date or on reaching a milestone; received as a Donation."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="tranches"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    amount = MoneyField(_("amount"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    milestone = models.CharField(_("milestone"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["grant", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount_positive"),
            models.UniqueConstraint(fields=["grant", "number"], name="tranche_number_per_grant"),
            models.CheckConstraint(
                condition=Q(due_on__isnull=False) | ~Q(milestone=""), name="tranche_date_or_milestone"
            ),
        ]

    def __str__(self):
        return f"{self.grant} #{self.number}"


class InKindGift(models.Model):
    """Goods, venues, services or volunteer labour, with a stated value and its basis. Posted to in-kind
    accounts only, so it never mixes with cash totals or fund balances."""

    class Kind(models.TextChoices):
        GOODS = "goods", _("Goods")
        VENUE = "venue", _("Venue")
        SERVICE = "service", _("Professional service")
        VOLUNTEER = "volunteer", _("Volunteer labour")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    funder = models.ForeignKey(
        Funder, verbose_name=_("giver"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    giver_name = models.CharField(_("giver name"), max_length=120, blank=True)
    description = models.CharField(_("description"), max_length=255)
    value = MoneyField(_("stated value"))
    basis = models.CharField(
        _("basis of the value"), max_length=255, help_text=_("E.g. market price, or hours × hourly rate.")
    )
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=1, null=True, blank=True)
    received_on = models.DateField(_("date"))
    fund = models.ForeignKey(Fund, verbose_name=_("designation"), on_delete=models.PROTECT, related_name="+")
    ledger_transaction = models.OneToOneField(
        LedgerTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="in_kind_gift"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("in-kind gift")
        verbose_name_plural = _("in-kind gifts and volunteer labour")
        ordering = ["-received_on"]
        constraints = [models.CheckConstraint(condition=Q(value__gt=0), name="in_kind_value_positive")]

    def __str__(self):
        return self.description


class Allocation(models.Model):
    """General (or community) funds assigned to another fund, typically a project's."""

    from_fund = models.ForeignKey(
        Fund, verbose_name=_("from fund"), on_delete=models.PROTECT, related_name="+"
    )
    to_fund = models.ForeignKey(Fund, verbose_name=_("to fund"), on_delete=models.PROTECT, related_name="+")
    amount = MoneyField(_("amount"))
    allocated_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    ledger_transaction = models.OneToOneField(
        LedgerTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="allocation"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["-allocated_on"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
            models.CheckConstraint(condition=~Q(from_fund=models.F("to_fund")), name="allocation_two_funds"),
        ]

    def __str__(self):
        return f"{self.from_fund} → {self.to_fund}: {self.amount}"


class Disbursement(models.Model):
    """A tranche of a project's fund paid to the organization that runs it (an advance it accounts for
    with expenditures)."""

    fund = models.ForeignKey(Fund, verbose_name=_("project fund"), on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="disbursements"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    tranche = models.PositiveSmallIntegerField(_("tranche"))
    amount = MoneyField(_("amount"))
    paid_on = models.DateField(_("paid on"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    ledger_transaction = models.OneToOneField(
        LedgerTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="disbursement"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            models.UniqueConstraint(fields=["project", "tranche"], name="disbursement_tranche_per_project"),
        ]

    def __str__(self):
        return f"{self.project} #{self.tranche}: {self.amount}"


def expenditure_document_upload_to(instance, filename):
    return f"expenditures/{instance.organization_id}/{secrets.token_hex(8)}-{filename}"


class Expenditure(models.Model):
    """Money spent on a project's budget line, with its invoice or receipt; approved or rejected by a
    finance officer. Approval posts it to the ledger; it never takes the project's fund below zero."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        REVERSED = "reversed", _("Reversed")

    class PaidFrom(models.TextChoices):
        ADVANCE = "advance", _("The organization, from disbursed funds")
        BANK = "bank", _("The foundation, directly")

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="expenditures"
    )
    budget_line = models.ForeignKey(
        "projects.BudgetLine",
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="expenditures",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="expenditures",
    )
    description = models.CharField(_("description"), max_length=255)
    payee = models.CharField(_("payee"), max_length=200, help_text=_("Who was paid (kept private)."))
    amount = MoneyField(_("amount"))
    spent_on = models.DateField(_("date spent"))
    classification = models.CharField(
        _("cost classification"),
        max_length=12,
        choices=Account.Classification.choices,
        default=Account.Classification.PROGRAMME,
    )
    paid_from = models.CharField(
        _("paid by"), max_length=8, choices=PaidFrom.choices, default=PaidFrom.ADVANCE
    )
    invoice_number = models.CharField(_("invoice or receipt number"), max_length=64, blank=True)
    document = models.FileField(_("invoice or receipt"), upload_to=expenditure_document_upload_to)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    over_budget_reason = models.CharField(
        _("reason for going over the budget line"),
        max_length=500,
        blank=True,
        help_text=_(
            "Required when the claim takes its budget line's approved and pending spending over the line's "
            "amount; shown to the approver and kept in the history."
        ),
    )
    ledger_transaction = models.OneToOneField(
        LedgerTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="expenditure"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["-spent_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expenditure_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "approved", "rejected", "reversed"]),
                name="expenditure_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["spent_on", "id"])]

    def __str__(self):
        return f"{self.description} ({self.amount})"


class ImportBatch(models.Model):
    """One uploaded export file: parsed in a dry run, then imported all or nothing."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Dry run ready")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        DISCARDED = "discarded", _("Discarded")

    channel = models.ForeignKey(
        Channel, verbose_name=_("source"), on_delete=models.PROTECT, related_name="imports"
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    duplicate_rows = models.PositiveIntegerField(_("already imported"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed rows"), default=0)
    created_count = models.PositiveIntegerField(_("donations created"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    preview = models.JSONField(_("rows to import"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True, max_length=LONG_TEXT)
    # What the dry run showed, which the confirmed import must reproduce exactly (fundraising.importing).
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    summary = models.JSONField(_("dry-run summary"), default=dict, blank=True)
    error_rows = models.PositiveIntegerField(_("rows in error"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["preview", "errors", "processed_rows", "summary"])

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["status"], condition=Q(status__in=["queued", "running"]), name="import_in_flight_idx"
            )
        ]
        constraints = [
            text_length_check("fundraising_importbatch", "message"),
        ]

    def __str__(self):
        return self.filename

    @property
    def progress(self) -> int:
        if not self.valid_rows:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.processed_rows / self.valid_rows))


class DonationNotification(models.Model):
    """A donation an online platform notified (fundraising.notify), stored as soon as it is checked so the
    platform gets its answer at once; a worker then records the donations of pending notifications in
    batches (one ledger posting for many). A notification is stored once per donation id and receipt
    number of its channel, so retries and replays never make a second donation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be recorded")
        RECORDED = "recorded", _("Recorded")
        FAILED = "failed", _("Could not be recorded")

    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="notifications"
    )
    external_id = models.CharField(_("platform's donation id"), max_length=100)
    receipt_number = models.CharField(_("receipt number"), max_length=64)
    amount = MoneyField(_("amount"))
    received_on = models.DateField(_("date received"))
    donor_name = models.CharField(_("donor name"), max_length=120, blank=True)
    show_name = models.BooleanField(_("donor agreed to show the name"), default=False)
    fund = models.ForeignKey(Fund, verbose_name=_("designation"), on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(
        "Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    donation = models.ForeignKey(
        "Donation",
        verbose_name=_("donation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    error = models.CharField(_("why it could not be recorded"), max_length=255, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("donation notification")
        verbose_name_plural = _("donation notifications")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="notification_unique_donation_id"
            ),
            models.UniqueConstraint(fields=["channel", "receipt_number"], name="notification_unique_receipt"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="notification_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(status="pending"), name="notification_pending_idx"),
        ]

    def __str__(self):
        return f"{self.channel_id}:{self.external_id}"


class NotificationConflict(models.Model):
    """A notification that reused a donation id already notified, with different content (amount, date,
    donor, designation...). The platform got a 409 answer; the row is kept for finance staff to look at
    (admin and finance dashboard) until someone marks it reviewed. The same conflicting content sent again
    is kept once."""

    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="notification_conflicts"
    )
    external_id = models.CharField(_("platform's donation id"), max_length=100)
    notification = models.ForeignKey(
        DonationNotification,
        verbose_name=_("notification first stored"),
        on_delete=models.PROTECT,
        related_name="conflicts",
    )
    received = models.JSONField(_("values received"))
    differences = models.JSONField(_("fields that differ"), default=list)
    digest = models.CharField(max_length=64)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    times = models.PositiveIntegerField(_("times received"), default=1)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("notification conflict")
        verbose_name_plural = _("notification conflicts")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id", "digest"], name="notification_conflict_once"
            ),
            models.CheckConstraint(condition=Q(times__gte=1), name="notification_conflict_times_positive"),
        ]
        indexes = [
            models.Index(
                fields=["id"], condition=Q(reviewed_at__isnull=True), name="notification_conflict_open"
            ),
        ]

    def __str__(self):
        return f"{self.channel_id}:{self.external_id}"


class NotificationNonce(models.Model):
    """A nonce seen in a signed notification: a second message with the same nonce is a replay."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "nonce"], name="notification_nonce_unique")]

    def __str__(self):
        return self.nonce


from .bills.models import BankLine, BillLine, PlatformBill  # noqa: E402, F401 - platform bills, bank lines
from .receipts.models import OfficialReceipt  # noqa: E402, F401 - the official receipt register
from .statements.models import AccountMapping, AnnualStatements  # noqa: E402, F401 - the annual statements
