"""Fault tests on the real services: PostgreSQL, Redis and `celery worker` processes (see tests/services)."""

import shutil
import socket
import subprocess
import time

import pytest

import empowerment.documents.testing  # noqa: F401 - registers the test-only document kind here too
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
