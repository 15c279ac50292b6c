"""Platform bills, the money events read from them, and bank statement lines with their reconciliation.

Imported from fundraising/models.py, so that these models belong to the fundraising app (and its
migrations). A bill is parsed in a dry run, then imported all or nothing (fundraising.bills.services);
each money event of a platform is stored once per channel, kind and the platform's own id, so a bill
imported twice, or two bills that overlap, add nothing twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from empowerment.money import MoneyField
from empowerment.textlimits import LONG_TEXT, text_length_check


class PlatformBill(models.Model):
    """One uploaded bill (a platform's trade bill or account statement, a charity platform's donation
    export, a bank statement): its dry run, then its import."""

    class Preset(models.TextChoices):
        WECHAT = "wechat", _("WeChat Pay merchant trade bill")
        ALIPAY = "alipay", _("Alipay account statement")
        CHARITY = "charity", _("Charity platform donation export")
        BANK = "bank", _("Bank statement")

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Dry run ready")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    channel = models.ForeignKey(
        "fundraising.Channel", verbose_name=_("channel"), on_delete=models.PROTECT, related_name="bills"
    )
    preset = models.CharField(_("layout"), max_length=10, choices=Preset.choices)
    file = models.FileField(_("file"), upload_to="bills/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    default_fund = models.ForeignKey(
        "fundraising.Fund",
        verbose_name=_("designation of gifts without one"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    # What the dry run found: counts and totals per kind, and a digest of every event it would import.
    summary = models.JSONField(_("dry-run summary"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    preview = models.JSONField(_("rows to import"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["summary", "errors", "preview"])

    class Meta:
        verbose_name = _("platform bill")
        verbose_name_plural = _("platform bills")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.filename


class BillLine(models.Model):
    """One money event of a platform, read from a bill: a gift (recorded as a donation, at its gross
    amount, into the platform's clearing account), the platform's fee on it (a fundraising cost), a
    refund (reverses its donation), a fee returned with a refund, or a payout to the bank (clearing →
    bank). `external_id` is the platform's own id of the event; unique per channel and kind."""

    class Kind(models.TextChoices):
        GIFT = "gift", _("Gift")
        FEE = "fee", _("Platform fee")
        REFUND = "refund", _("Refund")
        FEE_REFUND = "fee_refund", _("Fee returned")
        PAYOUT = "payout", _("Payout to the bank")

    bill = models.ForeignKey(
        PlatformBill,
        verbose_name=_("bill"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
    )
    channel = models.ForeignKey(
        "fundraising.Channel", verbose_name=_("channel"), on_delete=models.PROTECT, related_name="bill_lines"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    external_id = models.CharField(_("platform's id"), max_length=100)
    reference = models.CharField(_("order or reference"), max_length=100, blank=True)
    occurred_on = models.DateField(_("date"))
    amount = MoneyField(_("amount"))
    fund = models.ForeignKey(
        "fundraising.Fund", verbose_name=_("fund"), on_delete=models.PROTECT, related_name="+"
    )
    donation = models.ForeignKey(
        "fundraising.Donation",
        verbose_name=_("donation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bill_lines",
    )
    ledger_transaction = models.OneToOneField(
        "fundraising.LedgerTransaction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bill_line",
    )
    row = models.PositiveIntegerField(_("row"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("bill line")
        verbose_name_plural = _("bill lines")
        ordering = ["occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="bill_line_amount_positive"),
            models.UniqueConstraint(
                fields=["channel", "kind", "external_id"], name="bill_line_once_per_platform_id"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["gift", "refund"]) | Q(donation__isnull=False),
                name="bill_line_gift_refund_has_donation",
            ),
        ]
        indexes = [models.Index(fields=["channel", "kind", "occurred_on"])]

    def __str__(self):
        return f"{self.kind} {self.external_id} {self.amount}"


class BankLine(models.Model):
    """One line of a bank statement: money in (positive) or out (negative) of the foundation's bank
    account. Reconciled when matched to the ledger transaction it settles (a platform payout, a bank
    transfer donation, a disbursement...) or explained by a finance officer with a reason. A month can be
    closed only when all its bank lines are reconciled."""

    class Status(models.TextChoices):
        UNMATCHED = "unmatched", _("Not matched")
        MATCHED = "matched", _("Matched")
        EXPLAINED = "explained", _("Explained")

    class Method(models.TextChoices):
        EXACT = "exact", _("Same amount and day")
        NEAR = "near", _("Same amount, within the date window")
        REFERENCE = "reference", _("By reference")
        MANUAL = "manual", _("By hand")
        PAYOUT = "payout", _("Recorded as a platform's payout")

    bill = models.ForeignKey(
        PlatformBill, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="bank_lines"
    )
    channel = models.ForeignKey(
        "fundraising.Channel", verbose_name=_("bank account"), on_delete=models.PROTECT, related_name="+"
    )
    external_id = models.CharField(_("bank's serial number"), max_length=100)
    occurred_on = models.DateField(_("date"))
    amount = MoneyField(_("amount"), help_text=_("Money in positive, money out negative."))
    balance = MoneyField(_("balance"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    counterparty = models.CharField(_("counterparty"), max_length=200, blank=True)
    counterparty_account = models.CharField(_("counterparty account"), max_length=100, blank=True)
    row = models.PositiveIntegerField(_("row"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UNMATCHED)
    matched_transaction = models.OneToOneField(
        "fundraising.LedgerTransaction",
        verbose_name=_("ledger transaction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bank_line",
    )
    method = models.CharField(_("matched"), max_length=10, choices=Method.choices, blank=True)
    explanation = models.TextField(_("explanation"), blank=True, max_length=LONG_TEXT)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reconciled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("reconciled"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        ordering = ["occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="bank_line_not_zero"),
            models.UniqueConstraint(fields=["channel", "external_id"], name="bank_line_once_per_serial"),
            models.CheckConstraint(
                condition=(Q(status="unmatched") & Q(matched_transaction__isnull=True))
                | (Q(status="matched") & Q(matched_transaction__isnull=False) & ~Q(method=""))
                | (Q(status="explained") & Q(matched_transaction__isnull=True) & ~Q(explanation="")),
                name="bank_line_status_consistent",
            ),
            text_length_check("fundraising_bankline", "explanation"),
        ]
        indexes = [models.Index(fields=["status", "occurred_on"])]

    def __str__(self):
        return f"{self.occurred_on} {self.amount} {self.summary}"
