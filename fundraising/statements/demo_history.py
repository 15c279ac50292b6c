"""Demo: the programme's books of the previous calendar year, before the demo year that fundraising.demo
records (it starts eleven months before today), so the demo has a closed year whose statements render.

Run before fundraising.demo (seed_demo's order): in the months of last year that come before the demo year,
a company's gift and a service contract paid to the general fund, a civil-affairs subsidy and online gifts to
the first public project's fund, an allocation, an advance to the organization, its expenditures
(programme, management and fundraising costs) and an in-kind gift, all through the services; then those
months are closed. Idempotent (its marker is the company's gift); skipped when the ledger already has
postings (a second run, or books kept for real)."""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from empowerment.uploads import clean_document

from .. import ledger, services
from ..models import Account, Channel, Donation, Expenditure, Funder, LedgerEntry

MARKER = "DEMO-PY-0001"


def _window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days of last year before the demo year (at least its January)."""
    demo_start = (today - relativedelta(months=11)).replace(day=1)
    first = datetime.date(today.year - 1, 1, 1)
    last = min(demo_start - datetime.timedelta(days=1), datetime.date(today.year - 1, 12, 31))
    return first, last


def seed(ctx) -> None:
    projects = [p for p in ctx.data.get("projects", []) if p.is_public]
    if (
        not projects
        or Donation.objects.filter(receipt_number=MARKER).exists()
        or LedgerEntry.objects.exists()
    ):
        return
    from ..demo import _receipt_pdf  # noqa: PLC0415 - the demo's blank receipt

    finance = get_user_model().objects.get(email="finance@demo.example")
    first, last = _window(timezone.localdate())
    span = (last - first).days

    def on(fraction: float) -> datetime.date:
        return first + datetime.timedelta(days=int(span * fraction))

    def channel(code, name, kind):
        return Channel.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]

    bank = channel("bank", "Foundation bank account", Channel.Kind.BANK)
    contract = channel("gov-contract", "Government purchase of services", Channel.Kind.CONTRACT)
    subsidy = channel("civil-affairs-subsidy", "Civil affairs bureau subsidy", Channel.Kind.GRANT)
    online = channel("tencent", "Tencent charity platform", Channel.Kind.ONLINE)
    company = Funder.objects.get_or_create(name="包头市鹿城稀土材料有限公司", kind=Funder.Kind.ENTERPRISE)[0]
    bureau = Funder.objects.get_or_create(name="包头市昆都仑区民政局", kind=Funder.Kind.GOVERNMENT)[0]
    general = ledger.general_fund()
    project = projects[0]
    fund = services.fund_for_project(project)
    pdf = _receipt_pdf()
    numbers = iter(range(2, 10**6))

    def give(day, amount, channel, fund, funder=None, receipt=None):
        services.donation_record(
            channel=channel,
            amount=Decimal(amount),
            received_on=day,
            fund=fund,
            receipt_number=receipt or f"DEMO-PY-{next(numbers):04d}",
            by=finance,
            funder=funder,
            donor_name=funder.name if funder else "",
            show_name=funder is not None,
        )

    def spend(day, amount, category, classification, paid_from, description):
        line = project.budget_lines.filter(category=category).first() or project.budget_lines.first()
        expenditure = services.expenditure_submit(
            project=project,
            budget_line=line,
            amount=Decimal(amount),
            spent_on=day,
            description=description,
            payee="社区综合服务中心",
            document=clean_document(ContentFile(pdf, name="receipt.pdf")),
            by=finance,
            invoice_number=f"PY{next(numbers):06d}",
            classification=classification,
            paid_from=paid_from,
            over_budget_reason="上年度试点活动，经理事会批准。",
        )
        services.expenditure_approve(expenditure=expenditure, by=finance)

    give(on(0.0), "120000.00", bank, general, company, receipt=MARKER)
    give(on(0.1), "80000.00", subsidy, fund, bureau)
    give(on(0.15), "60000.00", contract, general, bureau)
    for k, amount in enumerate(["50.00", "100.00", "200.00", "66.00", "500.00", "88.00"]):
        give(on(0.2 + k * 0.05), amount, online, fund)
    services.allocation_create(
        from_fund=general, to_fund=fund, amount=Decimal("30000.00"), allocated_on=on(0.3), by=finance
    )
    services.disbursement_create(project=project, amount=Decimal("60000.00"), paid_on=on(0.35), by=finance)
    programme = Account.Classification.PROGRAMME
    spend(on(0.45), "18000.00", "activities", programme, Expenditure.PaidFrom.ADVANCE, "试点活动（上年度）")
    spend(on(0.6), "12500.00", "personnel", programme, Expenditure.PaidFrom.ADVANCE, "社工劳务补贴（上年度）")
    spend(on(0.7), "6000.00", "management", Account.Classification.MANAGEMENT, "bank", "管理费分摊（上年度）")
    spend(
        on(0.8), "1500.00", "materials", Account.Classification.FUNDRAISING, "bank", "募捐宣传材料（上年度）"
    )
    services.in_kind_record(
        kind="goods",
        description="血压计二十台（上年度）",
        value=Decimal("4000.00"),
        basis="市场价格",
        received_on=on(0.5),
        fund=fund,
        by=finance,
        funder=company,
        giver_name=company.name,
    )
    ledger.period_close(month=last.replace(day=1), closed_by=finance, note="上年度结账")
    ctx.stdout.write(f"  statements: last year's books from {first} to {last}, closed")
