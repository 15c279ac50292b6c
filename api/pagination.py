"""Cursor (keyset) pagination: each page is `WHERE (key, id) > (last key, last id) ORDER BY key, id LIMIT n`
on an indexed key, so the millionth row comes as fast as the first and no row is skipped or repeated when
rows are added meanwhile. The cursor is opaque to clients: the last row's key and id and the ordering it
belongs to, signed so that a changed or made-up cursor is refused (400) instead of read."""

from dataclasses import dataclass
from datetime import date

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

SALT = "api.v1.cursor"
DEFAULT_LIMIT = 25
MAX_LIMIT = 100


class BadCursor(ValueError):
    """A cursor that this API did not give, or one of another ordering."""


@dataclass(frozen=True)
class Ordering:
    """An ordering a list offers: `name` as clients write it ("id", "-received_on"), the model field it
    orders by (indexed together with the id) and the row attribute holding the field's value."""

    name: str
    field: str

    @property
    def descending(self) -> bool:
        return self.name.startswith("-")


def orderings(*fields: str) -> dict[str, Ordering]:
    """Each field ascending and descending; "id" is always offered."""
    out = {}
    for field in ("id", *fields):
        out[field] = Ordering(field, field)
        out[f"-{field}"] = Ordering(f"-{field}", field)
    return out


def _encode(value):
    return value.isoformat() if isinstance(value, date) else value


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def make_cursor(ordering: Ordering, row) -> str:
    key = row.pk if ordering.field == "id" else getattr(row, ordering.field)
    # Not time-stamped: the same page always has the same cursor (and the same ETag).
    return _signer().sign_object({"o": ordering.name, "k": _encode(key), "i": row.pk}, compress=True)


def read_cursor(cursor: str, ordering: Ordering) -> tuple:
    try:
        data = _signer().unsign_object(cursor)
    except signing.BadSignature as exc:
        raise BadCursor(_("The cursor is not one this API gave; start again without it.")) from exc
    if not isinstance(data, dict) or data.get("o") != ordering.name or "k" not in data or "i" not in data:
        raise BadCursor(_("The cursor belongs to another ordering; start again without it."))
    return data["k"], data["i"]


def page(qs: QuerySet, *, ordering: Ordering, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """(rows of one page, the cursor of the next page or None at the end)."""
    field = "pk" if ordering.field == "id" else ordering.field
    if ordering.descending:
        qs = qs.order_by(f"-{field}", "-pk") if field != "pk" else qs.order_by("-pk")
    else:
        qs = qs.order_by(field, "pk") if field != "pk" else qs.order_by("pk")
    if cursor:
        key, pk = read_cursor(cursor, ordering)
        op = "lt" if ordering.descending else "gt"
        if field == "pk":
            qs = qs.filter(**{f"pk__{op}": pk})
        else:
            qs = qs.filter(Q(**{f"{field}__{op}": key}) | Q(**{field: key, f"pk__{op}": pk}))
    rows = list(qs[: limit + 1])
    if len(rows) > limit:
        return rows[:limit], make_cursor(ordering, rows[limit - 1])
    return rows, None
