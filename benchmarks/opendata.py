"""Open-data file benchmark: the time to write the whole ledger and donations files (CSV and JSON, in
English) as the worker builds them (transparency.opendata_files.content: formatted by PostgreSQL), and, for
comparison, the first rows through the streaming download's Python path. Read-only: the files go to a
temporary file, no row is written. Run as `python -m benchmarks.opendata` (prints JSON)."""

import json
import resource
import tempfile
import time

PYTHON_SAMPLE_ROWS = 20_000


def _write(chunks) -> tuple[int, int]:
    size = lines = 0
    with tempfile.TemporaryFile() as tmp:
        for piece in chunks:
            tmp.write(piece)
            size += len(piece)
            lines += piece.count(b"\n")
    return size, lines


def _python_rate(slug: str) -> float:
    """Rows per second of the Python path (the streaming download), over its first PYTHON_SAMPLE_ROWS."""
    from transparency import opendata  # noqa: PLC0415

    dataset = opendata.datasets()[slug]
    started = time.perf_counter()
    for n, _row in enumerate(opendata.rows(dataset), 1):
        if n >= PYTHON_SAMPLE_ROWS:
            break
    return round(n / (time.perf_counter() - started), 1)


def run() -> dict:
    import django  # noqa: PLC0415

    django.setup()
    from django.db import connection, transaction  # noqa: PLC0415

    from transparency import opendata_files  # noqa: PLC0415

    out = {}
    for slug in ("ledger", "donations"):
        for fmt in ("csv", "json"):
            started = time.perf_counter()
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                size, lines = _write(opendata_files.content(slug, fmt, "en"))
            seconds = time.perf_counter() - started
            out[f"{slug}.{fmt}"] = {
                "seconds": round(seconds, 1),
                "rows": lines,
                "mb": round(size / 1e6, 1),
                "rows_per_second": round(lines / seconds, 1) if seconds else None,
            }
        out[f"{slug} python rows_per_second"] = _python_rate(slug)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


if __name__ == "__main__":
    print(json.dumps(run()))
