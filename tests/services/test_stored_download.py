"""A stored open-data file served by gunicorn with the production settings: the whole file reaches the
client byte for byte (handed to sendfile, as benchmarks.downloads measures it), with its ETag, and a
revalidation with that ETag is answered 304 without a body; in an object store that visitors reach, the
site sends them to the store, which serves the whole file."""

import hashlib
import http.client
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from benchmarks import downloads
from transparency.models import OpenDataFile

from .conftest import cluster_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def web(real_broker):
    from benchmarks.cluster import Cluster  # noqa: PLC0415 - the bench's own helper

    running = Cluster(web=1, workers=0, gunicorn_workers=1, threads=2, s3=False, env=cluster_env()).start()
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


@pytest.fixture
def web_and_store(real_broker):
    """One gunicorn process whose stored files are in an S3-compatible store (moto's server) that visitors
    reach at its own address."""
    pytest.importorskip("moto")
    pytest.importorskip("storages")
    from benchmarks.cluster import Cluster  # noqa: PLC0415 - the bench's own helper

    running = Cluster(web=1, workers=0, gunicorn_workers=1, threads=2, s3=True, env=cluster_env())
    running.extra_env["S3_PUBLIC_ENDPOINT_URL"] = running.s3.endpoint
    running.start()
    yield running
    running.stop()


def test_a_stored_file_in_a_store_visitors_reach_is_downloaded_from_the_store_whole(web_and_store, settings):
    """The site answers with a redirect to the file's signed address (no byte of it passes through the web
    process) and the store serves the whole file as an attachment; a revalidation is still a 304 here."""
    from django.core.files.storage import default_storage  # noqa: PLC0415

    from benchmarks.pages import open_data_files  # noqa: PLC0415
    from tests.factories.fundraising import donate  # noqa: PLC0415

    s3 = web_and_store.s3.env
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {  # as empowerment/settings.py configures it from the same variables
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": s3["S3_BUCKET"],
                "endpoint_url": s3["S3_ENDPOINT_URL"],
                "access_key": s3["S3_ACCESS_KEY"],
                "secret_key": s3["S3_SECRET_KEY"],
                "region_name": s3["S3_REGION"],
                "addressing_style": s3["S3_ADDRESSING_STYLE"],
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    for amount in ("100.00", "250.50"):
        donate(amount=amount)
    port = web_and_store.ports[0]
    with open_data_files(built=True) as stored:
        for _name, file in stored:
            row = OpenDataFile.objects.get(name=file, language=settings.LANGUAGE_CODE)
            with default_storage.open(row.file.name, "rb") as fh:
                in_store = fh.read()
            assert len(in_store) == row.size and in_store.count(b"\n") > 2
            status, body, headers = _body(port, f"/open-data/{file}")
            assert status == 302 and body == b"" and headers["ETag"] == row.etag
            location = urlsplit(headers["Location"])
            assert f"{location.hostname}:{location.port}" == urlsplit(s3["S3_ENDPOINT_URL"]).netloc
            conn = http.client.HTTPConnection(location.hostname, location.port, timeout=60)
            try:
                conn.request("GET", f"{location.path}?{location.query}")
                response = conn.getresponse()
                downloaded = response.read()
                assert response.status == 200
                assert response.getheader("Content-Disposition") == f'attachment; filename="{file}"'
            finally:
                conn.close()
            assert hashlib.sha256(downloaded).digest() == hashlib.sha256(in_store).digest()
            status, body, _headers = _body(port, f"/open-data/{file}", {"If-None-Match": row.etag})
            assert status == 304 and body == b""
    assert web_and_store.local_files() == []  # nothing written to a process's own disk
