"""Giving-day burst: gunicorn with the production settings (DEBUG off) on 127.0.0.1 and a Celery worker on
the same broker, and a bounded run of signed donation notifications (HMAC-SHA256, fundraising.notify) from
concurrent clients, 10% of them duplicates: half platform retries (same donation id, fresh nonce) and half
replays (same nonce). A request that fails at the connection or with a 5xx is retried by the client. The
rate is notifications answered per second; the worker records the stored notifications as donations in
batches, and the time it needs after the last answer is reported too. Afterwards the database is checked:
every distinct donation id recorded exactly once (lost = missing, doubled = more than once).
Run as `python -m benchmarks.burst --total N --clients C` (prints JSON)."""

import argparse
import http.client
import json
import os
import queue
import random
import resource
import secrets
import signal
import subprocess
import sys
import threading
import time
from datetime import date

from .common import start_worker

PORT = int(os.environ.get("BENCH_PORT", "8799"))


def donation_messages(tag: str, total: int, rng: random.Random, body=None) -> list[tuple[str, str, bytes]]:
    """`total` notifications (donation id, nonce, body), shuffled, 10% of them sent again: half platform
    retries (same donation id and body, fresh nonce: answered 200 "duplicate") and half replays (same
    nonce: refused 409 "replayed"). `body(n, rng)` makes the JSON of the n-th donation (default: a gift
    of 20, 50 or 100 yuan dated today)."""
    today = date.today().isoformat()  # noqa: DTZ011
    unique = total - total // 10
    messages = []
    for n in range(unique):
        payload = body(n, rng) if body else {"amount": f"{rng.choice([20, 50, 100])}.00", "date": today}
        payload = {"id": f"{tag}-{n}", **payload}
        messages.append((payload["id"], secrets.token_hex(12), json.dumps(payload).encode()))
    extra = []
    for n in range(total - unique):
        donation_id, nonce, data = messages[rng.randrange(unique)]
        extra.append((donation_id, nonce if n % 2 else secrets.token_hex(12), data))
    ordered = messages + extra
    rng.shuffle(ordered)
    return ordered


def signed_headers(secret: str, nonce: str, body: bytes) -> dict:
    """The headers of a signed notification sent now (fundraising.notify), behind the TLS proxy."""
    from fundraising.notify import sign  # noqa: PLC0415

    stamp = str(int(time.time()))
    return {
        "Content-Type": "application/json",
        "X-Timestamp": stamp,
        "X-Nonce": nonce,
        "X-Signature": sign(secret, stamp, nonce, body),
        "X-Forwarded-Proto": "https",
    }


class _Connection:
    """One kept-alive HTTP connection per client (as a platform's webhook sender keeps its connections),
    opened again after any failure."""

    def __init__(self, host):
        self.host, self.conn = host, None

    def post(self, path, body, headers):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, PORT, timeout=30)
        try:
            self.conn.request("POST", path, body=body, headers=headers)
            response = self.conn.getresponse()
            response.read()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status
        except (OSError, http.client.HTTPException):
            self.close()
            raise OSError("connection failed") from None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def run(total: int, clients: int, workers: int, threads: int = 8) -> dict:
    import django  # noqa: PLC0415

    django.setup()
    from django.db.models import Count  # noqa: PLC0415

    from fundraising.models import Channel, Donation  # noqa: PLC0415

    tag = secrets.token_hex(4)
    channel = Channel.objects.create(code=f"burst-{tag}", name=f"Giving day {tag}", kind=Channel.Kind.ONLINE)
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "empowerment.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        env=env,
        start_new_session=True,
    )
    worker = start_worker(env)
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        unique = total - total // 10
        ordered = donation_messages(tag, total, random.Random(5))
        work: queue.Queue = queue.Queue()
        for item in ordered:
            work.put(item)
        statuses: dict[int, int] = {}
        retries = [0]
        lock = threading.Lock()
        path = f"/api/donations/notify/{channel.code}/"

        def client():
            connection = _Connection("127.0.0.1")
            while True:
                try:
                    donation_id, nonce, body = work.get_nowait()
                except queue.Empty:
                    return
                for attempt in range(4):
                    headers = signed_headers(channel.notify_secret, nonce, body)
                    try:
                        status = connection.post(path, body, headers)
                    except OSError:
                        status = 0
                    if status and status < 500:
                        break
                    with lock:
                        retries[0] += 1
                    nonce = secrets.token_hex(12)  # a retried delivery carries a fresh nonce
                    time.sleep(0.05 * (attempt + 1))
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
            connection.close()

        started = time.perf_counter()
        pool = [threading.Thread(target=client) for _ in range(clients)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        elapsed = time.perf_counter() - started
        # The worker records what is still pending (beat is not running here: it is asked after each commit).
        from fundraising.models import DonationNotification  # noqa: PLC0415

        pending = DonationNotification.objects.filter(channel=channel, status="pending")
        deadline = time.monotonic() + 600
        while pending.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        drained = time.perf_counter() - started - elapsed
    finally:
        for process in (server, worker):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (server, worker):
            process.wait(timeout=60)
    recorded = Donation.objects.filter(channel=channel)
    distinct = recorded.values("external_id").distinct().count()
    doubled = recorded.values("external_id").annotate(n=Count("id")).filter(n__gt=1).count()
    return {
        "notifications": total,
        "clients": clients,
        "gunicorn_workers": workers,
        "gunicorn_threads": threads,
        "seconds": round(elapsed, 1),
        "per_second": round(total / elapsed, 1),
        "recorded_within_s_after_the_last_answer": round(drained, 1),
        "notifications_not_recorded": DonationNotification.objects.filter(channel=channel)
        .exclude(status="recorded")
        .count(),
        "client_cpu_s": round(sum(resource.getrusage(resource.RUSAGE_SELF)[:2]), 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "client_retries": retries[0],
        "lost": unique - distinct,
        "doubled": doubled,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    from benchmarks.importing import scratch_copy  # noqa: PLC0415

    # The notifications are recorded in a copy of the database, so the scale data set stays as it was.
    with scratch_copy(os.environ.get("DATABASE_URL", "")):
        result = run(args.total, args.clients, args.workers, args.threads)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
