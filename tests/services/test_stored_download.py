"""A stored open-data file served by gunicorn with the production settings: the whole file reaches the
client byte for byte (handed to sendfile, as benchmarks.downloads measures it), with its ETag, and a
revalidation with that ETag is answered 304 without a body."""

import hashlib
import http.client
from pathlib import Path

import pytest
from django.conf import settings

from benchmarks import downloads
from transparency.models import OpenDataFile

from .conftest import _database_url

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def web(real_broker):
    from benchmarks.cluster import Cluster  # noqa: PLC0415 - the bench's own helper

    env = {
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "REDIS_URL": settings.REDIS_URL or settings.CELERY_BROKER_URL,
        "TESTING": "true",  # static files read from the source tree
    }
    running = Cluster(web=1, workers=0, gunicorn_workers=1, threads=2, s3=False, env=env).start()
    yield running
    running.stop()


def _body(port: int, path: str, headers=None) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={**downloads.HEADERS, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


def test_a_stored_file_is_served_whole_with_its_etag_and_revalidated_without_a_body(web):
    from benchmarks.pages import open_data_files  # noqa: PLC0415
    from tests.factories.fundraising import donate  # noqa: PLC0415

    for amount in ("100.00", "250.50", "3000.00"):
        donate(amount=amount)
    media = web._media_root("web0")
    port, root = web.ports[0], web.web_processes[0].pid
    with open_data_files(built=True, media=media) as stored:
        for _name, file in stored:
            row = OpenDataFile.objects.get(name=file, language=settings.LANGUAGE_CODE)
            on_disk = (Path(media) / row.file.name).read_bytes()
            assert len(on_disk) == row.size and on_disk.count(b"\n") > 3  # a header and the donations' rows
            status, body, headers = _body(port, f"/open-data/{file}")
            assert status == 200
            assert hashlib.sha256(body).digest() == hashlib.sha256(on_disk).digest()
            assert headers["ETag"] == row.etag and headers["Content-Length"] == str(row.size)
            again = downloads.measure(port, root, f"/open-data/{file}", 5, {"If-None-Match": row.etag})
            assert again["status"] == [304] and again["bytes"] == 0
            whole = downloads.measure(port, root, f"/open-data/{file}", 3)
            assert whole["status"] == [200] and whole["bytes"] == row.size
            assert whole["user_cpu_ms"] >= 0 and whole["system_cpu_ms"] >= 0
    assert not OpenDataFile.objects.exists()  # the rows put back as they were: none
