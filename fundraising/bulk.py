"""Bulk writes for large batches on PostgreSQL: ids reserved from each table's own sequence (so they never
collide with rows other requests insert meanwhile) and rows sent with COPY. The ORM's bulk_create spends
most of its time preparing values one by one; COPY sends them as they are. Callers fall back to
bulk_create on other databases (SQLite, the embedded default).

Nothing here checks anything: the services that call it validate first, and the database's constraints
(unique receipts, positive amounts, foreign keys) still hold for every row COPY writes.
"""

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model

# Below this many rows bulk_create is as quick and simpler.
MIN_ROWS = 50


def available(rows: int) -> bool:
    return connection.vendor == "postgresql" and rows >= MIN_ROWS


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` new primary keys for `model`, taken from its sequence."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            # The sequence named once (MATERIALIZED), not for each row: that was most of the statement's time.
            "WITH q AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) "
            "SELECT nextval(q.seq) FROM q CROSS JOIN generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_objects(model: type[Model], objs: Sequence[Model]) -> None:
    """INSERT unsaved instances with COPY. Either every instance has its primary key set (reserve_ids) or
    none has (the sequence gives them, and they are not read back). auto_now(_add) fields are filled in as
    save() would; other values go as the instances hold them (Decimal, date, str, int, bool, None)."""
    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and objs[0].pk is None)]
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj in objs:
        for f in stamped:
            f.pre_save(obj, add=True)
    attnames = [f.attname for f in fields]
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) FROM STDIN"
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(sql) as copy:
            for obj in objs:
                copy.write_row([getattr(obj, name) for name in attnames])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def history_rows(model: type[Model], objs: Sequence[Model], *, user, when, reason: str = "") -> list[Model]:
    """The simple_history "created" rows of `objs` (what bulk_create_with_history writes)."""
    historical = model.history.model
    tracked = [f.attname for f in model.history.model.tracked_fields if f.attname != "history_id"]
    return [
        historical(
            history_date=when,
            history_type="+",
            history_user_id=getattr(user, "pk", None),
            history_change_reason=reason or None,
            **{name: getattr(obj, name) for name in tracked},
        )
        for obj in objs
    ]
