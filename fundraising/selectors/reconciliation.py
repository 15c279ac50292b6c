"""What the reconciliation screens and the finance dashboard show: per account (each bank account's
statements, each platform's clearing account) and month, how much of it is reconciled, from the bank lines,
the platforms' bill lines and the ledger. The one definition of these figures."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from empowerment.money import CENT

from ..bills.models import BankLine, BillLine, PlatformBill
from ..ledger import CASH
from ..models import LedgerEntry
from .books import channel_names


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _month(value) -> date:
    return value.date() if hasattr(value, "date") else value


def _balance_at(code_filter: Q, months: list[date]) -> dict[date, Decimal]:
    """The ledger balance of the accounts at the end of each month (one query: entries by month)."""
    rows = (
        LedgerEntry.objects.filter(code_filter)
        .annotate(m=TruncMonth("transaction__date"))
        .values("m")
        .annotate(s=Sum("amount"))
        .order_by("m")
    )
    by_month = [(_month(r["m"]), _money(r["s"])) for r in rows]
    out = {}
    for month in months:
        out[month] = sum((s for m, s in by_month if m <= month), Decimal("0.00"))
    return out


def reconciliation_state(*, months: int = 6) -> list[dict]:
    """One row per account and month with anything to reconcile, newest month first:
    - a bank account: its statement lines in and out, how many matched, explained and left, the
      statement's closing balance and the ledger's bank balance at the month's end;
    - a platform: its payouts, how many a bank line settled, and what it still holds (the clearing
      account's balance at the month's end)."""
    bank = (
        BankLine.objects.annotate(m=TruncMonth("occurred_on"))
        .values("channel_id", "m")
        .annotate(
            lines=Count("pk"),
            money_in=Sum("amount", filter=Q(amount__gt=0)),
            money_out=Sum("amount", filter=Q(amount__lt=0)),
            matched=Count("pk", filter=Q(status=BankLine.Status.MATCHED)),
            explained=Count("pk", filter=Q(status=BankLine.Status.EXPLAINED)),
            left=Count("pk", filter=Q(status=BankLine.Status.UNMATCHED)),
        )
        .order_by("-m", "channel_id")
    )
    payouts = (
        BillLine.objects.filter(kind=BillLine.Kind.PAYOUT)
        .annotate(m=TruncMonth("occurred_on"))
        .values("channel_id", "channel__code", "m")
        .annotate(
            count=Count("pk"),
            total=Sum("amount"),
            settled=Count("pk", filter=Q(ledger_transaction__bank_line__isnull=False)),
        )
        .order_by("-m", "channel_id")
    )
    bank_rows = list(bank)
    payout_rows = list(payouts)
    # Grouped by channel id and named in the reader's language (the other one where it is missing).
    names = channel_names(r["channel_id"] for r in bank_rows + payout_rows)
    all_months = sorted({_month(r["m"]) for r in bank_rows + payout_rows}, reverse=True)[:months]
    keep = set(all_months)
    closing = {}
    for row in (
        BankLine.objects.filter(balance__isnull=False)
        .annotate(m=TruncMonth("occurred_on"))
        .order_by("channel_id", "occurred_on", "row", "pk")
        .values_list("channel_id", "m", "balance")
    ):
        closing[(row[0], _month(row[1]))] = row[2]  # the month's last line
    cash = _balance_at(Q(account__code=CASH), all_months)
    out = []
    for r in bank_rows:
        month = _month(r["m"])
        if month not in keep:
            continue
        out.append(
            {
                "kind": "bank",
                "account": names.get(r["channel_id"], ""),
                "month": month,
                "lines": r["lines"],
                "money_in": _money(r["money_in"]),
                "money_out": _money(r["money_out"]),
                "matched": r["matched"],
                "explained": r["explained"],
                "left": r["left"],
                "statement_balance": closing.get((r["channel_id"], month)),
                "ledger_balance": cash[month],
                "done": r["left"] == 0,
            }
        )
    clearing_codes = {r["channel__code"] for r in payout_rows}
    held = {
        code: _balance_at(Q(account__code=f"asset:clearing:{code}"), all_months) for code in clearing_codes
    }
    for r in payout_rows:
        month = _month(r["m"])
        if month not in keep:
            continue
        out.append(
            {
                "kind": "platform",
                "account": names.get(r["channel_id"], ""),
                "month": month,
                "lines": r["count"],
                "money_in": _money(r["total"]),
                "matched": r["settled"],
                "left": r["count"] - r["settled"],
                "held": held[r["channel__code"]][month],
                "done": r["count"] == r["settled"],
            }
        )
    out.sort(key=lambda row: (-row["month"].toordinal(), row["kind"], row["account"]))
    return out


def unreconciled_bank_lines():
    return BankLine.objects.filter(status=BankLine.Status.UNMATCHED).select_related("channel", "bill")


def unsettled_payouts():
    """Platform payouts that no bank line has settled yet."""
    return (
        BillLine.objects.filter(kind=BillLine.Kind.PAYOUT, ledger_transaction__bank_line__isnull=True)
        .select_related("channel")
        .order_by("occurred_on", "pk")
    )


def recently_reconciled(*, limit: int = 30):
    return (
        BankLine.objects.exclude(status=BankLine.Status.UNMATCHED)
        .select_related("channel", "matched_transaction", "resolved_by")
        .order_by("-resolved_at", "-pk")[:limit]
    )


def recent_bills(*, limit: int = 20):
    return PlatformBill.objects.select_related("channel", "uploaded_by").defer("preview", "errors")[:limit]


def bill_lines_by_kind(bill: PlatformBill) -> dict:
    rows = bill.lines.values("kind").annotate(n=Count("pk"), total=Sum("amount")).order_by()
    out = defaultdict(dict)
    for r in rows:
        out[r["kind"]] = {"count": r["n"], "total": _money(r["total"])}
    return dict(out)
