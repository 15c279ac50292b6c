"""Grants and government service contracts, their tranches, and in-kind gifts: the finance officers' reads.

Definitions (one place for each figure the grant screens show):

- **received**: the tranches paid, i.e. the amounts of the recorded (not reversed) donations that received them
  (`tranche_receive` posts each one to the ledger once; a reversed receipt is a reversal in the ledger, so the
  net received there is the same figure).
- **outstanding**: the agreement's total less what was received (never below zero).
- **next due**: the earliest due date among the tranches not received yet.
- **overdue**: a tranche with a due date before today that has not been received.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from ..models import Donation, Grant, GrantTranche, InKindGift
from .books import MONEY, ZERO, money

_RECORDED = Donation.Status.RECORDED


def _received_subquery():
    rows = (
        Donation.objects.filter(grant_tranche__grant=OuterRef("pk"), status=_RECORDED)
        .order_by()
        .values("grant_tranche__grant")
        .annotate(s=Sum("amount"))
        .values("s")[:1]
    )
    return Coalesce(Subquery(rows, output_field=MONEY), Value(ZERO, output_field=MONEY))


def grants_with_money(grants: QuerySet[Grant] | None = None, *, today: date | None = None) -> QuerySet[Grant]:
    """Grants annotated with `received`, `outstanding`, `next_due` (date or None), `overdue_count` and
    `tranche_count`; a fixed number of queries however many grants."""
    today = today or timezone.localdate()
    grants = Grant.objects.all() if grants is None else grants
    open_tranche = Q(tranches__donation__isnull=True)
    return (
        grants.select_related("funder", "fund", "channel")
        .annotate(
            received=_received_subquery(),
            next_due=Min("tranches__due_on", filter=open_tranche),
            overdue_count=Count("tranches", filter=open_tranche & Q(tranches__due_on__lt=today)),
            tranche_count=Count("tranches"),
        )
        .annotate(
            outstanding=Greatest(
                F("total") - F("received"), Value(ZERO, output_field=MONEY), output_field=MONEY
            )
        )
        .order_by("-signed_on", "-pk")
    )


def grant_list(*, kind: str = "", overdue_only: bool = False) -> QuerySet[Grant]:
    grants = grants_with_money()
    if kind:
        grants = grants.filter(kind=kind)
    if overdue_only:
        grants = grants.filter(overdue_count__gt=0)
    return grants


def grant_totals(grants: QuerySet[Grant]) -> dict[str, Decimal]:
    """Total, received and outstanding over the listed grants (the rows above it add up to it)."""
    rows = list(grants.values_list("total", "received", "outstanding"))
    return {
        "total": money(sum((r[0] for r in rows), ZERO)),
        "received": money(sum((money(r[1]) for r in rows), ZERO)),
        "outstanding": money(sum((money(r[2]) for r in rows), ZERO)),
    }


def grant_schedule(grant: Grant, *, today: date | None = None) -> dict:
    """The grant's tranches (tranches_with_state), `scheduled` (their sum) and `unscheduled` (the part of the
    total no tranche covers yet)."""
    tranches = tranches_with_state(grant, today=today)
    scheduled = money(sum((t.amount for t in tranches), ZERO))
    return {"tranches": tranches, "scheduled": scheduled, "unscheduled": money(grant.total) - scheduled}


def tranches_with_state(grant: Grant, *, today: date | None = None) -> list[GrantTranche]:
    """The grant's tranches in order, each with `receipt` (the recorded donation or None) and `overdue`."""
    today = today or timezone.localdate()
    tranches = list(GrantTranche.objects.filter(grant=grant).select_related("donation").order_by("number"))
    for t in tranches:
        donation = getattr(t, "donation", None)
        t.receipt = donation
        t.is_received = donation is not None
        t.overdue = donation is None and t.due_on is not None and t.due_on < today
    return tranches


def grant_detail(pk: int) -> Grant | None:
    return grants_with_money(Grant.objects.filter(pk=pk)).first()


def overdue_tranches(*, today: date | None = None) -> QuerySet[GrantTranche]:
    """Tranches past their due date and not received, the longest overdue first."""
    today = today or timezone.localdate()
    received = Donation.objects.filter(grant_tranche=OuterRef("pk"))
    return (
        GrantTranche.objects.filter(due_on__lt=today)
        .exclude(Exists(received))
        .select_related("grant", "grant__funder")
        .order_by("due_on", "grant_id", "number")
    )


def overdue_total(tranches: QuerySet[GrantTranche]) -> Decimal:
    return money(tranches.aggregate(s=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY))["s"])


def grant_with_tranches(pk: int) -> Grant | None:
    """A grant for its edit form: its tranches prefetched with their donations."""
    return (
        Grant.objects.filter(pk=pk)
        .prefetch_related(
            Prefetch("tranches", queryset=GrantTranche.objects.select_related("donation").order_by("number"))
        )
        .first()
    )


# In-kind gifts -----------------------------------------------------------------------------------------


def in_kind_list(*, kind: str = "") -> QuerySet[InKindGift]:
    gifts = InKindGift.objects.select_related("funder", "fund", "recorded_by").order_by("-received_on", "-pk")
    if kind:
        gifts = gifts.filter(kind=kind)
    return gifts


def in_kind_totals(gifts: QuerySet[InKindGift]) -> dict:
    """The stated value and volunteer hours of the listed gifts (kept apart from every cash figure)."""
    row = gifts.aggregate(
        value=Coalesce(Sum("value"), Value(ZERO), output_field=MONEY), hours=Sum("hours"), n=Count("pk")
    )
    return {"value": money(row["value"]), "hours": row["hours"], "count": row["n"]}
