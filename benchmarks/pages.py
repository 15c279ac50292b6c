"""Page benchmark, in-process with Django's test Client: SQL queries, median and p95 server time of each
page uncached (cache cleared before every request), rendered again after the money changed (the stored
pages and the money's versions dropped before every request, the rest of the cache as a giving day leaves
it: what a public page costs each time a gift moves its figures) and cached (warm), and the ratio to a
trivial view measured in the same process, side by side with the pages (each page's requests made in turns
spread over the run, so that a slow stretch of the machine falls on all of them alike). Run as `python -m benchmarks.pages --iterations N` (prints
JSON)."""

import argparse
import json
import resource
import statistics
import tempfile
import time
from contextlib import contextmanager

STREAM_ROWS = 10_000
PAGE_SAMPLES = 5  # a page's requests per iteration (see against_trivial)
STREAMED = "streamed, first 10,000 rows"
# What the public downloads once the worker has built them (transparency.opendata_files): stored files.
STORED_FILES = {
    "open-data ledger file (first 10,000 rows)": "ledger.csv",
    "open-data donations file (first 10,000 rows)": "donations.csv",
}


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def targets():
    """(name, url, who, public?) for every measured page, picked the same way at every scale."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    from fundraising.models import Campaign  # noqa: PLC0415
    from organizations.models import Membership, Theme  # noqa: PLC0415
    from projects.models import Project  # noqa: PLC0415

    users = get_user_model().objects
    superuser = users.filter(is_superuser=True).order_by("pk").first()
    project = Project.objects.filter(status="active", expenditures__isnull=False).order_by("pk").first()
    org = project.organization
    membership = Membership.objects.filter(role="admin", organization__status="active").order_by("pk").first()
    theme = Theme.objects.order_by("pk").first()
    campaign = Campaign.objects.filter(published=True).order_by("pk").first()
    pages = [
        ("home", "/", None, True),
        (
            "project list (filtered, searched)",
            f"/projects/?theme={theme.slug}&q=%E5%85%B3%E7%88%B1",
            None,
            True,
        ),
        # Without a theme the search alone decides how many projects are read; and the whole list.
        ("project list (searched)", "/projects/?q=%E5%85%B3%E7%88%B1", None, True),
        ("project list (unfiltered)", "/projects/", None, True),
        ("project page", f"/projects/{project.slug}/", None, True),
        ("organization page", f"/organizations/{org.slug}/", None, True),
        ("campaign page", f"/campaigns/{campaign.slug}/", None, True),
        # Until a worker has built them (and when their stored copy is lost) the two largest open-data files
        # are streamed row by row: measured as such, a download rather than a page (no page budget).
        (f"transparency ledger ({STREAMED})", "/open-data/ledger.csv", None, True),
        (f"open-data donations ({STREAMED})", "/open-data/donations.csv", None, True),
        ("portal dashboard", f"/o/{membership.organization.slug}/", membership.user, False),
        ("admin donations", "/admin/fundraising/donation/", superuser, False),
        ("admin expenditures", "/admin/fundraising/expenditure/", superuser, False),
    ]
    return pages


def _consume(response) -> int:
    if not response.streaming:
        return len(response.content)
    lines = size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
        if lines >= STREAM_ROWS:
            break
    # Closing a response sends request_finished, whose handler closes the database connection; the test
    # client keeps it open the same way (a benchmark inside a test transaction must not lose it).
    from django.core.signals import request_finished  # noqa: PLC0415
    from django.db import close_old_connections  # noqa: PLC0415

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return size


def money_changed() -> None:
    """As after a gift to every fund: the stored pages are dropped and the versions of the money and of
    every fund moved on (as a posting moves them), the rest of the cache stays."""
    from django.core.cache import cache  # noqa: PLC0415

    from empowerment import freshness  # noqa: PLC0415

    topics = [freshness.MONEY]
    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):  # Redis
        client = cache._cache.get_client(None, write=True)
        names = list(client.scan_iter(match=cache.make_key("page:*"), count=1000))
        if names:
            client.delete(*names)
        prefix = len(cache.make_key(freshness.key("")))
        funds = client.scan_iter(match=cache.make_key(freshness.key("fund:*")), count=1000)
        topics += [name.decode()[prefix:] for name in funds]
    else:  # local memory (the tiny-scale test run)
        made = [(cache.make_key(""), k) for k in list(cache._cache)]
        names = [k[len(p) :] for p, k in made if k.startswith(p)]
        for name in names:
            if name.startswith("page:"):
                cache.delete(name)
        topics += [n[len(freshness.key("")) :] for n in names if n.startswith(freshness.key("fund:"))]
    for topic in topics:
        freshness.touch(topic)


def empty_cache() -> None:
    """The whole cache emptied, and the pages each process keeps in its own memory with it."""
    from django.core.cache import cache  # noqa: PLC0415

    from empowerment import pagecache  # noqa: PLC0415

    cache.clear()
    pagecache.forget_local()


def _prepare(*, clear_cache: bool, money: bool) -> None:
    if clear_cache:
        empty_cache()
    elif money:
        money_changed()


def _queries(client, url, *, clear_cache: bool, money: bool) -> int:
    """The SQL statements of one request made as the timed ones are (after warming the cache when they are
    served warm), counted and not timed: capturing them (each written out with its values, as DEBUG logs
    them) costs a request time that the server does not spend in production."""
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    if not clear_cache:  # warm
        _consume(client.get(url))
    _prepare(clear_cache=clear_cache, money=money)
    with CaptureQueriesContext(connection) as ctx:
        _consume(client.get(url))
    return len(ctx.captured_queries)


def _timed(client, url, *, clear_cache: bool, money: bool) -> tuple[float, int]:
    _prepare(clear_cache=clear_cache, money=money)
    started = time.perf_counter()
    response = client.get(url)
    _consume(response)
    return (time.perf_counter() - started) * 1000, response.status_code


def _figures(times: list[float], status: int | None, queries: int) -> dict:
    return {
        "status": status,
        "queries": queries,
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(_percentile(times, 0.95), 2),
    }


def measure(client, url, iterations, *, clear_cache, money=False):
    """`clear_cache`: the whole cache emptied before each request; `money`: only what a money change
    makes stale (money_changed); neither: served warm. The SQL statements are counted in one more request
    made the same way and not timed (`_queries`)."""
    how = {"clear_cache": clear_cache, "money": money}
    queries = _queries(client, url, **how)
    times, status = [], None
    for _ in range(iterations):
        elapsed, status = _timed(client, url, **how)
        times.append(elapsed)
    return _figures(times, status, queries)


def measure_side_by_side(series, blocks: int, size: int, *, clear_cache, money=False) -> dict:
    """Each of `series` ((name, client, url, how many blocks' worth a block)) measured as `measure`
    measures one page, in `blocks` turns: in each turn every page in order is requested `size` times in a
    row (times its weight), after one untimed request, so each request meets the process as `measure`'s
    would, warm from the one before; a page's requests are spread over the whole run rather than made in
    one stretch of it, so that a slow stretch of the machine (a burst of another tenant of a shared host)
    falls on every page alike rather than on whichever page happened to be measured then. {name: figures}."""
    how = {"clear_cache": clear_cache, "money": money}
    queries = {name: _queries(client, url, **how) for name, client, url, _n in series}
    times: dict[str, list[float]] = {name: [] for name, _client, _url, _n in series}
    status: dict[str, int] = {}
    for _turn in range(blocks):
        for name, client, url, weight in series:
            _timed(client, url, **how)  # untimed: the page's code and data warm again after the others
            for _ in range(size * weight):
                elapsed, status[name] = _timed(client, url, **how)
                times[name].append(elapsed)
    return {name: _figures(times[name], status.get(name), queries[name]) for name in times}


def _client(user):
    from django.test import Client  # noqa: PLC0415

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def against_trivial(anonymous, rows, iterations: int) -> dict:
    """Each (name, url, client, public) measured uncached, rendered again after the money changed (public
    pages) and cached, with its p95 as a multiple of the trivial view's in the same mode. In each mode the
    pages and the trivial view are measured side by side (`measure_side_by_side`): PAGE_SAMPLES turns of
    `iterations` requests in a row of each page and twice as many of the trivial view (it costs a fraction
    of a millisecond, and its p95 divides every page's); a p95 of a hundred requests is their fifth
    slowest. A streamed download is measured apart, `iterations` times (each takes most of a second)."""
    modes = {"uncached": {"clear_cache": True}, "money changed": {"clear_cache": False, "money": True}}
    modes["cached"] = {"clear_cache": False}
    results: dict = {"trivial view": {}}
    for name, url, _client, public in rows:
        results[name] = {"url": url, "public": public}
    for mode, how in modes.items():
        series = [("trivial view", anonymous, "/bench/trivial/", 2)]
        series += [
            (name, client, url, 1)
            for name, url, client, public in rows
            if STREAMED not in name and (public or mode != "money changed")
        ]
        measured = measure_side_by_side(series, PAGE_SAMPLES, iterations, **how)
        for name, url, client, public in rows:
            if STREAMED in name and (public or mode != "money changed"):
                measured[name] = measure(client, url, iterations, **how)
        baseline = measured.pop("trivial view")
        results["trivial view"][mode] = baseline
        for name, figures in measured.items():
            figures["ratio_p95_to_trivial"] = round(figures["p95_ms"] / (baseline["p95_ms"] or 0.001), 1)
            results[name][mode] = figures
    return results


def run(iterations: int = 20) -> dict:
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import override_settings  # noqa: PLC0415

    results = {}
    with override_settings(ROOT_URLCONF="benchmarks.urls", ALLOWED_HOSTS=["testserver"], DEBUG=False):
        # What a worker does after any change (the scale data was seeded without one): the dashboard's stored
        # figures and their drawings follow the data. A derived row, the same however often it is refreshed.
        from transparency.services import dashboard_refresh  # noqa: PLC0415

        dashboard_refresh()
        anonymous = Client()
        pages = targets()
        # Warm-up: imports, URL resolver, template loaders, and what a page keeps beyond the cache (a
        # project page's stored parts), each page rendered, not served from a cache a previous run left.
        for _name, url, user, _public in pages:
            warm = Client()
            if user is not None:
                warm.force_login(user)
            empty_cache()
            _consume(warm.get(url))
        with open_data_files(built=False):
            results = against_trivial(
                anonymous,
                [(name, url, _client(user), public) for name, url, user, public in pages],
                iterations,
            )
        # Then built as the worker builds them after any change, and served as stored files.
        with open_data_files(built=True) as stored:
            files = against_trivial(
                anonymous,
                [(name, f"/open-data/{file}", anonymous, True) for name, file in stored],
                iterations,
            )
        results.update({name: row for name, row in files.items() if name != "trivial view"})
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"pages": results, "peak_rss_mb": round(peak_kb / 1024, 1)}


@contextmanager
def open_data_files(*, built: bool, media: str | None = None):
    """The files of STORED_FILES absent (built=False: the downloads are streamed) or built in the visitors'
    language (transparency.opendata_files.build, as the worker's refresh does) into a temporary media
    folder (or `media`, e.g. a web server's); afterwards their rows are put back as they were and the
    temporary folder removed, so the scale database is left as it was found. Yields [(name, file name)]."""
    from django.conf import settings  # noqa: PLC0415
    from django.test.utils import override_settings  # noqa: PLC0415

    from transparency import opendata_files  # noqa: PLC0415
    from transparency.models import OpenDataFile  # noqa: PLC0415

    language = settings.LANGUAGE_CODE
    names = list(STORED_FILES.values())
    rows = OpenDataFile.objects.filter(name__in=names, language=language)
    kept = list(rows)
    with tempfile.TemporaryDirectory() as temporary, override_settings(MEDIA_ROOT=media or temporary):
        try:
            rows.delete()
            if built:
                for name in names:
                    opendata_files.build(name, language)
            yield list(STORED_FILES.items())
        finally:
            rows.delete()
            OpenDataFile.objects.bulk_create(kept)


def main():
    import django  # noqa: PLC0415

    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=20)
    args = parser.parse_args()
    django.setup()
    print(json.dumps(run(args.iterations)))


if __name__ == "__main__":
    main()
