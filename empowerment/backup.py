"""Backups of the database and the stored files, and their restore.

PostgreSQL: `pg_dump -Fc` (custom format) and `pg_restore` into an empty database. SQLite (the embedded
default): a consistent copy through SQLite's online backup API. Stored files: a tar.gz of MEDIA_ROOT. Each
backup folder has manifest.json with the row count of every table, which restore checks."""

import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs pg_dump/pg_restore with argument lists, never a shell
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

PG_TOOLS = ("pg_dump", "pg_restore")


def _pg_env() -> dict:
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db.get("HOST") or "127.0.0.1", "PGPORT": str(db.get("PORT") or 5432)}
    env["PGUSER"] = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in sorted(tables):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from introspection
            counts[table] = cursor.fetchone()[0]
    return counts


def backup(destination: Path) -> Path:
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        tool = shutil.which("pg_dump")
        if not tool:
            raise RuntimeError("pg_dump is not installed (apt-get install postgresql-client)")
        subprocess.run(  # noqa: S603 - fixed argument list
            [tool, "-Fc", "--no-owner", "-f", str(destination / "database.dump"), db["NAME"]],
            env=_pg_env(),
            check=True,
        )
    elif connection.vendor == "sqlite":
        source = sqlite3.connect(db["NAME"])
        target = sqlite3.connect(destination / "database.sqlite3")
        with target:
            source.backup(target)
        source.close()
        target.close()
    else:
        raise RuntimeError(f"No backup method for {connection.vendor}")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(destination / "media.tar.gz", "w:gz") as tar:
        if media.exists():
            tar.add(media, arcname=".")
    manifest = {
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "tables": table_counts(),
    }
    (destination / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return destination


def restore(source: Path) -> dict[str, int]:
    """Restore a backup folder into the configured (empty) database and MEDIA_ROOT; returns the row counts,
    checked against the manifest (RuntimeError on a difference)."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    db = connection.settings_dict
    if manifest["vendor"] != connection.vendor:
        raise RuntimeError(f"This backup is of {manifest['vendor']}, the database is {connection.vendor}")
    if connection.vendor == "postgresql":
        connection.close()
        subprocess.run(  # noqa: S603 - fixed argument list
            [shutil.which("pg_restore") or "pg_restore", "--no-owner", "--exit-on-error", "-d", db["NAME"],
             str(source / "database.dump")],
            env=_pg_env(),
            check=True,
        )  # fmt: skip
    else:
        connection.close()
        backup_db = sqlite3.connect(source / "database.sqlite3")
        target = sqlite3.connect(db["NAME"])
        with target:
            backup_db.backup(target)
        backup_db.close()
        target.close()
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar.gz", "r:gz") as tar:
        tar.extractall(media, filter="data")  # "data": no absolute paths, links out or devices
    counts = table_counts()
    differences = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if differences:
        raise RuntimeError(f"Restored row counts differ from the backup: {differences}")
    return counts
