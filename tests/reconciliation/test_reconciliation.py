"""One set of books, proven on random programmes: a Hypothesis strategy builds a
programme through the services (tests/reconciliation/programme.py), then every public surface is read as a
visitor gets it and each figure is compared with the ledger summed directly from its entries
(tests/reconciliation/truth.py, not the selectors under test); every fund-flow node must conserve money
and no project that is not public may be named anywhere (page, PDF or file).

Examples are few (a "ci" profile; RECON_PROFILE=deep for a long run) so the suite runs in a few minutes on
SQLite; it is a plain test, so the CI's PostgreSQL pass runs it too. Each example runs inside a savepoint
that is rolled back, with a frozen clock and an empty cache, so examples never see each other's data.

Surfaces and the test that reconciles each:
- home dashboard and its over-time chart             test_public_pages_show_the_ledgers_figures
- fund-flow page and its table (all time, a range)   test_public_pages_show_the_ledgers_figures
- /projects/<slug>/ money and its fund flow          test_public_pages_show_the_ledgers_figures
- organization pages, project list, campaign list    test_public_pages_show_the_ledgers_figures
- /campaigns/<slug>/                                 test_public_pages_show_the_ledgers_figures
- /funds/<code>/ (general and community funds)       test_public_pages_show_the_ledgers_figures
- donation lookup                                    test_public_pages_show_the_ledgers_figures
- staff finance dashboard (finance officer)          test_public_pages_show_the_ledgers_figures
- transparency report PDF (programme and project)    test_report_pdfs_show_the_ledgers_figures
- open data CSV/JSON (projects, donations,
  expenditures, ledger, checkpoints), 360Giving JSON,
  IATI XML                                           test_open_data_adds_up_to_the_ledger
"""

from __future__ import annotations

import datetime
import os
import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from freezegun import freeze_time
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from empowerment.models import Document
from empowerment.numbers import format_day
from fundraising.models import Donation, Fund, LedgerCheckpoint, LedgerTransaction
from transparency import labels
from transparency import services as transparency_services
from transparency.periods import parse

from . import surfaces as s
from .programme import PUBLIC_STATUSES, SHOWCASE, build, plans
from .truth import ZERO, Books

pytestmark = pytest.mark.django_db

settings.register_profile(
    "recon-ci",
    max_examples=5,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
    print_blob=True,
)
settings.register_profile("recon-deep", parent=settings.get_profile("recon-ci"), max_examples=60)
PROFILE = settings.get_profile(f"recon-{os.environ.get('RECON_PROFILE', 'ci')}")


@contextmanager
def one_example():
    """One example's world: an empty cache, the clock frozen (moved by the builder day by day) and a
    savepoint rolled back at the end, so nothing leaks into the next example."""
    cache.clear()
    with (
        freeze_time("2026-01-02 09:00:00+08:00", ignore=["hypothesis"]) as clock,
        transaction.atomic(),
    ):
        try:
            yield clock
        finally:
            transaction.set_rollback(True)
            cache.clear()


def _ready_to_read():
    """Figures and pages cached while the programme was built are stale (their after-commit refresh never
    runs inside the test's transaction): start the reading with an empty cache, as after a deploy."""
    cache.clear()


def _no_unpublished_name(built, text: str, where: str) -> None:
    for p in built.unpublished_projects:
        assert p.title not in text, f"{where} names the unpublished project {p.title!r}"
        assert p.slug not in text, f"{where} names the unpublished project's address {p.slug!r}"


def _conserves(rows, where: str) -> None:
    """Every node of the fund-flow table that money passes through sends on exactly what it receives
    (what a fund keeps leaves it as its own "balance" node); the sources give what the sinks get."""
    into: dict[str, Decimal] = {}
    out: dict[str, Decimal] = {}
    for source, target, amount in rows:
        assert amount > 0, f"{where}: a link of {amount} from {source} to {target}"
        out[source] = out.get(source, ZERO) + amount
        into[target] = into.get(target, ZERO) + amount
    for node in set(into) & set(out):
        assert into[node] == out[node], f"{where}: {node} receives {into[node]} and sends {out[node]}"
    sources = sum((v for k, v in out.items() if k not in into), ZERO)
    sinks = sum((v for k, v in into.items() if k not in out), ZERO)
    assert sources == sinks, f"{where}: sources give {sources}, sinks get {sinks}"


def _spent_in_table(rows) -> Decimal:
    """Spending as the table shows it: into the categories, less spending of earlier periods reversed."""
    names = labels.flow_labels()
    spent_labels = {str(names[f"cat:{code}"]) for code in labels.categories()}
    reversed_label = str(names["src:reversed_spending"])
    spent = sum((v for _s, t, v in rows if t in spent_labels), ZERO)
    return spent - sum((v for source, _t, v in rows if source == reversed_label), ZERO)


def _check_flow_page(page: str, *, opening, income, expenses, closing, where: str) -> None:
    assert s.figure(page, "opening") == opening, where
    assert s.figure(page, "income") == income, where
    assert s.figure(page, "expenses") == expenses, where
    assert s.figure(page, "closing") == closing, where
    rows = s.flow_table(page)
    _conserves(rows, where)
    assert _spent_in_table(rows) == expenses, f"{where}: the table's spending"


def _check_money_tables(page: str, figures: dict, where: str) -> None:
    assert s.figure(page, "money-in") == figures["money_in"], where
    assert s.figure(page, "money-out") == figures["money_out"], where
    assert s.figure(page, "balance") == figures["balance"], where
    assert figures["money_in"] - figures["money_out"] == figures["balance"], where


def _month_end(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


# Pages -----------------------------------------------------------------------------------------------------


@PROFILE
@given(plan=plans)
@example(plan=SHOWCASE)
def test_public_pages_show_the_ledgers_figures(client, plan):
    with one_example() as clock:
        built = build(plan, clock)
        books = Books()
        _ready_to_read()
        corpus: list[tuple[str, str]] = []

        def page(url, status=200):
            text = s.get(client, url, status)
            corpus.append((url, text))
            return text

        # Home dashboard: all-time figures.
        home = page("/")
        assert s.figure(home, "raised") == books.raised()
        assert s.figure(home, "spent") == books.spent()
        assert s.figure(home, "balance") == books.balance()
        # Its "over time" chart: raised and spent in each month, by the ledger date.
        points = re.findall(r"<title>(Raised|Spent) · (\d{4}-\d{2}): ([^<]+)</title>", home)
        assert {month for _name, month, _v in points} >= {f"2026-0{m}" for m in range(1, 8)}
        for name, month, value in points:
            start = datetime.date(int(month[:4]), int(month[5:]), 1)
            measure = books.raised if name == "Raised" else books.spent
            assert s.to_decimal(value) == measure(start=start, end=_month_end(start)), f"{name} in {month}"

        # The fund-flow page and its table, all time and for the second quarter (opening = end of March).
        flow = page("/funds/flow/")
        _check_flow_page(
            flow, opening=ZERO, income=books.raised(), expenses=books.spent(), closing=books.balance(),
            where="fund flow, all time",
        )  # fmt: skip
        q2_start, q2_end = datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)
        flow_q2 = page("/funds/flow/?from=2026-04&to=2026-06")
        _check_flow_page(
            flow_q2,
            opening=books.balance(end=q2_start - datetime.timedelta(days=1)),
            income=books.raised(start=q2_start, end=q2_end),
            expenses=books.spent(start=q2_start, end=q2_end),
            closing=books.balance(end=q2_end),
            where="fund flow, 2026-04 to 2026-06",
        )

        # Each public project's one page: its money, and its own fund flow; an unpublished one is not found.
        for project in built.public_projects:
            fund = Fund.objects.filter(project=project).first()
            detail = page(f"/projects/{project.slug}/")
            truth = books.fund(fund) if fund else dict.fromkeys(("money_in", "money_out", "balance"), ZERO)
            if fund is not None:
                _check_money_tables(detail, truth, f"/projects/{project.slug}/")
            _check_flow_page(
                detail, opening=ZERO, income=truth["money_in"], expenses=truth.get("spent", ZERO),
                closing=truth["balance"], where=f"fund flow of {project.slug}",
            )  # fmt: skip
        for project in built.unpublished_projects:
            # Not found, and not even its title said (the address itself is echoed in the language form).
            missing = s.get(client, f"/projects/{project.slug}/", 404)
            assert project.title not in missing

        # Organization pages: each public project's money received (donations + allocations) and spent.
        for organization in built.organizations:
            profile = page(f"/organizations/{organization.slug}/")
            shown = {
                slug: (s.to_decimal(received), s.to_decimal(spent))
                for slug, received, spent in re.findall(
                    r'<a href="/projects/([^/"]+)/">.*?</a></td><td>[^<]*</td>'
                    r'<td class="text-end">([^<]+)</td><td class="text-end">([^<]+)</td>',
                    profile,
                )
            }
            expected = {}
            for project in built.public_projects:
                if project.organization_id == organization.pk:
                    fund = Fund.objects.filter(project=project).first()
                    f = books.fund(fund) if fund else {"money_in": ZERO, "spent": ZERO}
                    expected[project.slug] = (f["money_in"], f["spent"])
            assert shown == expected, f"organization {organization.slug}"

        # The campaign: progress from its own donations' postings, and its fund's money when it is public.
        campaign = built.campaign
        gifts = Donation.objects.filter(campaign=campaign)
        raised = books.raised_from_donations(gifts.filter(is_matching=False))
        matched = books.raised_from_donations(gifts.filter(is_matching=True))
        pledged = ZERO
        if campaign.matching_ratio:
            pledged = min((raised * campaign.matching_ratio).quantize(Decimal("0.01")), campaign.matching_cap)
        campaign_page = page(f"/campaigns/{campaign.slug}/")
        total = re.search(r'data-testid="campaign-total">([^<]+)<', campaign_page).group(1)
        assert s.to_decimal(total) == raised + max(matched, pledged)
        fund = campaign.fund
        if fund.project_id is None or fund.project.status in PUBLIC_STATUSES:
            _check_money_tables(campaign_page, books.fund(fund), "campaign page")
        else:
            assert 'data-figure="money-in"' not in campaign_page

        # The general and the community fund's pages.
        for fund in (built.general, built.community):
            _check_money_tables(page(f"/funds/{fund.code}/"), books.fund(fund), f"/funds/{fund.code}/")

        # The donation lookup: a donor traces a gift to its fund's money.
        for donation in Donation.objects.select_related("fund__project").order_by("pk")[:6]:
            found = page(f"/money/lookup/?receipt_number={donation.receipt_number}&amount={donation.amount}")
            fund = donation.fund
            if fund.project_id is None or fund.project.status in PUBLIC_STATUSES:
                _check_money_tables(found, books.fund(fund), f"lookup of {donation.receipt_number}")
            else:  # the gift is found, but the project's money is shown only once it is public
                assert 'id="lookup-unpublished"' in found and 'data-figure="money-in"' not in found

        # The project list: every public project with what it received, spent and holds.
        listed = {
            slug: tuple(s.to_decimal(v) for v in values)
            for slug, *values in re.findall(
                r'<td><a href="/projects/([^/"]+)/">.*?</td>\s*<td>.*?</td>\s*'
                r'<td class="text-end">([^<]+)</td><td class="text-end">([^<]+)</td>'
                r'<td class="text-end">([^<]+)</td>',
                page("/projects/"),
                re.S,
            )
        }
        expected = {}
        for project in built.public_projects:
            fund = Fund.objects.filter(project=project).first()
            f = books.fund(fund) if fund else dict.fromkeys(("money_in", "spent", "balance"), ZERO)
            expected[project.slug] = (f["money_in"], f["spent"], f["balance"])
        assert listed == expected, "project list"

        # The campaign list: the campaign's gifts and matching gifts recorded, net of reversals.
        campaigns = page("/campaigns/")
        shown = re.search(
            rf'href="/campaigns/{campaign.slug}/">.*?</td><td>[^<]*</td><td class="text-end">([^<]+)</td>',
            campaigns,
            re.S,
        )
        assert s.to_decimal(shown.group(1)) == raised + matched, "campaign list"

        # Other public pages: nothing unpublished named there either.
        for url in ("/organizations/", "/open-data/", "/ledger/checkpoints/", "/reports/"):
            page(url)
        for url, text in corpus:
            _no_unpublished_name(built, text, url)

        # The staff finance dashboard (not public: it may name every fund) shows the same books.
        client.force_login(built.finance)
        staff = s.get(client, "/staff/fundraising/")
        client.logout()
        assert s.figure(staff, "raised") == books.raised()
        assert s.figure(staff, "spent") == books.spent()
        assert s.figure(staff, "in_kind") == books.in_kind_total
        balances = dict(re.findall(r'<tr data-fund="([^"]+)">.*?data-figure="balance">([^<]+)<', staff))
        for fund in Fund.objects.all():
            if fund.code in balances:
                assert s.to_decimal(balances[fund.code]) == books.fund(fund)["balance"], fund.code
        assert sum((s.to_decimal(v) for v in balances.values()), ZERO) == books.balance()


# Report PDFs -----------------------------------------------------------------------------------------------

periods = st.sampled_from(["2026-03", "2026-05", "2026-Q1", "2026-Q2", "2026"])


def _render(period, project, by, capture) -> str:
    with capture(execute=True):
        report = transparency_services.report_request(period=period, language="en", project=project, by=by)
    document = Document.objects.get(pk=report.document_id)
    assert document.status == Document.Status.READY, document.error
    return s.pdf_text(document)


@settings(PROFILE, max_examples=max(3, PROFILE.max_examples // 2))
@given(plan=plans, period_key=periods, pick=st.integers(0, 3))
@example(plan=SHOWCASE, period_key="2026-Q2", pick=0)
@example(plan=SHOWCASE, period_key="2026-Q1", pick=1)
def test_report_pdfs_show_the_ledgers_figures(django_capture_on_commit_callbacks, plan, period_key, pick):
    with one_example() as clock:
        built = build(plan, clock)
        books = Books()
        _ready_to_read()
        period = parse(period_key)
        before = period.start - datetime.timedelta(days=1)

        text = _render(period, None, built.officer, django_capture_on_commit_callbacks)
        where = f"programme report {period_key}"
        assert s.pdf_amount_after(text, "Balance at the start of the period") == books.balance(end=before), (
            where
        )
        assert s.pdf_amount_after(text, "Received") == books.raised(start=period.start, end=period.end), where
        assert s.pdf_amount_after(text, "Spent") == books.spent(start=period.start, end=period.end), where
        assert s.pdf_amount_after(text, "Balance at the end of the period") == books.balance(
            end=period.end
        ), where
        assert s.pdf_amount_after(text, "Total received") == books.raised(start=period.start, end=period.end)
        # The itemised expenditures (public projects by name, the others as one line) total the headline.
        assert s.pdf_amount_after(text, "Total") == books.spent(start=period.start, end=period.end), where
        # A prior-period adjustment is shown in the period it was posted in and in the one it happened in.
        flat = " ".join(text.split())
        for tx in LedgerTransaction.objects.filter(occurred_on__isnull=False):
            posted_here = period.start <= tx.date <= period.end
            happened_here = period.start <= tx.occurred_on <= period.end
            if posted_here or happened_here:
                with translation.override("en"):  # the English report: dates in English's usual form
                    shown = format_day(tx.occurred_on)
                assert shown in flat, f"{where}: adjustment of {tx.occurred_on}"
            if happened_here and not posted_here:
                assert "Adjustments posted later" in flat, where
        _no_unpublished_name(built, text, where)

        if built.public_projects:
            project = built.public_projects[pick % len(built.public_projects)]
            ids = {f.pk for f in Fund.objects.filter(project=project)}
            text = _render(period, project, built.officer, django_capture_on_commit_callbacks)
            where = f"report of {project.slug} {period_key}"
            received = books.raised(fund_ids=ids, start=period.start, end=period.end) + books.allocations_in(
                ids, start=period.start, end=period.end
            )
            assert s.pdf_amount_after(text, "Balance at the start of the period") == books.balance(
                fund_ids=ids, end=before
            ), where
            assert s.pdf_amount_after(text, "Received") == received, where
            assert s.pdf_amount_after(text, "Spent") == books.spent(
                fund_ids=ids, start=period.start, end=period.end
            ), where
            assert s.pdf_amount_after(text, "Balance at the end of the period") == books.balance(
                fund_ids=ids, end=period.end
            ), where
            _no_unpublished_name(built, text, where)


# Open data -------------------------------------------------------------------------------------------------


@PROFILE
@given(plan=plans)
@example(plan=SHOWCASE)
def test_open_data_adds_up_to_the_ledger(client, plan):
    with one_example() as clock:
        built = build(plan, clock)
        books = Books()
        _ready_to_read()
        files: list[tuple[str, str]] = []

        def download(url):
            text = s.get(client, url)
            files.append((url, text))
            return text

        unpublished_ids = {f.pk for f in Fund.objects.filter(project__in=built.unpublished_projects)}
        project_funds = {f.project_id: f for f in Fund.objects.filter(project__isnull=False)}

        # Projects (CSV and JSON): every public project's figures; the unpublished ones as one row.
        for fmt in ("csv", "json"):
            text = download(f"/open-data/projects.{fmt}")
            rows = s.csv_rows(text) if fmt == "csv" else s.json_doc(text)["rows"]
            by_slug = {r["slug"]: r for r in rows if r.get("status") != "unpublished"}
            assert set(by_slug) == {p.slug for p in built.public_projects}, fmt
            for project in built.public_projects:
                row, fund = by_slug[project.slug], project_funds.get(project.pk)
                f = (
                    books.fund(fund)
                    if fund
                    else dict.fromkeys(("raised", "allocated", "spent", "balance"), ZERO)
                )
                shown = [
                    Decimal(str(row[k])) for k in ("donations_received", "allocated", "spent", "balance")
                ]
                assert shown == [f["raised"], f["allocated"], f["spent"], f["balance"]], (fmt, project.slug)
            hidden = [r for r in rows if r.get("status") == "unpublished"]
            expected_hidden = [
                books.raised(fund_ids=unpublished_ids),
                books.allocations_in(unpublished_ids),
                books.spent(fund_ids=unpublished_ids),
                books.balance(fund_ids=unpublished_ids),
            ]
            if hidden:
                assert len(hidden) == 1, fmt
                shown = [
                    Decimal(str(hidden[0][k]))
                    for k in ("donations_received", "allocated", "spent", "balance")
                ]
                assert shown == expected_hidden, fmt
            else:
                assert expected_hidden == [ZERO] * 4, f"{fmt}: the unpublished projects' money is missing"
            assert sum((Decimal(str(r["spent"])) for r in rows), ZERO) == books.spent(
                fund_ids=set(f.pk for f in project_funds.values())
            )

        # Donations and expenditures add up to money raised and spent.
        donations = s.csv_rows(download("/open-data/donations.csv"))
        assert sum((Decimal(r["amount"]) for r in donations), ZERO) == books.raised()
        expenditures = s.csv_rows(download("/open-data/expenditures.csv"))
        assert sum((Decimal(r["amount"]) for r in expenditures), ZERO) == books.spent()

        # The ledger: every cash entry, per account type the books' figures, funds of unpublished projects
        # under one code.
        entries = s.csv_rows(download("/open-data/ledger.csv"))
        assert len(entries) == len(books.rows)
        by_type: dict[str, Decimal] = {}
        for r in entries:
            by_type[r["account_type"]] = by_type.get(r["account_type"], ZERO) + Decimal(r["amount"])
        assert sum(by_type.values(), ZERO) == ZERO
        assert -by_type.get("income", ZERO) == books.raised()
        assert by_type.get("expense", ZERO) == books.spent()
        assert by_type.get("asset", ZERO) == books.balance()
        hidden_codes = {f.code for f in Fund.objects.filter(pk__in=unpublished_ids)}
        assert not hidden_codes & {r["fund"] for r in entries}

        # Checkpoints: each month close's total is the balance of the ledger up to its entry.
        checkpoints = s.csv_rows(download("/open-data/checkpoints.csv"))
        stored = {c.code: c for c in LedgerCheckpoint.objects.all()}
        for r in checkpoints:
            seq = int(r["seq"])
            assert Decimal(r["total"]) == books.balance_upto_seq(seq), r["code"]
            assert stored[r["code"]].hash == r["hash"]

        # 360Giving: a grant into a public fund, with what its tranches brought in (net of reversals).
        grants = s.json_doc(download("/open-data/grants.json"))["grants"]
        grant, fund = built.grant, built.grant.fund
        if fund.project_id is None or fund.project.status in PUBLIC_STATUSES:
            tranche_gifts = Donation.objects.filter(grant_tranche__grant=grant)
            assert [(g["title"], Decimal(str(g["amountDisbursed"]))) for g in grants] == [
                (grant.title, books.raised_from_donations(tranche_gifts))
            ]
        else:
            assert grants == []

        # IATI: one activity per public project, its expenditure transaction the project's spending.
        xml = download("/open-data/iati-activities.xml")
        root = etree.fromstring(xml.encode())
        activities = {a.findtext("iati-identifier"): a for a in root.findall("iati-activity")}
        assert set(activities) == {f"XI-CEP-project-{p.pk}" for p in built.public_projects}
        for project in built.public_projects:
            activity = activities[f"XI-CEP-project-{project.pk}"]
            fund = project_funds.get(project.pk)
            spent = books.spent(fund_ids={fund.pk}) if fund else ZERO
            values = [Decimal(v.text) for v in activity.findall("transaction/value")]
            assert values == ([spent] if spent else []), project.slug

        for url, text in files:
            _no_unpublished_name(built, text, url)
