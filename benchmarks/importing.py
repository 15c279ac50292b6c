"""Import benchmark: the platform's streaming importer (dry run + all-or-nothing run, posting through the
ledger) against django-import-export importing the same CSV file into the same table (Donation) with the
same checks (model validation: positive amount, unique receipt and external id per channel, a date, a
fund), in the same process. Run as `python -m benchmarks.importing --rows N [--die-rows M]` (prints JSON);
peak memory is this process's maximum RSS, so run it as a subprocess."""

import argparse
import csv
import json
import os
import random
import resource
import tempfile
import time
from datetime import date, timedelta


def write_file(path: str, rows: int, tag: str) -> None:
    rng = random.Random(11)
    start, days = date(2025, 1, 1), max((date.today() - date(2025, 1, 1)).days - 1, 1)  # noqa: DTZ011
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


def platform_import(path: str, tag: str) -> dict:
    from django.core.files import File  # noqa: PLC0415
    from django.test.utils import override_settings  # noqa: PLC0415

    from fundraising import importing  # noqa: PLC0415
    from fundraising.models import ImportBatch  # noqa: PLC0415

    from .common import finance_user  # noqa: PLC0415

    channel = _channel(f"bench-{tag}")
    user = finance_user()
    started = time.perf_counter()
    with override_settings(FUNDRAISING_IMPORT_MAX_BYTES=1 << 31), open(path, "rb") as fh:
        batch = importing.import_upload(
            channel=channel, upload=File(fh, name="export.csv"), mapping=MAPPING, by=user
        )
        dry = time.perf_counter() - started
        if batch.status != ImportBatch.Status.PREVIEW or batch.errors:
            raise RuntimeError(f"dry run refused the file: {batch.message} {batch.errors[:3]}")
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.QUEUED)
        batch = importing.import_run(batch.pk)
    elapsed = time.perf_counter() - started
    if batch.status != ImportBatch.Status.DONE:
        raise RuntimeError(f"import failed: {batch.message}")
    return {
        "rows": batch.created_count,
        "seconds": round(elapsed, 2),
        "dry_run_seconds": round(dry, 2),
        "rows_per_second": round(batch.created_count / elapsed, 1),
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


def main():
    import django  # noqa: PLC0415

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--die-rows", type=int, default=0, help="also import this many rows with django-import-export"
    )
    args = parser.parse_args()
    django.setup()
    tag = f"{os.getpid()}{int(time.time()) % 100000}"
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "donations.csv")
        write_file(path, args.rows, tag)
        out["file_mb"] = round(os.path.getsize(path) / 1048576, 1)
        out["platform"] = platform_import(path, tag)
        if args.die_rows:
            die_path = os.path.join(tmp, "die.csv")
            write_file(die_path, args.die_rows, tag + "d")
            out["django_import_export"] = die_import(die_path, tag + "d")
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
