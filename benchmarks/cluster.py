"""Several machines on one: N gunicorn processes and M Celery workers that share nothing but PostgreSQL, Redis
and an S3-compatible object store (moto's server, started here), each with a local media folder of its own
that must stay empty. Used by the giving-day bench and by tests/services/test_several_machines.py.

    with Cluster(web=2, workers=2).start() as cluster:
        cluster.urls        # ["http://127.0.0.1:PORT", ...]: one per gunicorn process
        cluster.env         # the environment they all share (DATABASE_URL, REDIS_URL, S3_*, SECRET_KEY ...)
        cluster.local_files()  # files any process wrote to its own disk: [] when nothing keeps state there
        cluster.check()        # raises if a process has died

Requests must carry `X-Forwarded-Proto: https` (the production settings redirect plain HTTP, as behind the
proxy that terminates TLS). The processes run with the environment of the caller (DATABASE_URL, REDIS_URL)
plus `env`; the caller's process keeps its own settings."""

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(port: int, path: str, timeout: float, process: subprocess.Popen, headers=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the process serving port {port} exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path, headers=headers or {})
            status = conn.getresponse().status
            conn.close()
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port} within {timeout} s")


def _stop(process: subprocess.Popen | None, timeout: float = 20) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)
    except ProcessLookupError:  # it ended in the meantime
        process.wait(timeout=timeout)


class S3Server:
    """moto's S3-compatible server in its own process on a free loopback port, with one private bucket."""

    def __init__(self, bucket: str = "empowerment-media"):
        self.bucket = bucket
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    @property
    def env(self) -> dict:
        """The settings every process needs to use this store (empowerment/settings.py reads them)."""
        return {
            "S3_BUCKET": self.bucket,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_ACCESS_KEY": "bench",
            "S3_SECRET_KEY": "bench-secret",
            "S3_REGION": "us-east-1",
            "S3_ADDRESSING_STYLE": "path",
        }

    def client(self):
        import boto3  # noqa: PLC0415 - only where an object store is used

        env = self.env
        return boto3.client(
            "s3",
            endpoint_url=env["S3_ENDPOINT_URL"],
            aws_access_key_id=env["S3_ACCESS_KEY"],
            aws_secret_access_key=env["S3_SECRET_KEY"],
            region_name=env["S3_REGION"],
        )

    def start(self) -> "S3Server":
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument list
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait_http(self.port, "/moto-api/", 60, self.process)
        self.client().create_bucket(Bucket=self.bucket)
        return self

    def keys(self) -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def stop(self) -> None:
        _stop(self.process)


class Cluster:
    """`web` gunicorn processes (each `gunicorn_workers` × `threads`, production settings) and `workers`
    Celery workers (each `concurrency` children; `pool` "solo" for one task at a time in the process), on
    the caller's PostgreSQL and Redis, with an S3 server when `s3` is true. `queue` names the Celery queue
    that the web processes send to and the workers read (default "celery"); `env` adds or overrides
    variables for every process. Stop with stop() or a with block."""

    def __init__(
        self,
        *,
        web: int = 2,
        workers: int = 2,
        gunicorn_workers: int = 2,
        threads: int = 4,
        concurrency: int = 1,
        pool: str = "prefork",
        s3: bool = True,
        queue: str = "",
        env: dict | None = None,
        start_timeout: float = 90,
        notify_threads: int = 0,
        notify_workers: int = 1,
        portal_threads: int = 0,
        portal_workers: int = 1,
        web_nice: int = 0,
        web_worker_class: str = "gthread",
        notify_worker_class: str = "gthread",
    ):
        self.web, self.workers, self.gunicorn_workers, self.threads = web, workers, gunicorn_workers, threads
        # The notification pool (docker-compose.yml's `notify`) and the portal pool (`portal`): beside each web
        # process (each machine's), one more gunicorn process of `*_workers` × `*_threads` on a port of its
        # own, for the payment platforms' notifications alone and for the signed-in people's pages alone. No
        # threads: no such pool.
        self.notify_threads, self.notify_workers = notify_threads, notify_workers
        self.notify_ports = [free_port() for _ in range(web)] if notify_threads else []
        self.portal_threads, self.portal_workers = portal_threads, portal_workers
        self.portal_ports = [free_port() for _ in range(web)] if portal_threads else []
        # The pages' processes' CPU weight below the others' (docker-compose.yml gives `web` a smaller
        # cpu_shares): they run at this niceness.
        self.web_nice = web_nice
        # The pages' processes' and the notification pool's gunicorn worker classes (docker-compose.yml's `web`
        # runs empowerment.pageserver.PagesWorker, its `notify` and `portal` gthread).
        self.web_worker_class = web_worker_class
        self.notify_worker_class = notify_worker_class
        self.concurrency, self.pool, self.queue, self.extra_env = concurrency, pool, queue, env or {}
        self.start_timeout = start_timeout
        self.s3 = S3Server() if s3 else None
        self.ports = [free_port() for _ in range(web)]
        self.urls = [f"http://127.0.0.1:{port}" for port in self.ports]
        self.web_processes: list[subprocess.Popen] = []
        self.worker_processes: list[subprocess.Popen] = []
        self.root = Path(tempfile.mkdtemp(prefix="cluster-"))
        self.env: dict = {}

    def _media_root(self, name: str) -> str:
        """A media folder of this process alone: a second machine would not see it."""
        return str(self.root / name / "media")

    def start(self) -> "Cluster":
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            "CELERY_EAGER": "false",
        }
        if self.queue:
            env["CELERY_TASK_DEFAULT_QUEUE"] = self.queue
        if self.s3:
            self.s3.start()
            env.update(self.s3.env)
        env.update(self.extra_env)
        self.env = env
        # (name, port, gunicorn workers, threads, worker class, niceness) of each gunicorn process.
        pools = [
            (f"web{n}", port, self.gunicorn_workers, self.threads, self.web_worker_class, self.web_nice)
            for n, port in enumerate(self.ports)
        ]
        for pool, ports, processes, threads, worker_class in (
            ("notify", self.notify_ports, self.notify_workers, self.notify_threads, self.notify_worker_class),
            ("portal", self.portal_ports, self.portal_workers, self.portal_threads, "gthread"),
        ):
            pools += [
                (f"{pool}{n}", port, processes, threads, worker_class, 0) for n, port in enumerate(ports)
            ]
        for name, port, processes, threads, worker_class, nice in pools:
            self.web_processes.append(
                subprocess.Popen(  # noqa: S603 - fixed argument list
                    (["nice", "-n", str(nice)] if nice else [])
                    + [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "empowerment.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(processes),
                        "--worker-class",
                        worker_class,
                        "--threads",
                        str(threads),
                        "--log-level",
                        "warning",
                    ],
                    cwd=BASE_DIR,
                    env={**env, "MEDIA_ROOT": self._media_root(name)},
                    start_new_session=True,
                )
            )
        for n in range(self.workers):
            command = [
                sys.executable, "-m", "celery", "-A", "empowerment", "worker", "-l", "warning",
                "-P", self.pool, "--concurrency", str(self.concurrency), "-n", f"cluster{n}@%h",
                "--without-mingle", "--without-gossip",
            ]  # fmt: skip
            if self.queue:
                command += ["-Q", self.queue]
            self.worker_processes.append(
                subprocess.Popen(  # noqa: S603 - fixed argument list
                    command,
                    cwd=BASE_DIR,
                    env={**env, "MEDIA_ROOT": self._media_root(f"worker{n}")},
                    start_new_session=True,
                )
            )
        for port, process in zip([pool[1] for pool in pools], self.web_processes, strict=True):
            _wait_http(port, "/healthz", self.start_timeout, process, {"X-Forwarded-Proto": "https"})
        self.check()

    def check(self) -> None:
        """Raise if a web process or worker has exited (a bench must not measure a smaller cluster)."""
        for kind, processes in (("gunicorn", self.web_processes), ("worker", self.worker_processes)):
            for n, process in enumerate(processes):
                if process.poll() is not None:
                    raise RuntimeError(f"{kind} {n} exited with {process.returncode}")

    def local_files(self) -> list[str]:
        """Every file that a web process or worker wrote under its own media folder."""
        return sorted(str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.is_file())

    def stop(self) -> None:
        for process in self.web_processes + self.worker_processes:  # all at once: they stop in parallel
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for process in self.web_processes + self.worker_processes:
            _stop(process)
        if self.s3:
            self.s3.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "Cluster":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
