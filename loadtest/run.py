# ruff: noqa: S603 - runs the project's own manage.py, celery and gunicorn with fixed arguments
"""A bounded load run on 127.0.0.1 only (`make loadtest`; not part of CI).

Prepares a PostgreSQL database seeded with `seed_demo`, starts gunicorn with production-like settings
(DEBUG off, a secret key, ALLOWED_HOSTS=127.0.0.1, no SSL redirect) and a Celery worker on Redis db 15,
then for LOADTEST_SECONDS (120) runs 50 simulated public visitors and 10 organization users who sign in,
open their project, post progress updates with a photo and request progress report PDFs (rendered by the
worker meanwhile). Prints requests, errors and p95 per page group, and stops everything it started.

Environment: LOADTEST_DATABASE_URL (postgres://postgres@127.0.0.1:5432/loadtest_dev), LOADTEST_REDIS_URL
(redis://127.0.0.1:6379/15), LOADTEST_PORT (8190), LOADTEST_SECONDS, LOADTEST_VISITORS, LOADTEST_ORG_USERS.
"""

import http.client
import io
import json
import os
import random
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
HOST = "127.0.0.1"  # traffic goes to the loopback interface only
PORT = int(os.environ.get("LOADTEST_PORT", "8190"))
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "120"))
VISITORS = int(os.environ.get("LOADTEST_VISITORS", "50"))
ORG_USERS = int(os.environ.get("LOADTEST_ORG_USERS", "10"))
DATABASE_URL = os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loadtest_dev")
REDIS_URL = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "demo-password-2026"  # noqa: S105 - the demo accounts' published password

ENV = {
    **os.environ,
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": HOST,
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "MFA_REQUIRED_FOR_PRIVILEGED": "false",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "MEDIA_ROOT": "/tmp/loadtest-media",  # noqa: S108 - a throwaway run
    "SITE_URL": f"http://{HOST}:{PORT}",
    "LOG_LEVEL": "WARNING",
    # As behind the production reverse proxy: each simulated person has its own client address
    # (X-Forwarded-For), so the per-address login limit (5 attempts a minute) applies per person.
    "TRUSTED_PROXY_COUNT": "1",
}


def manage(*args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def create_database():
    import psycopg  # noqa: PLC0415

    parts = urllib.parse.urlparse(DATABASE_URL)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        sys.exit("the load run uses a local database only")
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def targets() -> dict:
    """Slugs and ids to visit, read once from the seeded database (the traffic itself is HTTP)."""
    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "empowerment.settings")
    sys.path.insert(0, str(ROOT))
    import django  # noqa: PLC0415

    django.setup()
    from fundraising.models import Campaign  # noqa: PLC0415
    from organizations.models import Membership, Organization  # noqa: PLC0415
    from projects.models import Project  # noqa: PLC0415

    active = list(
        Project.objects.filter(status="active").select_related("organization").prefetch_related("indicators")
    )
    users = []
    for project in active:
        members = Membership.objects.filter(organization=project.organization, role__in=["admin", "editor"])
        for m in members.select_related("user"):
            approved = list(project.updates.filter(status="approved").values_list("pk", flat=True))
            users.append(
                {
                    "email": m.user.email,
                    "org": project.organization.slug,
                    "project": project.pk,
                    "start": project.start_date.isoformat(),
                    "indicators": [(i.pk, i.value_type) for i in project.indicators.all()],
                    "approved": approved,
                }
            )
    public = list(Project.objects.filter(status__in=Project.PUBLIC_STATUSES).values_list("slug", flat=True))
    return {
        "users": users,
        "projects": public,
        "orgs": list(Organization.objects.filter(status="active").values_list("slug", flat=True)[:40]),
        "campaigns": list(Campaign.objects.filter(published=True).values_list("slug", flat=True)),
    }


# A small HTTP client ------------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(list)

    def add(self, group, seconds, error=None):
        with self.lock:
            self.times[group].append(seconds)
            if error:
                self.errors[group].append(error)


class Browser:
    def __init__(self, stats: Stats, address: str, language="zh-hans"):
        self.stats, self.cookies, self.language, self.address = stats, {}, language, address

    def request(self, group, method, path, body=None, content_type=None, expect=(200,)):
        headers = {
            "Host": f"{HOST}:{PORT}",
            "Accept-Language": self.language,
            "Connection": "close",
            "X-Forwarded-For": self.address,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            conn.close()
        except OSError as exc:
            self.stats.add(group, time.perf_counter() - started, f"{method} {path}: {exc!r}")
            return None, b"", {}
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        error = None if response.status in expect else f"{method} {path}: HTTP {response.status}"
        self.stats.add(group, elapsed, error)
        return response.status, data, dict(response.getheaders())

    def get(self, group, path, **kw):
        return self.request(group, "GET", path, **kw)

    def post_form(self, group, path, fields: dict, files: dict | None = None, expect=(302,)):
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        if not files:
            body = urllib.parse.urlencode(fields).encode()
            return self.request(group, "POST", path, body, "application/x-www-form-urlencoded", expect=expect)
        boundary = secrets.token_hex(16)
        out = io.BytesIO()
        for name, value in fields.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content, ctype) in files.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {ctype}\r\n\r\n".encode()
            )
            out.write(content + b"\r\n")
        out.write(f"--{boundary}--\r\n".encode())
        return self.request(
            group, "POST", path, out.getvalue(), f"multipart/form-data; boundary={boundary}", expect=expect
        )


def photo_bytes() -> bytes:
    from PIL import Image  # noqa: PLC0415

    image = Image.effect_noise((1200, 900), 60).convert("RGB")  # a phone-sized photo, ~300 KB as JPEG
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def visitor(stats, t, deadline, rng, address):
    browser = Browser(stats, address, language=rng.choice(["zh-hans", "en"]))
    pages = [
        ("public: home", lambda: "/"),
        ("public: project list", lambda: "/projects/"),
        ("public: project page", lambda: f"/projects/{rng.choice(t['projects'])}/"),
        ("public: campaign list", lambda: "/campaigns/"),
        ("public: general fund", lambda: "/funds/general/"),
        ("public: organizations", lambda: "/organizations/"),
        ("public: organization page", lambda: f"/organizations/{rng.choice(t['orgs'])}/"),
        ("public: fund flow", lambda: "/funds/flow/"),
        ("public: open data", lambda: "/open-data/"),
        ("public: reports", lambda: "/reports/"),
    ]
    if t["campaigns"]:
        pages.append(("public: campaign", lambda: f"/campaigns/{rng.choice(t['campaigns'])}/"))
    while time.monotonic() < deadline:
        group, path = rng.choice(pages)
        browser.get(group, path())
        time.sleep(rng.uniform(0.5, 2.0))


def organization_user(stats, user, deadline, rng, photo, outcome, address):
    browser = Browser(stats, address, language=rng.choice(["zh-hans", "en"]))
    _, page, _ = browser.get("org: login", "/accounts/login/")
    status, page, headers = browser.post_form(
        "org: login", "/accounts/login/", {"login": user["email"], "password": PASSWORD}
    )
    if status != 302:
        message = re.search(
            rb'class="[^"]*(?:alert|invalid-feedback)[^"]*"[^>]*>\s*(?:<[^>]+>\s*)*([^<]{3,200})', page
        )
        stats.errors["org: login"].append(f"{user['email']}: {message and message.group(1).strip()[:160]}")
        return
    org, pk = user["org"], user["project"]
    base = f"/o/{org}/projects/{pk}/"
    n = 0
    while time.monotonic() < deadline:
        n += 1
        browser.get("org: portal pages", base)
        browser.get("org: portal pages", f"{base}updates/new/")
        fields = {
            "period_start": user["start"],
            "period_end": user["start"],
            "narrative": f"Load run visit {n}: health checks for older residents.",
            "volunteer_hours": "2",
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-0-sex": rng.choice(["female", "male"]),
            "people-0-age_band": "60-79",
            "people-0-special_group": "none",
            "people-0-count": str(rng.randint(1, 30)),
            "photo_caption": "Health check day",
        }
        fields.update({f"indicator_{i}": "1" for i, _ in user["indicators"]})
        status, data, _ = browser.post_form(
            "org: post update with photo",
            f"{base}updates/new/",
            fields,
            {"photo": ("IMG.jpg", photo, "image/jpeg")},
        )
        if status == 200:  # a form error is an error of the run: show the first one
            message = re.search(rb"invalid-feedback[^>]*>(.*?)<", data)
            stats.errors["org: post update with photo"].append(
                f"form refused: {message and message.group(1)[:120]}"
            )
        else:
            outcome["updates"] += 1
        if user["approved"] and n % 2 == 1:
            status, _, headers = browser.post_form(
                "org: request report PDF", f"{base}report/", {"update": rng.choice(user["approved"])}
            )
            location = headers.get("Location", "")
            if status == 302 and "/documents/" in location:
                outcome["documents"].add(location.split("/documents/")[1].split("/")[0])
        time.sleep(rng.uniform(2.0, 5.0))


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)] if ordered else 0.0


def wait_for_server():
    for _ in range(120):
        try:
            conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": f"{HOST}:{PORT}"})
            if conn.getresponse().status in (200, 503):
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("gunicorn did not start")


def document_statuses(ids) -> dict:
    from empowerment.models import Document  # noqa: PLC0415

    counts = defaultdict(int)
    for status in Document.objects.filter(pk__in=list(ids)).values_list("status", flat=True):
        counts[status] += 1
    return dict(counts)


def main():
    print(f"Preparing {DATABASE_URL} (migrate, seed_demo, collectstatic) ...", flush=True)
    create_database()
    manage("migrate", "--noinput")
    manage("compiletranslations")
    manage("seed_demo")
    manage("collectstatic", "--noinput")
    t = targets()
    users = t["users"][:ORG_USERS]
    if len(users) < ORG_USERS:
        sys.exit(f"only {len(users)} organization users with an active project in the demo data")
    import redis  # noqa: PLC0415

    redis.Redis.from_url(REDIS_URL).flushdb()  # this run's own database number: no stale tasks
    log = open("/tmp/loadtest-servers.log", "w")  # noqa: SIM115, S108
    worker = subprocess.Popen(
        [str(ROOT / ".venv/bin/celery"), "-A", "empowerment", "worker", "-c", "1", "-l", "warning"],
        cwd=ROOT,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "empowerment.wsgi",
            "-b",
            f"{HOST}:{PORT}",
            "-w",
            "4",
            "-k",
            "gthread",
            "--threads",
            "4",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_server()
        stats, outcome = Stats(), {"updates": 0, "documents": set()}
        photo = photo_bytes()
        deadline = time.monotonic() + SECONDS
        threads = [
            threading.Thread(target=visitor, args=(stats, t, deadline, random.Random(i), f"10.0.1.{i + 1}"))  # noqa: S311
            for i in range(VISITORS)
        ] + [
            threading.Thread(
                target=organization_user,
                args=(stats, u, deadline, random.Random(1000 + i), photo, outcome, f"10.0.2.{i + 1}"),
            )
            for i, u in enumerate(users)
        ]
        print(
            f"{VISITORS} visitors and {len(users)} organization users for {SECONDS} s on {HOST}:{PORT} ...",
            flush=True,
        )
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        time.sleep(5)  # let the worker finish the report it is on
        documents = document_statuses(outcome["documents"])
    finally:
        for process in (server, worker):
            process.terminate()
        for process in (server, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()

    total = sum(len(v) for v in stats.times.values())
    errors = sum(len(v) for v in stats.errors.values())
    rows = []
    print(f"\n{'group':32} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for group in sorted(stats.times):
        times = stats.times[group]
        row = {
            "group": group,
            "requests": len(times),
            "errors": len(stats.errors[group]),
            "p50_ms": round(1000 * sorted(times)[len(times) // 2]),
            "p95_ms": round(1000 * p95(times)),
        }
        rows.append(row)
        print(f"{group:32} {row['requests']:>8} {row['errors']:>6} {row['p50_ms']:>7} {row['p95_ms']:>7}")
    print(
        f"\n{total} requests in {elapsed:.0f} s ({total / elapsed:.1f}/s), {errors} errors; "
        f"{outcome['updates']} progress updates posted; report PDFs requested: {len(outcome['documents'])}, "
        f"by status at the end: {documents}; {os.cpu_count()} CPU cores"
    )
    for group, messages in stats.errors.items():
        for message in messages[:5]:
            print(f"  error in {group}: {message}")
    result = {
        "rows": rows,
        "requests": total,
        "errors": errors,
        "seconds": round(elapsed),
        "updates": outcome["updates"],
        "documents": documents,
        "cores": os.cpu_count(),
    }
    Path("/tmp/loadtest-results.json").write_text(json.dumps(result, indent=2))  # noqa: S108
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
