"""Import benchmark: the platform's streaming importer (dry run + all-or-nothing run, posting through the
ledger) against django-import-export importing the same CSV file into the same table (Donation) with the
same checks (model validation: positive amount, unique receipt and external id per channel, a date, a
fund), in the same process. Run as `python -m benchmarks.importing --rows N [--die-rows M]` (prints JSON);
peak memory is this process's maximum RSS, so run it as a subprocess.

While the platform's import runs (and while its entries are chained after it commits, for a file larger
than the inline limit), another process stores a signed notification's donation on an online channel every
half second and records it at once, as the worker would: the seconds from storing to recorded show whether
the import holds the ledger's locks (the budget: every one within 5 s).

The database named by DATABASE_URL is left as it was: on PostgreSQL the imports run in a copy made from it
as a template (CREATE DATABASE ... TEMPLATE, which needs no other session on it) and dropped at the end
(--in-place imports into the named database itself, for a database made for the purpose); the stored upload
files are deleted."""

import argparse
import contextlib
import csv
import json
import multiprocessing
import os
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit


def write_file(path: str, rows: int, tag: str, start: date = date(2025, 1, 1)) -> None:
    """`rows` donations dated from `start` (the first open month) to yesterday."""
    rng = random.Random(11)
    days = max((date.today() - start).days - 1, 1)  # noqa: DTZ011
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["交易号", "收据号", "金额", "日期", "捐赠人", "公开", "备注"])
        for n in range(rows):
            writer.writerow(
                [
                    f"{tag}-{n}",
                    f"R{tag}-{n}",
                    f"{rng.choice([10, 50, 100, 200])}.{rng.randrange(100):02d}",
                    (start + timedelta(days=rng.randrange(days))).isoformat(),
                    "张三" if n % 3 == 0 else "",
                    "是" if n % 3 == 0 else "",
                    "",
                ]
            )


MAPPING = {
    "external_id": "交易号",
    "receipt_number": "收据号",
    "amount": "金额",
    "date": "日期",
    "donor_name": "捐赠人",
    "show_name": "公开",
    "note": "备注",
}


def _channel(code):
    from fundraising.models import Channel  # noqa: PLC0415

    return Channel.objects.get_or_create(code=code, defaults={"name": code, "kind": Channel.Kind.BANK})[0]


class LiveNotifications:
    """A process of its own (as the site's worker is, so it shares no interpreter lock with the import) that
    stores one notification every `every` seconds on an online channel and records it at once
    (services.notifications_record, as the worker does), keeping when each began and the seconds it took."""

    def __init__(self, tag: str, every: float = 0.5):
        self.tag, self.every = tag, every
        self.seconds: list[float] = []
        self.slowest_at = 0.0  # when the slowest was stored (perf_counter: the same clock in both processes)
        self.failed = 0
        context = multiprocessing.get_context("fork")
        self._stop = context.Event()
        self._results = context.Queue()
        self._process = context.Process(target=self._run, daemon=True)

    def __enter__(self):
        from django.db import connections  # noqa: PLC0415

        from fundraising import ledger  # noqa: PLC0415
        from fundraising.models import Channel  # noqa: PLC0415

        self.channel, _ = Channel.objects.get_or_create(
            code=f"bench-live-{self.tag}",
            defaults={"name": f"live {self.tag}", "kind": Channel.Kind.ONLINE},
        )
        ledger.income_account(self.channel)
        self.fund = ledger.general_fund()
        connections.close_all()  # the child opens its own
        self._process.start()
        return self

    def _run(self):
        from django.db import connection  # noqa: PLC0415
        from django.utils import timezone  # noqa: PLC0415

        from fundraising import services  # noqa: PLC0415
        from fundraising.models import DonationNotification  # noqa: PLC0415

        n = 0
        try:
            while not self._stop.wait(self.every):
                n += 1
                began = time.perf_counter()
                note = DonationNotification.objects.create(
                    channel=self.channel,
                    external_id=f"live-{self.tag}-{n}",
                    receipt_number=f"live-{self.tag}-{n}",
                    amount=Decimal("10.00"),
                    received_on=timezone.localdate(),
                    fund=self.fund,
                )
                try:
                    services.notifications_record(pks=[note.pk])
                except Exception:  # noqa: BLE001 - counted, the run goes on
                    self._results.put((began, None))
                    continue
                self._results.put((began, time.perf_counter() - began))
        finally:
            connection.close()
            self._results.put(None)

    def __exit__(self, *exc):
        self._stop.set()
        while (item := self._results.get(timeout=120)) is not None:
            began, took = item
            if took is None:
                self.failed += 1
                continue
            if not self.seconds or took > max(self.seconds):
                self.slowest_at = began
            self.seconds.append(took)
        self._process.join(60)

    def summary(self, phases: dict[str, float] | None = None) -> dict:
        """The counts and times; with `phases` ({name: perf_counter when it began}, in order), the phase in
        which the slowest notification was stored."""
        done = sorted(self.seconds)
        during = None
        for name, began in (phases or {}).items():
            if self.slowest_at >= began:
                during = name
        return {
            "slowest_during": during,
            "recorded": len(done),
            "failed": self.failed,
            "max_seconds": round(done[-1], 3) if done else None,
            "p95_seconds": round(done[int(0.95 * (len(done) - 1))], 3) if done else None,
        }


def platform_import(path: str, tag: str) -> dict:
    from django.core.files import File  # noqa: PLC0415
    from django.test.utils import override_settings  # noqa: PLC0415

    from fundraising import importing, ledger, staging  # noqa: PLC0415
    from fundraising.models import ImportBatch  # noqa: PLC0415

    from .common import finance_user  # noqa: PLC0415

    channel = _channel(f"bench-{tag}")
    user = finance_user()
    # When the ledger's locks are taken (the fund rows, then the chain head): held from then until commit.
    posting, lock = {}, staging._lock_and_check_open

    def timed_lock(*args):
        posting["locked"] = time.perf_counter()
        return lock(*args)

    staging._lock_and_check_open = timed_lock
    live = LiveNotifications(tag)
    live.__enter__()
    started = time.perf_counter()
    phases = {"dry run": started}
    with override_settings(FUNDRAISING_IMPORT_MAX_BYTES=1 << 31), open(path, "rb") as fh:
        batch = importing.import_upload(
            channel=channel, upload=File(fh, name="export.csv"), mapping=MAPPING, by=user
        )
        dry = time.perf_counter() - started
        phases["import"] = time.perf_counter()
        if batch.status != ImportBatch.Status.PREVIEW or batch.errors:
            raise RuntimeError(f"dry run refused the file: {batch.message} {batch.errors[:3]}")
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.QUEUED)
        batch = importing.import_run(batch.pk)
    elapsed = time.perf_counter() - started
    staging._lock_and_check_open = lock
    if posting:
        phases["locked"] = posting["locked"]
    # A large file's entries are chained after its commit (the worker's task; here, in this process).
    began = phases["chaining"] = time.perf_counter()
    chained = ledger.chain_all_pending()
    chaining = time.perf_counter() - began
    live.__exit__(None, None, None)
    batch.file.delete(save=False)
    if batch.status != ImportBatch.Status.DONE:
        raise RuntimeError(f"import failed: {batch.message}")
    return {
        "rows": batch.created_count,
        "seconds": round(elapsed, 2),
        "dry_run_seconds": round(dry, 2),
        "rows_per_second": round(batch.created_count / elapsed, 1),
        # PostgreSQL: how long the ledger's locks were held (its last statements and the commit).
        "locked_seconds": round(started + elapsed - posting["locked"], 2) if posting else None,
        "entries_chained_after_commit": chained,
        "chaining_seconds": round(chaining, 2),
        "notifications_meanwhile": live.summary(phases),
    }


def die_import(path: str, tag: str) -> dict:
    import tablib  # noqa: PLC0415
    from import_export import fields, resources, widgets  # noqa: PLC0415

    from fundraising import ledger  # noqa: PLC0415
    from fundraising.models import Donation  # noqa: PLC0415

    channel = _channel(f"bench-die-{tag}")
    general = ledger.general_fund()

    class DonationResource(resources.ModelResource):
        external_id = fields.Field(attribute="external_id", column_name="交易号")
        receipt_number = fields.Field(attribute="receipt_number", column_name="收据号")
        amount = fields.Field(attribute="amount", column_name="金额", widget=widgets.DecimalWidget())
        received_on = fields.Field(
            attribute="received_on", column_name="日期", widget=widgets.DateWidget("%Y-%m-%d")
        )
        donor_name = fields.Field(attribute="donor_name", column_name="捐赠人")
        note = fields.Field(attribute="note", column_name="备注")

        class Meta:
            model = Donation
            fields = ("external_id", "receipt_number", "amount", "received_on", "donor_name", "note")
            import_id_fields = ("external_id",)
            clean_model_instances = True  # full_clean(): the model's checks, as the platform's importer
            skip_unchanged = True

        def get_queryset(self):
            return Donation.objects.filter(channel=channel)

        def before_save_instance(self, instance, row, **kwargs):
            instance.channel = channel
            instance.fund = general

        def import_instance(self, instance, row, **kwargs):
            instance.channel = channel
            instance.fund = general
            super().import_instance(instance, row, **kwargs)

    with open(path, encoding="utf-8") as fh:
        dataset = tablib.Dataset().load(fh.read(), format="csv")
    started = time.perf_counter()
    result = DonationResource().import_data(dataset, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - started
    created = result.totals.get("new", 0)
    return {"rows": created, "seconds": round(elapsed, 2), "rows_per_second": round(created / elapsed, 1)}


@contextlib.contextmanager
def scratch_copy(url: str):
    """A PostgreSQL database copied from `url`'s (its template), named in DATABASE_URL while the block runs,
    dropped afterwards; `url` itself is not written to. Other URLs (SQLite) are used as they are."""
    if not url.startswith(("postgres://", "postgresql://")):
        yield url
        return
    import psycopg  # noqa: PLC0415

    parts = urlsplit(url)
    source = parts.path.lstrip("/")
    copy = f"{source}_import_{os.getpid()}"[:63]
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        for attempt in range(30):
            try:
                conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
                break
            except psycopg.errors.ObjectInUse:  # another session is on the template: wait for it to leave
                if attempt == 29:
                    raise
                time.sleep(2)
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{copy}"))
    try:
        yield os.environ["DATABASE_URL"]
    finally:
        from django.db import connections  # noqa: PLC0415

        connections.close_all()
        if previous is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = previous
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--die-rows", type=int, default=0, help="also import this many rows with django-import-export"
    )
    parser.add_argument(
        "--in-place", action="store_true", help="import into DATABASE_URL itself instead of a copy of it"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    with contextlib.nullcontext(url) if args.in_place else scratch_copy(url):
        out = measure(args)
    print(json.dumps(out))


def measure(args) -> dict:
    import django  # noqa: PLC0415

    django.setup()
    from fundraising import ledger  # noqa: PLC0415

    closed = ledger.closed_through()
    start = ledger._next_month(closed) if closed else date(2025, 1, 1)
    tag = f"{os.getpid()}{int(time.time()) % 100000}"
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "donations.csv")
        write_file(path, args.rows, tag, start)
        out["file_mb"] = round(os.path.getsize(path) / 1048576, 1)
        out["platform"] = platform_import(path, tag)
        if args.die_rows:
            die_path = os.path.join(tmp, "die.csv")
            write_file(die_path, args.die_rows, tag + "d", start)
            out["django_import_export"] = die_import(die_path, tag + "d")
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


if __name__ == "__main__":
    main()
