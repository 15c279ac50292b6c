"""Demo money: about 800,000 yuan across the channels for the demo projects, a general programme fund, a
community fund, a campaign with matching, allocations, disbursements and receipted expenditures, all through
the ledger services. Idempotent: a second run finds its marker donation and changes nothing."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from . import ledger, services
from .models import Campaign, Channel, Donation, Fund, Funder, InKindGift

MARKER = "DEMO-GOV-001"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def seed(ctx) -> None:
    if Donation.objects.filter(receipt_number=MARKER).exists():
        return
    finance = get_user_model().objects.filter(email="finance@demo.example").first()
    today = timezone.localdate()
    start = today - datetime.timedelta(days=150)

    def day(n):
        return min(today, start + datetime.timedelta(days=n))

    channels = {
        code: Channel.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]
        for code, name, kind in [
            ("bank", "Foundation bank account", Channel.Kind.BANK),
            ("gov-contract", "Government purchase of services", Channel.Kind.CONTRACT),
            ("tencent", "Tencent charity platform", Channel.Kind.ONLINE),
            ("community-box", "Community collection", Channel.Kind.CASH),
        ]
    }
    funders = {
        key: Funder.objects.get_or_create(name=name, kind=kind)[0]
        for key, name, kind in [
            ("civil", "Baotou Civil Affairs Bureau", Funder.Kind.GOVERNMENT),
            ("partner", "Partner Charity Foundation", Funder.Kind.FOUNDATION),
            ("steel", "Baotou Steel Community Fund", Funder.Kind.ENTERPRISE),
            ("residents", "Tuanjie residents", Funder.Kind.COMMUNITY),
            ("platform", "Tencent charity platform", Funder.Kind.PLATFORM),
        ]
    }
    general = ledger.general_fund()
    community, _ = Fund.objects.get_or_create(
        code="tuanjie-community",
        defaults={"name": "Tuanjie community fund", "kind": Fund.Kind.COMMUNITY, "restricted": True},
    )
    projects = list(ctx.data.get("projects", []))
    project_funds = [services.fund_for_project(p) for p in projects]
    n = iter(range(1, 100000))

    def give(channel, amount, fund, when, funder=None, **kw):
        return services.donation_record(
            channel=channels[channel],
            amount=Decimal(amount),
            received_on=day(when),
            fund=fund,
            receipt_number=kw.pop("receipt_number", f"DEMO-{next(n):05d}"),
            by=finance,
            funder=funder,
            donor_name=kw.pop("donor_name", funder.name if funder else ""),
            show_name=kw.pop("show_name", bool(funder)),
            **kw,
        )

    # Unrestricted money to the programme: 410,000 from the government contract and the partner foundation.
    give("gov-contract", "250000.00", general, 1, funders["civil"], receipt_number=MARKER)
    give("bank", "160000.00", general, 5, funders["partner"])
    # Designated gifts: enterprises and residents to projects and the community fund (~380,000).
    for i, fund in enumerate(project_funds):
        give("bank", f"{15000 + 1000 * (i % 5)}.00", fund, 10 + i, funders["steel"])
        give("community-box", f"{2000 + 150 * i}.00", fund, 20 + i, funders["residents"])
    give("community-box", "50000.00", community, 25, funders["residents"])
    give("bank", "30000.00", community, 30, funders["steel"])
    # Internet fundraising: a campaign with matching from the partner foundation.
    target = project_funds[0] if project_funds else community
    campaign, _ = Campaign.objects.get_or_create(
        slug="warm-winter-for-elders",
        defaults=dict(
            title="A warm winter for older residents",
            summary="Health checks, risk alerts and home visits for older people living alone in Baotou.",
            story="Older residents living alone in Tuanjie community face winter alone. Volunteers visit them, "
            "health checks catch risks early, and alerts reach families in time.",
            goal=Decimal("60000.00"),
            starts_on=day(40),
            ends_on=day(40) + datetime.timedelta(days=60),
            fund=target,
            channel=channels["tencent"],
            matching_partner=funders["partner"],
            matching_ratio=Decimal("0.50"),
            matching_cap=Decimal("15000.00"),
            published=True,
        ),
    )
    for i in range(40):
        give(
            "tencent",
            f"{50 + (i * 37) % 900}.00",
            target,
            40 + i // 2,
            None,
            campaign=campaign,
            donor_name=f"Donor {i + 1}",
            show_name=i % 3 != 0,
            external_id=f"TX-DEMO-{i:04d}",
        )
    # Allocations of general funds to each project, tranches to organizations, receipted expenditures.
    for i, (project, fund) in enumerate(zip(projects, project_funds, strict=True)):
        services.allocation_create(
            from_fund=general, to_fund=fund, amount=Decimal("18000.00"), allocated_on=day(60 + i), by=finance
        )
        services.disbursement_create(
            project=project, amount=Decimal("20000.00"), paid_on=day(70 + i), by=finance
        )
        lines = list(project.budget_lines.all()[:3])
        for j, line in enumerate(lines):
            expenditure = services.expenditure_submit(
                project=project,
                budget_line=line,
                amount=Decimal(f"{1200 + 350 * j + 40 * i}.00"),
                spent_on=day(80 + i + j),
                description=f"{line.get_category_display()}: {line.description}"[:255],
                payee="Local supplier",
                document=ContentFile(PDF, name=f"receipt-{i}-{j}.pdf"),
                by=finance,
                invoice_number=f"INV-{i:02d}{j}",
            )
            if j < 2:
                services.expenditure_approve(expenditure=expenditure, by=finance)
    services.in_kind_record(
        kind=InKindGift.Kind.VOLUNTEER,
        description="Home visits by the volunteer team",
        value=Decimal("9600.00"),
        basis="320 hours × 30 yuan (local minimum hourly wage)",
        hours=Decimal("320"),
        received_on=day(90),
        fund=community,
        by=finance,
    )
    services.in_kind_record(
        kind=InKindGift.Kind.VENUE,
        description="Community hall for training days",
        value=Decimal("4000.00"),
        basis="8 days × 500 yuan market rent",
        received_on=day(95),
        fund=general,
        by=finance,
    )
    ctx.data["campaign"] = campaign
