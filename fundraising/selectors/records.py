"""Reads of single money records: the donation lookup, a project's fund, an organization's own records and
its data export."""

from decimal import Decimal
from functools import partial

from django.db.models import QuerySet

from empowerment.querysets import compiled_once

from ..models import Channel, Disbursement, Donation, Expenditure, Fund
from .books import funds_with_money


def project_fund(project) -> Fund | None:
    """The project's fund (a project has at most one): the one read with the project where it was
    (select_related("fund")), else read now."""
    descriptor = type(project).fund
    if descriptor.is_cached(project):
        return descriptor.related.get_cached_value(project)
    return Fund.objects.filter(project=project).first()


def donation_lookup(receipt_number: str, amount: Decimal) -> Donation | None:
    """A donation by its receipt number and exact amount (both are needed: a receipt number alone does not
    reveal a gift). Read channel by channel through the unique index on (channel, receipt number): a few
    probes, with no index of its own on the receipt number (a write more for every imported gift)."""
    return (
        Donation.objects.filter(
            channel__in=Channel.objects.all(), receipt_number=receipt_number.strip(), amount=amount
        )
        .order_by("channel_id")
        .select_related("fund", "fund__project", "channel", "campaign")
        .first()
    )


def organization_expenditures(organization) -> QuerySet[Expenditure]:
    return (
        Expenditure.objects.filter(organization=organization)
        .select_related("project", "budget_line", "decided_by")
        .order_by("-spent_on", "-pk")
    )


def organization_expenditure(organization, pk) -> Expenditure | None:
    return organization_expenditures(organization).filter(pk=pk).first()


def organization_disbursements(organization) -> QuerySet[Disbursement]:
    return (
        Disbursement.objects.filter(organization=organization).select_related("project").order_by("-paid_on")
    )


def organization_project_funds(organization) -> QuerySet[Fund]:
    """The organization's project funds with `spent` and `disbursed` from the ledger (books)."""
    return funds_with_money(
        Fund.objects.filter(project__organization=organization).select_related("project")
    ).order_by("name")


def organization_finance(organization, *, limit: int = 100) -> dict:
    """What the portal's finance page shows of an organization: its project funds with their money
    (`organization_project_funds`) and its latest `limit` expenditures and disbursements, each read
    compiled once (`compiled_once`), as every visit to the page makes them."""
    pk = organization.pk
    return {
        "funds": compiled_once("organization project funds", organization_project_funds, organization=pk),
        "expenditures": compiled_once(
            f"organization expenditures, {limit}",
            partial(_latest, organization_expenditures, limit),
            organization=pk,
        ),
        "disbursements": compiled_once(
            f"organization disbursements, {limit}",
            partial(_latest, organization_disbursements, limit),
            organization=pk,
        ),
    }


def _latest(read, limit: int, organization) -> QuerySet:
    return read(organization)[:limit]


# Organization data export -------------------------------------------------------------------------------


def organization_export_tables(organization) -> dict[str, list[dict]]:
    """The money rows of one organization for its data export: donations designated to its projects'
    funds (the donor's name only when the donor agreed to show it; never contact details, notes or
    receipt numbers), disbursements paid to it and its expenditures. A fixed number of queries."""
    donations = (
        Donation.objects.filter(fund__project__organization=organization)
        .select_related("funder", "channel", "campaign", "fund__project")
        .order_by("received_on", "pk")
    )
    return {
        "donations": [
            {
                "id": d.pk,
                "project_id": d.fund.project_id,
                "fund": d.fund.name,
                "received_on": d.received_on,
                "amount": d.amount,
                "channel": d.channel.name,
                "campaign": d.campaign.title if d.campaign_id else "",
                "matching_gift": d.is_matching,
                "status": d.status,
                "donor": d.public_name,
            }
            for d in donations
        ],
        "disbursements": list(
            Disbursement.objects.filter(organization=organization)
            .order_by("paid_on", "pk")
            .values("id", "project_id", "project__title", "tranche", "amount", "paid_on", "note")
        ),
        "expenditures": list(
            Expenditure.objects.filter(organization=organization)
            .order_by("spent_on", "pk")
            .values(
                "id",
                "project_id",
                "budget_line_id",
                "budget_line__description",
                "description",
                "payee",
                "amount",
                "spent_on",
                "classification",
                "paid_from",
                "invoice_number",
                "document",
                "status",
                "submitted_at",
                "decided_at",
                "decision_note",
            )
        ),
    }
