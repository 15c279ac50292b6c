"""Each campaign's income entries summed (LedgerCampaignTotal), apart for the public's gifts and the partner's
matching gifts, so that a campaign's money raised (`selectors.campaigns`) reads two rows whatever the number of
its donations: summed from the entries at every read, a campaign of 100,000 gifts took half a second to show.

Kept in the same transaction as the entries, under the chain-head lock: by the posting service (`deltas_of`,
`add`) and rebuilt from the entries after a bulk load (`rebuild`). Imported files name no campaign, so the
bulk import's SQL adds nothing here. The entries stay the truth: `from_entries` is the same grouping done by
the database over the entries, which `verify_ledger` compares with every kept row.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum

from empowerment.money import CENT

from .kept import BATCH, add_to_kept
from .models import Account, Donation, LedgerCampaignTotal, LedgerEntry, LedgerTransaction

KEY = ("campaign_id", "is_matching", "reversal")
# The entries of a campaign's donation: through the donation's own transaction, and through the transaction
# reversing it (disjoint: a reversal's transaction is no donation's), with the `reversal` each path keeps.
PATHS = {"transaction__donation__": False, "transaction__reverses__donation__": True}


def _counts(account: Account) -> bool:
    """Whether a line on this account is a campaign's income (cash income: what its money raised sums)."""
    return account.type == Account.Type.INCOME and not account.in_kind


def deltas_of(postings) -> dict[tuple, list]:
    """{(campaign id, matching?, reversal?): [amount, entries]} that the postings add: each income line of a
    donation of a campaign, or of the reversal of one."""
    reversed_ids = {p.reverses.pk for p in postings if p.reverses is not None}
    behind = (
        {
            tx: (campaign, matching, True)
            for tx, campaign, matching in Donation.objects.filter(
                ledger_transaction_id__in=reversed_ids, campaign__isnull=False
            ).values_list("ledger_transaction_id", "campaign_id", "is_matching")
        }
        if reversed_ids
        else {}
    )
    deltas: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0])
    for posting in postings:
        key, source = None, posting.source
        if posting.reverses is not None:
            key = behind.get(posting.reverses.pk)
        elif posting.kind == LedgerTransaction.Kind.DONATION and isinstance(source, Donation):
            key = (source.campaign_id, source.is_matching, False) if source.campaign_id else None
        if key is None:
            continue
        for line in posting.lines:
            if _counts(line.account):
                total = deltas[key]
                total[0] += line.amount
                total[1] += 1
    return deltas


def add(deltas: dict[tuple, list]) -> None:
    """Add the deltas to the kept rows (under the chain head, like every posting)."""
    add_to_kept(LedgerCampaignTotal, KEY, deltas)


def from_entries() -> dict[tuple, tuple[Decimal, int]]:
    """The totals as the database sums them from the entries themselves."""
    out: dict[tuple, tuple[Decimal, int]] = {}
    income = LedgerEntry.objects.filter(account__type=Account.Type.INCOME, account__in_kind=False)
    for path, reversal in PATHS.items():
        rows = (
            income.filter(**{f"{path}campaign__isnull": False})
            .order_by()
            .values_list(f"{path}campaign", f"{path}is_matching")
            .annotate(s=Sum("amount"), n=Count("pk"))
        )
        for campaign_id, matching, total, count in rows:
            out[(campaign_id, matching, reversal)] = (Decimal(total).quantize(CENT), count)
    return out


def rebuild() -> int:
    """Recompute every row from the entries (after a bulk load that wrote entries directly, or to repair the
    table); the caller holds the chain head. Returns the number of rows."""
    LedgerCampaignTotal.objects.all().delete()
    figures = from_entries()
    LedgerCampaignTotal.objects.bulk_create(
        [
            LedgerCampaignTotal(
                campaign_id=campaign, is_matching=matching, reversal=reversal, amount=amount, entries=count
            )
            for (campaign, matching, reversal), (amount, count) in figures.items()
        ],
        batch_size=BATCH,
    )
    return len(figures)
