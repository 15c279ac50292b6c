"""Shared helpers of the benchmark scripts."""

import subprocess
import sys


def finance_user():
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    users = get_user_model().objects
    return users.filter(email="finance@demo.example").first() or users.filter(is_superuser=True).first()


def start_worker(env=None) -> subprocess.Popen:
    """A Celery worker (prefork, one child) in its own process group, on the configured broker; stop it with
    os.killpg(worker.pid, signal.SIGTERM)."""
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "empowerment",
            "worker",
            "-l",
            "warning",
            "--concurrency",
            "1",
        ],
        env=env,
        start_new_session=True,
    )
