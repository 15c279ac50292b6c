"""One set of books on every surface: the home dashboard, the fund-flow page, the project's money, the
report PDFs (pypdf text), the open-data files and the staff finance dashboard show the ledger's figures
for a small programme with an allocation into a project fund, an expenditure incurred in one month and
approved later, one incurred in a month closed before its approval, a reversal across periods and a
project that is not public yet but spends money.

Money (2026), all through the services:
  D1 20,000 bank, foundation → general fund                      01-10
  D2  5,000 platform, anonymous → P's fund                       01-15
  A1  8,000 general → P's fund; A2 3,000 general → U's fund      02-01
  E1  1,200 P, spent 02-20, approved 03-02 (posted 02-20)
  E2    900 U (not public), spent and approved 02-25
  E3    500 P, spent 03-10, approved 03-11, reversed 04-05 (the reversal posted 04-05)
  March closed on 04-01 (January to March closed)
  E4    700 P, spent 03-28, approved 04-03: a prior-period adjustment posted 04-03, occurred 03-28
All time: raised 25,000; spent 1,200 + 900 + 700 = 2,800; balance 22,200 (general 9,000, P 11,100, U 2,100).
2026-Q1: spent 1,200 + 900 + 500 = 2,600.  2026-Q2: spent 700 − 500 = 200.
"""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

import pypdf
import pytest
from django.utils import translation
from freezegun import freeze_time

from empowerment.authz import FINANCE_OFFICER, PROGRAMME_OFFICER
from empowerment.models import Document
from empowerment.numbers import format_day
from fundraising import ledger
from fundraising import selectors as books
from fundraising import services as money
from fundraising.models import Channel, Funder
from tests.factories import fundraising as ff
from tests.factories.core import staff_user
from transparency import selectors, services
from transparency.periods import quarter

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Secret pilot not yet approved"


def at(day: str):
    return freeze_time(f"{day} 10:00:00+08:00")


@pytest.fixture
def books_programme(db, org_a, org_b):
    finance = staff_user(FINANCE_OFFICER, email="books-finance@example.org")
    officer = staff_user(PROGRAMME_OFFICER, email="books-officer@example.org")
    bank = ff.ChannelFactory(code="bank-main", name="Bank account")
    platform = ff.ChannelFactory(code="platform", name="Online platform", kind=Channel.Kind.ONLINE)
    foundation = ff.FunderFactory(name="Foundation F", kind=Funder.Kind.FOUNDATION)
    p = ff.project(org_a, title="Health checks for older residents", slug="health-checks", status="active")
    u = ff.project(org_b, title=SECRET_TITLE, slug="secret-pilot", status="submitted")
    general = ledger.general_fund()
    fp, fu = money.fund_for_project(p), money.fund_for_project(u)

    def spend(project, amount, spent_on, description):
        return money.expenditure_submit(
            project=project,
            budget_line=project.budget_lines.first(),
            amount=Decimal(amount),
            spent_on=spent_on,
            description=description,
            payee="Pharmacy",
            document=ff.receipt_file(),
            by=finance,
            paid_from="bank",
        )

    with at("2026-01-10"):
        ff.donate(fund=general, amount="20000.00", channel=bank, by=finance, funder=foundation)
    with at("2026-01-15"):
        ff.donate(fund=fp, amount="5000.00", channel=platform, by=finance)
    with at("2026-02-01"):
        for to, amount in ((fp, "8000.00"), (fu, "3000.00")):
            money.allocation_create(
                from_fund=general,
                to_fund=to,
                amount=Decimal(amount),
                allocated_on=date(2026, 2, 1),
                by=finance,
            )
    with at("2026-02-25"):
        e1 = spend(p, "1200.00", date(2026, 2, 20), "Blood-pressure monitors")
        money.expenditure_approve(expenditure=spend(u, "900.00", date(2026, 2, 25), "Pilot kits"), by=finance)
    with at("2026-03-02"):
        money.expenditure_approve(expenditure=e1, by=finance)
    with at("2026-03-11"):
        e3 = money.expenditure_approve(
            expenditure=spend(p, "500.00", date(2026, 3, 10), "Leaflets"), by=finance
        )
    with at("2026-03-28"):
        e4 = spend(p, "700.00", date(2026, 3, 28), "Home-visit transport")
    with at("2026-04-01"):
        ledger.period_close(month=date(2026, 3, 1), closed_by=finance)
    with at("2026-04-03"):
        money.expenditure_approve(expenditure=e4, by=finance)
    with at("2026-04-05"):
        money.expenditure_reverse(expenditure=e3, by=finance, reason="charged to the wrong project")
    return {"finance": finance, "officer": officer, "p": p, "u": u, "fp": fp, "fu": fu, "general": general}


def _figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}"[^>]*>\s*([^<]+)<', html)
    assert match, f"no data-figure={name}"
    return match.group(1).strip()


def _day(iso: str) -> str:
    """A date as the English report prints it (its language's usual form), without spaces."""
    with translation.override("en"):
        return re.sub(r"\s+", "", format_day(date.fromisoformat(iso)))


def _pdf_text(document) -> str:
    reader = pypdf.PdfReader(document.file.open("rb"))
    return "\n".join(page.extract_text() for page in reader.pages)


def _report(period, by, django_capture_on_commit_callbacks, language="en"):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(period=period, language=language, by=by)
    document = Document.objects.get(pk=report.document_id)
    assert document.status == Document.Status.READY, document.error
    return _pdf_text(document)


def test_the_books_dates_spending_when_it_happened_and_keeps_closed_months(books_programme):
    e4_tx = books.prior_period_adjustments(quarter(2026, 2))
    assert [(a["occurred_on"], a["date"], a["amount"]) for a in e4_tx] == [
        (date(2026, 3, 28), date(2026, 4, 3), Decimal("700.00"))
    ]
    assert books.programme_money(quarter(2026, 1))["spent"] == Decimal("2600.00")
    assert books.programme_money(quarter(2026, 2))["spent"] == Decimal("200.00")
    all_time = books.programme_money(None)
    assert all_time["raised"] == Decimal("25000.00")
    assert all_time["spent"] == Decimal("2800.00")
    assert all_time["balance"] == Decimal("22200.00")
    later = books.adjustments_posted_later(quarter(2026, 1))
    assert [a["occurred_on"] for a in later] == [date(2026, 3, 28)]
    assert ledger.ledger_verify() == []


def test_fund_money_in_minus_out_is_the_balance_for_every_fund(books_programme):
    figures = {}
    for name in ("fp", "fu", "general"):
        m = books.fund_money(books_programme[name])
        assert m["money_in"] - m["money_out"] == m["balance"]
        figures[name] = (m["money_in"], m["money_out"], m["balance"])
    assert figures["fp"] == (Decimal("13000.00"), Decimal("1900.00"), Decimal("11100.00"))
    assert figures["fu"] == (Decimal("3000.00"), Decimal("900.00"), Decimal("2100.00"))
    assert figures["general"] == (Decimal("20000.00"), Decimal("11000.00"), Decimal("9000.00"))
    assert sum(b for _i, _o, b in figures.values()) == books.programme_money(None)["balance"]


def test_home_dashboard_shows_the_books_and_no_unpublished_name(client, books_programme):
    with at("2026-07-02"):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert _figure(html, "raised") == "¥25,000.00"
    assert _figure(html, "spent") == "¥2,800.00"
    assert _figure(html, "balance") == "¥22,200.00"
    assert SECRET_TITLE not in html
    assert "Projects not yet published" in html
    figures = selectors.programme_figures()
    themes = figures["by_theme"]
    assert themes[selectors.UNPUBLISHED]["spent"] == Decimal("900.00")
    assert sum(row["spent"] for row in themes.values()) == figures["spent"]


def test_fund_flow_page_and_table_add_up_and_name_no_unpublished_project(client, books_programme):
    response = client.get("/funds/flow/")
    html = response.content.decode()
    assert response.status_code == 200
    assert _figure(html, "income") == "¥25,000.00"
    assert _figure(html, "expenses") == "¥2,800.00"
    assert _figure(html, "closing") == "¥22,200.00"
    assert SECRET_TITLE not in html
    assert "Projects not yet published (1)" in html
    flow = selectors.fund_flow(quarter(2026, 1))
    assert flow.expenses == Decimal("2600.00") and flow.inflow == flow.outflow
    links = {(s, t): v for s, t, v in flow.links}
    assert links[(selectors.UNPUBLISHED_NODE, "cat:activities")] == Decimal("900.00")
    assert links[("fk:general", selectors.UNPUBLISHED_NODE)] == Decimal("3000.00")


def test_report_pdfs_itemise_their_headline_and_show_adjustments_in_both_periods(
    books_programme, django_capture_on_commit_callbacks
):
    officer = books_programme["officer"]
    with at("2026-07-02"):
        q1 = _report(quarter(2026, 1), officer, django_capture_on_commit_callbacks)
        content = selectors.report_content(quarter(2026, 1))
    assert content["expenditure_total"] == content["flow"].expenses == Decimal("2600.00")
    assert sum(r["amount"] for r in content["expenditures"]) + content["expenditures_unpublished"][
        "amount"
    ] == Decimal("2600.00")
    assert content["donations_total"] == Decimal("25000.00")
    assert SECRET_TITLE not in q1
    assert "Projects not yet published (1 project)" in q1
    assert "¥2,600.00" in q1 and "¥900.00" in q1
    assert "Adjustments posted later" in q1 and _day("2026-03-28") in re.sub(r"\s+", "", q1)
    with at("2026-07-02"):
        q2 = _report(quarter(2026, 2), officer, django_capture_on_commit_callbacks)
    assert "Prior-period adjustments" in q2
    compact = re.sub(r"\s+", "", q2)
    assert _day("2026-03-28") in compact and _day("2026-04-03") in compact and "¥700.00" in q2
    assert "¥200.00" in q2  # 700 spent less the 500 reversed
    assert _day("2026-04-05") in compact and "Reversal:Leaflets" in compact and "-¥500.00" in compact


def test_open_data_files_add_up_to_the_books_and_name_no_unpublished_project(client, books_programme):
    def csv_rows(slug):
        response = client.get(f"/open-data/{slug}.csv")
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert SECRET_TITLE not in text
        return list(csv.DictReader(io.StringIO(text)))

    projects = csv_rows("projects")
    assert sum(Decimal(r["spent"]) for r in projects) == Decimal("2800.00")
    assert sum(Decimal(r["balance"]) for r in projects) == Decimal("13200.00")  # P 11,100 + U 2,100
    assert sum(Decimal(r["allocated"]) for r in projects) == Decimal("11000.00")
    assert [r["status"] for r in projects if r["id"].endswith("projects-not-yet-published")] == [
        "unpublished"
    ]
    expenditures = csv_rows("expenditures")
    assert sum(Decimal(r["amount"]) for r in expenditures) == Decimal("2800.00")
    e4 = next(r for r in expenditures if r["spent_on"] == "2026-03-28")
    assert e4["posted_on"] == "2026-04-03"
    donations = csv_rows("donations")
    assert sum(Decimal(r["amount"]) for r in donations) == Decimal("25000.00")
    entries = csv_rows("ledger")
    expense = sum(Decimal(r["amount"]) for r in entries if r["account_type"] == "expense")
    assert expense == Decimal("2800.00")
    assert sum(Decimal(r["amount"]) for r in entries) == 0
    assert "project-" + str(books_programme["u"].pk) not in {r["fund"] for r in entries}
    data = json.loads(b"".join(client.get("/open-data/projects.json").streaming_content))
    rows = data["rows"]
    assert SECRET_TITLE not in json.dumps(data, ensure_ascii=False)
    assert sum(Decimal(str(r["spent"])) for r in rows) == Decimal("2800.00")


def test_staff_finance_dashboard_shows_the_books(client, books_programme):
    client.force_login(books_programme["finance"])
    with at("2026-07-02"):
        response = client.get("/staff/fundraising/")
    html = response.content.decode()
    assert response.status_code == 200
    assert _figure(html, "raised") == "¥25,000.00"
    assert _figure(html, "spent") == "¥2,800.00"
    balances = re.findall(r'<tr data-fund="([^"]+)">.*?data-figure="balance">([^<]+)<', html)
    assert dict(balances)["general"] == "¥9,000.00"
    assert sum(Decimal(v.replace("¥", "").replace(",", "")) for _c, v in balances) == Decimal("22200.00")


def test_itemised_spending_beyond_the_limit_still_totals_the_headline(books_programme):
    full = books.itemised_spending(quarter(2026, 1))
    short = books.itemised_spending(quarter(2026, 1), limit=1)
    assert [r["amount"] for r in full["rows"]] == [Decimal("1200.00"), Decimal("500.00")]
    assert full["unpublished"] == {"count": 1, "transactions": 1, "amount": Decimal("900.00")}
    assert [r["amount"] for r in short["rows"]] == [Decimal("1200.00")]
    assert short["more"] == {"count": 1, "amount": Decimal("500.00")}
    assert short["total"] == full["total"] == Decimal("2600.00")
    assert all(r["project"] is None or r["project"].is_public for r in full["rows"])


def test_the_donation_lookup_shows_the_fund_money_and_never_names_an_unpublished_project(
    client, books_programme
):
    public_gift = ff.donate(fund=books_programme["fp"], amount="50.00", receipt_number="LK-1")
    hidden_gift = ff.donate(fund=books_programme["fu"], amount="60.00", receipt_number="LK-2")
    response = client.get("/money/lookup/", {"receipt_number": public_gift.receipt_number, "amount": "50.00"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Health checks for older residents" in html
    assert books.fund_money(books_programme["fp"])["balance"] == Decimal("11150.00")
    assert "¥11,150.00" in html
    response = client.get("/money/lookup/", {"receipt_number": hidden_gift.receipt_number, "amount": "60.00"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="lookup-unpublished"' in html
    assert SECRET_TITLE not in html and "Pilot kits" not in html


def test_period_figures_conserve_money_for_the_programme_a_fund_and_an_organization(
    books_programme, org_a, org_b
):
    def conserved(f):
        return (
            f["opening"]
            + f["raised"]
            + f["allocations_in"]
            + f["adjustments"]
            - f["spent"]
            - f["allocations_out"]
            == f["closing"]
        )

    q1 = books.period_figures(quarter(2026, 1))
    assert (q1["opening"], q1["raised"], q1["spent"], q1["closing"]) == (
        Decimal("0.00"),
        Decimal("25000.00"),
        Decimal("2600.00"),
        Decimal("22400.00"),
    )
    assert q1["allocations_in"] == q1["allocations_out"] == Decimal("11000.00") and conserved(q1)
    q2 = books.period_figures(quarter(2026, 2), fund=books_programme["fp"])
    assert (q2["opening"], q2["spent"], q2["closing"]) == (
        Decimal("11300.00"),
        Decimal("200.00"),
        Decimal("11100.00"),
    )
    assert conserved(q2)
    a = books.organization_money(org_a)
    assert (a["raised"], a["allocations_in"], a["spent"], a["closing"]) == (
        Decimal("5000.00"),
        Decimal("8000.00"),
        Decimal("1900.00"),
        Decimal("11100.00"),
    )
    b = books.organization_money(org_b)  # its only project is not public yet
    assert b["spent"] == b["closing"] == b["allocations_in"] == Decimal("0.00")


def test_the_open_data_page_says_how_we_count(client, db):
    response = client.get("/open-data/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="how-we-count"' in html
    for definition in (
        "raised",
        "allocated",
        "spent",
        "balance",
        "dates",
        "closed",
        "unpublished",
        "in-kind",
    ):
        assert f'id="def-{definition}"' in html
    assert "Prior-period adjustments" in html and "Projects not yet published" in html


def test_the_progress_report_pdf_shows_the_projects_money_over_its_period(books_programme):
    from empowerment.documents import registry
    from empowerment.documents.rendering import html_to_pdf
    from empowerment.documents.services import document_build_html
    from tests.factories.projects import UpdateFactory

    update = UpdateFactory(
        project=books_programme["p"], period_start=date(2026, 1, 1), period_end=date(2026, 3, 31)
    )
    kind = registry.get("project_progress_report")
    money_q1 = kind.build_context(update, {})["money"]
    assert (money_q1["opening"], money_q1["raised"], money_q1["allocations_in"]) == (
        Decimal("0.00"),
        Decimal("5000.00"),
        Decimal("8000.00"),
    )
    assert money_q1["spent"] == Decimal("1700.00")  # 1,200 + 500 spent in Q1; 700 posted in April
    assert money_q1["closing"] == Decimal("11300.00")
    document = Document(
        kind=kind.name, language="en", subject=update, title="Progress", verification_code="C0DE"
    )
    pdf = html_to_pdf(document_build_html(document))  # what the document pipeline renders
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Money in this period" in text and "¥1,700.00" in text and "¥11,300.00" in text
