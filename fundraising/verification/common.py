"""What the checks share: the published checkpoint, the result, the starting point."""

from dataclasses import dataclass, field
from decimal import Decimal

from empowerment.money import CENT

from .. import ledger
from ..ledger import GENESIS
from ..models import (
    LedgerCheckpoint,
    LedgerTransaction,
)

ZERO = Decimal("0.00")
RECORD_BATCH = 2000
Kind = LedgerTransaction.Kind
# Books written before expenditures were dated when incurred have no `occurred_on`; read it when present.
HAS_OCCURRED_ON = any(f.name == "occurred_on" for f in LedgerTransaction._meta.get_fields())
TX_FIELDS = [f for f in ledger.TX_FIELDS if HAS_OCCURRED_ON or f != "occurred_on"]


def money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)  # SQLite sums decimals in floating point; quantize to the fen


@dataclass
class Published:
    """A checkpoint as published: at least its code, entry and hash; total and balances when known."""

    code: str
    seq: int
    hash: str
    total: Decimal | None = None
    balances: dict[str, Decimal] | None = None
    where: str = "published"


@dataclass
class Result:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    entries_checked: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    since: LedgerCheckpoint | None = None
    seconds: float = 0.0

    @property
    def sound(self) -> bool:
        return not self.problems


@dataclass
class Start:
    seq: int = 0
    hash: str = GENESIS
    balances: dict[int, Decimal] = field(default_factory=dict)
