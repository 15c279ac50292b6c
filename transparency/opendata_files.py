"""Whole open-data files built by a worker and served as stored files (transparency.models.OpenDataFile).

A file holds exactly what the streaming download (views.opendata) sends for the same dataset, format and
language, byte for byte. On PostgreSQL the two largest datasets (the ledger and the donations) are
formatted by the database: one `COPY (SELECT <the finished CSV line or JSON object>) TO STDOUT` whose rows
Python only joins, so a million rows cost no ORM object or Python formatting each; the other datasets, and
every dataset on SQLite, are written by the same Python rows as the streaming download.

`refresh` (beat, every minute) builds a file again when the published data changed after it was built
(selectors.last_changed), debounced: not while the data is still changing (QUIET_SECONDS), but at the latest
MAX_DELAY_SECONDS after the file fell behind. Until a file is first built, the streaming download answers.
"""

import hashlib
import re
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone, translation

from empowerment.querysets import compiled_once
from fundraising.models import (
    Account,
    Campaign,
    Channel,
    Donation,
    Fund,
    Funder,
    LedgerEntry,
    LedgerTransaction,
)
from projects.models import Project

from . import opendata, selectors
from .models import OpenDataFile

FORMATS = ("csv", "json")
QUIET_SECONDS = 60
MAX_DELAY_SECONDS = 600
# A file older than this whose data changed since is not served (the worker seems stopped): the streaming
# download answers instead, so a stopped beat never leaves the site serving old books for long.
STALE_AFTER = timedelta(hours=1)
LOCK_KEY = "open-data-files-build"
CHUNK = 1 << 16


def file_names() -> list[str]:
    return [f"{slug}.{fmt}" for slug in opendata.datasets() for fmt in FORMATS]


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


# Serving -------------------------------------------------------------------------------------------------


def current(name: str, language: str) -> OpenDataFile | None:
    """The stored file to serve for `name` in `language`, or None (not built yet, its file missing, or
    older than STALE_AFTER while the data changed after it)."""
    found = compiled_once("stored open-data file", _stored_file, name=name, language=language)
    stored = found[0] if found else None
    if stored is None or not stored.file:
        return None
    if stored.built_at < timezone.now() - STALE_AFTER:
        changed = selectors.last_changed()
        if changed is not None and (stored.stamp is None or changed > stored.stamp):
            return None
    return stored


def _stored_file(name: str, language: str):
    # At most one row (unique on name and language); read compiled once: every download reads it.
    return OpenDataFile.objects.filter(name=name, language=language)


# Content -------------------------------------------------------------------------------------------------


def _python_chunks(dataset, fmt: str) -> Iterator[str]:
    from .views import opendata as views  # noqa: PLC0415 - the streaming download's own writer

    if fmt == "csv":
        return views._csv_stream(dataset)
    if dataset.slug == "grants":
        return views._grants_360_stream()
    return views._json_stream(dataset)


def _sql_text(expr: str) -> str:
    return f"COALESCE(({expr})::text, '')"


def _safe(expr: str) -> str:
    """SQL for empowerment.spreadsheets.safe_cell of a text: a quote before text that starts like a
    formula, unless Python's float() reads it as a number."""
    number = (
        r"^\s*[+-]?((\d(_?\d)*)?\.?\d(_?\d)*([eE][+-]?\d(_?\d)*)?|\d(_?\d)*\.([eE][+-]?\d(_?\d)*)?"
        r"|[iI][nN][fF]([iI][nN][iI][tT][yY])?|[nN][aA][nN])\s*$"
    )
    starts = "".join(re.escape(c) for c in ("=", "+", "-", "@")) + r"\t\r"
    return f"CASE WHEN {expr} ~ '^[{starts}]' AND {expr} !~ '{number}' THEN '''' || {expr} ELSE {expr} END"


def _csv_cell(expr: str) -> str:
    """SQL for one CSV cell as Python's csv module writes it (QUOTE_MINIMAL: quoted when it holds a comma,
    a quote, CR or LF; quotes doubled)."""
    return (
        f"CASE WHEN {expr} ~ '[\",\\r\\n]' THEN '\"' || replace({expr}, '\"', '\"\"') || '\"' ELSE {expr} END"
    )


def _json_value(expr: str, kind: str) -> str:
    return f"({expr})::text" if kind == "int" else f"to_json({expr})::text"


def _columns(dataset_slug: str, language: str) -> tuple[list[tuple[str, str, str]], str, str, list]:
    """(field name, SQL expression, "int" | "text" | "safe") for each field of an SQL-built dataset, the
    key its rows are ordered by, the FROM ... WHERE clause, and the parameters of the expressions and the
    clause in order."""
    public = list(Project.PUBLIC_STATUSES)
    t = {
        "entry": LedgerEntry._meta.db_table,
        "tx": LedgerTransaction._meta.db_table,
        "account": Account._meta.db_table,
        "fund": Fund._meta.db_table,
        "project": Project._meta.db_table,
        "donation": Donation._meta.db_table,
        "channel": Channel._meta.db_table,
        "funder": Funder._meta.db_table,
        "campaign": Campaign._meta.db_table,
    }
    public_fund = "(fu.project_id IS NULL OR p.status = ANY(%s))"
    if dataset_slug == "ledger":
        columns = [
            ("seq", "e.seq", "int"),
            ("transaction", "e.transaction_id", "int"),
            ("date", _sql_text("to_char(t.date, 'YYYY-MM-DD')"), "text"),
            ("occurred_on", _sql_text("to_char(t.occurred_on, 'YYYY-MM-DD')"), "text"),
            ("kind", "t.kind", "safe"),
            ("account", "a.code", "safe"),
            ("account_type", "a.type", "safe"),
            ("fund", f"CASE WHEN {public_fund} THEN fu.code ELSE 'unpublished' END", "safe"),
            ("amount", "e.amount::text", "text"),
            ("hash", "e.hash", "safe"),
        ]
        source = (
            f"FROM {t['entry']} e JOIN {t['account']} a ON a.id = e.account_id AND NOT a.in_kind "
            f"JOIN {t['tx']} t ON t.id = e.transaction_id JOIN {t['fund']} fu ON fu.id = e.fund_id "
            f"LEFT JOIN {t['project']} p ON p.id = fu.project_id "
            # An entry is published once it has its place in the chain (an import's, just after it commits).
            "WHERE e.seq IS NOT NULL"
        )
        return columns, "e.seq", source, [public]
    with translation.override(language):
        anonymous = str(Donation(show_name=False).public_name)
    columns = [
        ("id", f"'{opendata.ORG_PREFIX}donation-' || d.id", "text"),
        ("received_on", _sql_text("to_char(d.received_on, 'YYYY-MM-DD')"), "text"),
        ("amount", "d.amount::text", "text"),
        ("channel", "ch.name", "safe"),
        ("funder_type", "COALESCE(f.kind, '')", "safe"),
        (
            "donor",
            "CASE WHEN d.show_name AND (d.donor_name <> '' OR d.funder_id IS NOT NULL) "
            "THEN COALESCE(NULLIF(d.donor_name, ''), f.name) ELSE %s END",
            "safe",
        ),
        ("fund", "fu.name", "safe"),
        ("fund_kind", "fu.kind", "safe"),
        ("project_slug", "COALESCE(p.slug, '')", "safe"),
        ("campaign_slug", "COALESCE(c.slug, '')", "safe"),
        ("matching", "CASE WHEN d.is_matching THEN 'true' ELSE 'false' END", "text"),
    ]
    source = (
        f"FROM {t['donation']} d JOIN {t['channel']} ch ON ch.id = d.channel_id "
        f"LEFT JOIN {t['funder']} f ON f.id = d.funder_id JOIN {t['fund']} fu ON fu.id = d.fund_id "
        f"LEFT JOIN {t['project']} p ON p.id = fu.project_id "
        f"LEFT JOIN {t['campaign']} c ON c.id = d.campaign_id "
        f"WHERE d.status = %s AND {public_fund}"
    )
    return columns, "d.id", source, [anonymous, str(Donation.Status.RECORDED), public]


SQL_DATASETS = ("ledger", "donations")
_UNESCAPE = {b"\\": b"\\", b"b": b"\x08", b"f": b"\x0c", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\x0b"}
_ESCAPE = re.compile(rb"\\(.)", re.S)


def _copy_lines(sql: str, params: list) -> Iterator[bytes]:
    """Each row of COPY (sql) TO STDOUT (text format, one column) as the bytes of its value."""
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({sql}) TO STDOUT", params) as copy:
        for row in copy:
            row = bytes(row)[:-1]  # the row's terminating newline
            if b"\\" in row:
                row = _ESCAPE.sub(lambda m: _UNESCAPE.get(m.group(1), m.group(1)), row)
            yield row


def _sql_chunks(dataset, fmt: str, language: str) -> Iterator[bytes]:
    """The file of an SQL-built dataset: header and summary rows by the streaming download's own code,
    every other row formatted by PostgreSQL."""
    columns, key, source, params = _columns(dataset.slug, language)
    # The values once, in a subquery; the formatting (which repeats a value) over its columns.
    inner = ", ".join(f"{expr} AS c{i}" for i, (_name, expr, _kind) in enumerate(columns))
    values = [(name, f"s.c{i}", kind) for i, (name, _expr, kind) in enumerate(columns)]
    if fmt == "csv":
        cells = [_csv_cell(_safe(col) if kind == "safe" else f"({col})::text") for _n, col, kind in values]
        line = " || ',' || ".join(cells)
    else:
        parts = [f"'{{\"{values[0][0]}\": ' || {_json_value(values[0][1], values[0][2])}"]
        parts += [f"', \"{name}\": ' || {_json_value(col, kind)}" for name, col, kind in values[1:]]
        line = " || ".join(parts) + " || '}'"
    # Every piece is this module's own text (table names from the models); values travel as parameters.
    sql = f"SELECT {line} FROM (SELECT {inner}, {key} AS k {source}) s ORDER BY s.k"  # noqa: S608
    rows = _copy_lines(sql, params)
    summary = [
        {f.name: extra.get(f.name, "") for f in dataset.fields}
        for extra in (dataset.summary() if dataset.summary else [])
    ]
    if fmt == "csv":
        import csv  # noqa: PLC0415

        from empowerment.spreadsheets import safe_cell  # noqa: PLC0415

        from .views.opendata import _Echo  # noqa: PLC0415

        writer = csv.writer(_Echo())
        yield ("\ufeff" + writer.writerow([f.name for f in dataset.fields])).encode()
        for row in rows:
            yield row + b"\r\n"
        for extra in summary:
            yield writer.writerow([safe_cell(v) for v in extra.values()]).encode()
        return
    import json  # noqa: PLC0415

    head = '{"dataset": ' + json.dumps(dataset.slug) + ', "fields": '
    head += json.dumps(
        [{"name": f.name, "type": f.kind, "description": str(f.description)} for f in dataset.fields],
        ensure_ascii=False,
    )
    yield (head + ', "rows": [').encode()
    first = True
    for row in rows:
        yield row if first else b",\n" + row
        first = False
    for extra in summary:
        text = json.dumps(extra, ensure_ascii=False, cls=opendata.JSONEncoder)
        yield (text if first else ",\n" + text).encode()
        first = False
    yield b"]}\n"


def content(slug: str, fmt: str, language: str, *, use_sql: bool | None = None) -> Iterator[bytes]:
    """The bytes of a dataset's file in `language`, in pieces: formatted by PostgreSQL for the ledger and
    the donations (use_sql None: when on PostgreSQL), else by the streaming download's Python rows."""
    dataset = opendata.datasets()[slug]
    if use_sql is None:
        use_sql = connection.vendor == "postgresql" and slug in SQL_DATASETS
    with translation.override(language):
        if use_sql:
            yield from _sql_chunks(dataset, fmt, language)
        else:
            for piece in _python_chunks(dataset, fmt):
                yield piece.encode()


# Building ------------------------------------------------------------------------------------------------


def build(name: str, language: str) -> OpenDataFile:
    """Write the file `name` ("ledger.csv") in `language` to storage and point its row at it; the file it
    replaces is deleted after the commit. Safe to run twice: the row is overwritten."""
    slug, fmt = name.rsplit(".", 1)
    if slug not in opendata.datasets() or fmt not in FORMATS:
        raise ValueError(f"No open-data file {name}")
    started = time.perf_counter()
    stamp = selectors.last_changed()  # before reading: a change during the build makes it stale at once
    digest = hashlib.sha256()
    outermost = not connection.in_atomic_block
    with tempfile.TemporaryFile() as tmp:
        with transaction.atomic():  # one snapshot of the data for the whole file
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            for piece in content(slug, fmt, language):
                digest.update(piece)
                tmp.write(piece)
        size = tmp.tell()
        tmp.seek(0)
        stored_name = OpenDataFile._meta.get_field("file").generate_filename(
            None, f"{slug}-{language}-{digest.hexdigest()[:16]}.{fmt}"
        )
        from django.core.files.storage import default_storage  # noqa: PLC0415

        saved = default_storage.save(stored_name, File(tmp, name=stored_name))
    with transaction.atomic():
        row = OpenDataFile.objects.select_for_update().filter(name=name, language=language).first()
        old = row.file.name if row is not None and row.file else None
        values = {
            "file": saved,
            "etag": '"' + digest.hexdigest()[:32] + '"',
            "stamp": stamp,
            "size": size,
            "built_at": timezone.now(),
            "seconds": round(time.perf_counter() - started, 3),
        }
        if row is None:
            row = OpenDataFile.objects.create(name=name, language=language, **values)
        else:
            for field, value in values.items():
                setattr(row, field, value)
            row.save(update_fields=list(values))
        if old and old != saved:
            transaction.on_commit(lambda: default_storage.delete(old))
    return row


def due(*, now=None) -> list[tuple[str, str]]:
    """The (name, language) files to build now: never built, or behind the data's last change once the
    data has been quiet for QUIET_SECONDS or the file has been behind for MAX_DELAY_SECONDS."""
    now = now or timezone.now()
    changed = selectors.last_changed()
    built = {(f.name, f.language): f for f in OpenDataFile.objects.all()}
    out = []
    for name in file_names():
        for language in languages():
            stored = built.get((name, language))
            if stored is None or not stored.file:
                out.append((name, language))
                continue
            if changed is None or (stored.stamp is not None and changed <= stored.stamp):
                continue
            quiet = (now - changed).total_seconds() >= QUIET_SECONDS
            overdue = (now - stored.built_at).total_seconds() >= MAX_DELAY_SECONDS
            if quiet or overdue:
                out.append((name, language))
    return out


def refresh(*, now=None) -> list[str]:
    """Build every file that is due (see `due`), one worker at a time (a cache lock); returns the names
    built, as "<name> <language>"."""
    if not cache.add(LOCK_KEY, "1", timeout=3600):
        return []
    built = []
    try:
        for name, language in due(now=now):
            build(name, language)
            built.append(f"{name} {language}")
    finally:
        cache.delete(LOCK_KEY)
    return built
