"""Demo official receipts: every recorded gift of the funders who gave most often this year gets its
receipt (one of them voided for a misspelt payer and reissued), a few people who gave without a funder record
get theirs with an email, so the register, its export, the donors' screens and their year-end statements
all have something to show. Idempotent: nothing is added once a receipt exists."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ..models import Donation, OfficialReceipt
from . import services

CODE = "15010126"


def _issued_on(donation: Donation) -> datetime.date:
    return min(timezone.localdate(), donation.received_on + datetime.timedelta(days=3))


def seed(ctx) -> None:
    if OfficialReceipt.objects.exists():
        return
    finance = get_user_model().objects.filter(email="finance@demo.example").first()
    if finance is None:
        return
    year_start = timezone.localdate().replace(month=1, day=1)
    recorded = Donation.objects.filter(status=Donation.Status.RECORDED)
    # The funders whose gifts this year fall in the most different months: donors with gifts across the year.
    funders = list(
        recorded.filter(funder__isnull=False, received_on__gte=year_start - datetime.timedelta(days=365))
        .annotate(month=TruncMonth("received_on"))
        .values("funder")
        .annotate(months=Count("month", distinct=True))
        .order_by("-months", "funder")
        .values_list("funder", flat=True)[:4]
    )
    issued = []
    for donation in (
        recorded.filter(funder__in=funders).select_related("funder").order_by("received_on", "pk")
    ):
        issued.append(
            services.receipt_issue(donation=donation, by=finance, code=CODE, issued_on=_issued_on(donation))
        )
    people = recorded.filter(funder__isnull=True).exclude(donor_name="").order_by("-received_on", "pk")[:3]
    for k, donation in enumerate(people):
        issued.append(
            services.receipt_issue(
                donation=donation,
                by=finance,
                code=CODE,
                issued_on=_issued_on(donation),
                payer_email=f"donor{k + 1}@example.org",
            )
        )
    if issued:
        first = issued[0]
        services.receipt_reissue(
            receipt=first,
            by=finance,
            reason="交款人名称有误（少写“会”字），收回原票据换开",
            code=CODE,
            issued_on=timezone.localdate(),
            payer_name=first.payer_name,
        )
    ctx.stdout.write(f"  {len(issued)} official receipts issued, one voided and reissued")
