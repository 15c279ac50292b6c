"""Open-data files in an object store that visitors can reach are downloaded from the store itself at a
short-lived signed address (empowerment.storage.direct_url), not through a web process; a revalidation is
still answered here (304). On the local disk, or with a store visitors cannot reach, the file is served by
the site as before."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from empowerment import storage
from transparency.models import OpenDataFile

pytest.importorskip("storages")

S3_OPTIONS = {
    "bucket_name": "media",
    "access_key": "key",
    "secret_key": "secret",
    "region_name": "us-east-1",
    "addressing_style": "path",
    "querystring_auth": True,
    "default_acl": "private",
    "file_overwrite": False,
}


def _s3(settings, *, endpoint="", public=""):
    options = {**S3_OPTIONS, "endpoint_url": endpoint or None}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    settings.S3_PUBLIC_ENDPOINT_URL = public


def test_a_signed_address_is_made_only_for_a_store_that_visitors_reach(settings):
    # The local disk: the server sends the file itself.
    assert storage.direct_url("open-data/a.csv", filename="a.csv", content_type="text/csv") is None
    # A store on the machines' own network, no public address: through the site.
    _s3(settings, endpoint="http://minio:9000")
    assert storage.direct_url("open-data/a.csv", filename="a.csv", content_type="text/csv") is None
    # Its public address given: signed for that address, as an attachment of the file's type, expiring.
    _s3(settings, endpoint="http://minio:9000", public="https://files.example.org")
    url = storage.direct_url("open-data/a.csv", filename="ledger.csv", content_type="text/csv; charset=utf-8")
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "files.example.org",
        "/media/open-data/a.csv",
    )
    assert query["response-content-disposition"] == ['attachment; filename="ledger.csv"']
    assert query["response-content-type"] == ["text/csv; charset=utf-8"]
    assert query["X-Amz-Expires"] == [str(storage.DIRECT_SECONDS)] and query["X-Amz-Signature"][0]
    # AWS's own store is reachable by anyone: its own address.
    _s3(settings)
    url = storage.direct_url("open-data/a.csv", filename="a.csv", content_type="text/csv")
    assert urlsplit(url).netloc.endswith("amazonaws.com")


@pytest.mark.django_db
def test_a_stored_file_in_a_reachable_store_is_a_redirect_and_its_revalidation_a_304(client, settings):
    _s3(settings, endpoint="http://minio:9000", public="https://files.example.org")
    stored = OpenDataFile.objects.create(
        name="ledger.csv",
        language="en",
        file="open-data/ledger-en.csv",
        etag='"abc123"',
        size=10,
        built_at=timezone.now(),
    )
    response = client.get("/open-data/ledger.csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.netloc, location.path) == ("files.example.org", "/media/open-data/ledger-en.csv")
    assert response["ETag"] == stored.etag and response["Cache-Control"] == "private, max-age=60"
    again = client.get("/open-data/ledger.csv", HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=stored.etag)
    assert again.status_code == 304
