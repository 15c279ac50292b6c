"""PostgreSQL with threads: the beat sweep never takes an import away from a worker that is still running
it (the worker holds the batch's row lock for the whole import), and takes over one whose worker is gone."""

import datetime
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from fundraising import importing, staging
from fundraising.models import Donation, ImportBatch
from tests.factories.fundraising import ChannelFactory

pytestmark = [
    # Each test starts from the migrations' data (staff groups included), whatever ran before it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]

HEADER = "id,amount,date\n"
MAPPING = {"external_id": "id", "amount": "amount", "date": "date"}


@pytest.fixture
def queued(people):
    channel = ChannelFactory(code="bank-workers")
    rows = "".join(f"W{n},{n + 1}.00,2024-03-01\n" for n in range(20))
    batch = importing.import_upload(
        channel=channel,
        upload=SimpleUploadedFile("w.csv", (HEADER + rows).encode()),
        mapping=MAPPING,
        by=people["finance_officer"],
    )
    ImportBatch.objects.filter(pk=batch.pk).update(status="queued", queued_at=timezone.now())
    return batch


def test_the_sweep_leaves_alone_an_import_a_live_worker_holds(queued, monkeypatch, settings):
    started, release = threading.Event(), threading.Event()
    real = staging.post

    def slow(**kwargs):
        started.set()
        release.wait(60)
        return real(**kwargs)

    monkeypatch.setattr(staging, "post", slow)
    outcome = {}

    def worker():
        try:
            outcome["batch"] = importing.import_run(queued.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert started.wait(20)
        assert ImportBatch.objects.get(pk=queued.pk).status == "running"
        settings.FUNDRAISING_IMPORT_RUN_TIMEOUT = 0
        later = timezone.now() + datetime.timedelta(hours=2)
        began = time.monotonic()
        assert importing.imports_sweep_stale(now=later) == {"redispatched": 0, "requeued": 0, "failed": 0}
        # Skipped at once, not waited for: a sweep that queued for the lock would wait for the whole import.
        assert time.monotonic() - began < 10
    finally:
        release.set()
        thread.join(60)
    assert outcome["batch"].status == "done"
    assert Donation.objects.count() == 20
    batch = ImportBatch.objects.get(pk=queued.pk)
    assert batch.status == "done" and batch.attempts == 1


def test_the_sweep_takes_over_an_import_whose_worker_is_gone(queued, settings):
    # Claimed by a worker that died before it took the lock (or whose transaction was rolled back).
    ImportBatch.objects.filter(pk=queued.pk).update(
        status="running", started_at=timezone.now() - datetime.timedelta(hours=2), attempts=1
    )
    counts = importing.imports_sweep_stale()  # in-process tasks: dispatched and run after commit
    assert counts == {"redispatched": 0, "requeued": 1, "failed": 0}
    batch = ImportBatch.objects.get(pk=queued.pk)
    assert batch.status == "done" and batch.attempts == 2 and Donation.objects.count() == 20
