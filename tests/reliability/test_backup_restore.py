"""`manage.py backup` then `manage.py restore` into an EMPTY, freshly created PostgreSQL database: the same rows
in every table, the same stored files, and (when the fundraising app provides it) a passing verify_ledger."""

import hashlib
import os
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.core.management import get_commands
from django.db import connection

from tests.factories.core import OrganizationFactory, member
from tests.services.conftest import _database_url

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

SCRATCH = "backup_check_scratch"


def _manage(*args, database_url, media_root):
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root), "TESTING": "false"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def _admin_connection():
    db = connection.settings_dict
    return psycopg.connect(
        host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432, user=db.get("USER") or "postgres",
        dbname="postgres", autocommit=True,
    )  # fmt: skip


def _figures(cursor) -> dict:
    cursor.execute("SELECT COUNT(*), STRING_AGG(name, '|' ORDER BY name) FROM organizations_organization")
    orgs = cursor.fetchone()
    cursor.execute("SELECT COUNT(*), STRING_AGG(role, '|' ORDER BY id) FROM organizations_membership")
    return {"organizations": orgs, "memberships": cursor.fetchone()}


def test_a_backup_restored_into_an_empty_database_has_the_same_data_and_files(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    for i in range(3):
        org = OrganizationFactory(name=f"备份测试机构 {i}")
        member(org, "admin")
        member(org, "viewer")
    media = settings.MEDIA_ROOT
    (media / "logos").mkdir(parents=True)
    (media / "logos" / "a.png").write_bytes(b"\x89PNG stored file")
    with connection.cursor() as cursor:
        before = _figures(cursor)
        # Scratch rows in an unlogged table (as an import's dry run keeps for its run): the definition is
        # backed up, not the rows, and the counts leave the table out.
        cursor.execute(f"CREATE UNLOGGED TABLE {SCRATCH} (n integer)")
        cursor.execute(f"INSERT INTO {SCRATCH} SELECT generate_series(1, 5)")

    backup_dir = tmp_path / "backup"
    try:
        result = _manage(
            "backup", "--output", str(backup_dir), database_url=_database_url(), media_root=media
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {SCRATCH}")
    assert result.returncode == 0, result.stderr
    assert (backup_dir / "database.dump").read_bytes().startswith(b"PGDMP")  # pg_dump's custom format

    name = f"restore_check_{os.getpid()}"
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        restored_url = _database_url().rsplit("/", 1)[0] + f"/{name}"
        restored_media = tmp_path / "restored-media"
        result = _manage("restore", str(backup_dir), database_url=restored_url, media_root=restored_media)
        assert result.returncode == 0, result.stderr
        assert "counts match the backup" in result.stdout
        with psycopg.connect(restored_url.replace("postgres://", "postgresql://")) as restored:
            with restored.cursor() as cursor:
                assert _figures(cursor) == before
                cursor.execute("SELECT count(*) FROM backup_check_scratch")
                assert cursor.fetchone()[0] == 0
        original = hashlib.sha256((media / "logos" / "a.png").read_bytes()).hexdigest()
        assert hashlib.sha256((restored_media / "logos" / "a.png").read_bytes()).hexdigest() == original
        if "verify_ledger" in get_commands():
            result = _manage("verify_ledger", database_url=restored_url, media_root=restored_media)
            assert result.returncode == 0, result.stdout + result.stderr
    finally:
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
