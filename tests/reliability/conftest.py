"""Fault tests on the real services: PostgreSQL, Redis and `celery worker` processes (see tests/services)."""

import shutil
import socket
import subprocess
import time

import pytest

import empowerment.documents.testing  # noqa: F401 - registers the test-only document kind here too
from tests.organizations.conftest import application_post, community, themes  # noqa: F401 - shared fixtures
from tests.services.conftest import Worker, real_broker, services_available, wait_for  # noqa: F401

TEST_WORKER_ENV = {"EMPOWERMENT_TEST_DOCUMENT_KINDS": "1"}


def start_worker(queue: str, **env) -> Worker:
    """A worker that knows the test-only document kind."""
    return Worker(queue, extra_env={**TEST_WORKER_ENV, **{k: str(v) for k, v in env.items()}})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def private_redis():
    """A redis-server of our own on a free port (never the machine's shared one), stopped afterwards.

    Yields a controller with .url, .start() and .stop() so a test can take the broker down and back."""
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server is not installed")

    class Controller:
        port = free_port()
        url = f"redis://127.0.0.1:{port}/0"
        process = None

        def start(self):
            self.process = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(50):
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                    return self
                except OSError:
                    time.sleep(0.1)
            raise RuntimeError("private redis-server did not start")

        def stop(self):
            if self.process and self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=10)

    controller = Controller().start()
    yield controller
    controller.stop()


@pytest.fixture
def private_broker(private_redis, settings):
    """Broker AND cache on a private redis-server that the test may stop and start again (in production
    REDIS_URL is both). Tasks go to a private queue; nothing runs in-process."""
    from empowerment.celery import app as celery_app

    if services_available():
        pytest.skip(services_available())
    # Read first: the Celery configuration is loaded lazily from the Django settings changed below.
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")}
    queue = f"test-broker-down-{private_redis.port}"
    settings.CELERY_BROKER_URL = private_redis.url
    settings.CACHES = {
        "default": {"BACKEND": "empowerment.cache.ResilientRedisCache", "LOCATION": private_redis.url}
    }
    celery_app.conf.update(broker_url=private_redis.url, task_always_eager=False, task_default_queue=queue)
    celery_app._after_fork()  # drop pooled connections to the shared broker
    private_redis.queue = queue
    try:
        yield private_redis
    finally:
        celery_app.conf.update(**saved)
        celery_app._after_fork()  # and those to the private one
