"""The register of official donation receipts (公益事业捐赠票据) the foundation issues.

Each receipt carries the serial of the foundation's receipt book (票据代码 + 票据号码), the payer (a funder, or
a person named with a contact), the amount of the donation it is for and its date. A receipt is never deleted
or edited: a mistake is voided (with the reason, who and when) and, when the gift stands, a new receipt
replaces it (state "reissued", linked to the voided one). The database holds the rules: a serial is in the
register once, whatever its state, so a voided number is never issued again; a donation has at most one live
receipt; a voided receipt has its reason, author and time, a live one has none; a reissued receipt names the
receipt it replaces and a receipt is replaced once at most. The amount equals the donation's net of part refunds
(fundraising.selectors.donors.with_net_amount; a part refund voids the receipt and reissues it at the new
amount) and a reversed donation keeps no live receipt: fundraising.receipts.services checks both (they span
several tables).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from empowerment.money import MoneyField

LIVE_STATES = ("issued", "reissued")


class OfficialReceipt(models.Model):
    class State(models.TextChoices):
        ISSUED = "issued", _("Issued")
        REISSUED = "reissued", _("Reissued")
        VOIDED = "voided", _("Voided")

    code = models.CharField(
        _("receipt book code"), max_length=20, help_text=_("The 票据代码 printed on the receipt book.")
    )
    number = models.CharField(_("receipt number"), max_length=20, help_text=_("The 票据号码 of the receipt."))
    donation = models.ForeignKey(
        "fundraising.Donation",
        verbose_name=_("donation"),
        on_delete=models.PROTECT,
        related_name="official_receipts",
    )
    funder = models.ForeignKey(
        "fundraising.Funder",
        verbose_name=_("paying funder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="official_receipts",
    )
    payer_name = models.CharField(_("payer"), max_length=200)
    payer_email = models.EmailField(_("payer's email"), blank=True)
    payer_phone = models.CharField(_("payer's phone"), max_length=30, blank=True)
    amount = MoneyField(_("amount"))
    issued_on = models.DateField(_("date issued"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ISSUED)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=255, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("official donation receipt")
        verbose_name_plural = _("official donation receipts")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            # A serial is used once, live or voided: a voided number can never be issued again.
            models.UniqueConstraint(fields=["code", "number"], name="official_receipt_serial_once"),
            models.UniqueConstraint(
                fields=["donation"],
                condition=Q(state__in=LIVE_STATES),
                name="official_receipt_one_live_per_donation",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="official_receipt_amount_positive"),
            models.CheckConstraint(
                condition=~Q(code="") & ~Q(number="") & ~Q(payer_name=""),
                name="official_receipt_serial_and_payer",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state="voided", voided_at__isnull=False, voided_by__isnull=False) & ~Q(void_reason="")
                )
                | Q(state__in=LIVE_STATES, voided_at__isnull=True, voided_by__isnull=True, void_reason=""),
                name="official_receipt_void_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(state="issued", replaces__isnull=True)
                | Q(state="reissued", replaces__isnull=False)
                | Q(state="voided"),
                name="official_receipt_reissue_linked",
            ),
            models.CheckConstraint(condition=~Q(replaces=F("pk")), name="official_receipt_not_itself"),
        ]
        indexes = [
            models.Index(fields=["issued_on", "id"], name="official_receipt_issued_idx"),
            models.Index(fields=["payer_name"], name="official_receipt_payer_idx"),
        ]

    def __str__(self):
        return self.serial

    @property
    def serial(self) -> str:
        return f"{self.code}-{self.number}"

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES
