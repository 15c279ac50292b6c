"""The three statements on a hand-built year whose every figure is computed by hand here, the refusal while an
account with a balance is unmapped, the chart-of-accounts defaults and writes, the screens, the workbook and
the PDF in both languages."""

import datetime
import io
from decimal import Decimal

import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from empowerment.documents.services import document_render, document_request
from fundraising import ledger, services
from fundraising.models import Account, Channel, Funder
from fundraising.selectors.statements import UnmappedAccounts, annual_statements, unmapped_accounts
from fundraising.statements.lines import CashFlowLine, StatementLine
from fundraising.statements.mapping import mapping_apply_defaults, mapping_set
from fundraising.statements.models import AccountMapping, AnnualStatements
from tests.factories.fundraising import ChannelFactory, FunderFactory, donate, project, receipt_file

Y = 2025
D = Decimal


def day(month, d=1):
    return datetime.date(Y, month, d)


def row(rows, code):
    return next(r for r in rows if r.code == code)


@pytest.fixture
def year(people, org_a):
    """A year of the programme, with the figures each statement must show (worked out in the comments)."""
    finance = people["finance_officer"]
    general = ledger.general_fund()  # unrestricted
    p = project(org_a, slug="statements-project")
    fund = services.fund_for_project(p)  # restricted
    bank = ChannelFactory(code="bank-main", name="Bank account")
    subsidy = ChannelFactory(code="subsidy", name="Civil affairs subsidy", kind=Channel.Kind.GRANT)
    contract = ChannelFactory(code="contract", name="Service contract", kind=Channel.Kind.CONTRACT)
    online = ChannelFactory(code="online", name="Charity platform", kind=Channel.Kind.ONLINE)
    bureau = FunderFactory(name="Civil affairs bureau", kind=Funder.Kind.GOVERNMENT)
    company = FunderFactory(name="Steel company", kind=Funder.Kind.ENTERPRISE)

    with freeze_time("2024-12-31 10:00:00+08:00"):
        # Opening: 10,000 at the bank in the general fund.
        donate(
            amount="10000.00", channel=bank, funder=company, received_on=datetime.date(2024, 6, 1), by=finance
        )
    with freeze_time(f"{Y}-12-20 10:00:00+08:00"):
        donate(amount="5000.00", channel=bank, funder=company, received_on=day(1, 10), by=finance)
        donate(amount="20000.00", channel=subsidy, funder=bureau, fund=fund, received_on=day(2), by=finance)
        donate(amount="8000.00", channel=contract, funder=bureau, received_on=day(3), by=finance)
        donate(amount="1200.00", channel=online, fund=fund, received_on=day(3, 5), by=finance)
        mistake = donate(amount="300.00", channel=bank, received_on=day(7), by=finance)
        services.donation_reverse(donation=mistake, by=finance, reason="Entered twice")
        services.allocation_create(
            from_fund=general, to_fund=fund, amount=D("3000.00"), allocated_on=day(4), by=finance
        )
        services.disbursement_create(project=p, amount=D("12000.00"), paid_on=day(4, 10), by=finance)
        lines = {line.category: line for line in p.budget_lines.all()}
        spent = services.expenditure_submit(
            project=p,
            budget_line=lines["activities"],
            amount=D("7000.00"),
            spent_on=day(5),
            description="Health checks",
            payee="Clinic",
            document=receipt_file(),
            by=people["a_editor"],
        )
        services.expenditure_approve(expenditure=spent, by=finance)
        office = services.expenditure_submit(
            project=p,
            budget_line=lines["materials"],
            amount=D("500.00"),
            spent_on=day(5, 20),
            description="Office paper",
            payee="Stationer",
            document=receipt_file(),
            by=finance,
            classification=Account.Classification.MANAGEMENT,
            paid_from="bank",
        )
        services.expenditure_approve(expenditure=office, by=finance)
        services.in_kind_record(
            kind="goods",
            description="Blood pressure monitors",
            value=D("900.00"),
            basis="Market price",
            received_on=day(6),
            fund=fund,
            by=finance,
        )
    mapping_apply_defaults(by=None)
    return {"general": general, "fund": fund, "project": p}


def test_the_hand_built_year_gives_the_figures_worked_out_by_hand(year):
    s = annual_statements(Y)

    bs = s["balance_sheet"]["rows"]
    # Cash: general 10,000 + 5,000 + 8,000 − 3,000 = 20,000; project 20,000 + 1,200 + 3,000 − 12,000 − 500
    # = 11,700; the reversed 300 nets out.
    assert row(bs, StatementLine.CASH).values == (D("10000.00"), D("31700.00"))
    # Advanced 12,000, accounted for 7,000.
    assert row(bs, StatementLine.PREPAYMENTS).values == (D("0.00"), D("5000.00"))
    assert s["balance_sheet"]["total_assets"] == (D("10000.00"), D("36700.00"))
    assert row(bs, "na_unrestricted").values == (D("10000.00"), D("20000.00"))
    assert row(bs, "na_restricted").values == (D("0.00"), D("16700.00"))

    act = s["activity"]["rows"]
    # Donations: 5,000 unrestricted; 1,200 online and 900 in kind to the project.
    assert row(act, StatementLine.DONATIONS).values == (D("5000.00"), D("2100.00"), D("7100.00"))
    assert row(act, StatementLine.GOVERNMENT).values == (D("0.00"), D("20000.00"), D("20000.00"))
    assert row(act, StatementLine.SERVICES).values == (D("8000.00"), D("0.00"), D("8000.00"))
    assert row(act, StatementLine.OTHER_INCOME).values == (D("0.00"), D("0.00"), D("0.00"))
    # Costs, all in the unrestricted column: 7,000 + 900 in kind programme, 500 management.
    assert row(act, StatementLine.PROGRAMME).values == (D("7900.00"), D("0.00"), D("7900.00"))
    assert row(act, StatementLine.MANAGEMENT).values == (D("500.00"), D("0.00"), D("500.00"))
    assert row(act, StatementLine.FUNDRAISING).values == (D("0.00"), D("0.00"), D("0.00"))
    # Released: the project fund's 8,400 of costs, less the 3,000 moved into it from the general fund.
    assert row(act, "reclass").values == (D("5400.00"), D("-5400.00"), D("0.00"))
    # Unrestricted: 13,000 − 8,400 + 5,400; restricted: 22,100 − 5,400.
    assert row(act, "change").values == (D("10000.00"), D("16700.00"), D("26700.00"))

    cf = s["cash_flow"]["rows"]
    assert row(cf, CashFlowLine.DONATIONS).values == (D("6200.00"),)
    assert row(cf, CashFlowLine.GOVERNMENT).values == (D("20000.00"),)
    assert row(cf, CashFlowLine.SERVICES).values == (D("8000.00"),)
    assert row(cf, CashFlowLine.GRANTS_PAID).values == (D("12000.00"),)
    assert row(cf, CashFlowLine.PURCHASES).values == (D("500.00"),)
    assert row(cf, "net_operating").values == (D("21700.00"),)
    assert row(cf, "opening_cash").values == (D("10000.00"),)
    assert row(cf, "closing_cash").values == (D("31700.00"),)

    assert s["tied"], [(t.label, t.left, t.right) for t in s["tie_outs"] if not t.ok]
    assert len(s["tie_outs"]) == 7
    assert s["notes"]["released"] == D("8400.00")
    assert s["notes"]["designated"] == D("3000.00")
    assert s["notes"]["in_kind_income"] == D("900.00") == s["notes"]["in_kind_costs"]
    assert not s["notes"]["year_closed"]


def test_the_previous_year_holds_only_the_opening_gift(year):
    s = annual_statements(Y - 1)
    assert s["balance_sheet"]["total_assets"] == (D("0.00"), D("10000.00"))
    assert row(s["activity"]["rows"], StatementLine.DONATIONS).values == (
        D("10000.00"),
        D("0.00"),
        D("10000.00"),
    )
    assert s["cash_flow"]["closing"] == D("10000.00")
    assert s["tied"]


def test_statements_refuse_while_an_account_with_a_balance_is_unmapped(year, people):
    AccountMapping.objects.filter(account__code="income:contract").delete()
    with pytest.raises(UnmappedAccounts) as refused:
        annual_statements(Y)
    assert [a.code for a in refused.value.accounts] == ["income:contract"]
    assert "income:contract" in refused.value.messages[0]
    # The year before had no posting on that account: its statements still compute.
    assert annual_statements(Y - 1)["tied"]

    client_for = _client(people["programme_officer"])
    response = client_for.get(reverse("fundraising:statements"), {"year": Y})
    assert response.status_code == 200
    page = response.content.decode()
    assert "income:contract" in page
    assert 'id="balance-sheet"' not in page
    export = client_for.get(reverse("fundraising:statements_export", args=[Y]))
    assert export.status_code == 302
    pdf = client_for.post(reverse("fundraising:statements_pdf", args=[Y]))
    assert pdf.status_code == 302 and not AnnualStatements.objects.exists()


def test_a_new_account_is_unmapped_until_mapped_or_defaults_applied(year, people):
    later = ChannelFactory(code="later", name="Later platform", kind=Channel.Kind.ONLINE)
    with freeze_time(f"{Y}-12-20 10:00:00+08:00"):
        donate(amount="50.00", channel=later, received_on=day(12, 1))
    assert [a.code for a in unmapped_accounts(Y)] == ["income:later"]
    assert mapping_apply_defaults(by=people["finance_officer"]) == 1
    assert AccountMapping.objects.get(account__code="income:later").line == StatementLine.DONATIONS
    assert annual_statements(Y)["tied"]


def test_default_lines_follow_the_rules(year):
    lines = dict(AccountMapping.objects.values_list("account__code", "line"))
    flows = dict(AccountMapping.objects.values_list("account__code", "cash_flow"))
    assert lines["asset:bank"] == StatementLine.CASH and flows["asset:bank"] == ""
    assert lines["asset:advances"] == StatementLine.PREPAYMENTS
    assert flows["asset:advances"] == CashFlowLine.GRANTS_PAID
    assert lines["income:subsidy"] == StatementLine.GOVERNMENT  # every funder of it is a government
    assert lines["income:contract"] == StatementLine.SERVICES  # a contract, whoever pays it
    assert lines["income:online"] == StatementLine.DONATIONS
    assert lines["inkind:income:goods"] == StatementLine.DONATIONS
    assert lines["inkind:use:goods"] == StatementLine.PROGRAMME
    assert lines["expense:programme:activities"] == StatementLine.PROGRAMME
    assert lines["expense:management:materials"] == StatementLine.MANAGEMENT
    clearing = ledger._account("asset:clearing:online", name="Online clearing", type=Account.Type.ASSET)
    fee = ledger.expense_account("platform-fees", Account.Classification.FUNDRAISING)
    mapping_apply_defaults(by=None)
    assert AccountMapping.objects.get(account=clearing).line == StatementLine.RECEIVABLES
    assert AccountMapping.objects.get(account=clearing).cash_flow == CashFlowLine.DONATIONS
    assert AccountMapping.objects.get(account=fee).line == StatementLine.FUNDRAISING


def test_mapping_set_checks_the_line_fits_and_who_may(year, people):
    account = Account.objects.get(code="income:online")
    with pytest.raises(ValidationError) as refused:
        mapping_set(account=account, line=StatementLine.CASH, cash_flow="", by=people["finance_officer"])
    assert "line" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        mapping_set(
            account=account, line=StatementLine.OTHER_INCOME, cash_flow="", by=people["finance_officer"]
        )
    assert "cash_flow" in refused.value.error_dict
    with pytest.raises(PermissionDenied):
        mapping_set(
            account=account,
            line=StatementLine.OTHER_INCOME,
            cash_flow=CashFlowLine.OTHER_OPERATING_IN,
            by=people["programme_officer"],
        )
    assert AccountMapping.objects.get(account=account).line == StatementLine.DONATIONS

    mapping_set(
        account=account,
        line=StatementLine.OTHER_INCOME,
        cash_flow=CashFlowLine.OTHER_OPERATING_IN,
        by=people["finance_officer"],
    )
    s = annual_statements(Y)
    assert row(s["activity"]["rows"], StatementLine.OTHER_INCOME).values == (
        D("0.00"),
        D("1200.00"),
        D("1200.00"),
    )
    assert row(s["cash_flow"]["rows"], CashFlowLine.OTHER_OPERATING_IN).values == (D("1200.00"),)
    assert s["tied"]
    mapping = AccountMapping.objects.get(account=account)
    assert mapping.history.first().history_user == people["finance_officer"]


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_chart_of_accounts_screen_changes_a_line_and_refuses_a_bad_one(year, people):
    client = _client(people["finance_officer"])
    page = client.get(reverse("fundraising:chart_of_accounts"))
    assert page.status_code == 200
    assert "income:subsidy" in page.content.decode()
    account = Account.objects.get(code="income:online")
    url = reverse("fundraising:mapping_edit", args=[account.pk])
    bad = client.post(url, {"line": StatementLine.CASH, "cash_flow": ""})
    assert bad.status_code == 400
    assert AccountMapping.objects.get(account=account).line == StatementLine.DONATIONS
    missing_flow = client.post(url, {"line": StatementLine.OTHER_INCOME, "cash_flow": ""})
    assert missing_flow.status_code == 400
    assert "Choose the cash-flow line" in missing_flow.content.decode()
    ok = client.post(url, {"line": StatementLine.OTHER_INCOME, "cash_flow": CashFlowLine.OTHER_OPERATING_IN})
    assert ok.status_code == 302
    assert AccountMapping.objects.get(account=account).line == StatementLine.OTHER_INCOME
    reset = client.post(reverse("fundraising:mapping_defaults"), {"overwrite": "on"})
    assert reset.status_code == 302
    assert AccountMapping.objects.get(account=account).line == StatementLine.DONATIONS


def test_the_screen_and_workbook_show_the_statements_and_that_they_tie_out(year, people):
    client = _client(people["programme_officer"])
    response = client.get(reverse("fundraising:statements"), {"year": Y})
    assert response.status_code == 200
    page = response.content.decode()
    assert "¥31,700.00" in page and "¥26,700.00" in page
    assert "The statements tie out" in page
    bad = client.get(reverse("fundraising:statements"), {"year": "twenty"})
    assert bad.status_code == 400
    assert "Enter a year such as" in bad.content.decode()

    export = client.get(reverse("fundraising:statements_export", args=[Y]))
    assert export.status_code == 200
    wb = load_workbook(io.BytesIO(export.content))
    sheet = wb["Balance sheet"]
    cash = next(r for r in sheet.iter_rows(values_only=True) if r[0] and "Cash and bank deposits" in r[0])
    assert (D(str(cash[1])), D(str(cash[2]))) == (D("10000"), D("31700"))
    ties = list(wb["Tie-outs"].iter_rows(values_only=True))[1:]
    assert len(ties) == 7 and all(r[5] == "yes" for r in ties)


def _in(language, *messages):
    from django.utils import translation

    with translation.override(language):
        return [translation.gettext(m) for m in messages]


HEADINGS = ["Balance sheet", "Statement of activities", "Cash flow statement", "Government grant income"]


def test_the_chinese_screen_shows_the_statements_in_chinese(year, people):
    client = _client(people["finance_officer"])
    response = client.get(reverse("fundraising:statements"), {"year": Y}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="zh-hans"' in page
    for label in _in("zh-hans", *HEADINGS):
        assert label in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_pdf_carries_the_statements_and_the_tie_out_in_each_language(
    year, people, language, django_capture_on_commit_callbacks
):
    subject = AnnualStatements.objects.create(year=Y)
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            kind="annual_statements",
            subject=subject,
            language=language,
            requested_by=people["finance_officer"],
        )
    document_render(document_id=document.pk)  # in the worker, or at once when tasks run eagerly
    document.refresh_from_db()
    assert document.status == "ready", document.error
    text = "".join(page.extract_text() for page in pypdf.PdfReader(document.file.open("rb")).pages)
    text = " ".join(text.split())
    for label in _in(language, *HEADINGS, "Verification code"):
        assert label in text
    if language == "zh-hans":
        assert "核验码" in text  # the page is in Chinese
    else:
        assert "The statements tie out" in text
    assert "31,700.00" in text and "36,700.00" in text and "26,700.00" in text
