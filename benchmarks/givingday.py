"""A whole giving day, over loopback HTTP against gunicorn with the production settings and a Celery worker
(benchmarks.cluster), for a bounded time:
- signed donation notifications (fundraising.notify) at a fixed offered rate, 10% of them sent again
  (platform retries and replays, as benchmarks.burst makes them), on the online channel with the most
  donations already (its existing history), most of them for that channel's campaign;
- anonymous visitors reading the home page, the campaign page, the campaign's project page and the project
  list at a fixed offered rate (open loop: each request is timed from when it was due, so a server that
  falls behind shows it in the latencies instead of being offered less);
- signed-in organization users (one session each, made in the database) reading their portal pages, each
  a request after another with a pause between.
Every few seconds a probe donation of PROBE_AMOUNT yuan, named by its donor, is sent for the campaign; the
time until the campaign page shows it (the donor's name among its latest gifts, or its total grown by the
probe's amount: at hundreds of gifts a second a name stays among the latest hundred for less than a second)
and until the home page's "raised" figure has grown by the probe's amount is the time for a donation to
appear. No other gifts of the load add up to that amount within the watch.

Before the load the statements of the recording path (a notification stored by the web process, then a
batch recorded by the worker) are captured from one real batch, rolled back, and each is EXPLAINed: the
output names every sequential scan of a table of more than SEQ_SCAN_ROWS rows.

The run is made on a copy of the database it is pointed at (CREATE DATABASE … TEMPLATE), dropped at the
end, so the database is left as it was found. The cache and broker (REDIS_URL) are emptied first.

The budget is of donations: 300 new donations a second accepted and recorded. The offered rate is of
notifications, a tenth of them sent again, so 334 a second offer 300 new donations a second (a replay is
refused 409 and a retry answered 200 "duplicate": neither is a new donation). By default 360 a second are
offered (324 new donations): offered exactly the budget's rate, the recorded rate, counted to the last
donation recorded, falls short of the rate offered by the last batch's delay whatever the site sustains,
so the budget is measured with the site offered more than it. "Accepted a second" counts
the distinct donations answered 200 or 201 over the time from the load's start to the last answer (longer
than the load's seconds when the server fell behind), "recorded a second" the distinct donations recorded
over the time from the first one received to the last one recorded; the public pages' rate is counted the
same way as the accepted one.

The notifications are sent to a notification pool, a gunicorn process of their own beside each web process
(NOTIFY_WORKERS × NOTIFY_THREADS, as docker-compose.yml's `notify` service), the pages to the web processes:
on a giving day a payment platform's notification does not wait behind a thousand page reads a second.
The signed-in users read their pages from a portal pool (PORTAL_WORKERS × PORTAL_THREADS beside each web
process, as docker-compose.yml's `portal` service), so that they do not wait behind the visitors' either.
When the cores are short, the pages' processes yield to the others (WEB_NICE, as docker-compose.yml's
cpu_shares): a donation or a member's page is served before another visitor's read of a stored page.

Run as `python -m benchmarks.givingday --seconds 60 --rate 360 --visitors 1000 --users 20` (prints JSON;
BENCH_GIVINGDAY_SECONDS, BENCH_GIVINGDAY_RATE and BENCH_GIVINGDAY_VISITORS are the defaults;
BENCH_NOTIFY_WORKERS and BENCH_NOTIFY_THREADS size the notification pool, 2 and 4; 0 threads send the
notifications to the web processes; BENCH_PORTAL_WORKERS and BENCH_PORTAL_THREADS the portal pool, 2 and 2;
0 threads send the signed-in users to the web processes; BENCH_WEB_NICE the pages' processes' niceness, 3;
BENCH_PAGES_WORKER and BENCH_NOTIFY_WORKER the pages' and the notification pool's gunicorn worker classes,
empowerment.pageserver.PagesWorker and gthread)."""

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

import uvloop  # the load generator's event loop: the cores it leaves are the site's

from .burst import donation_messages, signed_headers
from .common import processes, tree

PROBE_AMOUNT = Decimal("1000000.00")
PROBE_EVERY_SECONDS = 3.0
SEQ_SCAN_ROWS = 10_000
INDEX_READ_ROWS = 5_000
INDEX_SCANS = ("Index Scan", "Index Only Scan", "Bitmap Index Scan")
# How long the worker may take, after the load, to record what is still pending.
DRAIN_SECONDS = 120
# How long a probe donation is watched for on the pages.
PROBE_WATCH_SECONDS = 20
BUDGETS = {
    "notifications_per_s": 300,
    "public_p95_ms": 100,
    "public_from_cache_pct": 95,
    "appear_s": 5,
    "signed_in_p95_ms": 300,
}
# The pages' gunicorn workers and threads (BENCH_GUNICORN_WORKERS, BENCH_GUNICORN_THREADS): the workers of the
# one machine, split between the machines of a run on several (run()).
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", "2"))
GUNICORN_THREADS = int(os.environ.get("BENCH_GUNICORN_THREADS", "4"))
# The notification pool's threads (BENCH_NOTIFY_THREADS; 0: the notifications share the pages' processes).
NOTIFY_THREADS = int(os.environ.get("BENCH_NOTIFY_THREADS", "4"))
NOTIFY_WORKERS = int(os.environ.get("BENCH_NOTIFY_WORKERS", "2"))
# The portal pool's (BENCH_PORTAL_THREADS; 0: the signed-in users share the pages' processes).
PORTAL_THREADS = int(os.environ.get("BENCH_PORTAL_THREADS", "2"))
PORTAL_WORKERS = int(os.environ.get("BENCH_PORTAL_WORKERS", "2"))
# The pages' processes' niceness (BENCH_WEB_NICE): 3, a CPU weight of about half the other processes', as
# docker-compose.yml's cpu_shares give `web` (512 against 1024); 0 weighs them all alike.
WEB_NICE = int(os.environ.get("BENCH_WEB_NICE", "3"))
# The pages' processes' gunicorn worker class (BENCH_PAGES_WORKER): docker-compose.yml's, the event loop that
# answers kept pages itself (empowerment.pageserver.PagesWorker); "gthread" for gunicorn's threaded worker.
PAGES_WORKER = os.environ.get("BENCH_PAGES_WORKER", "empowerment.pageserver.PagesWorker")
# The notification pool's (BENCH_NOTIFY_WORKER): gunicorn's threaded worker, as docker-compose.yml's `notify`.
NOTIFY_WORKER = os.environ.get("BENCH_NOTIFY_WORKER", "gthread")
_RAISED = re.compile(rb'data-figure="raised">([^<]*)<')
_CAMPAIGN_TOTAL = re.compile(rb'data-testid="campaign-total">([^<]*)<')


def _percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _say(text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} giving day: {text}", file=sys.stderr, flush=True)


def _ms(value):
    return None if value is None else round(value * 1000, 1)


# The database copy -----------------------------------------------------------------------------------------


def _with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def copy_database(url: str) -> str:
    """A copy of the database at `url` (CREATE DATABASE … TEMPLATE); returns the copy's URL."""
    import psycopg  # noqa: PLC0415

    source = urlsplit(url).path.lstrip("/")
    name = f"{source[:40]}_giving_{secrets.token_hex(3)}"
    with psycopg.connect(_with_db(url, "postgres"), autocommit=True) as conn:
        for attempt in range(30):
            try:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
                break
            except psycopg.errors.ObjectInUse:  # another session is still connected to the source
                if attempt == 29:
                    raise
                time.sleep(1)
    return _with_db(url, name)


def drop_database(url: str) -> None:
    import psycopg  # noqa: PLC0415

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_with_db(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Where the cores went --------------------------------------------------------------------------------------


def cpu_by_part(groups: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds used so far by each group of process trees (a root pid and all its descendants), by
    PostgreSQL's processes, by Redis and by this process; a process's ended children count with it (a
    connection's backend that closed during the load, when Django's connections outlive CONN_MAX_AGE)."""
    table = processes()
    out = {
        label: sum(p.cpu_seconds + p.ended_children_seconds for p in tree(table, roots))
        for label, roots in groups.items()
    }
    out["postgresql"] = sum(
        p.cpu_seconds + p.ended_children_seconds
        for p in table.values()
        if p.name in ("postgres", "postmaster")
    )
    # The cache and broker every page and task reads (a render's versions, the page cache, the queue).
    out["redis"] = sum(p.cpu_seconds for p in table.values() if p.name == "redis-server")
    mine = table.get(os.getpid())
    out["load generator (this process)"] = mine.cpu_seconds if mine else 0.0
    out["whole machine (every process, the kernel included)"] = machine_busy_seconds()
    return out


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (every state but idle and I/O wait) since boot, from
    /proc/stat: what the parts above leave out (processes that came and went, the kernel's own work: loopback
    networking among them)."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cores_busy(before: dict, after: dict, seconds: float) -> dict[str, float]:
    """How many cores each part kept busy on average between two readings of `cpu_by_part`."""
    if seconds <= 0:
        return {}
    return {k: round((after[k] - before.get(k, 0.0)) / seconds, 2) for k in after}


# What is read and sent ---------------------------------------------------------------------------------------


def plan(users: int) -> dict:
    """The channel, campaign, pages and signed-in users of the run, picked the same way at every scale."""
    from django.db.models import Count  # noqa: PLC0415

    from fundraising.models import Campaign, Channel, Fund  # noqa: PLC0415
    from organizations.models import Membership  # noqa: PLC0415
    from projects.models import Project  # noqa: PLC0415

    channel = (
        Channel.objects.filter(kind=Channel.Kind.ONLINE, active=True, campaigns__published=True)
        .annotate(n=Count("donations", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    campaign = (
        Campaign.objects.filter(channel=channel, published=True).select_related("fund").order_by("pk")[0]
    )
    public = Project.objects.filter(status__in=Project.PUBLIC_STATUSES)
    project = campaign.fund.project if campaign.fund.project_id else None
    if project is None or project.status not in Project.PUBLIC_STATUSES:
        project = public.order_by("pk").first()
    # Other designations (funds of other public projects) take part of the gifts: their pages are not read.
    others = list(
        Fund.objects.filter(project__in=public.exclude(pk=project.pk).order_by("pk")[:20]).values_list(
            "code", flat=True
        )
    )
    members = []
    seen = set()
    memberships = (
        Membership.objects.filter(organization__status="active", user__is_active=True)
        .select_related("user", "organization")
        .order_by("pk")
    )
    for m in memberships if users > 0 else ():  # --users 0: none signed in
        if m.organization_id not in seen:
            seen.add(m.organization_id)
            members.append(m)
        if len(members) >= users:
            break
    return {
        "channel": channel,
        "channel_donations": channel.n,
        "campaign": campaign,
        "project": project,
        "designations": others,
        "members": members,
        "public_pages": [
            ("home", "/", 25),
            ("campaign page", f"/campaigns/{campaign.slug}/", 35),
            ("project page", f"/projects/{project.slug}/", 20),
            ("project list", "/projects/", 20),
        ],
    }


def portal_paths(slug: str) -> list[str]:
    return [f"/o/{slug}/", f"/o/{slug}/projects/", f"/o/{slug}/finance/", f"/o/{slug}/trainings/"]


def sign_in(members) -> list[tuple[str, str]]:
    """(organization slug, session cookie) for each member: a session made as a sign-in makes it."""
    from django.conf import settings  # noqa: PLC0415
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: PLC0415
    from django.contrib.sessions.backends.db import SessionStore  # noqa: PLC0415

    out = []
    for m in members:
        session = SessionStore()
        session[SESSION_KEY] = str(m.user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = m.user.get_session_auth_hash()
        session.create()
        out.append((m.organization.slug, f"{settings.SESSION_COOKIE_NAME}={session.session_key}"))
    return out


# EXPLAIN of the recording path ---------------------------------------------------------------------------


def _plan_nodes(node, out):
    out.append(
        (node.get("Node Type"), node.get("Relation Name"), node.get("Index Name"), node.get("Plan Rows", 0))
    )
    for child in node.get("Plans", []):
        _plan_nodes(child, out)


def explain_recording(channel, campaign, batch: int = 300) -> list[dict]:
    """Each distinct statement of storing `batch` notifications and recording them as one batch, with
    the plan's nodes and its large reads (none expected): a sequential scan of a table of more than
    SEQ_SCAN_ROWS rows, or an index scan expected to read more than INDEX_READ_ROWS rows (an index that
    finds all of a channel's donations, say, where the statement needs a few)."""
    from django.db import connection, transaction  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from fundraising import notify, services  # noqa: PLC0415

    sizes = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
        sizes = dict(cursor.fetchall())
    today = time.strftime("%Y-%m-%d")
    statements = []
    with transaction.atomic():
        with CaptureQueriesContext(connection) as stored:
            for n in range(batch):
                body = json.dumps(
                    {"id": f"explain-{n}", "amount": "50.00", "date": today, "campaign": campaign.slug}
                ).encode()
                nonce = secrets.token_hex(12)
                outcome = notify.receive(
                    channel_code=channel.code,
                    body=body,
                    headers=signed_headers(channel.notify_secret, nonce, body),
                )
                assert outcome.status == 201, outcome.body
        with CaptureQueriesContext(connection) as recorded:
            assert services.notifications_record(limit=batch) == batch
        seen = set()
        for where, captured in (("web", stored), ("worker", recorded)):
            for query in captured.captured_queries:
                sql = query["sql"]
                shape = re.sub(r"'[^']*'|\b\d+\b", "?", sql)[:160]
                if shape in seen or not sql.lstrip().upper().startswith(
                    ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")
                ):
                    continue
                seen.add(shape)
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                    root = cursor.fetchone()[0]
                    root = json.loads(root) if isinstance(root, str) else root
                nodes = []
                _plan_nodes(root[0]["Plan"], nodes)
                large_reads = [
                    f"{kind} on {rel or index} (~{int(rows)} rows)"
                    for kind, rel, index, rows in nodes
                    if (kind == "Seq Scan" and sizes.get(rel, 0) > SEQ_SCAN_ROWS)
                    or (kind in INDEX_SCANS and rows > INDEX_READ_ROWS)
                ]
                statements.append(
                    {
                        "where": where,
                        "sql": " ".join(sql.split())[:200],
                        "plan": [
                            f"{k}{' on ' + r if r else ''}{' using ' + i if i else ''}"
                            for k, r, i, _ in nodes
                        ],
                        "large_reads": large_reads,
                    }
                )
        transaction.set_rollback(True)
    return statements


# HTTP over asyncio --------------------------------------------------------------------------------------------


class Connection:
    """One kept-alive HTTP/1.1 connection (Content-Length and chunked bodies), opened again after a failure."""

    def __init__(self, port: int):
        self.port, self.reader, self.writer = port, None, None

    async def request(self, method: str, path: str, headers: dict, body: bytes = b"", timeout: float = 30):
        for attempt in range(2):
            # A kept-alive connection the server closed meanwhile (its keep-alive timeout) fails before any
            # answer: a GET is sent again on a new one, as browsers do; anything else counts as failed.
            reused = self.writer is not None
            try:
                async with asyncio.timeout(timeout):
                    return await self._request(method, path, headers, body)
            except TimeoutError:
                self.close()
                break
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                self.close()
                closed = isinstance(exc, ConnectionError | asyncio.IncompleteReadError)
                if not (attempt == 0 and reused and method == "GET" and closed):
                    break
        return 0, {}, b""

    async def _request(self, method, path, headers, body):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        answer = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                answer[name.strip().lower()] = value.strip()
        if "content-length" in answer:
            content = await self.reader.readexactly(int(answer["content-length"]))
        elif answer.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                parts.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            content = b"".join(p[:-2] for p in parts)
        else:
            content = await self.reader.read()
            self.close()
        if answer.get("connection", "").lower() == "close":
            self.close()
        return status, answer, content

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


# How long after the end of the load a request still waiting for a free connection is sent; later ones
# are counted as not sent (the server had fallen that far behind).
BACKLOG_GRACE_SECONDS = 5


class Ports:
    """The servers' ports, handed out in turn: each new connection goes to the next gunicorn process, as a
    load balancer in front of several machines would spread them."""

    def __init__(self, ports: list[int]):
        self.ports, self.n = list(ports), 0

    def next(self) -> int:
        self.n += 1
        return self.ports[(self.n - 1) % len(self.ports)]


async def open_loop(rate: float, seconds: float, connections: int, send, ports: Ports) -> int:
    """Call `send(connection, due)` `rate` times a second for `seconds`, on `connections` connections;
    a call waits for a free connection, and its time counts from when it was due. Returns how many calls
    were still waiting BACKLOG_GRACE_SECONDS after the end, and so not made."""
    loop = asyncio.get_running_loop()
    due: asyncio.Queue = asyncio.Queue()
    stop_at = loop.time() + seconds + BACKLOG_GRACE_SECONDS
    dropped = [0]

    async def producer():
        start, n = loop.time(), 0
        while True:
            now = loop.time()
            while n / rate <= now - start:
                if n / rate >= seconds:
                    for _ in range(connections):
                        due.put_nowait(None)
                    return
                due.put_nowait(start + n / rate)
                n += 1
            await asyncio.sleep(0.002)

    async def consumer(conn):
        while (when := await due.get()) is not None:
            if loop.time() > stop_at:
                dropped[0] += 1
                continue
            await send(conn, when)
        conn.close()

    await asyncio.gather(producer(), *(consumer(Connection(ports.next())) for _ in range(connections)))
    return dropped[0]


async def load(
    p: dict, *, ports: Ports, notify_ports: Ports, portal_ports: Ports, seconds, rate, visitors, sessions, tag
) -> dict:
    loop = asyncio.get_running_loop()
    channel, campaign = p["channel"], p["campaign"]
    secret = channel.notify_secret
    path = f"/api/donations/notify/{channel.code}/"
    rng = random.Random(7)
    today = time.strftime("%Y-%m-%d")
    designations = p["designations"]

    def gift(n, rng):
        body = {"amount": f"{rng.choice([20, 50, 100, 200])}.00", "date": today}
        share = rng.random()
        if share < 0.6:
            body["campaign"] = campaign.slug
        elif share < 0.9 and designations:
            body["designation"] = rng.choice(designations)
        return body

    messages = donation_messages(tag, int(rate * seconds), rng, body=gift)
    queue_of_messages = iter(messages)
    notes = {"statuses": {}, "latencies": [], "retries": 0, "accepted": set(), "sent": set(), "last": 0.0}

    async def send_notification(conn, due):
        message = next(queue_of_messages, None)
        if message is None:
            return
        donation_id, nonce, body = message
        notes["sent"].add(donation_id)
        status = 0
        for attempt in range(4):
            status, _h, _c = await conn.request("POST", path, signed_headers(secret, nonce, body), body)
            if status and status < 500:
                break
            notes["retries"] += 1
            nonce = secrets.token_hex(12)  # a retried delivery carries a fresh nonce
            await asyncio.sleep(0.05 * (attempt + 1))
        notes["latencies"].append(loop.time() - due)
        notes["statuses"][status] = notes["statuses"].get(status, 0) + 1
        if status in (200, 201):
            notes["accepted"].add(donation_id)
            notes["last"] = loop.time()

    weighted = [(name, url) for name, url, weight in p["public_pages"] for _ in range(weight)]
    public = {"latencies": {}, "cache": {}, "errors": 0, "last": 0.0}
    page_rng = random.Random(11)

    async def visit(conn, due):
        name, url = page_rng.choice(weighted)
        status, headers, _content = await conn.request("GET", url, {"X-Forwarded-Proto": "https"})
        public["latencies"].setdefault(name, []).append(loop.time() - due)
        public["last"] = loop.time()
        if status != 200:
            public["errors"] += 1
        state = headers.get("x-page-cache", "none")
        public["cache"][state] = public["cache"].get(state, 0) + 1

    signed = {"latencies": [], "errors": 0, "statuses": {}}
    deadline = loop.time() + seconds

    async def member(slug, cookie, n):
        conn = Connection(portal_ports.next())
        user_rng = random.Random(n)
        pages = portal_paths(slug)
        await asyncio.sleep(user_rng.random())
        while loop.time() < deadline:
            url = user_rng.choice(pages)
            started = loop.time()
            status, _h, _c = await conn.request("GET", url, {"X-Forwarded-Proto": "https", "Cookie": cookie})
            signed["latencies"].append(loop.time() - started)
            signed["statuses"][status] = signed["statuses"].get(status, 0) + 1
            if status != 200:
                signed["errors"] += 1
            await asyncio.sleep(0.5 + user_rng.random())
        conn.close()

    probes = {"campaign_s": [], "home_s": [], "not_seen": 0, "log": []}

    def figure(status, content, pattern):
        found = pattern.search(content) if status == 200 else None
        if not found:
            return None
        digits = re.sub(rb"[^0-9.]", b"", found.group(1))
        return Decimal(digits.decode()) if digits else None

    async def raised_on_home(conn):
        status, _h, content = await conn.request("GET", "/", {"X-Forwarded-Proto": "https"})
        return figure(status, content, _RAISED)

    campaign_url = f"/campaigns/{campaign.slug}/"

    async def probe_loop():
        conn, watch = Connection(notify_ports.next()), Connection(ports.next())
        k = 0
        await asyncio.sleep(PROBE_EVERY_SECONDS)
        while loop.time() < deadline - PROBE_EVERY_SECONDS:
            k += 1
            name = f"Probe {tag} {k}"
            before = campaign_before = None
            for _attempt in range(3):  # a read on a connection the server has closed is made again
                before = before if before is not None else await raised_on_home(watch)
                if campaign_before is None:
                    s, _h, content = await watch.request("GET", campaign_url, {"X-Forwarded-Proto": "https"})
                    campaign_before = figure(s, content, _CAMPAIGN_TOTAL)
                if before is not None and campaign_before is not None:
                    break
            body = json.dumps(
                {
                    "id": f"{tag}-probe-{k}",
                    "amount": str(PROBE_AMOUNT),
                    "date": today,
                    "campaign": campaign.slug,
                    "donor_name": name,
                    "show_name": True,
                }
            ).encode()
            sent = loop.time()
            # Sent as a platform sends it: again, with a fresh nonce, when the connection failed or the
            # server erred (the server closes a connection idle for longer than its keep-alive, and the
            # probe's is idle between probes).
            for attempt in range(4):
                status, _h, _c = await conn.request(
                    "POST", path, signed_headers(secret, secrets.token_hex(12), body), body
                )
                if status and status < 500:
                    break
                await asyncio.sleep(0.05 * (attempt + 1))
            answered = round(loop.time() - sent, 2)
            if status != 201:
                probes["log"].append({"answer": status, "answered_s": answered})
                probes["not_seen"] += 2  # neither page can show it
                await asyncio.sleep(PROBE_EVERY_SECONDS)
                continue
            notes["accepted"].add(f"{tag}-probe-{k}")
            seen_campaign = seen_home = None
            while loop.time() - sent < PROBE_WATCH_SECONDS and (seen_campaign is None or seen_home is None):
                if seen_campaign is None:
                    s, _h, content = await watch.request("GET", campaign_url, {"X-Forwarded-Proto": "https"})
                    total = figure(s, content, _CAMPAIGN_TOTAL)
                    if (s == 200 and name.encode() in content) or (
                        total is not None
                        and campaign_before is not None
                        and total >= campaign_before + PROBE_AMOUNT
                    ):
                        seen_campaign = loop.time() - sent
                if seen_home is None and before is not None:
                    raised = await raised_on_home(watch)
                    if raised is not None and raised >= before + PROBE_AMOUNT:
                        seen_home = loop.time() - sent
                await asyncio.sleep(0.1)
            for key, value in (("campaign_s", seen_campaign), ("home_s", seen_home)):
                if value is None:
                    probes["not_seen"] += 1
                else:
                    probes[key].append(round(value, 2))
            probes["log"].append(
                {
                    "answer": status,
                    "answered_s": answered,
                    "campaign_s": None if seen_campaign is None else round(seen_campaign, 2),
                    "home_s": None if seen_home is None else round(seen_home, 2),
                }
            )
            await asyncio.sleep(max(0.0, PROBE_EVERY_SECONDS - (loop.time() - sent)))
        conn.close()
        watch.close()

    started, load_start = time.perf_counter(), loop.time()
    not_sent_notes, not_sent_visits, *_ = await asyncio.gather(
        open_loop(rate, seconds, 48, send_notification, notify_ports),
        open_loop(visitors, seconds, 64, visit, ports),
        *(member(slug, cookie, n) for n, (slug, cookie) in enumerate(sessions)),
        probe_loop(),
    )
    notes["not_sent"], public["not_sent"] = not_sent_notes, not_sent_visits
    elapsed = time.perf_counter() - started
    # Each rate over the time its answers took: the load's seconds, or longer when the server fell behind.
    notes["span"] = max(seconds, notes["last"] - load_start)
    public["span"] = max(seconds, public["last"] - load_start)
    return {"elapsed": elapsed, "notes": notes, "public": public, "signed": signed, "probes": probes}


# The run ------------------------------------------------------------------------------------------------------


def run(*, seconds: float, rate: float, visitors: float, users: int, web: int, workers: int) -> dict:
    import django  # noqa: PLC0415

    django.setup()
    from django.core.cache import cache  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.db.models import Count, Max, Min  # noqa: PLC0415

    from fundraising.models import Donation, DonationNotification  # noqa: PLC0415

    from .cluster import BASE_DIR, Cluster  # noqa: PLC0415

    cache.clear()  # the bench's own cache and broker: no page or task of another database
    # The copy's schema as the code expects it, and the static files the production settings serve.
    call_command("migrate", "--noinput", verbosity=0)
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env={**os.environ, "DEBUG": "false", "SECRET_KEY": os.environ.get("SECRET_KEY") or "collectstatic"},
        check=True,
    )
    p = plan(users)
    _say("explaining the recording path")
    explain = explain_recording(p["channel"], p["campaign"])
    sessions = sign_in(p["members"])
    tag = f"gd{secrets.token_hex(3)}"
    connection.close()
    # The notification endpoint is a platform's webhook, not a reader of the public API: the API's
    # per-address rate limit (api.middleware) must not apply to it; here every sender is 127.0.0.1.
    extra = {"API_RATE_LIMIT": "1000000000"}
    # More than one machine shares nothing but PostgreSQL, Redis and the object store (media, documents). On
    # this one machine's cores, the machines split its gunicorn processes between them (each its share of
    # the pages' and the notification pool's), so the run on several compares the same capacity laid out
    # apart: twice the processes on the same two cores only cost each request more.
    page_workers, notify_workers, portal_workers = (
        max(1, n // web) for n in (GUNICORN_WORKERS, NOTIFY_WORKERS, PORTAL_WORKERS)
    )
    with Cluster(
        web=web,
        workers=workers,
        gunicorn_workers=page_workers,
        threads=GUNICORN_THREADS,
        s3=web > 1,
        env=extra,
        notify_threads=NOTIFY_THREADS,
        notify_workers=notify_workers,
        portal_threads=PORTAL_THREADS,
        portal_workers=portal_workers,
        web_nice=WEB_NICE,
        web_worker_class=PAGES_WORKER,
        notify_worker_class=NOTIFY_WORKER,
    ).start() as cluster:
        ports = Ports(cluster.ports)
        # The platforms' notifications go to the notification pool, as docker-compose.yml's `notify` serves them.
        notify_ports = Ports(cluster.notify_ports) if cluster.notify_ports else ports
        # The signed-in users' pages go to the portal pool, as a proxy routes them to docker-compose.yml's `portal`.
        portal_ports = Ports(cluster.portal_ports) if cluster.portal_ports else ports

        async def warm():
            conn = Connection(ports.next())
            statuses = {}
            for _name, url, _w in p["public_pages"]:
                statuses[url] = (await conn.request("GET", url, {"X-Forwarded-Proto": "https"}))[0]
            conn.close()
            conn = Connection(portal_ports.next())
            for slug, cookie in sessions[:1]:
                for url in portal_paths(slug):
                    statuses[url] = (
                        await conn.request("GET", url, {"X-Forwarded-Proto": "https", "Cookie": cookie})
                    )[0]
            conn.close()
            return statuses

        warmed = uvloop.run(warm())
        _say(f"load for {seconds} s: {rate}/s notifications, {visitors}/s visitors, {len(sessions)} users")
        parts = {
            "web processes": [w.pid for w in cluster.web_processes],  # the notification pool's too
            "celery workers": [w.pid for w in cluster.worker_processes],
        }
        cpu_before, load_started = cpu_by_part(parts), time.monotonic()
        measured = uvloop.run(
            load(
                p,
                ports=ports,
                notify_ports=notify_ports,
                portal_ports=portal_ports,
                seconds=seconds,
                rate=rate,
                visitors=visitors,
                sessions=sessions,
                tag=tag,
            )
        )
        cores = cores_busy(cpu_before, cpu_by_part(parts), time.monotonic() - load_started)
        # The worker records what is still pending.
        load_ended = time.monotonic()
        _say("waiting for the worker to record what is pending")
        pending = DonationNotification.objects.filter(channel=p["channel"], status="pending")
        deadline = load_ended + DRAIN_SECONDS
        while pending.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        drain = time.monotonic() - load_ended
        connection.close()
    mine = DonationNotification.objects.filter(channel=p["channel"], external_id__startswith=f"{tag}-")
    span = mine.aggregate(first=Min("received_at"), last=Max("recorded_at"))
    recorded_n = mine.filter(status="recorded").count()
    recorded = Donation.objects.filter(channel=p["channel"], external_id__startswith=f"{tag}-")
    recorded_ids = set(recorded.values_list("external_id", flat=True))
    notes, public, signed, probes = (
        measured["notes"],
        measured["public"],
        measured["signed"],
        measured["probes"],
    )
    answered = {str(k): v for k, v in sorted(notes["statuses"].items())}
    # Distinct donations (the probes are timed apart, not counted here).
    accepted = len(notes["sent"] & notes["accepted"])
    record_seconds = (
        (span["last"] - span["first"]).total_seconds() if span["last"] and span["first"] else None
    )
    all_public = [v for values in public["latencies"].values() for v in values]
    served = sum(public["cache"].values()) or 1
    from_cache = public["cache"].get("hit", 0) + public["cache"].get("stale", 0)
    result = {
        "scale_channel_donations": p["channel_donations"],
        "seconds": seconds,
        "elapsed_s": round(measured["elapsed"], 1),
        "offered": {"notifications_per_s": rate, "public_per_s": visitors, "signed_in_users": len(sessions)},
        "gunicorn": {
            "processes": web,
            "workers": page_workers,
            "threads": GUNICORN_THREADS,
            "notification_pool": {"processes": web, "workers": notify_workers, "threads": NOTIFY_THREADS},
            "portal_pool": {"processes": web, "workers": portal_workers, "threads": PORTAL_THREADS},
            "pages_nice": WEB_NICE,
            "pages_worker": PAGES_WORKER,
            "notify_worker": NOTIFY_WORKER,
        },
        "celery_workers": workers,
        "warm_up_statuses": warmed,
        "notifications": {
            "sent": sum(notes["statuses"].values()),
            "statuses": answered,
            "client_retries": notes["retries"],
            "not_sent_server_too_far_behind": notes["not_sent"],
            "donations_offered_per_s": round(len(notes["sent"]) / seconds, 1),
            "accepted_per_s": round(accepted / notes["span"], 1),
            "accepted_within_s": round(notes["span"], 1),
            "refused": len(notes["sent"] - notes["accepted"]),
            "recorded": recorded_n,
            "recorded_per_s": round(recorded_n / record_seconds, 1) if record_seconds else None,
            "all_recorded_s_after_the_load": round(drain, 1),
            "failed": mine.filter(status="failed").count(),
            "p95_ms": _ms(_percentile(notes["latencies"], 0.95)),
            "lost": len(notes["accepted"] - recorded_ids),
            "doubled": recorded.values("external_id").annotate(n=Count("id")).filter(n__gt=1).count(),
        },
        "public": {
            "requests": len(all_public),
            "per_s": round(len(all_public) / public["span"], 1),
            "answered_within_s": round(public["span"], 1),
            "p50_ms": _ms(_percentile(all_public, 0.5)),
            "p95_ms": _ms(_percentile(all_public, 0.95)),
            "p99_ms": _ms(_percentile(all_public, 0.99)),
            "errors": public["errors"],
            "not_sent_server_too_far_behind": public["not_sent"],
            "cache": public["cache"],
            "from_cache_pct": round(100 * from_cache / served, 1),
            "by_page_p95_ms": {k: _ms(_percentile(v, 0.95)) for k, v in public["latencies"].items()},
        },
        "signed_in": {
            "requests": len(signed["latencies"]),
            "p50_ms": _ms(_percentile(signed["latencies"], 0.5)),
            "p95_ms": _ms(_percentile(signed["latencies"], 0.95)),
            "statuses": {str(k): v for k, v in sorted(signed["statuses"].items())},
        },
        "appear": {
            "probes": len(probes["log"]),
            # Each probe: the notification's answer, how long it took, when each page showed the gift.
            "each": probes["log"],
            "campaign_page_s": probes["campaign_s"],
            "home_s": probes["home_s"],
            "campaign_page_max_s": max(probes["campaign_s"], default=None),
            "home_max_s": max(probes["home_s"], default=None),
            "median_s": statistics.median(probes["campaign_s"] + probes["home_s"])
            if probes["campaign_s"] + probes["home_s"]
            else None,
            # Pages (two per probe) that did not show the probe's gift within the watch.
            "not_seen_in_time": probes["not_seen"],
        },
        "explain": explain,
        # Cores kept busy during the load, by part (the machine's count beside them): what to make cheaper.
        "cores_busy": {**cores, "machine's cores": os.cpu_count()},
    }
    result["budgets"] = budgets(result)
    return result


def budgets(r: dict) -> list[str]:
    """Each budget of the giving day, met or missed, with its figure (named by how many processes served)."""
    lines = []
    processes, workers = r.get("gunicorn", {}).get("processes", 1), r.get("celery_workers", 1)
    label = (
        "giving day" if processes == 1 else f"giving day on {processes} web processes and {workers} workers"
    )

    def verdict(ok, text):
        lines.append(f"{'met   ' if ok else 'MISSED'} {label}: {text}")

    n, pub, signed, appear = r["notifications"], r["public"], r["signed_in"], r["appear"]
    target = BUDGETS["notifications_per_s"]
    verdict(
        n["accepted_per_s"] >= target and not n.get("refused"),
        f"{n['accepted_per_s']} new donations accepted per second (≥ {target}), {n.get('refused', 0)} refused",
    )
    verdict(
        (n["recorded_per_s"] or 0) >= target,
        f"{n['recorded_per_s']} new donations recorded per second (≥ {target})",
    )
    verdict(n["lost"] == 0 and n["doubled"] == 0, f"{n['lost']} lost, {n['doubled']} doubled")
    verdict(
        pub["p95_ms"] is not None
        and pub["p95_ms"] <= BUDGETS["public_p95_ms"]
        and pub["not_sent_server_too_far_behind"] <= 0.05 * pub["requests"],
        f"public pages p95 {pub['p95_ms']} ms (≤ {BUDGETS['public_p95_ms']} ms), "
        f"{pub['per_s']} answered per second of {r['offered']['public_per_s']} offered",
    )
    verdict(
        pub["from_cache_pct"] >= BUDGETS["public_from_cache_pct"],
        f"{pub['from_cache_pct']}% of public pages from the cache (≥ {BUDGETS['public_from_cache_pct']}%)",
    )
    worst = max(appear["campaign_page_max_s"] or 99, appear["home_max_s"] or 99) if appear["probes"] else None
    verdict(
        worst is not None and worst <= BUDGETS["appear_s"] and not appear["not_seen_in_time"],
        f"a donation appears on the campaign page within {appear['campaign_page_max_s']} s and on the home "
        f"figures within {appear['home_max_s']} s (≤ {BUDGETS['appear_s']} s)",
    )
    verdict(
        signed["p95_ms"] is not None and signed["p95_ms"] <= BUDGETS["signed_in_p95_ms"],
        f"signed-in pages p95 {signed['p95_ms']} ms (≤ {BUDGETS['signed_in_p95_ms']} ms)",
    )
    scans = sorted({f"{s['where']}: {t}" for s in r["explain"] for t in s["large_reads"]})
    verdict(
        not scans,
        "every statement of the recording path reads through an index, only the rows it needs"
        + (f" (not: {scans})" if scans else ""),
    )
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("BENCH_GIVINGDAY_SECONDS", "60"))
    )
    parser.add_argument("--rate", type=float, default=float(os.environ.get("BENCH_GIVINGDAY_RATE", "360")))
    parser.add_argument(
        "--visitors", type=float, default=float(os.environ.get("BENCH_GIVINGDAY_VISITORS", "1000"))
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--web", type=int, default=1, help="gunicorn processes for the pages (each 2 workers × 4 threads)"
    )
    parser.add_argument("--workers", type=int, default=1, help="Celery workers")
    args = parser.parse_args()
    original = os.environ["DATABASE_URL"]
    # One secret key for this process and the servers: the sessions made here are signed with it.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    # A stop (SIGTERM) still drops the copy: the finally block below runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    copy = copy_database(original)
    os.environ["DATABASE_URL"] = copy
    try:
        result = run(
            seconds=args.seconds,
            rate=args.rate,
            visitors=args.visitors,
            users=args.users,
            web=args.web,
            workers=args.workers,
        )
    finally:
        from django.db import connections  # noqa: PLC0415

        connections.close_all()
        drop_database(copy)
    print(json.dumps(result, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
