"""Factories and helpers for money records. Money is always recorded through the services so that every
fixture has its ledger transaction, as in production."""

import datetime
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fundraising import ledger, services
from fundraising.models import Campaign, Channel, Fund, Funder
from organizations.models import Theme
from projects.models import BudgetLine, Project

# A minimal valid PDF (its content type is recognised by its first bytes).
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"bank-{n}")
    name = factory.Sequence(lambda n: f"Bank account {n}")
    kind = Channel.Kind.BANK


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder

    name = factory.Sequence(lambda n: f"Funder {n}")
    kind = Funder.Kind.ENTERPRISE


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    code = factory.Sequence(lambda n: f"community-{n}")
    name = factory.Sequence(lambda n: f"Community fund {n}")
    kind = Fund.Kind.COMMUNITY
    restricted = True


def project(
    organization, *, title="Health checks for older residents", slug=None, status="active", lines=None
):
    """A project of `organization` with budget lines (category, amount)."""
    theme, _ = Theme.objects.get_or_create(slug="older-people", defaults={"name": "Older people"})
    p = Project.objects.create(
        organization=organization,
        title=title,
        slug=slug or f"p-{Project.objects.count() + 1}-{organization.slug}",
        theme=theme,
        community=organization.area,
        status=status,
    )
    for category, amount in lines or [("activities", "20000.00"), ("materials", "8000.00")]:
        BudgetLine.objects.create(
            project=p, category=category, description=f"{category} costs", amount=Decimal(amount)
        )
    return p


def receipt_file(name="invoice.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


_receipt_counter = iter(range(1, 10**9))


def donate(*, fund=None, amount="1000.00", channel=None, by=None, received_on=None, **kwargs):
    channel = channel or ChannelFactory(code="bank-main", name="Bank account")
    return services.donation_record(
        channel=channel,
        amount=amount,
        received_on=received_on or timezone.localdate(),
        fund=fund or ledger.general_fund(),
        receipt_number=kwargs.pop("receipt_number", f"R{next(_receipt_counter):06d}"),
        by=by,
        **kwargs,
    )


def campaign(fund, channel=None, **kwargs):
    today = timezone.localdate()
    defaults = dict(
        slug="warm-winter",
        title="A warm winter for older residents",
        summary="Health checks and home visits for 200 older residents in Baotou.",
        story="Every winter ...",
        goal=Decimal("50000.00"),
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=20),
        fund=fund,
        channel=channel or ChannelFactory(code="platform", name="Online platform", kind=Channel.Kind.ONLINE),
        published=True,
    )
    defaults.update(kwargs)
    return Campaign.objects.create(**defaults)
