"""Backups of the database and the stored files, and their restore.

PostgreSQL: `pg_dump -Fc` (custom format) and `pg_restore` into an empty database. SQLite (the embedded
default): a consistent copy through SQLite's online backup API. Stored files: a tar.gz of every file in the
default storage (MEDIA_ROOT or the object store), read and written through the storage API. Each backup folder
has manifest.json with the row count of every table and the number of stored files, which restore checks."""

import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs pg_dump/pg_restore with argument lists, never a shell
from pathlib import Path

from django.db import connection
from django.utils import timezone

from empowerment import storage as stored_files

PG_TOOLS = ("pg_dump", "pg_restore")


def _pg_env() -> dict:
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db.get("HOST") or "127.0.0.1", "PGPORT": str(db.get("PORT") or 5432)}
    env["PGUSER"] = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _scratch_tables(cursor) -> set[str]:
    """PostgreSQL's unlogged tables: scratch rows (such as an import's dry run's, kept for its run) that a
    crash empties anyway; a backup keeps their definitions but not their rows, and the counts leave them out."""
    if connection.vendor != "postgresql":
        return set()
    cursor.execute(
        """SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND c.relpersistence = 'u' AND n.nspname = current_schema()"""
    )
    return {row[0] for row in cursor.fetchall()}


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor)) - _scratch_tables(cursor)
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
            [
                tool,
                "-Fc",
                "--no-owner",
                "--no-unlogged-table-data",
                "-f",
                str(destination / "database.dump"),
                db["NAME"],
            ],
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
    files = stored_files.archive(destination / "media.tar.gz")
    manifest = {
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "tables": table_counts(),
        "files": files,
    }
    (destination / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return destination


def restore(source: Path) -> dict[str, int]:
    """Restore a backup folder into the configured (empty) database and default storage; returns the row
    counts, checked against the manifest, as the number of files is (RuntimeError on a difference)."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    db = connection.settings_dict
    if manifest["vendor"] != connection.vendor:
        raise RuntimeError(f"This backup is of {manifest['vendor']}, the database is {connection.vendor}")
    stored_files.check_archive(source / "media.tar.gz")  # before the database: all or nothing
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
    files = stored_files.restore_archive(source / "media.tar.gz")
    if "files" in manifest and files["count"] != manifest["files"]["count"]:
        raise RuntimeError(
            f"Restored {files['count']} stored files, the backup has {manifest['files']['count']}"
        )
    counts = table_counts()
    differences = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if differences:
        raise RuntimeError(f"Restored row counts differ from the backup: {differences}")
    return counts
