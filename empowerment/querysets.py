"""Reading large tables a page at a time; per-row subqueries and whole reads compiled once."""

from collections.abc import Callable, Iterator

from django.db import connection
from django.db.models import BigIntegerField, Expression, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.query import RawQuerySet

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


# A per-row subquery compiled once -------------------------------------------------------------------------

_compiled: dict[tuple, tuple[str, tuple]] = {}


def per_row_subquery(name: str, model, build: Callable[[Expression], QuerySet], *, output_field, default):
    """A correlated subquery as an annotation of `model`'s rows: `build(outer)` returns the subquery's
    queryset (one value, at most one row), filtered on `outer`, the outer row's primary key.

    What it returns is the query of Django's Subquery(build(OuterRef("pk"))), compiled once per process
    and database (`name` identifies it) instead of at every query: building and compiling a few ledger
    subqueries costs the ORM milliseconds of Python a page, more than the database takes to run them.
    It refers to the outer row as "<table>"."<pk>", so it is meant for a queryset of `model` read for its
    rows, not for one nested inside another query."""
    key = (name, connection.vendor, model._meta.db_table)
    compiled = _compiled.get(key)
    if compiled is None:
        # Only names quoted by the backend and Django's own compilation go into the SQL; values stay parameters.
        qn = connection.ops.quote_name
        outer = RawSQL(  # noqa: S611
            f"{qn(model._meta.db_table)}.{qn(model._meta.pk.column)}", (), output_field=BigIntegerField()
        )
        query = model._default_manager.all().query
        subquery = Coalesce(
            Subquery(build(outer), output_field=output_field),
            Value(default, output_field=output_field),
            output_field=output_field,
        ).resolve_expression(query)
        sql, params = query.get_compiler(connection=connection).compile(subquery)
        compiled = _compiled[key] = (sql, tuple(params))
    return RawSQL(*compiled, output_field=output_field)  # noqa: S611


# A whole read compiled once -------------------------------------------------------------------------------

_compiled_reads: dict[tuple, tuple] = {}


def compiled_once(name: str, build: Callable[..., QuerySet], /, **values) -> RawQuerySet:
    """`build(**values)` as a raw queryset of its model, compiled once per process and database (`name`
    identifies the read; `build` must give the same query whatever the values).

    The first time, `build` is called with a marker string in place of each value and its query compiled;
    each marker must reach the query's parameters unchanged (exact lookups: a value Django rewrites, as
    `icontains` does, is refused). Afterwards only the parameters are filled in: building and compiling a
    queryset with subqueries costs the ORM more Python than the database takes to run it, which matters
    for a read made by every request of a busy endpoint. Annotations are attributes of the rows, as with
    QuerySet.raw."""
    key = (name, connection.vendor, tuple(sorted(values)))
    compiled = _compiled_reads.get(key)
    if compiled is None:
        markers = {field: f"\x1f{name}:{field}\x1f" for field in values}
        queryset = build(**markers)
        sql, params = queryset.query.get_compiler(connection=connection).as_sql()
        slots = tuple(next((f for f, m in markers.items() if p == m), None) for p in params)
        unchanged = all(
            not (isinstance(p, str) and "\x1f" in p) or s for p, s in zip(params, slots, strict=True)
        )
        if not unchanged or set(markers) - set(slots):
            raise ValueError(f"{name}: a value does not reach the query's parameters unchanged")
        compiled = _compiled_reads[key] = (queryset.model, sql, tuple(params), slots)
    model, sql, params, slots = compiled
    filled = [param if slot is None else values[slot] for param, slot in zip(params, slots, strict=True)]
    return model._default_manager.raw(sql, filled)
