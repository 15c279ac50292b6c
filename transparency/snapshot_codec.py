"""The dashboard snapshot's figures as JSON (never pickle): Decimals, dates, datetimes, tuples and dicts with
keys that are not strings are written as small tagged objects and read back as the same Python values, so a
figure read from the snapshot equals the one computed (`manage.py verify_ledger` compares them).

Only these types are accepted; anything else is a programming error and raises TypeError at write time
rather than being stored as something that would read back differently."""

import datetime
from decimal import Decimal

_TAGS = ("__decimal__", "__date__", "__datetime__", "__tuple__", "__pairs__")


def encode(value):
    """A JSON-ready structure for `value` (for a JSONField)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, Decimal):
        return {"__decimal__": str(value)}
    if isinstance(value, datetime.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and k not in _TAGS for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {"__pairs__": [[encode(k), encode(v)] for k, v in value.items()]}
    raise TypeError(f"{type(value).__name__} cannot be stored in the dashboard snapshot: {value!r}"[:300])


def decode(value):
    """The Python value `encode` was given."""
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((tag, inner),) = value.items()
        if tag == "__decimal__":
            return Decimal(inner)
        if tag == "__date__":
            return datetime.date.fromisoformat(inner)
        if tag == "__datetime__":
            return datetime.datetime.fromisoformat(inner)
        if tag == "__tuple__":
            return tuple(decode(item) for item in inner)
        if tag == "__pairs__":
            return {_hashable(decode(k)): decode(v) for k, v in inner}
    return {k: decode(v) for k, v in value.items()}


def _hashable(key):
    return tuple(_hashable(k) for k in key) if isinstance(key, list) else key
