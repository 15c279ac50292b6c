"""The chart-of-accounts mapping and the subject of the annual statements' PDF."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .lines import CashFlowLine, StatementLine


class AccountMapping(models.Model):
    """Where one ledger account goes in the statements: its statement line and, unless the account is itself
    cash (货币资金), the cash-flow line on which a movement of cash against it is reported. The database
    refuses a line it does not know, a cash account with a cash-flow line and any other account without
    one; fundraising.statements.mapping checks that the line fits the account's type."""

    account = models.OneToOneField(
        "fundraising.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="statement_mapping",
    )
    line = models.CharField(_("statement line"), max_length=32, choices=StatementLine.choices)
    cash_flow = models.CharField(_("cash-flow line"), max_length=32, choices=CashFlowLine.choices, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("account mapping")
        verbose_name_plural = _("chart of accounts mapping")
        ordering = ["account__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(line__in=StatementLine.values), name="account_mapping_line_known"
            ),
            models.CheckConstraint(
                condition=(Q(line=StatementLine.CASH) & Q(cash_flow=""))
                | (~Q(line=StatementLine.CASH) & Q(cash_flow__in=CashFlowLine.values)),
                name="account_mapping_cash_flow_unless_cash",
            ),
        ]

    def __str__(self):
        return f"{self.account_id} → {self.line}"


class AnnualStatements(models.Model):
    """A year whose statements someone asked for as a PDF: the subject the document pipeline renders (the
    figures are computed from the ledger at each render, never stored here)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("annual financial statements")
        verbose_name_plural = _("annual financial statements")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2999), name="annual_statements_year_range"
            ),
        ]

    def __str__(self):
        return str(self.year)
