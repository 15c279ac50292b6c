"""Fast inserts for the scale data set: PostgreSQL COPY (psycopg 3 `cursor.copy`), or executemany on
SQLite (only the tiny scale runs there), with explicit primary keys and the sequences set afterwards.

`Table(model)` knows a model's columns and their defaults, so a row is given only the values that differ.
Historical (simple_history) rows are not written for bulk data: history records who changed what, and
generated data was changed by nobody.
"""

import sys
import time
from datetime import datetime

from django.db import connection, models
from django.utils import timezone

REQUIRED = object()


class Table:
    def __init__(self, model):
        self.model = model
        self.name = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        self.index = {}
        now = timezone.now()
        defaults = []
        for i, f in enumerate(self.fields):
            self.index[f.attname] = i
            self.index[f.name] = i
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                defaults.append(now)
            elif f.has_default() and not callable(f.default):
                defaults.append(f.default)
            elif f.has_default() and f.default in (timezone.now,):
                defaults.append(now)
            elif f.null:
                defaults.append(None)
            elif isinstance(f, models.CharField | models.TextField | models.FileField) and f.blank:
                defaults.append("")
            else:
                defaults.append(REQUIRED)
        self.defaults = defaults
        self.rows: list[list] = []
        self.next_id = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def add(self, **values) -> int:
        row = list(self.defaults)
        if "id" not in values:
            values["id"] = self.next_id
        if values["id"] >= self.next_id:
            self.next_id = values["id"] + 1
        index = self.index
        for key, value in values.items():
            row[index[key]] = value
        self.rows.append(row)
        return values["id"]

    def flush(self) -> None:
        if not self.rows:
            return
        for row in self.rows[:1]:
            missing = [c for c, v in zip(self.columns, row, strict=True) if v is REQUIRED]
            if missing:
                raise ValueError(f"{self.name}: no value for {', '.join(missing)}")
        insert(self.name, self.columns, self.rows)
        self.rows = []

    def finish(self) -> None:
        self.flush()
        reset_sequence(self.name)


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def insert(table: str, columns: list[str], rows: list) -> None:
    cols = ", ".join(_qn(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {_qn(table)} ({cols}) FROM STDIN") as copy:  # noqa: S608
                for row in rows:
                    copy.write_row(row)
        else:
            adapt = connection.ops.adapt_datetimefield_value
            prepared = [[adapt(v) if isinstance(v, datetime) else v for v in row] for row in rows]
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {_qn(table)} ({cols}) VALUES ({marks})", prepared)  # noqa: S608


def reset_sequence(table: str) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows the largest id inserted
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM {_qn(table)}), 1))",  # noqa: S608
            [_qn(table)],
        )


class Progress:
    """A progress bar on one terminal line, redrawn with a carriage return."""

    def __init__(self, total: int, stream=None, width: int = 32):
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream or sys.stderr
        self.width = width
        self.start = time.monotonic()
        self.label = ""
        self.quiet = False

    def advance(self, amount: int, label: str | None = None) -> None:
        self.done = min(self.total, self.done + amount)
        if label is not None:
            self.label = label
        self.draw()

    def draw(self) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if now - getattr(self, "_drawn", 0) < 0.25 and self.done < self.total:
            return
        self._drawn = now
        share = self.done / self.total
        filled = int(share * self.width)
        elapsed = time.monotonic() - self.start
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {share:4.0%} {elapsed:6.0f}s  {self.label[:40]:<40}")
        self.stream.flush()

    def close(self) -> None:
        if not self.quiet:
            self.stream.write("\n")
            self.stream.flush()
