"""Budget against actual per budget line, and the over-budget rule: a claim that takes its line over its
amount is refused without a stated reason, accepted with one (recorded, shown to the approver, kept in the
history), and checked again on approval."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fundraising import services
from fundraising.models import Expenditure
from fundraising.selectors.budget import claim_over_budget, project_budget_vs_actual
from tests.factories.fundraising import donate, project, receipt_file

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


@pytest.fixture
def funded(org_a, people):
    """Org A's active project (activities 20,000; materials 8,000) with 30,000 in its fund."""
    p = project(org_a)
    donate(fund=services.fund_for_project(p), amount="30000.00", by=people["finance_officer"])
    return p


def _claim(p, people, amount, *, line=None, reason="", by="a_editor"):
    return services.expenditure_submit(
        project=p,
        budget_line=line or p.budget_lines.get(category="materials"),
        amount=Decimal(amount),
        spent_on=timezone.localdate(),
        description="Printed leaflets",
        payee="Print shop",
        document=receipt_file(),
        by=people[by],
        paid_from=Expenditure.PaidFrom.BANK,
        over_budget_reason=reason,
    )


def test_budget_against_actual_counts_approved_spending_per_line_not_waiting_rejected_or_reversed(
    funded, people
):
    finance = people["finance_officer"]
    services.expenditure_approve(expenditure=_claim(funded, people, "5000.00"), by=finance)
    reversed_ = _claim(funded, people, "1000.00")
    services.expenditure_approve(expenditure=reversed_, by=finance)
    services.expenditure_reverse(expenditure=reversed_, by=finance, reason="Entered twice")
    services.expenditure_reject(expenditure=_claim(funded, people, "300.00"), by=finance, note="No receipt")
    _claim(funded, people, "2200.00")  # waiting
    data = project_budget_vs_actual(funded)
    materials = next(r for r in data["lines"] if r["line"].category == "materials")
    activities = next(r for r in data["lines"] if r["line"].category == "activities")
    assert materials["amount"] == Decimal("8000.00")
    assert materials["spent"] == Decimal("5000.00")
    assert materials["waiting"] == Decimal("2200.00")
    assert materials["remaining"] == Decimal("3000.00")
    assert materials["percent_used"] == Decimal("62.5")
    assert activities["spent"] == Decimal("0.00") and activities["percent_used"] == Decimal("0.0")
    assert data["totals"]["amount"] == Decimal("28000.00") and data["totals"]["spent"] == Decimal("5000.00")


def test_a_claim_over_its_line_without_a_reason_is_refused_and_nothing_is_saved(funded, people):
    services.expenditure_approve(expenditure=_claim(funded, people, "6000.00"), by=people["finance_officer"])
    _claim(funded, people, "1500.00")  # waiting: 7,500 of 8,000 committed
    with pytest.raises(ValidationError) as exc:
        _claim(funded, people, "600.00")
    message = exc.value.message_dict["over_budget_reason"][0]
    assert "over its amount by 100.00 yuan" in message and "still available 500.00" in message
    assert Expenditure.objects.count() == 2
    assert _claim(funded, people, "500.00").over_budget_reason == ""  # exactly to the limit is within it


def test_a_claim_over_its_line_with_a_reason_is_recorded_with_the_reason_in_its_history(funded, people):
    services.expenditure_approve(expenditure=_claim(funded, people, "7900.00"), by=people["finance_officer"])
    reason = "The printer's price rose; the activities line pays 300 less for the venue."
    claim = _claim(funded, people, "400.00", reason=f"  {reason} ")
    assert claim.over_budget_reason == reason
    assert claim.history.first().over_budget_reason == reason
    assert claim.history.first().history_user == people["a_editor"]
    approved = services.expenditure_approve(expenditure=claim, by=people["finance_officer"])
    assert approved.status == Expenditure.Status.APPROVED
    materials = next(
        r for r in project_budget_vs_actual(funded)["lines"] if r["line"].category == "materials"
    )
    assert (
        materials["spent"] == Decimal("8300.00")
        and materials["over"]
        and materials["remaining"] == Decimal("-300.00")
    )


def test_a_reason_given_for_a_claim_within_its_line_is_not_kept(funded, people):
    assert _claim(funded, people, "100.00", reason="Just in case").over_budget_reason == ""


def test_approval_that_would_take_a_line_over_without_a_reason_is_refused(funded, people):
    finance = people["finance_officer"]
    first = _claim(funded, people, "5000.00")
    second = _claim(funded, people, "3000.00")  # within: 8,000 committed
    line = funded.budget_lines.get(category="materials")
    line.amount = Decimal("7000.00")  # the line was cut after both claims came in
    line.save()
    services.expenditure_approve(expenditure=first, by=finance)
    with pytest.raises(ValidationError) as exc:
        services.expenditure_approve(expenditure=second, by=finance)
    assert "states no reason" in exc.value.messages[0]
    second.refresh_from_db()
    assert second.status == Expenditure.Status.SUBMITTED and second.ledger_transaction_id is None


def test_claim_over_budget_reports_how_far(funded, people):
    line = funded.budget_lines.get(category="activities")
    assert claim_over_budget(line, Decimal("20000.00")) is None
    over = claim_over_budget(line, Decimal("20000.01"))
    assert over["over_by"] == Decimal("0.01") and over["available"] == Decimal("20000.00")


# Screens ----------------------------------------------------------------------------------------------


def _form(p, amount, reason=""):
    return {
        "project": p.pk,
        "budget_line": p.budget_lines.get(category="materials").pk,
        "description": "Printed leaflets",
        "payee": "Print shop",
        "amount": amount,
        "spent_on": timezone.localdate().isoformat(),
        "invoice_number": "",
        "classification": "programme",
        "paid_from": Expenditure.PaidFrom.ADVANCE,
        "document": receipt_file(),
        "over_budget_reason": reason,
    }


def test_the_claim_form_warns_when_a_claim_goes_over_its_line_and_accepts_it_with_a_reason(
    funded, people, org_a
):
    url = reverse("fundraising:portal_expenditure_new", args=[org_a.slug])
    client = _client(people["a_editor"])
    page = client.get(url).content.decode()
    assert 'id="budget-rule"' in page and "8,000.00" in page
    response = client.post(url, _form(funded, "8000.01"))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="over-budget-warning"' in body and "over its amount by 0.01 yuan" in body
    assert not Expenditure.objects.exists()
    response = client.post(url, _form(funded, "8000.01", reason="Prices went up"))
    assert response.status_code == 302
    assert Expenditure.objects.get().over_budget_reason == "Prices went up"
    finance_page = _client(people["finance_officer"]).get(
        reverse("fundraising:expenditure_detail", args=[Expenditure.objects.get().pk])
    )
    assert 'id="over-budget-reason"' in finance_page.content.decode()
    assert "Prices went up" in finance_page.content.decode()
    portal = client.get(reverse("fundraising:portal_finance", args=[org_a.slug])).content.decode()
    assert "Prices went up" in portal


def test_the_portal_finance_reads_compiled_once_give_the_selectors_rows_and_figures(funded, people, org_a):
    """organization_finance reads what organization_project_funds, organization_expenditures and
    organization_disbursements give (the funds' money figures included), the latest `limit` of each list."""
    from fundraising import selectors

    for amount in ("100.00", "200.00", "300.00", "400.00"):
        claim = _claim(funded, people, amount)
    services.expenditure_approve(expenditure=claim, by=people["finance_officer"])
    shown = selectors.organization_finance(org_a, limit=3)
    assert [(f.pk, f.spent, f.disbursed, f.balance, f.project.title) for f in shown["funds"]] == [
        (f.pk, f.spent, f.disbursed, f.balance, f.project.title)
        for f in selectors.organization_project_funds(org_a)
    ]
    assert shown["funds"][0].spent == Decimal("400.00")
    assert shown["expenditures"] == list(selectors.organization_expenditures(org_a)[:3])
    assert [e.budget_line.category for e in shown["expenditures"]] == ["materials"] * 3
    assert shown["disbursements"] == list(selectors.organization_disbursements(org_a)[:3])
    assert len(selectors.organization_finance(org_a, limit=100)["expenditures"]) == 4


def test_budget_against_actual_shows_on_the_staff_and_portal_project_pages(funded, people, org_a):
    services.expenditure_approve(expenditure=_claim(funded, people, "7400.00"), by=people["finance_officer"])
    for user, url in (
        (people["programme_officer"], reverse("projects:staff_detail", args=[funded.pk])),
        (people["a_viewer"], reverse("projects:portal_detail", args=[org_a.slug, funded.pk])),
    ):
        response = _client(user).get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert 'id="budget-vs-actual"' in body
        assert "¥7,400.00" in body and "¥600.00" in body and "92.5%" in body
        assert "Near its limit" in body


def test_a_draft_project_shows_no_budget_against_actual(org_a, people):
    p = project(org_a, status="draft")
    response = _client(people["a_admin"]).get(reverse("projects:portal_detail", args=[org_a.slug, p.pk]))
    assert response.status_code == 200
    assert 'id="budget-vs-actual"' not in response.content.decode()
