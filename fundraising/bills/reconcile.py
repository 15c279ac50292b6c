"""Reconciling the bank statement with the books: each bank line is matched to the ledger transaction that
moved the same money on the bank account (`asset:bank`): a platform's payout, a bank transfer donation, a
disbursement, an expenditure paid by the foundation...

Automatic matching, in this order, each transaction settling at most one line (a database constraint):
1. exact: the same amount on the same day;
2. near: the same amount within WINDOW_DAYS days (the closest day first; a tie is left to a person);
3. by reference: the same amount on any day, when the line's summary, serial number or counterparty names
   the transaction's reference (a payout's or gift's platform id, a donation's receipt number).
What is left is listed for a finance officer to match by hand, explain with a reason, or record as the payout
of a platform whose bill lists no payouts (the WeChat Pay trade bill: WeChat settles to the bank by itself,
and the bank statement is the only record of it; `line_record_payout`). A month can be
closed only when every bank line up to its end is matched or explained (`check_month_reconciled`, called by
fundraising.ledger.period_close).
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from empowerment.money import CENT

from .. import ledger
from ..models import Channel, Donation, Fund, LedgerEntry, LedgerTransaction
from .models import BankLine, BillLine

WINDOW_DAYS = 3
MIN_REFERENCE = 6  # shorter ids would be found by chance in a line's text


def _require(by) -> None:
    if by is None or not by.has_perm("fundraising.manage_money"):
        raise PermissionDenied


def bank_movements(start: date, end: date, *, unmatched_only: bool = True) -> dict[int, tuple[date, Decimal]]:
    """{transaction id: (date, net amount on the bank account)} for transactions dated start..end that move
    money in or out of the bank (allocations between funds move none)."""
    qs = LedgerEntry.objects.filter(
        account__code=ledger.CASH, transaction__date__gte=start, transaction__date__lte=end
    )
    if unmatched_only:
        qs = qs.filter(transaction__bank_line__isnull=True)
    rows = qs.values("transaction_id", "transaction__date").annotate(s=Sum("amount")).order_by()
    out = {}
    for row in rows:
        amount = Decimal(row["s"] or 0).quantize(CENT)
        if amount:
            out[row["transaction_id"]] = (row["transaction__date"], amount)
    return out


def references(tx_ids) -> dict[int, set[str]]:
    """The references each transaction is known by: its bill line's platform id and order, its donation's
    receipt number and platform id."""
    out: dict[int, set[str]] = defaultdict(set)
    for tx_id, ext, ref in BillLine.objects.filter(ledger_transaction_id__in=tx_ids).values_list(
        "ledger_transaction_id", "external_id", "reference"
    ):
        out[tx_id] |= {ext, ref}
    for tx_id, receipt, ext in Donation.objects.filter(ledger_transaction_id__in=tx_ids).values_list(
        "ledger_transaction_id", "receipt_number", "external_id"
    ):
        out[tx_id] |= {receipt, ext}
    return {k: {r for r in v if r and len(r) >= MIN_REFERENCE} for k, v in out.items()}


def _line_text(line: BankLine) -> str:
    return " ".join([line.summary, line.external_id, line.counterparty, line.counterparty_account])


@transaction.atomic
def match_all() -> int:
    """Match every unmatched bank line that can be matched automatically; returns how many were."""
    lines = list(
        BankLine.objects.select_for_update()
        .filter(status=BankLine.Status.UNMATCHED)
        .order_by("occurred_on", "pk")
    )
    if not lines:
        return 0
    start = min(line.occurred_on for line in lines) - timedelta(days=WINDOW_DAYS)
    end = max(line.occurred_on for line in lines) + timedelta(days=WINDOW_DAYS)
    window = bank_movements(start, end)
    taken: set[int] = set()
    matched: dict[int, tuple[int, str]] = {}

    def by_amount(amount, pool):
        return [(tx, day) for tx, (day, a) in pool.items() if a == amount and tx not in taken]

    # 1 and 2: the same amount, the same day, then the closest day within the window.
    for step in (BankLine.Method.EXACT, BankLine.Method.NEAR):
        for line in lines:
            if line.pk in matched:
                continue
            found = by_amount(line.amount, window)
            if step == BankLine.Method.EXACT:
                found = [(tx, d) for tx, d in found if d == line.occurred_on]
            else:
                found = [(tx, d) for tx, d in found if abs((d - line.occurred_on).days) <= WINDOW_DAYS]
                if found:
                    best = min(abs((d - line.occurred_on).days) for _tx, d in found)
                    found = [(tx, d) for tx, d in found if abs((d - line.occurred_on).days) == best]
            if len(found) > 1:
                # Several candidates as good as each other: the one the line names, else a person decides.
                found = [(tx, d) for tx, d in found if tx in _named(line, [t for t, _d in found])]
            if len(found) == 1:
                taken.add(found[0][0])
                matched[line.pk] = (found[0][0], step)
    # 3: by reference, the same amount on any day.
    rest = [line for line in lines if line.pk not in matched]
    if rest:
        amounts = {line.amount for line in rest}
        pool = {}
        low = min(line.occurred_on for line in rest) - timedelta(days=120)
        high = max(line.occurred_on for line in rest) + timedelta(days=120)
        for tx, (day, amount) in bank_movements(low, high).items():
            if amount in amounts and tx not in taken:
                pool[tx] = (day, amount)
        for line in rest:
            named = _named(line, [tx for tx, _d in by_amount(line.amount, pool)])
            if len(named) == 1:
                taken.add(named[0])
                matched[line.pk] = (named[0], BankLine.Method.REFERENCE)
    now = timezone.now()
    for line in lines:
        if line.pk in matched:
            line.matched_transaction_id, line.method = matched[line.pk]
            line.status = BankLine.Status.MATCHED
            line.resolved_at = now
            line.resolved_by = None
            line.save(update_fields=["matched_transaction", "method", "status", "resolved_at", "resolved_by"])
    return len(matched)


def _named(line: BankLine, tx_ids: list[int]) -> list[int]:
    if not tx_ids:
        return []
    text = _line_text(line)
    refs = references(tx_ids)
    return [tx for tx in tx_ids if any(ref in text for ref in refs.get(tx, ()))]


def candidates(line: BankLine, *, limit: int = 20) -> list[LedgerTransaction]:
    """Transactions a person may match the line to: unmatched bank movements of the same amount within
    a month, then any amount within the date window; closest first."""
    movements = bank_movements(line.occurred_on - timedelta(days=31), line.occurred_on + timedelta(days=31))
    same = [tx for tx, (_d, a) in movements.items() if a == line.amount]
    near = [
        tx
        for tx, (d, a) in movements.items()
        if a != line.amount and abs((d - line.occurred_on).days) <= WINDOW_DAYS
    ]
    order = {
        tx: (0 if tx in same else 1, abs((movements[tx][0] - line.occurred_on).days), tx)
        for tx in same + near
    }
    ids = sorted(order, key=order.get)[:limit]
    txs = LedgerTransaction.objects.in_bulk(ids)
    out = []
    for tx_id in ids:
        tx = txs[tx_id]
        tx.bank_amount = movements[tx_id][1]
        out.append(tx)
    return out


def _mark_matched(line: BankLine, tx: LedgerTransaction, method: str, by) -> None:
    """Set a line matched to `tx` by `by` now (saved by the caller; history names `by`)."""
    line.status = BankLine.Status.MATCHED
    line.matched_transaction = tx
    line.method = method
    line.resolved_by = by
    line.resolved_at = timezone.now()
    line._history_user = by


@transaction.atomic
def line_match(*, line: BankLine, tx: LedgerTransaction, by) -> BankLine:
    """Match a bank line by hand to the transaction it settles (same amount on the bank account)."""
    _require(by)
    line = BankLine.objects.select_for_update().get(pk=line.pk)
    if line.status != BankLine.Status.UNMATCHED:
        raise ValidationError(_("This bank line is already reconciled; undo that first."))
    moved = LedgerEntry.objects.filter(transaction=tx, account__code=ledger.CASH).aggregate(s=Sum("amount"))[
        "s"
    ]
    if Decimal(moved or 0).quantize(CENT) != line.amount:
        raise ValidationError(
            {
                "transaction": _(
                    "Transaction #%(tx)s moves %(moved)s on the bank account, not the line's %(amount)s. Explain "
                    "the line instead if it is not in the books."
                )
                % {"tx": tx.pk, "moved": Decimal(moved or 0).quantize(CENT), "amount": line.amount}
            }
        )
    if BankLine.objects.filter(matched_transaction=tx).exists():
        raise ValidationError(
            {"transaction": _("Transaction #%(tx)s already settles another bank line.") % {"tx": tx.pk}}
        )
    _mark_matched(line, tx, BankLine.Method.MANUAL, by)
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError:
        raise ValidationError(
            {"transaction": _("Transaction #%(tx)s already settles another bank line.") % {"tx": tx.pk}}
        ) from None
    return line


def platform_holdings() -> dict[int, Decimal]:
    """{channel id: money the platform holds for the funds (its clearing account's balance)} for every
    platform that holds some: what a bank line may be recorded as the payout of."""
    rows = (
        LedgerEntry.objects.filter(account__code__startswith="asset:clearing:")
        .values("account__channel_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    out = {}
    for row in rows:
        held = Decimal(row["s"] or 0).quantize(CENT)
        if held > 0 and row["account__channel_id"] is not None:
            out[row["account__channel_id"]] = held
    return out


@transaction.atomic
def line_record_payout(*, line: BankLine, channel: Channel, by) -> BankLine:
    """Record a bank line (money in) as a platform's payout that its bill does not list: the money moves
    from the platform's clearing account to the bank, fund by fund in the order of the funds' ids as far
    as each fund's money at the platform goes (as an imported payout does), and the line is matched to
    that transaction. Refused when the line is money out or already reconciled, or when the platform holds
    less than the line's amount (nothing is recorded)."""
    from .services import (  # noqa: PLC0415 - services imports this module
        _clearing_balances,
        clearing_account,
        payout_lines,
        payout_splits,
    )

    _require(by)
    line = BankLine.objects.select_for_update().get(pk=line.pk)
    if line.status != BankLine.Status.UNMATCHED:
        raise ValidationError(_("This bank line is already reconciled; undo that first."))
    if line.amount <= 0:
        raise ValidationError(
            {"channel": _("Only money into the bank can be a platform's payout; this line is money out.")}
        )
    # One payout of a platform at a time: what it holds is read and moved under the channel's row lock.
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    held = _clearing_balances(channel)
    total = sum((v for v in held.values() if v > 0), Decimal("0.00"))
    if total < line.amount:
        raise ValidationError(
            {
                "channel": _(
                    "%(channel)s holds %(held)s for the funds, less than the line's %(amount)s: import its "
                    "bill first, or match or explain the line."
                )
                % {"channel": channel.name, "held": total, "amount": line.amount}
            }
        )
    splits = payout_splits(held, line.amount)
    funds = Fund.objects.in_bulk([fund_id for fund_id, _take in splits])
    lines = payout_lines(splits, funds, cash=ledger.cash_account(), clearing=clearing_account(channel))
    memo = f"Payout from {channel.name} to the bank, bank line {line.external_id}"[:255]
    tx = ledger.ledger_post_many(
        [
            ledger.Posting(
                date=line.occurred_on,
                memo=memo,
                kind=LedgerTransaction.Kind.ADJUSTMENT,
                lines=lines,
                source=line,
                created_by=by,
            )
        ]
    )[0]
    _mark_matched(line, tx, BankLine.Method.PAYOUT, by)
    line.save()
    return line


@transaction.atomic
def line_explain(*, line: BankLine, reason: str, by) -> BankLine:
    """Explain a bank line that settles nothing in the books (a bank charge to be recorded, a transfer
    returned...), with the reason kept in its history."""
    _require(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this bank line matches nothing in the books.")})
    line = BankLine.objects.select_for_update().get(pk=line.pk)
    if line.status != BankLine.Status.UNMATCHED:
        raise ValidationError(_("This bank line is already reconciled; undo that first."))
    line.status = BankLine.Status.EXPLAINED
    line.explanation = reason
    line.resolved_by = by
    line.resolved_at = timezone.now()
    line._history_user = by
    line.full_clean(exclude=["bill", "channel", "matched_transaction", "resolved_by"])
    line.save()
    return line


@transaction.atomic
def line_reopen(*, line: BankLine, by) -> BankLine:
    """Undo a line's match or explanation (refused once its month is closed)."""
    _require(by)
    line = BankLine.objects.select_for_update().get(pk=line.pk)
    last = ledger.closed_through()
    if last and line.occurred_on < ledger._next_month(last):
        raise ValidationError(
            _("%(month)s is closed; its reconciliation is final.")
            % {"month": line.occurred_on.strftime("%Y-%m")}
        )
    if line.status == BankLine.Status.UNMATCHED:
        return line
    line.status = BankLine.Status.UNMATCHED
    line.matched_transaction = None
    line.method = ""
    line.explanation = ""
    line.resolved_by = by
    line.resolved_at = timezone.now()
    line._history_user = by
    line.save()
    return line


def unreconciled_through(month: date) -> int:
    """Bank lines dated up to the end of `month` that are neither matched nor explained."""
    return BankLine.objects.filter(
        Q(status=BankLine.Status.UNMATCHED), occurred_on__lt=ledger._next_month(month.replace(day=1))
    ).count()


def check_month_reconciled(month: date) -> None:
    """Refuse (ValidationError at the month) to close a month while any bank line up to its end is
    neither matched nor explained."""
    left = unreconciled_through(month)
    if left:
        raise ValidationError(
            {
                "month": ngettext(
                    "%(n)s bank statement line up to the end of %(month)s is neither matched nor explained: "
                    "reconcile it before closing the month.",
                    "%(n)s bank statement lines up to the end of %(month)s are neither matched nor explained: "
                    "reconcile them before closing the month.",
                    left,
                )
                % {"n": left, "month": month.strftime("%Y-%m")}
            }
        )
