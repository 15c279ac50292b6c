"""Proving the books: what `manage.py verify_ledger` checks.

1. The hash chain: every entry in sequence, chained to the one before, its content matching its hash, the
   chain head matching the last entry.
2. The ledger's own arithmetic: every transaction balanced and not empty; each fund's running balance equal
   to the sum of its entries and never negative (nor its bank or advance sub-balance); every monthly total
   (LedgerMonthTotal), every fund's monthly figure (LedgerFundMonth) and every campaign's total
   (LedgerCampaignTotal) equal to the sum of its entries.
3. Every source record against its posting: each donation (and the grant tranche it pays), allocation,
   disbursement, expenditure and in-kind gift has exactly the posting its service writes (kind, source,
   accounts, funds, amounts, date), a reversed record has its reversal (undoing the posting exactly) and a
   recorded one has none; every posting of those kinds belongs to the record it names.
4. Every stored checkpoint (fundraising.checkpoints): the chain recomputed up to its entry gives its hash
   and the entries up to it give its balances.
5. Public figures stored elsewhere: each installed app may provide `<app>.verification.
   stored_figure_problems(note)` (transparency checks its dashboard snapshot); the command runs them.

`verify(since=...)` checks only what was posted after a checkpoint proven by an earlier full run;
`prove_checkpoints(published)` proves that the history up to checkpoints published elsewhere (a report, an
open-data file somebody kept) is unchanged, which catches a chain rewritten and re-hashed after publication.
"""

import importlib
import importlib.util
import time
from collections.abc import Callable

from django.apps import apps
from django.db import transaction

from ..models import LedgerCheckpoint, LedgerVerification
from .chain import (
    check_campaign_totals,
    check_chain,
    check_fund_months,
    check_month_totals,
    check_transactions,
    snapshot,
    start_of,
    tx_floor,
)
from .common import Published, Result, Start
from .published import UnreadableCheckpoints, load_published
from .sources import check_sources

__all__ = [
    "Published",
    "Result",
    "UnreadableCheckpoints",
    "last_verified_checkpoint",
    "ledger_verify",
    "load_published",
    "prove_checkpoints",
    "stored_figure_checks",
    "verification_record",
    "verify",
]


# The public entry points ----------------------------------------------------------------------------------


def ledger_verify(*, progress: Callable[[int], None] | None = None) -> list[str]:
    """Every problem of the books (points 1 to 4 above) over the whole history; empty when sound."""
    return verify(progress=progress, stored_figures=False).problems


def verify(
    *,
    since: LedgerCheckpoint | None = None,
    progress: Callable[[int], None] | None = None,
    stored_figures: bool = True,
) -> Result:
    """Check the books: everything (since=None), or only what was posted after `since`, a checkpoint an
    earlier full run proved (its hash and balances are then trusted). Writes nothing."""
    started = time.monotonic()
    result = Result(since=since)
    with snapshot():
        start = start_of(since, result) if since is not None else Start()
        check_chain(result, start, progress=progress, stored_checkpoints=True)
        floor = tx_floor(start.seq) if since is not None else None
        if since is None or floor is not None:
            check_transactions(result, floor)
            check_month_totals(result, floor)
            check_fund_months(result, floor)
            check_campaign_totals(result)
            check_sources(result, floor)
    if stored_figures:
        _check_stored_figures(result)
    result.seconds = round(time.monotonic() - started, 3)
    return result


def prove_checkpoints(published: list[Published], *, progress: Callable[[int], None] | None = None) -> Result:
    """Recompute the chain from its first entry up to the last of these published checkpoints and
    compare, at each, the hash and the balances: a history changed before a checkpoint gives another
    hash, even if every later entry and the chain head were re-hashed to look sound."""
    started = time.monotonic()
    result = Result()
    if not published:
        result.problems.append("no checkpoint to prove")
        return result
    with snapshot():
        check_chain(
            result,
            Start(),
            until=max(p.seq for p in published),
            published=published,
            stored_checkpoints=False,
            progress=progress,
        )
        stored = {c.code: c for c in LedgerCheckpoint.objects.filter(code__in=[p.code for p in published])}
    for p in published:
        kept = stored.get(p.code)
        if kept is None:
            result.notes.append(f"checkpoint {p.code} is not among the checkpoints stored here")
        elif (kept.seq, kept.hash) != (p.seq, p.hash):
            result.problems.append(
                f"checkpoint {p.code}: the stored copy (entry {kept.seq}, hash {kept.hash[:16]}…) differs "
                f"from the {p.where} one (entry {p.seq}, hash {p.hash[:16]}…)"
            )
    result.seconds = round(time.monotonic() - started, 3)
    return result


@transaction.atomic
def verification_record(result: Result) -> LedgerVerification:
    """Remember a sound full run: how far the chain was proven and the latest checkpoint it covered, from
    which `verify_ledger --since-checkpoint` continues."""
    if not result.sound or result.since is not None:
        raise ValueError("only a sound full verification is recorded")
    checkpoint = (
        LedgerCheckpoint.objects.filter(seq__lte=result.last_seq).order_by("-seq", "-taken_on", "-pk").first()
    )
    return LedgerVerification.objects.create(
        seq=result.last_seq, hash=result.last_hash, checkpoint=checkpoint, seconds=result.seconds
    )


def last_verified_checkpoint() -> LedgerCheckpoint | None:
    """The checkpoint the latest sound full run covered (None before the first one)."""
    run = (
        LedgerVerification.objects.filter(checkpoint__isnull=False)
        .select_related("checkpoint")
        .order_by("-checkpoint__seq", "-verified_at", "-pk")
        .first()
    )
    return run.checkpoint if run else None


# Stored public figures --------------------------------------------------------------------------------------


def stored_figure_checks() -> list[Callable]:
    """`stored_figure_problems(note)` of every installed app's `verification` module that has one."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.verification"
        if name == __name__ or importlib.util.find_spec(name) is None:
            continue
        check = getattr(importlib.import_module(name), "stored_figure_problems", None)
        if callable(check):
            found.append(check)
    return found


def _check_stored_figures(result: Result) -> None:
    for check in stored_figure_checks():
        result.problems.extend(check(result.notes.append))
