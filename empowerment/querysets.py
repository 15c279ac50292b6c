"""Reading large tables a page at a time."""

from collections.abc import Iterator

from django.db.models import QuerySet

KEYSET_PAGE = 1000


def keyset_iterator(qs: QuerySet, key: str = "pk", size: int | None = None) -> Iterator:
    """Every row of `qs` in ascending `key` order (a unique, indexed column), fetched `size` rows at a time
    with `WHERE key > last ORDER BY key LIMIT size`. Each page is an index range scan, so the first rows
    of a million-row table arrive at once instead of after the whole table is sorted, and memory stays
    bounded. Rows added while it runs may be included; none is read twice."""
    size = size or KEYSET_PAGE
    last = None
    while True:
        page = qs.order_by(key)
        if last is not None:
            page = page.filter(**{f"{key}__gt": last})
        batch = list(page[:size])
        yield from batch
        if len(batch) < size:
            return
        last = getattr(batch[-1], key)
