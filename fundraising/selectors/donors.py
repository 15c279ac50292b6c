"""Reads for donors: the official receipt register, whether a donation's receipt was issued, who a donor is
and a donor's year-end statement.

A donor is a Funder (all its donations), or a person who gave without a funder record, known by the payer
(name, email, phone) on the official receipts issued to them: their gifts are the donations whose live receipt
names that same payer. A statement never holds a gift of another donor: a funder's statement reads its own
donations only, a person's the donations receipted to exactly that name and contact.

Every money figure here is summed by the database; where the money went is `books.fund_money`, the one
definition the public pages use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from ..models import Donation, Funder, OfficialReceipt
from ..receipts.models import LIVE_STATES
from .books import MONEY, ZERO, fund_money, money

# What a gift amounts to ----------------------------------------------------------------------------------


def _part_refunds():
    """The sum of a donation's part refunds (refund lines of a platform's bill that left it standing; a
    whole refund reverses the donation instead), for a subquery on the outer donation."""
    from ..bills.models import BillLine  # noqa: PLC0415 - bills' models import the donation's

    return (
        BillLine.objects.filter(donation=OuterRef("pk"), kind=BillLine.Kind.REFUND)
        .order_by()
        .values("donation")
        .annotate(s=Sum("amount"))
        .values("s")
    )


def with_net_amount(donations: QuerySet[Donation]) -> QuerySet[Donation]:
    """Donations annotated with `refunded` (their part refunds) and `net_amount` (what the donor gave and
    kept giving: the amount less the part refunds), the amount an official receipt and a donor's statement
    state."""
    return donations.annotate(
        refunded=Coalesce(Subquery(_part_refunds(), output_field=MONEY), Value(ZERO, output_field=MONEY)),
    ).annotate(net_amount=F("amount") - F("refunded"))


def net_amount(donation: Donation) -> Decimal:
    """A standing donation's amount less its part refunds (see `with_net_amount`)."""
    row = with_net_amount(Donation.objects.filter(pk=donation.pk)).values("net_amount").first()
    return money(row["net_amount"]) if row else ZERO


# The register --------------------------------------------------------------------------------------------


def receipt_register(
    *,
    state: str = "",
    year: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    donor: str = "",
) -> QuerySet[OfficialReceipt]:
    """The official receipts, newest first, filtered by state ("live" for issued and reissued), year or dates
    of issue, and payer (name, funder's name or the serial's number, contains)."""
    qs = OfficialReceipt.objects.select_related(
        "donation", "donation__fund", "donation__channel", "funder", "replaces", "voided_by", "replaced_by"
    )
    if state == "live":
        qs = qs.filter(state__in=LIVE_STATES)
    elif state == "attention":
        qs = qs.filter(state__in=LIVE_STATES, donation__status=Donation.Status.REVERSED)
    elif state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(issued_on__gte=date(year, 1, 1), issued_on__lte=date(year, 12, 31))
    if date_from:
        qs = qs.filter(issued_on__gte=date_from)
    if date_to:
        qs = qs.filter(issued_on__lte=date_to)
    donor = (donor or "").strip()
    if donor:
        qs = qs.filter(Q(payer_name__icontains=donor) | Q(funder__name__icontains=donor) | Q(number=donor))
    return qs.order_by("-issued_on", "-pk")


def receipt_register_totals(receipts: QuerySet[OfficialReceipt]) -> dict:
    """How many receipts the filtered register holds and the amount of its live ones."""
    row = receipts.order_by().aggregate(live=Sum("amount", filter=Q(state__in=LIVE_STATES)))
    return {"count": receipts.count(), "live_amount": money(row["live"])}


def receipts_needing_void() -> int:
    """Live receipts of donations reversed by a path that did not void them (to be voided by hand)."""
    return OfficialReceipt.objects.filter(
        state__in=LIVE_STATES, donation__status=Donation.Status.REVERSED
    ).count()


def receipt_detail(pk: int) -> OfficialReceipt | None:
    return (
        OfficialReceipt.objects.select_related(
            "donation", "donation__fund", "donation__channel", "donation__funder", "funder", "replaces"
        )
        .filter(pk=pk)
        .first()
    )


def receipt_years() -> list[int]:
    return list(
        OfficialReceipt.objects.annotate(y=ExtractYear("issued_on"))
        .order_by("-y")
        .values_list("y", flat=True)
        .distinct()
    )


def live_receipt(donation: Donation) -> OfficialReceipt | None:
    """The donation's live official receipt, if one was issued."""
    return OfficialReceipt.objects.filter(donation=donation, state__in=LIVE_STATES).first()


def with_receipt_issued(donations: QuerySet[Donation]) -> QuerySet[Donation]:
    """Donations annotated with `official_receipt_issued`: whether a live official receipt exists (one
    subquery, whatever the number of rows)."""
    return donations.annotate(
        official_receipt_issued=Exists(
            OfficialReceipt.objects.filter(donation=OuterRef("pk"), state__in=LIVE_STATES)
        )
    )


def last_book_code() -> str:
    return OfficialReceipt.objects.order_by("-pk").values_list("code", flat=True).first() or ""


def receipt_numbers(code: str) -> list[str]:
    return list(OfficialReceipt.objects.filter(code=code).values_list("number", flat=True))


# Donors --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Donor:
    """Who a statement is for: `kind` "funder" (pk of the Funder) or "payer" (pk of an official receipt
    whose payer, name and contact, is the person)."""

    kind: str
    pk: int
    name: str
    email: str
    phone: str
    subject: object  # the Funder or the OfficialReceipt: the subject of the statement's document

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.pk}"


def donor_of(subject) -> Donor | None:
    if isinstance(subject, Funder):
        return Donor(
            "funder", subject.pk, subject.name, subject.contact_email, subject.contact_phone, subject
        )
    if isinstance(subject, OfficialReceipt):
        if subject.funder_id or subject.donation.funder_id:
            return donor_of(subject.funder or subject.donation.funder)
        return Donor(
            "payer", subject.pk, subject.payer_name, subject.payer_email, subject.payer_phone, subject
        )
    return None


def donor_get(kind: str, pk: int) -> Donor | None:
    if kind == "funder":
        funder = Funder.objects.filter(pk=pk).first()
        return donor_of(funder) if funder else None
    if kind == "payer":
        receipt = OfficialReceipt.objects.select_related("donation", "funder").filter(pk=pk).first()
        donor = donor_of(receipt) if receipt else None
        return donor if donor is not None and donor.kind == "payer" else None
    return None


def donor_for_receipt(receipt: OfficialReceipt) -> Donor:
    """The donor a receipt was issued to (its funder, or the person it names)."""
    return donor_of(receipt)


def _payer_q(donor: Donor, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}payer_name": donor.name,
            f"{prefix}payer_email": donor.email,
            f"{prefix}payer_phone": donor.phone,
            f"{prefix}state__in": LIVE_STATES,
            f"{prefix}funder__isnull": True,
        }
    )


def donor_donations(donor: Donor) -> QuerySet[Donation]:
    """Every donation of the donor (reversed ones included), newest first."""
    if donor.kind == "funder":
        qs = Donation.objects.filter(funder_id=donor.pk)
    else:
        payer = OfficialReceipt.objects.filter(_payer_q(donor), donation=OuterRef("pk"))
        qs = Donation.objects.filter(Exists(payer), funder__isnull=True)
    return with_receipt_issued(qs.select_related("fund", "fund__project", "campaign", "channel")).order_by(
        "-received_on", "-pk"
    )


def donor_years(donor: Donor) -> list[int]:
    return sorted(
        {d.year for d in donor_donations(donor).values_list("received_on", flat=True)}, reverse=True
    )


def donors_list(query: str = "", limit: int = 200) -> list[Donor]:
    """Funders who gave (by name) and the people named on live receipts without a funder, for the staff
    donor screen."""
    query = (query or "").strip()
    funders = Funder.objects.filter(Exists(Donation.objects.filter(funder=OuterRef("pk"))))
    payers = OfficialReceipt.objects.filter(state__in=LIVE_STATES, funder__isnull=True, donation__funder=None)
    if query:
        funders = funders.filter(name__icontains=query)
        payers = payers.filter(payer_name__icontains=query)
    donors = [donor_of(f) for f in funders.order_by("name")[:limit]]
    seen = set()
    for receipt in payers.select_related("donation").order_by("payer_name", "pk")[: limit * 5]:
        identity = (receipt.payer_name, receipt.payer_email, receipt.payer_phone)
        if identity not in seen:
            seen.add(identity)
            donors.append(donor_of(receipt))
    return donors


def donor_statement(donor: Donor, year: int) -> dict:
    """A donor's year-end statement: their gifts received in `year` (not reversed), each with its date,
    amount net of part refunds (`with_net_amount`), designation (fund, campaign, project) and its official receipt; `total` (summed by the
    database); and for each fund the gifts went to, where its money went (`books.fund_money`, the public
    definition: spending by category and itemised, disbursed to the organization, allocations to other
    funds, balance). Gifts later reversed are listed apart, never counted."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    in_year = donor_donations(donor).filter(received_on__gte=start, received_on__lte=end)
    gifts = with_net_amount(in_year.filter(status=Donation.Status.RECORDED)).order_by("received_on", "pk")
    receipts = {
        r.donation_id: r
        for r in OfficialReceipt.objects.filter(donation__in=gifts, state__in=LIVE_STATES).only(
            "donation_id", "code", "number", "issued_on"
        )
    }
    gift_rows = [{"donation": d, "receipt": receipts.get(d.pk)} for d in gifts]
    total = money(gifts.order_by().aggregate(s=Sum("net_amount", output_field=MONEY))["s"])
    funds = []
    seen = set()
    for row in gift_rows:
        fund = row["donation"].fund
        if fund.pk not in seen:
            seen.add(fund.pk)
            funds.append(fund_money(fund))
    return {
        "donor": donor,
        "year": year,
        "gifts": gift_rows,
        "count": len(gift_rows),
        "total": total if gift_rows else ZERO,
        "reversed": list(in_year.filter(status=Donation.Status.REVERSED).order_by("received_on", "pk")),
        "funds": funds,
    }


def receipt_by_number(number: str, amount) -> OfficialReceipt | None:
    """A live receipt by its number and the exact amount (both: a number alone does not reveal a gift)."""
    return (
        OfficialReceipt.objects.filter(number=(number or "").strip(), amount=amount, state__in=LIVE_STATES)
        .select_related("donation", "funder")
        .order_by("-pk")
        .first()
    )
