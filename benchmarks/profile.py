"""Where an uncached page's time goes: `python -m benchmarks.profile [--top N] [--url /path/] [name ...]`
renders each page of benchmarks.pages (all, or those whose name contains one of the words given, or only the
addresses given) with the cache cleared, a
few times to warm the process, then once under cProfile, and prints per page the time, the SQL statements
with their share of the time (the slowest first) and the functions with the most cumulative time.

Run it against a scale database (DATABASE_URL=.../bench_province) to see what grows with the data."""

import argparse
import cProfile
import io
import pstats
import time

OWN_CODE = r"/(empowerment|transparency|fundraising|projects|organizations|trainings|api|templates)/"


def profile_page(client, url: str, *, top: int) -> str:
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from benchmarks.pages import _consume, empty_cache  # noqa: PLC0415

    for _warm in range(3):
        empty_cache()
        _consume(client.get(url))
    empty_cache()
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        profiler.enable()
        _consume(client.get(url))
        profiler.disable()
        elapsed = time.perf_counter() - started
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    sql_time = sum(float(q["time"]) for q in queries)
    out = io.StringIO()
    out.write(
        f"{url}: {elapsed * 1000:.1f} ms, {len(queries)} SQL statements taking {sql_time * 1000:.1f} ms\n"
    )
    for q in queries[:top]:
        out.write(f"  {float(q['time']) * 1000:8.1f} ms  {q['sql'][:220]}\n")
    stats = pstats.Stats(profiler, stream=out)
    out.write("-- the project's own functions, by cumulative time\n")
    stats.sort_stats("cumulative").print_stats(OWN_CODE, top * 2)
    out.write("-- every function, by cumulative time\n")
    stats.sort_stats("cumulative").print_stats(top * 2)
    out.write("-- every function, by its own time\n")
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--url", action="append", default=[], help="An address to profile, signed out.")
    args = parser.parse_args()
    import os  # noqa: PLC0415

    import django  # noqa: PLC0415

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "empowerment.settings")
    django.setup()
    from django.conf import settings  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import setup_test_environment  # noqa: PLC0415

    from benchmarks.pages import targets  # noqa: PLC0415

    setup_test_environment()
    settings.DEBUG = False
    for url in args.url:
        print(f"== {url}")
        print(profile_page(Client(), url, top=args.top))
    if args.url and not args.names:
        return
    for name, url, who, _public in targets():
        if args.names and not any(word in name for word in args.names):
            continue
        client = Client()
        if who is not None:
            client.force_login(who)
        print(f"== {name}")
        print(profile_page(client, url, top=args.top))


if __name__ == "__main__":
    main()
