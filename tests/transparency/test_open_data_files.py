"""Whole open-data files built by a worker (transparency.opendata_files): on PostgreSQL the ledger and the
donations are formatted by the database and come out byte for byte as the streaming download writes them,
awkward text included; a built file is served with its ETag and Last-Modified (a 304 when unchanged),
without a query per row; the beat task builds a file again only when the data changed and has been quiet
(or the file is too far behind); until the first build, and when the worker has stopped for long, the
streaming download answers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from fundraising import services as money
from tests.factories import fundraising as ff
from transparency import opendata_files
from transparency.models import OpenDataFile

AWKWARD_NAMES = [
    "=SUM(A1:A9)",
    "-12.50",
    "+1e5",
    "-inf",
    "@home",
    "-x",
    "Comma, Ltd",
    'The "quoted" one',
    "two\nlines",
    "back\\slash\ttab\rcr",
    "张三（爱心人士）",
    "  1_000  ",
]


@pytest.fixture
def awkward(programme):
    """Named donors whose names a CSV or JSON writer must take care of; a campaign; an anonymous gift."""
    fund = money.fund_for_project(programme.p1)
    campaign = ff.campaign(fund, title="Winter")
    for n, name in enumerate(AWKWARD_NAMES):
        ff.donate(
            fund=fund if n % 2 else programme.general,
            channel=programme.bank,
            amount=f"{100 + n}.50",
            donor_name=name,
            show_name=n != 3,
            campaign=campaign if n % 2 and n % 3 == 0 else None,  # a campaign's gifts go to its fund
        )
    return programme


def _streamed(client, name, **headers):
    response = client.get(f"/open-data/{name}", **headers)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database formats these files on PostgreSQL"
)
@pytest.mark.parametrize("slug", ["ledger", "donations"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_database_writes_the_same_bytes_as_the_streaming_download(awkward, slug, fmt, language):
    by_sql = b"".join(opendata_files.content(slug, fmt, language, use_sql=True))
    by_python = b"".join(opendata_files.content(slug, fmt, language, use_sql=False))
    assert by_sql == by_python
    if slug == "donations":
        # A formula stays text in the CSV; JSON carries the name as it is.
        assert ("'=SUM(A1:A9)" if fmt == "csv" else '"=SUM(A1:A9)"') in by_sql.decode()


def test_a_built_file_is_served_with_its_etag_and_answers_304_when_unchanged(
    client, awkward, django_assert_max_num_queries
):
    _response, before = _streamed(client, "donations.csv")
    stored = opendata_files.build("donations.csv", "en")
    assert stored.size == len(before) and stored.file
    with django_assert_max_num_queries(3):  # the row of the file, whatever the number of donations
        response, served = _streamed(client, "donations.csv")
    assert served == before
    assert response["ETag"] == stored.etag
    assert response["Last-Modified"]
    assert response["Content-Disposition"] == 'attachment; filename="donations.csv"'
    again = client.get("/open-data/donations.csv", HTTP_IF_NONE_MATCH=stored.etag)
    assert again.status_code == 304 and again["ETag"] == stored.etag
    # The other language is its own file, not built yet: streamed (its anonymous donor in Chinese).
    chinese = client.get("/open-data/donations.csv", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 200 and "匿名" in b"".join(chinese.streaming_content).decode()


def test_building_again_replaces_the_file_and_its_etag(client, awkward):
    first = opendata_files.build("ledger.json", "en")
    old_name = first.file.name
    ff.donate(fund=awkward.general, channel=awkward.bank, amount="5.00")
    second = opendata_files.build("ledger.json", "en")
    assert second.pk == first.pk and second.etag != first.etag
    assert OpenDataFile.objects.filter(name="ledger.json").count() == 1
    _response, served = _streamed(client, "ledger.json")
    assert b'"amount": "5.00"' in served
    assert second.file.name != old_name


def test_the_beat_builds_what_is_missing_then_only_what_changed_once_quiet(awkward):
    names = set(opendata_files.file_names())
    assert {"ledger.csv", "donations.json", "grants.json", "projects.csv"} <= names
    built = opendata_files.refresh()
    assert len(built) == len(names) * len(opendata_files.languages())
    assert opendata_files.refresh() == []  # nothing changed
    ff.donate(fund=awkward.general, channel=awkward.bank, amount="7.00")
    now = timezone.now()
    assert opendata_files.due(now=now) == []  # the data is still changing: wait for it to be quiet
    later = now + timedelta(seconds=opendata_files.QUIET_SECONDS + 1)
    assert len(opendata_files.due(now=later)) == len(built)
    assert len(opendata_files.refresh(now=later)) == len(built)
    assert opendata_files.due(now=later) == []


def test_a_file_left_far_behind_by_a_stopped_worker_is_not_served(client, awkward):
    stored = opendata_files.build("donations.csv", "en")
    ff.donate(fund=awkward.general, channel=awkward.bank, amount="9.99", donor_name="Late", show_name=True)
    assert opendata_files.current("donations.csv", "en") == stored  # behind, but recently built
    OpenDataFile.objects.filter(pk=stored.pk).update(built_at=timezone.now() - timedelta(hours=2))
    assert opendata_files.current("donations.csv", "en") is None
    _response, served = _streamed(client, "donations.csv")
    assert b"Late" in served  # streamed from the books as they are now
