"""A project's fund flow kept per process (transparency.projectflow): drawn once for the sums it shows and the
content it names, shown again while those are the same (also after the cache is emptied), drawn again when
a donation moves the sums, when the content's database versions move (a channel renamed), and for another
period or language."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import fundraising as ff
from tests.transparency.test_fragments import _table
from transparency import projectflow

pytestmark = pytest.mark.django_db

URL = "/projects/health-checks/"


@pytest.fixture
def draws(monkeypatch):
    """The flows drawn (not taken from those kept), as (project id, period) in order."""
    made = []
    real = projectflow._draw

    def counted(request, project, period, *args):
        made.append((project.pk, period))
        return real(request, project, period, *args)

    monkeypatch.setattr(projectflow, "_draw", counted)
    return made


def _page(url=URL, **headers) -> str:
    cache.clear()  # the page itself rendered each time
    response = Client().get(url, **headers)
    assert response.status_code == 200 and response["X-Page-Cache"] == "miss"
    return response.content.decode()


def _flow(html: str) -> str:
    start = html.find('id="flow"')
    return html[start : html.find("</section>", start)]


def test_the_flow_is_drawn_once_and_shown_again_the_same_after_the_cache_is_emptied(programme, draws):
    first = _page()
    again = _page()
    assert len(draws) == 1
    assert _flow(again) == _flow(first)
    assert 'data-figure="income"' in _flow(first) and "<svg" in _flow(first)
    # The received total is the books' (P1: 4,000 allocated + 5,000 + 2,000 given).
    assert "11,000.00" in _table(first, 'id="flow-totals"')


def test_another_period_or_language_is_drawn_and_kept_apart(programme, draws):
    all_time = _page()
    march = _page(f"{URL}?from=2026-03&to=2026-03")
    chinese = _page(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert len(draws) == 3
    assert _flow(march) != _flow(all_time) and "Period: 2026-03" in march
    assert _flow(chinese) != _flow(all_time)
    assert _flow(_page()) == _flow(all_time) and len(draws) == 3


@pytest.mark.django_db(transaction=True)  # real commits: the topics move when the change commits
def test_a_donation_or_a_renamed_channel_draws_it_again(programme, draws):
    before = _page()
    ff.donate(
        fund=programme.p1.fund,
        amount="1234.00",
        channel=programme.bank,
        by=programme.finance,
        received_on=date(2026, 4, 1),
    )
    after = _page()
    assert len(draws) == 2
    assert "12,234.00" in _table(after, 'id="flow-totals"')
    assert "11,000.00" in _table(before, 'id="flow-totals"')
    # A channel's name is not in the sums: its change moves the content's database version.
    programme.bank.name = "Main bank account"
    programme.bank.save()
    renamed = _page()
    assert len(draws) == 3 and "Main bank account" in _flow(renamed)
    _page()
    assert len(draws) == 3


def test_a_flow_kept_without_its_figures_never_replaces_them(programme, draws, monkeypatch):
    """The figures are read at every render: a kept drawing is only found under the sums it was drawn from."""
    from fundraising import selectors as books

    _page()
    real = books.flow_money

    def more_money(period, *, project=None):
        sums = real(period, project=project)
        sums["movement"] = {fund: amount + Decimal("1.00") for fund, amount in sums["movement"].items()}
        return sums

    monkeypatch.setattr(books, "flow_money", more_money)
    _page()
    assert len(draws) == 2


def test_at_most_so_many_drawings_are_kept(programme, draws, monkeypatch):
    monkeypatch.setattr(projectflow, "KEPT", 2)
    for month in ("2026-01", "2026-02", "2026-03"):
        _page(f"{URL}?from={month}&to={month}")
    assert len(projectflow._kept) == 2
    _page(f"{URL}?from=2026-01&to=2026-01")  # the oldest was let go
    assert len(draws) == 4
