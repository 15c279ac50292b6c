"""Reads of the ledger's published checkpoints and of its last proven verification (all public)."""

from datetime import date as date_type

from django.db.models import Max, QuerySet

from ..models import LedgerCheckpoint, LedgerVerification


def published_checkpoints() -> QuerySet[LedgerCheckpoint]:
    """Every checkpoint, the latest first (they are public from the moment they are taken)."""
    return LedgerCheckpoint.objects.order_by("-seq", "-pk")


def checkpoint_by_code(code: str) -> LedgerCheckpoint | None:
    return LedgerCheckpoint.objects.filter(code=(code or "").strip()).first()


def checkpoint_at(day: date_type) -> LedgerCheckpoint | None:
    """The latest checkpoint taken on or before `day` (the one a report of a period ending that day
    prints)."""
    return LedgerCheckpoint.objects.filter(taken_on__lte=day).order_by("-taken_on", "-seq", "-pk").first()


def last_taken_at():
    """When the latest checkpoint was taken (for the open-data files' Last-Modified and ETag)."""
    return LedgerCheckpoint.objects.aggregate(m=Max("created_at"))["m"]


def last_verification() -> LedgerVerification | None:
    """The latest successful full run of verify_ledger."""
    return LedgerVerification.objects.select_related("checkpoint").order_by("-verified_at", "-pk").first()
