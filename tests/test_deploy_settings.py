"""Production settings: `check --deploy` is clean, and the site refuses to start without a secret key."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 20 + "-production-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "programme.example.org",
    "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
    "TESTING": "false",
    "SITE_URL": "https://programme.example.org",
}


def _manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
