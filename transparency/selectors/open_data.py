"""The open datasets' rows: only what is public; projects not yet published appear as one summary row
(open_data_unpublished), never by name, so every dataset still adds up to the books."""

from django.db.models import Case, Count, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from fundraising import selectors as books
from fundraising.models import Donation, Expenditure, Grant, LedgerChain, LedgerEntry, LedgerTransaction
from fundraising.selectors import checkpoints as checkpoint_selectors
from organizations import selectors as org_selectors
from organizations.models import Organization
from projects import selectors as project_selectors
from projects.models import Project

from .common import public_projects
from .directories import with_money

MONEY = books.MONEY
ZERO = books.ZERO


def open_organizations() -> QuerySet[Organization]:
    return org_selectors.published_profiles().select_related("area").order_by("pk")


def open_projects() -> QuerySet[Project]:
    return with_money(public_projects().select_related("organization", "theme", "community")).order_by("pk")


def open_unpublished() -> dict:
    """The projects not yet published as one line (count and all-time sums): books.unpublished_summary."""
    return books.unpublished_summary(None)


def open_unpublished_donations() -> dict:
    """Donations (still recorded) into the funds of projects not yet published: count and sum, no names."""
    agg = (
        Donation.objects.filter(status=Donation.Status.RECORDED)
        .filter(books.unpublished_fund_q())
        .aggregate(n=Count("pk"), s=Sum("amount"))
    )
    return {"count": agg["n"] or 0, "amount": books.money(agg["s"])}


def open_unpublished_expenditures() -> dict:
    """Approved expenditures of projects not yet published: count and sum, no names."""
    agg = (
        Expenditure.objects.filter(status=Expenditure.Status.APPROVED)
        .exclude(project_selectors.public_project_q("project__"))
        .aggregate(n=Count("pk"), s=Sum("amount"))
    )
    return {"count": agg["n"] or 0, "amount": books.money(agg["s"])}


def open_grants() -> QuerySet[Grant]:
    """Grants and contracts into public funds, with the amount received so far (the tranches' donations,
    net of reversals, from the ledger)."""
    received = (
        books.cash_entries()
        .filter(account__type="income")
        .annotate(
            grant_id=Coalesce(
                "transaction__donation__grant_tranche__grant",
                "transaction__reverses__donation__grant_tranche__grant",
            )
        )
        .filter(grant_id=OuterRef("pk"))
        .order_by()
        .values("grant_id")
        .annotate(s=-Sum("amount"))
        .values("s")[:1]
    )
    return (
        Grant.objects.select_related(
            "funder", "fund", "fund__project", "fund__project__organization", "channel"
        )
        .filter(books.public_fund_q())
        .annotate(received=Coalesce(Subquery(received, output_field=MONEY), Value(ZERO, output_field=MONEY)))
        .order_by("pk")
    )


def open_donations() -> QuerySet[Donation]:
    return (
        Donation.objects.filter(status=Donation.Status.RECORDED)
        .filter(books.public_fund_q())
        .select_related("funder", "channel", "fund", "fund__project", "campaign")
        .order_by("pk")
    )


def open_expenditures() -> QuerySet[Expenditure]:
    return (
        Expenditure.objects.filter(status=Expenditure.Status.APPROVED)
        .filter(project_selectors.public_project_q("project__"))
        .select_related("project", "organization", "budget_line", "ledger_transaction")
        .order_by("pk")
    )


def open_ledger() -> QuerySet[LedgerEntry]:
    """The public ledger: the entries with their place in the hash chain (a large import's entries appear
    once chained, just after it commits)."""
    return (
        books.cash_entries()
        .filter(seq__isnull=False)
        .select_related("transaction", "account", "fund", "fund__project")
        .annotate(fund_public=Case(When(books.public_fund_q(), then=Value(True)), default=Value(False)))
        .order_by("seq")
    )


def iati_projects() -> QuerySet[Project]:
    """Public projects with at least one indicator (their results)."""
    return (
        with_money(public_projects().filter(indicators__isnull=False).distinct())
        .select_related("organization", "theme", "community")
        .prefetch_related("indicators", "budget_lines")
        .order_by("pk")
    )


def last_changed() -> timezone.datetime | None:
    """When the published data last changed (for Last-Modified): the newest ledger or project change."""
    from django.db.models import Max  # noqa: PLC0415

    candidates = [
        LedgerTransaction.objects.aggregate(m=Max("created_at"))["m"],
        Project.objects.aggregate(m=Max("updated_at"))["m"],
        Organization.history.aggregate(m=Max("history_date"))["m"],
        Donation.history.aggregate(m=Max("history_date"))["m"],
        Expenditure.history.aggregate(m=Max("history_date"))["m"],
        checkpoint_selectors.last_taken_at(),  # a day's checkpoint may come without any new posting
        # A large import's entries join the public ledger when chained, after their transactions' creation.
        LedgerChain.objects.values_list("chained_at", flat=True).first(),
    ]
    candidates = [c for c in candidates if c is not None]
    return max(candidates) if candidates else None
