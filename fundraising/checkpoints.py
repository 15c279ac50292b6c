"""Ledger checkpoints: the chain head and every fund's balance, published at each month close and each day,
so that a rewrite of the history after publication is caught by anyone who kept a copy
(`manage.py verify_ledger --checkpoint FILE_OR_CODE`, fundraising.verification).

The same few fields are printed everywhere a checkpoint is published (the public page, the open-data
files, every transparency report) in a form `parse_published` reads back:

    LEDGER CHECKPOINT D2026-11-30 seq=1234 hash=3f5a…(64 hex) total=12345.67

Balances are given per fund code as "general:1200.00 project-3:45.50" (the open-data field `balances`).
"""

import re
from datetime import date as date_type
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from empowerment.money import CENT

from .models import FundBalance, LedgerCheckpoint

Kind = LedgerCheckpoint.Kind


def checkpoint_code(kind: str, *, taken_on: date_type, month: date_type | None = None) -> str:
    if kind == Kind.MONTH_CLOSE:
        return f"M{month:%Y-%m}"
    return f"D{taken_on:%Y-%m-%d}"


def _take(kind: str, *, month: date_type | None) -> LedgerCheckpoint:
    from . import ledger  # noqa: PLC0415 - the ledger imports this module

    # The chain head locked first, so no posting commits between reading it and reading the balances;
    # the running balances of the funds are then exactly those at the head (verify_ledger proves it).
    # Entries of a large import still waiting for their place in the chain count in the balances already:
    # they are chained first (an import commits holding the chain head, so none appears meanwhile).
    chain = ledger._lock_chain()
    if ledger._chain_pending(chain, None):
        chain.refresh_from_db()
    seq, digest = chain.last_seq, chain.last_hash
    balances = {
        code: f"{balance.quantize(CENT)}"
        for code, balance in FundBalance.objects.exclude(amount=0)
        .order_by("fund__code")
        .values_list("fund__code", "amount")
    }
    today = timezone.localdate()
    checkpoint = LedgerCheckpoint(
        code=checkpoint_code(kind, taken_on=today, month=month),
        kind=kind,
        taken_on=today,
        month=month,
        seq=seq,
        hash=digest,
        balances=balances,
        total=sum((Decimal(v) for v in balances.values()), Decimal("0.00")),
    )
    checkpoint.full_clean(validate_unique=False)
    checkpoint.save()
    return checkpoint


@transaction.atomic
def checkpoint_month_close(*, month: date_type) -> LedgerCheckpoint:
    """The checkpoint of a month close (called by ledger.period_close in its transaction, with the chain
    head already locked): one per closed month."""
    return _take(Kind.MONTH_CLOSE, month=month.replace(day=1))


def checkpoint_daily() -> LedgerCheckpoint:
    """Today's checkpoint: taken once a day (the beat task); running it again the same day returns the
    one already taken."""
    today = timezone.localdate()
    existing = LedgerCheckpoint.objects.filter(kind=Kind.DAILY, taken_on=today).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _take(Kind.DAILY, month=None)
    except IntegrityError:  # another worker took it meanwhile
        return LedgerCheckpoint.objects.get(kind=Kind.DAILY, taken_on=today)


# The published form ---------------------------------------------------------------------------------------


def balances_text(balances: dict) -> str:
    return " ".join(f"{code}:{amount}" for code, amount in sorted(balances.items()))


def parse_balances(text: str) -> dict[str, Decimal]:
    out = {}
    for part in (text or "").split():
        code, _, amount = part.rpartition(":")
        if not code:
            raise ValueError(f"not a fund balance: {part!r}")
        try:
            out[code] = Decimal(amount).quantize(CENT)
        except InvalidOperation:
            raise ValueError(f"not an amount: {part!r}") from None
    return out


def published_line(checkpoint: LedgerCheckpoint) -> str:
    return (
        f"LEDGER CHECKPOINT {checkpoint.code} seq={checkpoint.seq} hash={checkpoint.hash} "
        f"total={checkpoint.total}"
    )


# PDF text extraction may break the hash across lines or insert spaces, so hex digits are gathered
# across whitespace until there are 64 of them.
_LINE = re.compile(
    r"LEDGER\s*CHECKPOINT\s+(?P<code>[DM][0-9\-\s]{7,12}?)\s*seq\s*=\s*(?P<seq>\d+)\s*hash\s*=\s*"
    r"(?P<hash>(?:[0-9a-f]\s*){64})(?:\s*total\s*=\s*(?P<total>-?[\d\s,]+\.\s*\d\s*\d))?",
    re.IGNORECASE,
)


def parse_published(text: str) -> list[dict]:
    """The checkpoints printed in a text (a report PDF's extracted text, a saved page): code, seq, hash
    and, when printed, the total balance."""
    found = []
    for match in _LINE.finditer(text):
        total = match.group("total")
        found.append(
            {
                "code": re.sub(r"\s+", "", match.group("code")),
                "seq": int(match.group("seq")),
                "hash": re.sub(r"\s+", "", match.group("hash")).lower(),
                "total": Decimal(re.sub(r"[\s,]", "", total)) if total else None,
                "balances": None,
            }
        )
    return found
