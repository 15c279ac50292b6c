"""What a stored open-data file costs the web process, over loopback HTTP against gunicorn (production
settings, one process, one worker of four threads), measured by the CPU seconds its process tree used.

The in-process page bench reads a stored file through Django's test client, which pulls it through
Python four kilobytes at a time; a server does not: gunicorn hands a FileResponse's file to sendfile(2),
so the kernel copies it to the socket. Here each download is whole (every byte read by the client) and
its cost is the web process's CPU per download beside its CPU per request for the home page served from
the page cache (the cheapest page there is), and per revalidation (If-None-Match answered 304). The CPU
is split: user time is the interpreter's (Python, Django, gunicorn), system time the kernel's, where the
copy of a file's bytes to the socket is counted whoever sends it (a proxy serving the file itself would
spend it too); the budget is on the user time. The files
are built into the web process's media folder as the worker builds them, and their rows put back as they
were afterwards (benchmarks.pages.open_data_files). Run as `python -m benchmarks.downloads` (prints
JSON)."""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit

from benchmarks.cluster import BASE_DIR, Cluster, S3Server
from benchmarks.common import processes, tree

HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def tree_cpu(root: int) -> tuple[float, float]:
    """(user, system) CPU seconds used so far by a process and every process under it."""
    found = list(tree(processes(), [root]))
    return sum(p.user_seconds for p in found), sum(p.system_seconds for p in found)


def _drain(response: http.client.HTTPResponse) -> int:
    """Read the whole body, a megabyte at a time; its size."""
    size = 0
    while chunk := response.read(1 << 20):
        size += len(chunk)
    return size


def _get(conn: http.client.HTTPConnection, path: str, extra=None) -> tuple[int, int, dict]:
    conn.request("GET", path, headers={**HEADERS, **(extra or {})})
    response = conn.getresponse()
    return response.status, _drain(response), dict(response.getheaders())


def measure(port: int, root: int, path: str, count: int, extra=None) -> dict:
    """`count` requests for `path` on one kept-alive connection: the web process tree's user and system
    CPU per request (the run's CPU divided by its requests: the kernel counts CPU in 10 ms ticks), the
    answers' median wall time and size."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        for _warm in range(3):
            _get(conn, path, extra)
        times, statuses, size = [], set(), 0
        cpu_before = tree_cpu(root)
        for _ in range(count):
            started = time.perf_counter()
            status, size, _headers = _get(conn, path, extra)
            times.append((time.perf_counter() - started) * 1000)
            statuses.add(status)
        cpu_after = tree_cpu(root)
    finally:
        conn.close()
    return {
        "requests": count,
        "status": sorted(statuses),
        "bytes": size,
        "user_cpu_ms": round((cpu_after[0] - cpu_before[0]) * 1000 / count, 3),
        "system_cpu_ms": round((cpu_after[1] - cpu_before[1]) * 1000 / count, 3),
        "median_ms": round(statistics.median(times), 2),
    }


def _from_store(location: str) -> int:
    """The bytes a visitor downloads from the object store's signed address."""
    parts = urlsplit(location)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        conn.request("GET", f"{parts.path}?{parts.query}")
        response = conn.getresponse()
        size = _drain(response)
        return size if response.status == 200 else -response.status
    finally:
        conn.close()


def run(downloads: int, pages: int, *, s3: str = "") -> dict:
    """`s3`: the files stored in an S3-compatible object store (moto's server, as on several machines)
    instead of the web process's disk, "public" when visitors reach it (S3_PUBLIC_ENDPOINT_URL), "internal"
    when they do not (the files pass through the web process)."""
    store = S3Server().start() if s3 else None
    if store is not None:  # this process builds the files into the store, as a worker would
        os.environ.update(store.env)
    try:
        return _run(downloads, pages, store, public=s3 == "public")
    finally:
        if store is not None:
            store.stop()


def _run(downloads: int, pages: int, store, *, public: bool) -> dict:
    import django  # noqa: PLC0415

    django.setup()
    from benchmarks.pages import open_data_files  # noqa: PLC0415

    # The static files the production settings serve (their manifest names every page's stylesheets).
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env={**os.environ, "DEBUG": "false", "SECRET_KEY": os.environ.get("SECRET_KEY") or "collectstatic"},
        check=True,
    )
    # The store is reachable by the visitors (here the load generator) at its own address.
    env = {**store.env, "S3_PUBLIC_ENDPOINT_URL": store.endpoint if public else ""} if store else None
    cluster = Cluster(web=1, workers=0, gunicorn_workers=1, threads=4, s3=False, env=env).start()
    try:
        media = cluster._media_root("web0")
        port, root = cluster.ports[0], cluster.web_processes[0].pid
        out = {"home page (cached)": measure(port, root, "/", pages)}
        with open_data_files(built=True, media=media) as stored:
            for _name, file in stored:
                path = f"/open-data/{file}"
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                _status, _size, headers = _get(conn, path)
                conn.close()
                out[f"{file}: whole file"] = whole = measure(port, root, path, downloads)
                if whole["status"] == [302]:  # sent to the store: what the visitor then gets from there
                    whole["from_the_store_bytes"] = _from_store(headers["Location"])
                etag = headers.get("ETag", "")
                out[f"{file}: revalidated (304)"] = measure(port, root, path, pages, {"If-None-Match": etag})
    finally:
        cluster.stop()
    base = out["home page (cached)"]["user_cpu_ms"] or 0.001
    for row in out.values():
        row["user_cpu_to_cached_page"] = round(row["user_cpu_ms"] / base, 2)
    return out


def budgets(results: dict) -> list[str]:
    """A whole download, and a revalidation, cost the web process's interpreter at most three cached
    pages' CPU (the cached-page budget, ≤ 3× the cheapest answer, applied to what the server spends)."""
    page = results["home page (cached)"]
    lines = [
        f"info   home page (cached) over HTTP: {page['user_cpu_ms']} ms user + {page['system_cpu_ms']} ms system "
        f"CPU of the web process per request, status {page['status']}"
    ]
    for name, row in results.items():
        if name == "home page (cached)":
            continue
        sent = row.get("from_the_store_bytes")
        ok = row["user_cpu_to_cached_page"] <= 3 and (
            row["status"] in ([200], [304]) or (row["status"] == [302] and (sent or 0) > 0)
        )
        lines.append(
            f"{'met   ' if ok else 'MISSED'} {name} over HTTP: {row['user_cpu_ms']} ms of the web process's user CPU "
            f"per request, {row['user_cpu_to_cached_page']}× a cached page's (≤ 3×); {row['system_cpu_ms']} ms "
            f"system (the kernel's copy); {row['bytes']:,} bytes in {row['median_ms']} ms, status {row['status']}"
            + (f", then {sent:,} bytes from the object store" if sent is not None else "")
        )
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--downloads", type=int, default=100)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument(
        "--s3", choices=["public", "internal"], default="", help="Files in an S3-compatible store (moto's)."
    )
    args = parser.parse_args()
    results = run(args.downloads, args.pages, s3=args.s3)
    print(json.dumps({"files": results, "budgets": budgets(results)}))


if __name__ == "__main__":
    main()
