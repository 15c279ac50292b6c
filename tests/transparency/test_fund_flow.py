"""The fund-flow picture: proportional bands from sources through funds and projects to uses, and money is
conserved (what flows in equals what flows out plus balances), overall and at every node."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest

from transparency import labels, selectors
from transparency.periods import Period

ALL_TIME = Period("range", date(2000, 1, 1), date(2100, 12, 31))


def _node_balance(flow):
    inflow, outflow = defaultdict(Decimal), defaultdict(Decimal)
    for source, target, amount in flow.links:
        outflow[source] += amount
        inflow[target] += amount
    return inflow, outflow


def _assert_conserved(flow):
    assert flow.inflow == flow.outflow
    inflow, outflow = _node_balance(flow)
    first = {key for key, _ in flow.columns[0]}
    last = {key for key, _ in flow.columns[-1]}
    for node in set(inflow) | set(outflow):
        if node in first or node in last:
            continue
        assert inflow[node] == outflow[node], node
    assert sum(outflow[n] for n in first) == flow.inflow
    assert sum(inflow[n] for n in last) == flow.outflow


def test_programme_flow_all_time_is_conserved_and_matches_the_ledger(programme):
    flow = selectors.fund_flow(ALL_TIME, labels=labels.flow_labels())
    assert flow.opening == 0
    assert flow.income == Decimal("32000.00")
    assert flow.expenses == Decimal("8500.00")
    assert flow.closing == Decimal("23500.00")
    _assert_conserved(flow)
    links = {(s, t): v for s, t, v in flow.links}
    assert links[("src:government", f"ch:{programme.bank.pk}")] == Decimal("15000.00")
    assert links[("src:anonymous", f"ch:{programme.platform.pk}")] == Decimal("5000.00")
    assert links[("fk:general", f"p:{programme.p1.pk}")] == Decimal("4000.00")
    assert links[(f"p:{programme.p1.pk}", "cat:activities")] == Decimal("2500.00")
    assert links[(f"p:{programme.p2.pk}", "bal:projects")] == Decimal("9000.00")
    assert links[("fk:general", "bal:general")] == Decimal("6000.00")


def test_flow_for_a_period_starts_from_the_opening_balance(programme):
    flow = selectors.fund_flow(Period("range", date(2026, 3, 1), date(2026, 3, 31)))
    assert flow.opening == Decimal("19000.00")
    assert flow.income == Decimal("7000.00")
    assert flow.expenses == Decimal("2500.00")
    assert flow.closing == Decimal("23500.00")
    _assert_conserved(flow)


def test_flow_of_one_project_counts_allocations_as_money_in(programme):
    flow = selectors.fund_flow(ALL_TIME, project=programme.p1)
    assert flow.income == Decimal("11000.00")  # 5,000 + 2,000 donated, 4,000 allocated
    assert flow.expenses == Decimal("2500.00")
    assert flow.closing == Decimal("8500.00")
    _assert_conserved(flow)


def test_flow_page_draws_proportional_bands(client, programme):
    response = client.get("/funds/flow/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="chart chart-sankey"' in html
    widths = {}
    import re

    for match in re.finditer(r'stroke-width="([\d.]+)"><title>([^<]+)</title>', html):
        widths[match.group(2)] = float(match.group(1))
    government = next(w for t, w in widths.items() if "15,000.00" in t and "Government" in t)
    platform = next(w for t, w in widths.items() if "5,000.00" in t and "Anonymous" in t)
    assert government == pytest.approx(3 * platform, rel=0.01)


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-13",
        "from=26-01",
        "from=2026-03&to=2026-01",
        "to=abcd",
        "from=1800-01",
        "from=%00",
        "from=2026-1",
    ],
)
def test_bad_periods_get_a_400_page_not_a_500(client, programme, query):
    response = client.get(f"/funds/flow/?{query}")
    assert response.status_code == 400
    assert 'class="alert alert-warning" role="alert"' in response.content.decode()


def test_project_flow_page_for_a_period_and_bad_period(client, programme):
    ok = client.get("/projects/health-checks/?from=2026-03&to=2026-03")
    assert ok.status_code == 200
    assert 'data-figure="closing">¥8,500.00<' in ok.content.decode()
    assert client.get("/projects/health-checks/?from=2026-99").status_code == 400
    assert client.get("/projects/draft-idea/").status_code == 404
    assert client.get("/projects/no-such/").status_code == 404
