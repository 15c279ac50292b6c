"""The giving-day bench at tiny scale, so it cannot rot: it finds its channel, campaign, pages and
signed-in users, and it EXPLAINs every statement of the recording path from one real batch that it
rolls back. No timing assertions."""

import pytest
from django.core.management import call_command

from benchmarks import givingday
from benchmarks.common import processes
from benchmarks.scale import build
from fundraising.models import Donation, DonationNotification
from tests.conftest import requires_postgres


@requires_postgres
@pytest.mark.django_db
def test_the_giving_day_plan_and_the_explain_of_the_recording_path_at_tiny_scale(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    build("tiny", quiet=True)
    p = givingday.plan(users=3)
    assert p["campaign"].channel_id == p["channel"].pk and p["campaign"].published
    assert len(p["members"]) == 3 and len({m.organization_id for m in p["members"]}) == 3
    assert [name for name, _url, _weight in p["public_pages"]] == [
        "home",
        "campaign page",
        "project page",
        "project list",
    ]
    donations, notifications = Donation.objects.count(), DonationNotification.objects.count()

    statements = givingday.explain_recording(p["channel"], p["campaign"], batch=60)

    # Rolled back: the database is as it was.
    assert (Donation.objects.count(), DonationNotification.objects.count()) == (donations, notifications)
    by_place = {(s["where"], s["sql"].split()[0]) for s in statements}
    # The web process reads the channel with the campaign, then stores the nonce and the notification in one
    # statement (WITH … INSERT … INSERT).
    assert {("web", "SELECT"), ("web", "WITH"), ("worker", "SELECT"), ("worker", "UPDATE")} <= by_place
    stored = [s for s in statements if s["where"] == "web" and s["sql"].startswith("WITH")]
    assert len(stored) == 1, stored
    assert {
        "ModifyTable on fundraising_donationnotification",
        "ModifyTable on fundraising_notificationnonce",
    } <= set(stored[0]["plan"]), stored
    link = [s for s in statements if s["sql"].startswith('UPDATE "fundraising_donationnotification" AS n')]
    assert len(link) == 1  # the notifications are linked to their donations by one statement
    assert all(s["plan"] for s in statements)
    lines = givingday.budgets(
        {
            "offered": {"public_per_s": 10},
            "notifications": {"accepted_per_s": 300.0, "recorded_per_s": 299.0, "lost": 0, "doubled": 0},
            "public": {"p95_ms": 80.0, "per_s": 10, "requests": 600, "not_sent_server_too_far_behind": 0,
                       "from_cache_pct": 97.0},
            "signed_in": {"p95_ms": 120.0},
            "appear": {"probes": 3, "campaign_page_max_s": 2.0, "home_max_s": 6.0, "not_seen_in_time": 0},
            "explain": statements,
        }
    )  # fmt: skip
    verdicts = {line.split(": ", 1)[1].split(" (")[0]: line.startswith("met") for line in lines}
    assert verdicts["299.0 new donations recorded per second"] is False
    assert verdicts["300.0 new donations accepted per second"] is True
    assert any(not ok and "home figures within 6.0 s" in text for text, ok in verdicts.items())
    two = givingday.budgets(
        {
            "gunicorn": {"processes": 2}, "celery_workers": 2, "offered": {"public_per_s": 10},
            "notifications": {"accepted_per_s": 300.0, "recorded_per_s": 300.0, "lost": 0, "doubled": 0},
            "public": {"p95_ms": 80.0, "per_s": 10, "requests": 600, "not_sent_server_too_far_behind": 0,
                       "from_cache_pct": 97.0},
            "signed_in": {"p95_ms": 120.0},
            "appear": {"probes": 3, "campaign_page_max_s": 2.0, "home_max_s": 2.0, "not_seen_in_time": 0},
            "explain": [],
        }
    )  # fmt: skip
    assert all(line.startswith("met    giving day on 2 web processes and 2 workers: ") for line in two), two


SPIN = "import time\nend = time.time() + 3\nwhile time.time() < end: pass"


def test_the_cores_each_part_keeps_busy_are_read_from_the_process_trees():
    """The giving day reports the cores its parts kept busy, each part a tree of processes: a grandchild
    that spins is counted in its root's part, a part with no live process counts nothing, and this
    process's reading grows by the CPU it spends."""
    import os
    import signal
    import subprocess
    import sys
    import time

    # A root that only waits for its child, which spins for three seconds.
    waits = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {SPIN!r}])"
    root = subprocess.Popen([sys.executable, "-c", waits])  # noqa: S603
    try:
        time.sleep(0.3)
        parts = {"spinning tree": [root.pid], "gone": [2**22 + 7]}
        before, started = givingday.cpu_by_part(parts), time.monotonic()
        end = time.process_time() + 0.3
        while time.process_time() < end:
            pass
        time.sleep(0.7)
        after = givingday.cpu_by_part(parts)
        cores = givingday.cores_busy(before, after, time.monotonic() - started)
    finally:
        for pid, process in processes().items():
            if process.parent == root.pid:
                os.kill(pid, signal.SIGKILL)
        root.kill()
        root.wait(timeout=10)
    assert cores["spinning tree"] >= 0.3  # one core while it ran (shared with this process's own spin)
    assert cores["gone"] == 0
    assert after["load generator (this process)"] >= before["load generator (this process)"] + 0.25
    machine = "whole machine (every process, the kernel included)"
    assert set(cores) == {
        "spinning tree",
        "gone",
        "postgresql",
        "redis",
        "load generator (this process)",
        machine,
    }
    # The whole machine was at least as busy as the spinning tree and this process together.
    assert cores[machine] >= cores["spinning tree"] - 0.05


SPIN_AND_END = "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass"


def test_a_child_that_ends_during_the_load_still_counts_in_its_part():
    """A process's children that end while the cores are counted (a database connection that closes, a
    worker that is replaced) count with their parent: the kernel adds what they used to it when it waits
    for them."""
    import subprocess
    import sys
    import time

    # A root that starts a child when told (a line on its input), waits for it, then waits to be ended.
    waits = (
        "import subprocess, sys\nsys.stdin.readline()\n"
        f"subprocess.run([sys.executable, '-c', {SPIN_AND_END!r}])\nsys.stdin.readline()"
    )
    root = subprocess.Popen([sys.executable, "-c", waits], stdin=subprocess.PIPE, text=True)  # noqa: S603
    try:
        time.sleep(0.3)
        parts = {"ended child's tree": [root.pid]}
        before = givingday.cpu_by_part(parts)
        root.stdin.write("\n")
        root.stdin.flush()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # until the child has ended and been waited for
            if not any(p.parent == root.pid for p in processes().values()):
                after = givingday.cpu_by_part(parts)
                if after["ended child's tree"] - before["ended child's tree"] >= 0.4:
                    break
            time.sleep(0.1)
        after = givingday.cpu_by_part(parts)
    finally:
        root.kill()
        root.wait(timeout=10)
    assert after["ended child's tree"] - before["ended child's tree"] >= 0.4
