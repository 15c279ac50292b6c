"""Every write to money records. Each one is atomic, checks permission (unless called by the system, with
`by=None`, e.g. the signed notification endpoint) and posts exactly one ledger transaction through
`fundraising.ledger`."""

import time
from dataclasses import dataclass
from datetime import date as date_type
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from empowerment.dispatch import dispatch_once_sent_at
from empowerment.money import to_money

from . import bulk, ledger
from .ledger import Line, Posting
from .models import (
    Account,
    Allocation,
    Campaign,
    Channel,
    Disbursement,
    Donation,
    DonationNotification,
    Expenditure,
    Fund,
    Funder,
    Grant,
    GrantTranche,
    InKindGift,
    LedgerTransaction,
)


def _require(user, perm: str, obj=None) -> None:
    if user is not None and not user.has_perm(perm, obj):
        raise PermissionDenied


def _money(value, field: str = "amount") -> Decimal:
    if isinstance(value, float):
        raise TypeError("Money must not be a float.")
    try:
        amount = to_money(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    if amount <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    return amount


def _past(value: date_type, field: str) -> date_type:
    if not isinstance(value, date_type):
        raise ValidationError({field: _("Enter a valid date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})
    return value


def _as_field_error(exc: ValidationError, field: str = "amount") -> ValidationError:
    """Ledger refusals (insufficient balance, closed month) shown at the form field they concern."""
    if hasattr(exc, "error_dict"):
        return exc
    code = getattr(exc, "code", None) or (exc.error_list[0].code if exc.error_list else None)
    target = {"closed": "date", "future": "date"}.get(code, field)
    return ValidationError({target: exc.messages})


# Funds --------------------------------------------------------------------------------------------------


def fund_for_project(project) -> Fund:
    """The project's restricted fund, created on first use."""
    fund = Fund.objects.filter(project=project).first()
    if fund is None:
        try:
            with transaction.atomic():
                fund = Fund.objects.create(
                    code=f"project-{project.pk}",
                    name=project.title[:200],
                    kind=Fund.Kind.PROJECT,
                    restricted=True,
                    project=project,
                )
        except IntegrityError:
            fund = Fund.objects.get(project=project)
    return fund


# Donations ----------------------------------------------------------------------------------------------

BULK_BATCH = 1000


def donations_record_bulk(donations: list[Donation], *, by=None, memo_suffix: str = "") -> list[Donation]:
    """Save many new donations (each already checked by the caller: amount, date, fund, unique receipt and
    id) with their history rows, and post them to the ledger together: one transaction each, one chain
    lock for all. On PostgreSQL large batches go by COPY (fundraising.bulk), elsewhere by bulk_create.
    Call inside a database transaction; all or nothing."""
    if not donations:
        return []
    for d in donations:
        d.recorded_by = by
    copy = bulk.available(len(donations))
    if copy:  # ids first, so that the ledger transactions can name their donations
        for d, pk in zip(donations, bulk.reserve_ids(Donation, len(donations)), strict=True):
            d.pk = pk
    else:
        donations = bulk_create_with_history(donations, Donation, batch_size=BULK_BATCH, default_user=by)
        if any(d.pk is None for d in donations):  # databases that do not return ids from bulk inserts
            ids = {
                (c, r): pk
                for c, r, pk in Donation.objects.filter(
                    channel_id__in={d.channel_id for d in donations},
                    receipt_number__in=[d.receipt_number for d in donations],
                ).values_list("channel_id", "receipt_number", "pk")
            }
            for d in donations:
                d.pk = d.id = ids[(d.channel_id, d.receipt_number)]
    cash = ledger.cash_account()
    income = {}
    postings = []
    for d in donations:
        if d.channel_id not in income:
            income[d.channel_id] = ledger.income_account(d.channel)
        postings.append(
            Posting(
                date=d.received_on,
                memo=f"Donation {d.receipt_number} via {d.channel.name}{memo_suffix}",
                kind=LedgerTransaction.Kind.DONATION,
                lines=[Line(cash, d.fund, d.amount), Line(income[d.channel_id], d.fund, -d.amount)],
                source=d,
                created_by=by,
            )
        )
    transactions = ledger.ledger_post_many(
        postings, savepoint=False
    )  # the caller's transaction is all or nothing
    for d, tx in zip(donations, transactions, strict=True):
        d.ledger_transaction = tx
    if copy:
        bulk.copy_objects(Donation, donations)
        bulk.copy_objects(
            Donation.history.model, bulk.history_rows(Donation, donations, user=by, when=timezone.now())
        )
    else:
        Donation.objects.bulk_update(donations, ["ledger_transaction"], batch_size=BULK_BATCH)
    return donations


_RECORD_QUEUED = "fundraising:notifications-record-queued"
RECORD_GATHER_SECONDS = 1
# How far the clocks of two machines (the one that sent the recording task, the worker's, this one) may
# differ: a task sent less than RECORD_GATHER_SECONDS - RECORD_CLOCK_MARGIN ago has not started.
RECORD_CLOCK_MARGIN = 0.25


# When the recording task waiting now was sent (time.time() of the process that sent it), as this process
# last learned it: by sending it, or from the shared flag when another process had; see notifications_record_soon.
_record_sent_at = [float("-inf")]


def forget_record_sent() -> None:
    """Forget when the waiting recording task was sent (tests that empty the cache start afresh)."""
    _record_sent_at[0] = float("-inf")


def notifications_record_soon() -> None:
    """Ask a worker to record pending notifications (once, however many arrive before it starts; with
    in-process tasks they are recorded at once). A moment's wait gathers a burst into one batch.

    Called once a notification is committed. A task sent less than the gathering wait ago, less the margin
    for the clocks of two machines (RECORD_CLOCK_MARGIN), has not started (it waits RECORD_GATHER_SECONDS,
    however early a worker takes it), so it will find this notification: the shared flag is not asked for
    again, a round trip to the cache saved for most notifications of a giving day. The flag holds when its task
    was sent, so a process learns it also from a task another process sent. A time ahead of this process's
    clock (a clock set back) is not trusted: the flag is asked again."""
    from .tasks import record_notifications  # noqa: PLC0415

    eager = settings.CELERY_TASK_ALWAYS_EAGER
    if not eager and 0 <= time.time() - _record_sent_at[0] < RECORD_GATHER_SECONDS - RECORD_CLOCK_MARGIN:
        return
    sent_at = dispatch_once_sent_at(
        _RECORD_QUEUED, record_notifications, hold=30, countdown=RECORD_GATHER_SECONDS
    )
    if sent_at is not None:
        _record_sent_at[0] = sent_at


def notifications_record_all(*, limit: int = BULK_BATCH) -> int:
    """Record pending notifications a batch (one database transaction) at a time until none is left."""
    from django.core.cache import cache  # noqa: PLC0415

    cache.delete(_RECORD_QUEUED)
    total = 0
    while True:
        done = notifications_record(limit=limit)
        total += done
        if done < limit:
            return total


@transaction.atomic
def notifications_record(*, limit: int = BULK_BATCH, pks: list[int] | None = None) -> int:
    """Record the donations of pending platform notifications, oldest first, up to `limit` at once (one
    ledger posting for all). A notification whose donation id is already recorded (by an import of the
    platform's export, say) is linked to that donation; one whose receipt number is taken by another
    donation is marked failed with the reason, for a finance officer to look at. Safe to run twice and
    from several workers at once (rows are locked, skipping those another worker holds). Returns how many
    notifications were settled. `pks` limits it to those notifications (fundraising.notify.record_pending
    records a failing batch one notification at a time)."""
    pending = DonationNotification.objects.select_for_update(
        skip_locked=True, no_key=True, of=("self",)
    ).filter(status=DonationNotification.Status.PENDING)
    if pks is not None:
        pending = pending.filter(pk__in=pks)
    pending = list(pending.select_related("channel", "fund").order_by("pk")[:limit])
    if not pending:
        return 0
    now = timezone.now()
    # The condition of the partial unique index on (channel, donation id) is repeated, so that the
    # lookup uses it (PostgreSQL cannot infer it from a long IN list).
    by_id = {
        (c, e): (pk, amount, received_on)
        for c, e, pk, amount, received_on in Donation.objects.filter(
            channel_id__in={n.channel_id for n in pending}, external_id__in=[n.external_id for n in pending]
        )
        .exclude(external_id="")
        .values_list("channel_id", "external_id", "pk", "amount", "received_on")
    }
    receipts = set(
        Donation.objects.filter(
            channel_id__in={n.channel_id for n in pending},
            receipt_number__in=[n.receipt_number for n in pending],
        ).values_list("channel_id", "receipt_number")
    )
    last_closed = ledger.closed_through()
    settled, new, differing = [], [], []
    for n in pending:
        existing = by_id.get((n.channel_id, n.external_id))
        if existing is not None:
            n.status, n.donation_id = DonationNotification.Status.RECORDED, existing[0]
            if (existing[1], existing[2]) != (n.amount, n.received_on):
                differing.append((n, existing))  # linked, and shown to finance staff as a conflict
        elif last_closed and n.received_on < ledger._next_month(last_closed):
            n.status = DonationNotification.Status.FAILED
            n.error = _("%(month)s is closed: post the correction with a date in an open month.") % {
                "month": n.received_on.strftime("%Y-%m")
            }
        elif (n.channel_id, n.receipt_number) in receipts:
            n.status = DonationNotification.Status.FAILED
            n.error = _("Receipt number %(n)s is already used for %(channel)s.") % {
                "n": n.receipt_number,
                "channel": n.channel.name,
            }
        else:
            new.append(n)
            continue
        n.recorded_at = now
        settled.append(n)
    donations = donations_record_bulk(
        [
            Donation(
                channel=n.channel,
                external_id=n.external_id,
                receipt_number=n.receipt_number,
                amount=n.amount,
                received_on=n.received_on,
                donor_name=n.donor_name,
                show_name=n.show_name,
                fund=n.fund,
                campaign_id=n.campaign_id,
            )
            for n in new
        ]
    )
    for n, d in zip(new, donations, strict=True):
        n.donation_id = d.pk
    from .notify import conflicts_with_recorded, link_recorded  # noqa: PLC0415 - notify calls this module

    # One statement links every recorded notification to its donation by the ids known here.
    link_recorded(
        [(n.pk, n.donation_id) for n in [*new, *settled] if n.status != DonationNotification.Status.FAILED],
        recorded_at=now,
    )
    for n in settled:
        if n.status == DonationNotification.Status.FAILED:
            DonationNotification.objects.filter(pk=n.pk).update(
                status=n.status, error=n.error, recorded_at=now
            )
    if differing:
        conflicts_with_recorded(differing)
    return len(pending)


@transaction.atomic
def funder_save(*, funder: Funder) -> Funder:
    """Save a funder (the admin's form). When its kind changes, money already given by it counts under the
    new kind in every fund's figures by kind of funder, recomputed in the same transaction."""
    before = None
    if funder.pk:
        before = (
            Funder.objects.select_for_update().filter(pk=funder.pk).values_list("kind", flat=True).first()
        )
    funder.save()
    if before is not None and before != funder.kind:
        ledger.refresh_funder_figures(funder.pk)
    return funder


@transaction.atomic
def donation_record(
    *,
    channel: Channel,
    amount,
    received_on: date_type,
    fund: Fund,
    receipt_number: str,
    by=None,
    funder: Funder | None = None,
    donor_name: str = "",
    show_name: bool = False,
    campaign: Campaign | None = None,
    external_id: str = "",
    note: str = "",
    is_matching: bool = False,
    grant_tranche: GrantTranche | None = None,
) -> Donation:
    """Record a donation and post it: bank (fund) debit, channel income (fund) credit."""
    _require(by, "fundraising.manage_money")
    amount = _money(amount)
    _past(received_on, "received_on")
    receipt_number = (receipt_number or "").strip()
    if not receipt_number:
        raise ValidationError({"receipt_number": _("Enter the receipt number.")})
    if Donation.objects.filter(channel=channel, receipt_number=receipt_number).exists():
        raise ValidationError(
            {
                "receipt_number": _("Receipt number %(n)s is already used for %(channel)s.")
                % {"n": receipt_number, "channel": channel.name}
            }
        )
    if external_id and Donation.objects.filter(channel=channel, external_id=external_id).exists():
        raise ValidationError({"external_id": _("This donation has already been recorded.")})
    if campaign is not None and campaign.fund_id != fund.pk:
        raise ValidationError({"fund": _("A campaign's donations go to the campaign's designation.")})
    donation = Donation(
        channel=channel,
        amount=amount,
        received_on=received_on,
        fund=fund,
        receipt_number=receipt_number,
        funder=funder,
        donor_name=donor_name.strip()[:120],
        show_name=show_name,
        campaign=campaign,
        external_id=external_id,
        note=note[:255],
        is_matching=is_matching,
        grant_tranche=grant_tranche,
        recorded_by=by,
    )
    donation.full_clean()
    try:
        with transaction.atomic():
            donation.save()
    except IntegrityError:
        raise ValidationError(
            {"receipt_number": _("This receipt number or external id is already recorded.")}
        ) from None
    try:
        tx = ledger.ledger_post(
            date=received_on,
            memo=f"Donation {receipt_number} via {channel.name}",
            kind=LedgerTransaction.Kind.DONATION,
            lines=[
                Line(ledger.cash_account(), fund, amount),
                Line(ledger.income_account(channel), fund, -amount),
            ],
            source=donation,
            created_by=by,
        )
    except ValidationError as exc:
        raise _as_field_error(exc, "amount") from None
    Donation.objects.filter(pk=donation.pk).update(ledger_transaction=tx)
    donation.ledger_transaction = tx
    return donation


@transaction.atomic
def donation_reverse(*, donation: Donation, by, reason: str) -> Donation:
    """Undo a donation recorded by mistake, by a reversing transaction (refused if the money is spent)."""
    _require(by, "fundraising.manage_money")
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    if donation.status != Donation.Status.RECORDED:
        raise ValidationError(_("This donation has already been reversed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the donation is reversed.")})
    ledger.ledger_reverse(tx=donation.ledger_transaction, created_by=by, memo=f"Reversal: {reason}"[:255])
    # A reversed donation keeps no live official receipt: it is voided, with the reason, in this transaction.
    from .receipts.services import receipts_void_for_reversal  # noqa: PLC0415

    receipts_void_for_reversal(donation=donation, by=by, reason=reason)
    donation.status = Donation.Status.REVERSED
    fields = ["status", "note"]
    if donation.grant_tranche_id:
        # The money of a grant's tranche went back: the tranche is open again (overdue when past due, and
        # received anew when paid); the reversed donation's note and history still name it.
        tranche = donation.grant_tranche
        reason = f"{reason}; tranche {tranche.number} of grant {tranche.grant_id}"
        donation.grant_tranche = None
        fields.append("grant_tranche")
    donation.note = f"{donation.note} [{reason}]".strip()[:255]
    donation._history_user = by
    donation.save(update_fields=fields)
    return donation


@transaction.atomic
def tranche_receive(*, tranche: GrantTranche, receipt_number: str, received_on: date_type, by) -> Donation:
    """Record the payment of a grant tranche as a donation from the grant's funder."""
    _require(by, "fundraising.manage_money")
    tranche = GrantTranche.objects.select_for_update().select_related("grant").get(pk=tranche.pk)
    if Donation.objects.filter(grant_tranche=tranche).exists():
        raise ValidationError(_("This tranche has already been received."), code="received")
    _past(received_on, "received_on")
    last_closed = ledger.closed_through()
    if last_closed and received_on < ledger._next_month(last_closed):
        # A tranche is received on the day the money arrived; a closed month's books are not reopened for it.
        raise ValidationError(
            {
                "received_on": _("%(month)s is closed: a tranche is received with a date in an open month.")
                % {"month": received_on.strftime("%Y-%m")}
            }
        )
    grant = tranche.grant
    return donation_record(
        channel=grant.channel,
        amount=tranche.amount,
        received_on=received_on,
        fund=grant.fund,
        receipt_number=receipt_number,
        by=by,
        funder=grant.funder,
        donor_name=grant.funder.name,
        show_name=True,
        note=f"{grant.title}, tranche {tranche.number}",
        grant_tranche=tranche,
    )


@dataclass
class TrancheInput:
    """One row of a grant's tranche schedule as the finance officer typed it: `tranche` is the existing row
    (None for a new one); `delete` removes a tranche not yet received."""

    amount: Decimal | None
    due_on: date_type | None = None
    milestone: str = ""
    tranche: GrantTranche | None = None
    delete: bool = False


def _check_tranche(row: TrancheInput, position: int) -> None:
    label = _("Tranche %(n)s") % {"n": position}
    if isinstance(row.amount, float):
        raise TypeError("Money must not be a float.")
    try:
        amount = to_money(row.amount) if row.amount is not None else None
    except ValidationError:
        amount = None
    if amount is None or amount <= 0:
        raise ValidationError({"tranches": _("%(t)s: the amount must be more than zero.") % {"t": label}})
    if row.due_on is None and not row.milestone.strip():
        raise ValidationError({"tranches": _("%(t)s: give a due date or a milestone.") % {"t": label}})


@transaction.atomic
def grant_save(
    *,
    by,
    grant: Grant | None = None,
    funder: Funder,
    kind: str,
    title: str,
    reference: str = "",
    signed_on: date_type,
    fund: Fund,
    channel: Channel,
    total,
    tranches: list[TrancheInput],
) -> Grant:
    """Create or change a grant or government service contract and its tranche schedule, all or nothing.

    Tranches already received are fixed (their money is in the ledger): they cannot be changed or removed and
    the total cannot drop below them. The tranches together may not exceed the agreement's total. New
    tranches are numbered after the existing ones. History is written for the grant and each tranche."""
    _require(by, "fundraising.manage_money")
    total = _money(total, "total")
    _past(signed_on, "signed_on")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the agreement's title.")})
    if kind not in Grant.Kind.values:
        raise ValidationError({"kind": _("Choose a grant or a government service contract.")})
    if grant is not None:
        grant = Grant.objects.select_for_update().get(pk=grant.pk)
        existing = {
            t.pk: t for t in GrantTranche.objects.select_for_update().filter(grant=grant).order_by("number")
        }
    else:
        existing = {}
    received_ids = set(
        Donation.objects.filter(grant_tranche__in=list(existing)).values_list("grant_tranche_id", flat=True)
    )
    kept: list[TrancheInput] = []
    for position, row in enumerate(tranches, start=1):
        current = row.tranche
        if current is not None and current.pk not in existing:
            raise ValidationError({"tranches": _("This tranche belongs to another agreement.")})
        if current is not None and current.pk in received_ids:
            old = existing[current.pk]
            if row.delete or (row.amount, row.due_on, row.milestone.strip()) != (
                old.amount,
                old.due_on,
                old.milestone,
            ):
                raise ValidationError(
                    {
                        "tranches": _(
                            "Tranche %(n)s has been received: it can no longer be changed or removed."
                        )
                        % {"n": old.number}
                    }
                )
        if row.delete:
            continue
        _check_tranche(row, position)
        row.amount = to_money(row.amount)
        row.milestone = row.milestone.strip()
        kept.append(row)
    listed = {row.tranche.pk for row in tranches if row.tranche is not None}
    received = sum((existing[pk].amount for pk in received_ids), Decimal("0.00"))
    if received > total:
        raise ValidationError(
            {
                "total": _("%(received)s yuan has already been received; the total cannot be less.")
                % {"received": f"{received:,.2f}"}
            }
        )
    # Tranches of this grant not listed at all stay as they are.
    untouched = [t for pk, t in existing.items() if pk not in listed]
    scheduled = sum((row.amount for row in kept), Decimal("0.00")) + sum(
        (t.amount for t in untouched), Decimal("0.00")
    )
    if scheduled > total:
        raise ValidationError(
            {
                "total": _(
                    "The tranches add up to %(sum)s yuan, more than the agreement's total of %(total)s yuan. "
                    "Lower a tranche or raise the total."
                )
                % {"sum": f"{scheduled:,.2f}", "total": f"{total:,.2f}"}
            }
        )
    grant = grant or Grant()
    for field, value in {
        "funder": funder,
        "kind": kind,
        "title": title,
        "reference": (reference or "").strip(),
        "signed_on": signed_on,
        "fund": fund,
        "channel": channel,
        "total": total,
    }.items():
        setattr(grant, field, value)
    grant.full_clean()
    grant._history_user = by
    grant.save()
    kept_ids = {row.tranche.pk for row in kept if row.tranche is not None}
    for row in tranches:
        if row.delete and row.tranche is not None:
            doomed = existing[row.tranche.pk]
            doomed._history_user = by
            doomed.delete()
    number = max([t.number for pk, t in existing.items() if pk in kept_ids or pk not in listed] or [0])
    for row in kept:
        if row.tranche is not None:
            tranche = existing[row.tranche.pk]
            if (tranche.amount, tranche.due_on, tranche.milestone) == (row.amount, row.due_on, row.milestone):
                continue
        else:
            number += 1
            tranche = GrantTranche(grant=grant, number=number)
        tranche.amount, tranche.due_on, tranche.milestone = row.amount, row.due_on, row.milestone
        tranche.full_clean()
        tranche._history_user = by
        tranche.save()
    return grant


@transaction.atomic
def campaign_record_matching(
    *, campaign: Campaign, receipt_number: str, received_on: date_type, by
) -> Donation:
    """Record the partner's matching gift owed for the campaign's donations so far (up to the cap)."""
    from .selectors import campaign_progress  # noqa: PLC0415

    _require(by, "fundraising.manage_money")
    if campaign.matching_partner_id is None or campaign.matching_ratio <= 0:
        raise ValidationError(_("This campaign has no matching partner."))
    owed = campaign_progress(campaign)["matching_owed"]
    if owed <= 0:
        raise ValidationError(_("No matching gift is owed at the moment."))
    return donation_record(
        channel=campaign.channel,
        amount=owed,
        received_on=received_on,
        fund=campaign.fund,
        receipt_number=receipt_number,
        by=by,
        funder=campaign.matching_partner,
        donor_name=campaign.matching_partner.name,
        show_name=True,
        campaign=campaign,
        is_matching=True,
        note=_("Matching gift"),
    )


@transaction.atomic
def in_kind_record(
    *,
    kind: str,
    description: str,
    value,
    basis: str,
    received_on: date_type,
    fund: Fund,
    by,
    funder: Funder | None = None,
    giver_name: str = "",
    hours=None,
) -> InKindGift:
    """Record goods, a venue, a service or volunteer labour at a stated value; posted to in-kind accounts
    only, so fund balances and cash totals do not include it."""
    _require(by, "fundraising.manage_money")
    value = _money(value, "value")
    _past(received_on, "received_on")
    if not basis.strip():
        raise ValidationError({"basis": _("State how the value was set.")})
    if kind == InKindGift.Kind.VOLUNTEER and not hours:
        raise ValidationError({"hours": _("Give the number of hours of volunteer labour.")})
    gift = InKindGift(
        kind=kind,
        description=description,
        value=value,
        basis=basis,
        received_on=received_on,
        fund=fund,
        funder=funder,
        giver_name=giver_name,
        hours=hours,
        recorded_by=by,
    )
    gift.full_clean()
    gift.save()
    use, income = ledger.in_kind_accounts(kind)
    try:
        tx = ledger.ledger_post(
            date=received_on,
            memo=f"In kind ({kind}): {description}"[:255],
            kind=LedgerTransaction.Kind.IN_KIND,
            lines=[Line(use, fund, value), Line(income, fund, -value)],
            source=gift,
            created_by=by,
        )
    except ValidationError as exc:
        raise _as_field_error(exc, "value") from None
    InKindGift.objects.filter(pk=gift.pk).update(ledger_transaction=tx)
    gift.ledger_transaction = tx
    return gift


# Allocations and disbursements ---------------------------------------------------------------------------


@transaction.atomic
def allocation_create(
    *, from_fund: Fund, to_fund: Fund, amount, allocated_on: date_type, by, note: str = ""
) -> Allocation:
    """Move money from the general fund (or a community fund) to another fund, e.g. a project's."""
    _require(by, "fundraising.manage_money")
    amount = _money(amount)
    _past(allocated_on, "allocated_on")
    if from_fund.kind == Fund.Kind.PROJECT:
        raise ValidationError({"from_fund": _("A project's restricted fund cannot be allocated elsewhere.")})
    if from_fund.pk == to_fund.pk:
        raise ValidationError({"to_fund": _("Choose a different fund to allocate to.")})
    allocation = Allocation(
        from_fund=from_fund,
        to_fund=to_fund,
        amount=amount,
        allocated_on=allocated_on,
        note=note,
        created_by=by,
    )
    allocation.full_clean()
    allocation.save()
    cash = ledger.cash_account()
    try:
        tx = ledger.ledger_post(
            date=allocated_on,
            memo=f"Allocation from {from_fund.code} to {to_fund.code}",
            kind=LedgerTransaction.Kind.ALLOCATION,
            lines=[Line(cash, to_fund, amount), Line(cash, from_fund, -amount)],
            source=allocation,
            created_by=by,
        )
    except ValidationError as exc:
        raise _as_field_error(exc) from None
    Allocation.objects.filter(pk=allocation.pk).update(ledger_transaction=tx)
    allocation.ledger_transaction = tx
    return allocation


@transaction.atomic
def disbursement_create(*, project, amount, paid_on: date_type, by, note: str = "") -> Disbursement:
    """Pay the next tranche of a project's fund to its organization (an advance)."""
    _require(by, "fundraising.manage_money")
    amount = _money(amount)
    _past(paid_on, "paid_on")
    fund = fund_for_project(project)
    ledger.lock_funds([fund])  # tranche numbers of one project are given out one at a time
    last = (
        Disbursement.objects.filter(project=project)
        .order_by("-tranche")
        .values_list("tranche", flat=True)
        .first()
    )
    disbursement = Disbursement(
        fund=fund,
        project=project,
        organization_id=project.organization_id,
        tranche=(last or 0) + 1,
        amount=amount,
        paid_on=paid_on,
        note=note,
        created_by=by,
    )
    disbursement.full_clean()
    disbursement.save()
    try:
        tx = ledger.ledger_post(
            date=paid_on,
            memo=f"Disbursement {disbursement.tranche} to organization {project.organization_id}",
            kind=LedgerTransaction.Kind.DISBURSEMENT,
            lines=[Line(ledger.advances_account(), fund, amount), Line(ledger.cash_account(), fund, -amount)],
            source=disbursement,
            created_by=by,
        )
    except ValidationError as exc:
        raise _as_field_error(exc) from None
    Disbursement.objects.filter(pk=disbursement.pk).update(ledger_transaction=tx)
    disbursement.ledger_transaction = tx
    return disbursement


# Expenditures -------------------------------------------------------------------------------------------


@transaction.atomic
def expenditure_submit(
    *,
    project,
    budget_line,
    amount,
    spent_on: date_type,
    description: str,
    payee: str,
    document,
    by,
    invoice_number: str = "",
    classification: str = Account.Classification.PROGRAMME,
    paid_from: str = Expenditure.PaidFrom.ADVANCE,
    over_budget_reason: str = "",
) -> Expenditure:
    """Record an expenditure against one of the project's budget lines, with its invoice or receipt
    (already checked with empowerment.uploads.clean_document). It waits for a finance officer.

    The budget rule: a claim that takes its line over the line's amount (counting what was approved and
    what waits for approval) is refused unless `over_budget_reason` says why; the reason is stored on the
    expenditure, shown to the approver and kept in its history. The line is locked while it is checked, so
    two claims submitted at once cannot both slip under it."""
    from .selectors.budget import claim_over_budget  # noqa: PLC0415 - selectors import this module's models

    _require(by, "fundraising.record_expenditure", project)
    amount = _money(amount)
    _past(spent_on, "spent_on")
    if budget_line.project_id != project.pk:
        raise ValidationError({"budget_line": _("Choose a budget line of this project.")})
    if not document:
        raise ValidationError({"document": _("Attach the invoice or receipt.")})
    budget_line = type(budget_line).objects.select_for_update().get(pk=budget_line.pk)
    over_budget_reason = (over_budget_reason or "").strip()
    over = claim_over_budget(budget_line, amount)
    if over is not None and not over_budget_reason:
        raise ValidationError({"over_budget_reason": over_budget_message(over)})
    if over is None:
        over_budget_reason = ""  # only a claim that goes over the line carries a reason
    expenditure = Expenditure(
        project=project,
        budget_line=budget_line,
        organization_id=project.organization_id,
        amount=amount,
        spent_on=spent_on,
        description=description,
        payee=payee,
        document=document,
        invoice_number=invoice_number,
        classification=classification,
        paid_from=paid_from,
        over_budget_reason=over_budget_reason[:500],
        submitted_by=by,
    )
    expenditure.full_clean()
    expenditure._history_user = by
    expenditure.save()
    return expenditure


def over_budget_message(over: dict) -> str:
    """The warning a claimant reads when a claim would take its budget line over its amount."""
    figures = {k: f"{over[k]:,.2f}" for k in ("amount", "spent", "waiting", "available")}
    figures["over"] = f"{over['over_by']:,.2f}"
    return (
        _(
            "This claim takes the budget line over its amount by %(over)s yuan (line %(amount)s, approved "
            "%(spent)s, waiting for approval %(waiting)s, still available %(available)s). It is accepted only "
            "with a stated reason for going over the budget, which the approver reads."
        )
        % figures
    )


@transaction.atomic
def expenditure_approve(*, expenditure: Expenditure, by, note: str = "") -> Expenditure:
    """Approve and post, dated on the day the money was spent (`spent_on`; in the first open month, with
    `occurred_on`, when that month is closed): expense (category, classification) debit; the fund's
    advances (or bank) credit. Locks the expenditure, then the project's fund, checks the balance and posts in one transaction, so
    concurrent approvals can never take the fund below zero."""
    _require(by, "fundraising.manage_money")
    expenditure = (
        Expenditure.objects.select_for_update()
        .select_related("budget_line", "project")
        .get(pk=expenditure.pk)
    )
    if expenditure.status != Expenditure.Status.SUBMITTED:
        raise ValidationError(_("This expenditure has already been decided."))
    _check_budget_on_approval(expenditure)
    fund = fund_for_project(expenditure.project)
    credit = (
        ledger.advances_account()
        if expenditure.paid_from == Expenditure.PaidFrom.ADVANCE
        else ledger.cash_account()
    )
    try:
        # Spending counts when the money was spent (the receipt's date), whatever the day of approval; a
        # date in a closed month is posted today as a prior-period adjustment (fundraising.ledger).
        tx = ledger.ledger_post(
            date=expenditure.spent_on,
            memo=f"Expenditure {expenditure.pk}: {expenditure.description}"[:255],
            kind=LedgerTransaction.Kind.EXPENDITURE,
            lines=[
                Line(
                    ledger.expense_account(expenditure.budget_line.category, expenditure.classification),
                    fund,
                    expenditure.amount,
                ),
                Line(credit, fund, -expenditure.amount),
            ],
            source=expenditure,
            created_by=by,
        )
    except ValidationError as exc:
        raise ValidationError(exc.messages) from None
    expenditure.status = Expenditure.Status.APPROVED
    expenditure.decided_by = by
    expenditure.decided_at = timezone.now()
    expenditure.decision_note = note[:500]
    expenditure.ledger_transaction = tx
    expenditure.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "ledger_transaction"]
    )
    return expenditure


def _check_budget_on_approval(expenditure: Expenditure) -> None:
    """The budget rule again at approval (the line may have filled up since the claim): approving what takes
    the line's approved spending over its amount needs the claimant's stated reason."""
    from .selectors.budget import budget_line_position  # noqa: PLC0415

    line = type(expenditure.budget_line).objects.select_for_update().get(pk=expenditure.budget_line_id)
    position = budget_line_position(line, exclude_pk=expenditure.pk)
    if position["spent"] + expenditure.amount > position["amount"] and not expenditure.over_budget_reason:
        raise ValidationError(
            _(
                "Approving this takes the budget line's approved spending to %(after)s yuan, over its amount "
                "of %(amount)s yuan, and the claim states no reason for going over the budget. Reject it "
                "with a note so that the organization can claim again with a reason."
            )
            % {
                "after": f"{position['spent'] + expenditure.amount:,.2f}",
                "amount": f"{position['amount']:,.2f}",
            },
            code="over_budget",
        )


@transaction.atomic
def expenditure_reject(*, expenditure: Expenditure, by, note: str) -> Expenditure:
    _require(by, "fundraising.manage_money")
    expenditure = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
    if expenditure.status != Expenditure.Status.SUBMITTED:
        raise ValidationError(_("This expenditure has already been decided."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the expenditure is rejected; the organization reads it.")})
    expenditure.status = Expenditure.Status.REJECTED
    expenditure.decided_by = by
    expenditure.decided_at = timezone.now()
    expenditure.decision_note = note[:500]
    expenditure.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return expenditure


@transaction.atomic
def expenditure_reverse(*, expenditure: Expenditure, by, reason: str) -> Expenditure:
    _require(by, "fundraising.manage_money")
    expenditure = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
    if expenditure.status != Expenditure.Status.APPROVED:
        raise ValidationError(_("Only an approved expenditure can be reversed."))
    if not reason.strip():
        raise ValidationError({"note": _("Say why the expenditure is reversed.")})
    ledger.ledger_reverse(tx=expenditure.ledger_transaction, created_by=by, memo=f"Reversal: {reason}"[:255])
    expenditure.status = Expenditure.Status.REVERSED
    expenditure.decision_note = f"{expenditure.decision_note} [{reason}]".strip()[:500]
    expenditure.save(update_fields=["status", "decision_note"])
    return expenditure
