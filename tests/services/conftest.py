"""A real Celery worker process against the real PostgreSQL and Redis.

These tests run when DATABASE_URL is PostgreSQL and the broker is Redis (CI sets both); otherwise they are
skipped with the reason. The worker is a separate `celery worker` process that reads the test database,
so the tests use the transactional database (data is committed for the worker to see)."""

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

from empowerment.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)


def services_available() -> str:
    """'' when PostgreSQL and a Redis broker are configured, else the reason to skip."""
    if connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/empowerment"
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        return "needs Redis as the broker: set REDIS_URL=redis://127.0.0.1:6379/0"
    return ""


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def cluster_env() -> dict:
    """What the processes of a benchmarks.cluster.Cluster started by a test share with it: the test
    database, the broker and cache, and the test settings (the test users' fast password hasher; static
    files read from the source tree)."""
    return {
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "REDIS_URL": settings.REDIS_URL or settings.CELERY_BROKER_URL,
        "TESTING": "true",
    }


class Worker:
    """A `celery worker` subprocess bound to the test database, media folder and a private queue."""

    def __init__(self, queue: str, extra_env: dict | None = None):
        self.queue = queue
        self.extra_env = extra_env or {}
        self.process = None

    def start(self):
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "REDIS_URL": settings.REDIS_URL or settings.CELERY_BROKER_URL,
            "CELERY_EAGER": "false",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            **self.extra_env,
        }
        cmd = [
            sys.executable, "-m", "celery", "-A", "empowerment", "worker", "-P", "solo", "-c", "1",
            "-Q", self.queue, "--without-mingle", "--without-gossip", "--without-heartbeat", "-l", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(cmd, cwd=BASE_DIR, env=env, start_new_session=True)
        return self

    def kill(self, sig=signal.SIGKILL):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def real_broker(monkeypatch, request):
    """Dispatch tasks to Redis (not in-process) onto a queue private to this test."""
    reason = services_available()
    if reason:
        pytest.skip(reason)
    queue = f"test-{os.getpid()}-{int(time.time() * 1000)}"
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)
    return queue


@pytest.fixture
def worker(real_broker):
    w = Worker(real_broker).start()
    yield w
    w.stop()


@contextlib.contextmanager
def one_machine(queue: str, **pools):
    """A benchmarks.cluster.Cluster of one machine on the test database and `queue`: one gunicorn process of
    one worker × 2 threads for the pages, no object store, with the side pools, workers and other Cluster
    options of `pools` (its `env` added to the test database's)."""
    from benchmarks.cluster import Cluster  # noqa: PLC0415 - the bench's own helper, shared with these tests

    options = {"web": 1, "gunicorn_workers": 1, "threads": 2, "s3": False, **pools}
    options["env"] = {**cluster_env(), **pools.get("env", {})}
    running = Cluster(queue=queue, **options).start()
    try:
        yield running
    finally:
        running.stop()


def wait_for(predicate, timeout=90, interval=0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    return None


class Browser:
    """One person's browser talking to one process. Cookies are kept by hand because the production
    settings mark them Secure (TLS ends at the proxy: requests carry X-Forwarded-Proto: https)."""

    def __init__(self, base: str, cookies: dict | None = None):
        import requests  # noqa: PLC0415 - only the tests that start gunicorn need it (they importorskip it)

        self.base = base
        self.cookies = dict(cookies or {})
        self.http = requests.Session()

    def request(self, method: str, path: str, **kwargs):
        host = urlsplit(self.base).netloc
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{host}{path}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        response = self.http.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=60, **kwargs
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, data: dict, files: dict | None = None):
        data = {**data, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        return self.request("POST", path, data=data, files=files)

    def sign_in(self, email: str, password: str) -> None:
        """Sign in through the sign-in form, as a person does."""
        token = self.form_token("/accounts/login/")
        response = self.request(
            "POST",
            "/accounts/login/",
            data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302, response.text[:500]
        assert "sessionid" in self.cookies

    def form_token(self, path: str) -> str:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)
