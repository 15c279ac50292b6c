"""Public API benchmark, measured like the pages (benchmarks.pages.measure, in-process with Django's test
Client): SQL queries, median and p95 server time of each list and detail endpoint uncached (cache cleared
before every request) and cached (warm), and the ratio to the same trivial view. Lists are measured on
their first page and on a page deep in the data (a cursor near the last row), to show that keyset
pagination stays fast on the millionth row. Run as `python -m benchmarks.api --iterations N` (prints JSON
in the shape of benchmarks.pages, so run.py can put it in the same table and hold it to the same budgets)."""

import argparse
import json
import resource

from benchmarks.pages import _consume, against_trivial


def _deep_cursor(qs, ordering_name: str, choices) -> str:
    """The cursor of a page 100 rows before the end of `qs` in that ordering."""
    from api import pagination  # noqa: PLC0415

    ordering = choices[ordering_name]
    field = "pk" if ordering.field == "id" else ordering.field
    ordered = qs.order_by(field, "pk") if field != "pk" else qs.order_by("pk")
    count = ordered.count()
    row = ordered[max(0, count - 101)]
    return pagination.make_cursor(ordering, row)


def targets():
    """(name, url) for every measured endpoint, picked the same way at every scale."""
    from urllib.parse import quote  # noqa: PLC0415

    from api import params, selectors  # noqa: PLC0415
    from api.pagination import Ordering, orderings  # noqa: PLC0415
    from fundraising.models import Campaign  # noqa: PLC0415
    from projects.models import Project  # noqa: PLC0415

    project = Project.objects.filter(status="active", expenditures__isnull=False).order_by("pk").first()
    campaign = Campaign.objects.filter(published=True).order_by("pk").first()
    general = selectors.funds(kind="general").first()
    deep_donations = _deep_cursor(selectors.donations(), "received_on", params.DONATION_ORDERINGS)
    deep_entries = _deep_cursor(selectors.ledger_entries(), "seq", {"seq": Ordering("seq", "seq")})
    deep_projects = _deep_cursor(selectors.projects(), "id", orderings())
    return [
        ("api: projects (first page)", "/api/v1/projects?limit=100"),
        ("api: projects (filtered)", f"/api/v1/projects?theme={project.theme.slug}&status=active&limit=100"),
        ("api: projects (last pages)", f"/api/v1/projects?limit=100&cursor={quote(deep_projects)}"),
        ("api: project", f"/api/v1/projects/{project.slug}"),
        ("api: organization", f"/api/v1/organizations/{project.organization.slug}"),
        ("api: campaign", f"/api/v1/campaigns/{campaign.slug}"),
        ("api: fund", f"/api/v1/funds/{general.code}"),
        ("api: programme (a year)", "/api/v1/programme?period=2026"),
        ("api: donations (first page)", "/api/v1/donations?limit=100&ordering=received_on"),
        (
            "api: donations (last pages)",
            f"/api/v1/donations?limit=100&ordering=received_on&cursor={quote(deep_donations)}",
        ),
        ("api: expenditures (a project's)", f"/api/v1/expenditures?project={project.slug}&limit=100"),
        ("api: updates (a year)", "/api/v1/updates?period=2026&limit=100"),
        (
            "api: ledger entries (last pages)",
            f"/api/v1/ledger/entries?limit=100&cursor={quote(deep_entries)}",
        ),
        ("api: ledger months", "/api/v1/ledger/months?limit=100"),
    ]


def run(iterations: int = 20) -> dict:
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import override_settings  # noqa: PLC0415

    results = {}
    # One client address asks every endpoint many times: the rate limit is not what is measured.
    with override_settings(
        ROOT_URLCONF="benchmarks.urls", ALLOWED_HOSTS=["testserver"], DEBUG=False, API_RATE_LIMIT=10**9
    ):
        client = Client()
        endpoints = targets()
        for _name, url in endpoints:  # warm-up: imports, URL resolver, schemas
            _consume(client.get(url))
        results = against_trivial(client, [(name, url, client, True) for name, url in endpoints], iterations)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"pages": results, "peak_rss_mb": round(peak_kb / 1024, 1)}


def main():
    import django  # noqa: PLC0415

    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=20)
    args = parser.parse_args()
    django.setup()
    print(json.dumps(run(args.iterations)))


if __name__ == "__main__":
    main()
