"""Demo: the chart of accounts mapped with the default lines, and last year closed, so the staff screens show
the previous calendar year's three statements (its books are seeded by fundraising.statements.demo_history
and fundraising.demo). Idempotent."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from .. import ledger
from ..models import LedgerMonthTotal
from .mapping import mapping_apply_defaults


def seed(ctx) -> None:
    written = mapping_apply_defaults(by=None)
    year = timezone.localdate().year - 1
    december = datetime.date(year, 12, 1)
    closed = ledger.closed_through()
    has_books = LedgerMonthTotal.objects.filter(month__year=year).exists()
    if has_books and (closed is None or closed < december):
        finance = get_user_model().objects.filter(email="finance@demo.example").first()
        if finance is not None:
            ledger.period_close(month=december, closed_by=finance, note="年度结账")
    ctx.stdout.write(f"  statements: {written} accounts mapped to their default lines; {year} closed")
