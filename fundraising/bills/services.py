"""Importing a bill: the dry run (what would be recorded, row by row, with every problem at its row) and
the import, all or nothing, of exactly what the dry run showed.

Money as the platforms move it, through the ledger (fundraising.ledger):
- a gift is a donation recorded at its gross amount into the platform's clearing account
  (`asset:clearing:<channel>`, money the platform holds for the fund) from the channel's income;
- the platform's fee is a fundraising cost (`expense:fundraising:platform-fees`) paid from the clearing
  account, by the fund the gift went to; a fee returned with a refund goes back;
- a refund of the whole gift reverses the donation's posting (the donation is then reversed); a part
  refund takes the amount back from income (an adjustment naming the bill line);
- a payout moves money from the clearing account to the bank (`asset:bank`), fund by fund in the order of
  the funds' ids, as far as each fund's money at the platform goes.
A bank statement's lines are stored for reconciliation (fundraising.bills.reconcile); they post nothing.

Each event is stored once per channel, kind and the platform's id (a database constraint): a bill imported
twice or two bills that overlap add nothing twice; a gift whose order is already recorded as a donation of
the channel (by a notification or an earlier import) is not recorded again.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from empowerment.money import CENT

from .. import ledger
from ..importing import ImportFileError, max_bytes
from ..ledger import Line, Posting
from ..models import Account, Channel, Donation, Fund, LedgerEntry, LedgerTransaction
from ..receipts.services import receipts_reissue_for_part_refund, receipts_void_for_reversal
from . import presets
from .models import BankLine, BillLine, PlatformBill

PREVIEW_LIMIT = 500
ERROR_LIMIT = 500
KIND_ORDER = {
    BillLine.Kind.GIFT: 0,
    BillLine.Kind.FEE: 1,
    BillLine.Kind.FEE_REFUND: 2,
    BillLine.Kind.REFUND: 3,
    BillLine.Kind.PAYOUT: 4,
    presets.BANK: 5,
}
FEE_CATEGORY = "platform-fees"


# Accounts (the codes agreed for the statements' mapping) ---------------------------------------------------


def clearing_code(channel: Channel) -> str:
    return f"asset:clearing:{channel.code}"


def clearing_account(channel: Channel) -> Account:
    """The money a platform holds for the funds before it pays out: an asset of the funds."""
    return ledger._account(
        clearing_code(channel),
        name=f"Held by {channel.name} before payout",
        type=Account.Type.ASSET,
        channel=channel,
    )


def fee_account() -> Account:
    return ledger.expense_account(FEE_CATEGORY, Account.Classification.FUNDRAISING)


def _require(by) -> None:
    if by is None or not by.has_perm("fundraising.manage_money"):
        raise PermissionDenied


def payout_splits(held: dict[int, Decimal], amount: Decimal) -> list[tuple[int, Decimal]] | None:
    """How a platform's payout of `amount` leaves its clearing account: (fund id, amount) fund by fund in the
    order of the funds' ids, as far as each fund's money at the platform (`held`) goes; None when the
    platform holds less than `amount`."""
    splits, remaining = [], amount
    for fund_id in sorted(held):
        take = min(held[fund_id], remaining)
        if take > 0:
            splits.append((fund_id, take))
            remaining -= take
        if remaining == 0:
            break
    return splits if remaining <= 0 else None


def payout_lines(splits, funds: dict, *, cash: Account, clearing: Account) -> list[Line]:
    """The ledger lines of a payout: each fund's share from the clearing account to the bank."""
    lines = []
    for fund_id, amount in splits:
        lines += [Line(cash, funds[fund_id], amount), Line(clearing, funds[fund_id], -amount)]
    return lines


# The plan: what a bill would record ------------------------------------------------------------------------


@dataclass
class Planned:
    event: presets.Event
    fund_id: int | None = None
    gift: str = ""  # the order of the gift a fee or refund belongs to
    donation_id: int | None = None  # that gift's donation when it is already recorded
    full_refund: bool = False
    splits: list[tuple[int, Decimal]] = field(default_factory=list)

    def digest_row(self) -> list:
        e = self.event
        return [
            e.kind,
            e.key,
            e.occurred_on.isoformat(),
            f"{e.amount}",
            self.fund_id,
            self.gift,
            self.donation_id,
            self.full_refund,
            [(f, f"{a}") for f, a in self.splits],
            e.donor_name,
            e.reference,
            e.counterparty,
            e.counterparty_account,
            None if e.balance is None else f"{e.balance}",
        ]


@dataclass
class Plan:
    preset: str
    encoding: str
    rows: int
    new: list[Planned]
    duplicates: int
    errors: list[presets.RowError]

    def summary(self) -> dict:
        by_kind: dict[str, list] = {}
        for p in self.new:
            count, total = by_kind.get(p.event.kind, (0, Decimal(0)))
            by_kind[p.event.kind] = (count + 1, total + p.event.amount)
        digest = hashlib.sha256(
            json.dumps([p.digest_row() for p in self.new], ensure_ascii=False).encode()
        ).hexdigest()
        return {
            "rows": self.rows,
            "new": len(self.new),
            "duplicates": self.duplicates,
            "errors": len(self.errors),
            "by_kind": {k: {"count": c, "total": f"{t}"} for k, (c, t) in by_kind.items()},
            "digest": digest,
        }


def _designations() -> dict[str, int]:
    """What a charity platform's 项目名称 may name: a fund's code or name, or its project's title."""
    out = {}
    for pk, code, name, title in Fund.objects.values_list("pk", "code", "name", "project__title"):
        for label in (title, name, code):
            if label:
                out.setdefault(label.strip(), pk)
    return out


def _clearing_balances(channel: Channel) -> dict[int, Decimal]:
    rows = (
        LedgerEntry.objects.filter(account__code=clearing_code(channel))
        .values("fund_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    return {r["fund_id"]: Decimal(r["s"] or 0).quantize(CENT) for r in rows}


def plan_bill(*, channel: Channel, parsed: presets.Parsed, default_fund: Fund | None) -> Plan:
    """What importing the parsed bill would record, checked against the books: events already recorded
    (this bill before, or an overlapping one) are counted as duplicates; every problem is a row error."""
    errors = list(parsed.errors)
    bank = parsed.preset == PlatformBill.Preset.BANK
    if bank != (channel.kind == Channel.Kind.BANK):
        raise ValidationError(
            {
                "channel": _("A bank statement is imported into a bank account channel.")
                if bank
                else _("A platform's bill is imported into its platform channel, not a bank account.")
            }
        )
    events = sorted(parsed.events, key=lambda e: (e.occurred_on, KIND_ORDER[e.kind], e.row))
    today = timezone.localdate()
    last_closed = ledger.closed_through()
    first_open = ledger._next_month(last_closed) if last_closed else None
    default_fund_id = (default_fund or ledger.general_fund()).pk
    keys = {e.key for e in events}
    if bank:
        existing = {
            ("bank", k)
            for k in BankLine.objects.filter(channel=channel, external_id__in=keys).values_list(
                "external_id", flat=True
            )
        }
    else:
        existing = set(
            BillLine.objects.filter(channel=channel, external_id__in=keys).values_list("kind", "external_id")
        )
    orders = {e.order for e in events if e.order}
    donations = {
        ext: (pk, fund_id, amount, status)
        for ext, pk, fund_id, amount, status in Donation.objects.filter(
            channel=channel, external_id__in=orders
        ).values_list("external_id", "pk", "fund_id", "amount", "status")
    }
    by_reference = {
        ref: donation_id
        for ref, donation_id in BillLine.objects.filter(
            channel=channel,
            kind=BillLine.Kind.GIFT,
            reference__in={e.reference for e in events if e.reference},
        ).values_list("reference", "donation_id")
    }
    receipts = set(
        Donation.objects.filter(channel=channel, receipt_number__in={o[:64] for o in orders}).values_list(
            "receipt_number", flat=True
        )
    )
    refunded = defaultdict(Decimal)
    for donation_id, total in (
        BillLine.objects.filter(channel=channel, kind=BillLine.Kind.REFUND, donation__external_id__in=orders)
        .values_list("donation_id")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        refunded[donation_id] = Decimal(total or 0).quantize(CENT)
    designations = _designations() if parsed.preset == PlatformBill.Preset.CHARITY else {}
    clearing = defaultdict(Decimal, {} if bank else _clearing_balances(channel))
    file_gifts: dict[str, tuple[int, Decimal, str]] = {}  # order → (fund id, amount, reference)
    file_refunded: dict[str, Decimal] = defaultdict(Decimal)
    seen: dict[tuple[str, str], presets.Event] = {}
    new: list[Planned] = []
    duplicates = 0

    failed: set[str] = set()  # orders whose gift is in error: their fees and refunds are not planned

    def problem(e: presets.Event, column: str, message: str) -> None:
        errors.append(presets.RowError(e.row, column, message))
        if e.kind == BillLine.Kind.GIFT:
            failed.add(e.order)

    for e in events:
        key = (e.kind, e.key)
        if key in seen:
            first = seen[key]
            if (first.amount, first.occurred_on) == (e.amount, e.occurred_on):
                duplicates += 1
            else:
                problem(
                    e,
                    "",
                    _("The id %(id)s is already on row %(row)s of this file, with other values.")
                    % {"id": e.key, "row": first.row},
                )
            continue
        seen[key] = e
        if e.order in failed and e.kind != BillLine.Kind.GIFT:
            continue
        if key in existing:
            duplicates += 1
            continue
        if e.occurred_on > today:
            problem(e, "", _("The date cannot be in the future."))
            continue
        if first_open and e.occurred_on < first_open:
            problem(
                e,
                "",
                _("%(month)s is closed: post the correction with a date in an open month.")
                % {"month": e.occurred_on.strftime("%Y-%m")},
            )
            continue
        planned = Planned(event=e)
        if bank:
            new.append(planned)
            continue
        if e.kind == BillLine.Kind.GIFT:
            if e.order in donations:
                duplicates += 1  # recorded already, by a notification or another import
                continue
            if e.order[:64] in receipts:
                problem(
                    e,
                    "",
                    _("Receipt number %(n)s is already used for %(channel)s.")
                    % {"n": e.order[:64], "channel": channel.name},
                )
                continue
            fund_id = default_fund_id
            if e.designation:
                fund_id = designations.get(e.designation)
                if fund_id is None:
                    problem(
                        e,
                        "项目名称",
                        _("No fund or project is named “%(name)s”.") % {"name": e.designation},
                    )
                    continue
            planned.fund_id = fund_id
            file_gifts[e.order] = (fund_id, e.amount, e.reference)
            clearing[fund_id] += e.amount
            new.append(planned)
            continue
        if e.kind == BillLine.Kind.PAYOUT:
            splits = payout_splits(clearing, e.amount)
            if splits is None:
                problem(
                    e,
                    "",
                    _("The payout of %(amount)s is more than %(channel)s holds for the funds (%(held)s).")
                    % {
                        "amount": e.amount,
                        "channel": channel.name,
                        "held": sum((v for v in clearing.values() if v > 0), Decimal(0)),
                    },
                )
                continue
            planned.splits = splits
            for fund_id, take in planned.splits:
                clearing[fund_id] -= take
            planned.fund_id = planned.splits[0][0]
            new.append(planned)
            continue
        # A fee, a fee returned or a refund: it belongs to a gift of this file or already recorded.
        gift_fund = gift_amount = None
        if e.order in file_gifts:
            gift_fund, gift_amount, _ref = file_gifts[e.order]
            planned.gift = e.order
        elif e.order in donations:
            planned.donation_id, gift_fund, gift_amount, status = donations[e.order]
            if e.kind == BillLine.Kind.REFUND and status == Donation.Status.REVERSED:
                problem(e, "", _("The donation of order %(order)s is already reversed.") % {"order": e.order})
                continue
        elif e.reference and e.reference in by_reference:
            donation = (
                Donation.objects.filter(pk=by_reference[e.reference])
                .values_list("fund_id", "amount", "status")
                .first()
            )
            planned.donation_id = by_reference[e.reference]
            gift_fund, gift_amount, _status = donation
        if e.kind == BillLine.Kind.REFUND:
            if gift_fund is None:
                problem(
                    e,
                    "",
                    _(
                        "The refunded order %(order)s is not recorded: import the bill of the day it was paid first."
                    )
                    % {"order": e.order or e.reference},
                )
                continue
            done = refunded[planned.donation_id] if planned.donation_id else Decimal(0)
            done += file_refunded[e.order]
            if e.amount > gift_amount - done:
                problem(
                    e,
                    "",
                    _("The refund of %(amount)s is more than what is left of the gift (%(left)s).")
                    % {"amount": e.amount, "left": gift_amount - done},
                )
                continue
            planned.full_refund = done == 0 and e.amount == gift_amount
            file_refunded[e.order] += e.amount
        planned.fund_id = gift_fund if gift_fund is not None else default_fund_id
        clearing[planned.fund_id] += e.amount if e.kind == BillLine.Kind.FEE_REFUND else -e.amount
        if clearing[planned.fund_id] < 0:
            problem(
                e,
                "",
                _(
                    "%(channel)s would pay out more for this fund than it holds: import the earlier bills first."
                )
                % {"channel": channel.name},
            )
            continue
        new.append(planned)
    errors.sort(key=lambda r: r.row)
    return Plan(parsed.preset, parsed.encoding, parsed.rows, new, duplicates, errors)


def _read(bill: PlatformBill) -> bytes:
    with bill.file.open("rb") as f:
        return f.read()


def _plan_stored(bill: PlatformBill) -> Plan:
    parsed = presets.parse(_read(bill), preset=bill.preset)
    return plan_bill(channel=bill.channel, parsed=parsed, default_fund=bill.default_fund)


def _preview(plan: Plan) -> list[dict]:
    funds = dict(
        Fund.objects.filter(pk__in={p.fund_id for p in plan.new[:PREVIEW_LIMIT]}).values_list("pk", "name")
    )
    out = []
    for p in plan.new[:PREVIEW_LIMIT]:
        row = p.event.values()
        row["fund"] = funds.get(p.fund_id, "")
        row["full_refund"] = p.full_refund
        out.append(row)
    return out


# Services ---------------------------------------------------------------------------------------------------


@transaction.atomic
def bill_upload(
    *, channel: Channel, upload, by, preset: str = "", default_fund: Fund | None = None
) -> PlatformBill:
    """Store an uploaded bill and run its dry run. The layout is recognised from the header (or the one
    asked for is checked). A file that cannot be read at all is refused (ValidationError at the file)."""
    _require(by)
    if upload.size > max_bytes():
        raise ValidationError(
            {
                "file": _("The file is too large: %(size)s MB; the limit is %(limit)s MB.")
                % {"size": round(upload.size / 1048576, 1), "limit": round(max_bytes() / 1048576, 1)}
            }
        )
    data = upload.read()
    try:
        parsed = presets.parse(data, preset=preset)
    except ImportFileError as exc:
        raise ValidationError({"file": exc.messages}) from None
    plan = plan_bill(channel=channel, parsed=parsed, default_fund=default_fund)
    from django.core.files.base import ContentFile  # noqa: PLC0415

    from empowerment.uploads import safe_filename  # noqa: PLC0415

    bill = PlatformBill(
        channel=channel,
        preset=plan.preset,
        filename=safe_filename(upload.name, "bill")[:200],
        file_sha256=hashlib.sha256(data).hexdigest(),
        encoding=plan.encoding,
        default_fund=default_fund,
        uploaded_by=by,
        summary=plan.summary(),
        errors=[{"row": r.row, "field": r.field, "message": r.message} for r in plan.errors[:ERROR_LIMIT]],
        preview=_preview(plan),
    )
    bill.file.save(bill.filename, ContentFile(data), save=False)
    bill.full_clean(exclude=["file"])
    bill.save()
    return bill


def fingerprint(bill: PlatformBill) -> str:
    return f"{bill.file_sha256}:{bill.summary.get('digest', '')}"


def bill_import(*, bill: PlatformBill, by, shown: str | None = None) -> PlatformBill:
    """Record every new event of a dry-run bill, or none: the stored file is read again and planned again,
    and anything that differs from the dry run the officer saw (`shown`, the page's fingerprint) refuses
    the import. Then the platform's payouts and the bank lines are matched (fundraising.bills.reconcile)."""
    from . import reconcile  # noqa: PLC0415 - reconcile reads this module's accounts

    _require(by)
    with transaction.atomic():
        bill = (
            PlatformBill.objects.select_for_update(of=("self",))
            .select_related("channel", "default_fund")
            .get(pk=bill.pk)
        )
        if bill.status != PlatformBill.Status.PREVIEW:
            raise ValidationError(_("This bill is not waiting for confirmation."))
        if bill.errors:
            raise ValidationError(
                _(
                    "Correct the rows in error and upload the bill again: nothing is imported while any row is wrong."
                )
            )
        if not bill.summary.get("new"):
            raise ValidationError(_("There is nothing new to import."))
        if shown is not None and shown != fingerprint(bill):
            raise ValidationError(_("This is not the dry run you confirmed; check it again below."))
        if hashlib.sha256(_read(bill)).hexdigest() != bill.file_sha256:
            raise ValidationError(_("The stored file is not the file the dry run read. Upload it again."))
        plan = _plan_stored(bill)
        if plan.errors or plan.summary()["digest"] != bill.summary.get("digest"):
            raise ValidationError(
                _(
                    "The books changed since the dry run (another bill or a closed month), so this bill would "
                    "not be recorded as the dry run showed. Nothing was imported; upload it again for a new dry "
                    "run."
                )
            )
        try:
            _write(bill, plan, by)
        except IntegrityError:
            raise ValidationError(
                _("Another import recorded some of these events at the same time; upload the bill again.")
            ) from None
        bill.status = PlatformBill.Status.IMPORTED
        bill.imported_at = timezone.now()
        bill.save(update_fields=["status", "imported_at"])
        reconcile.match_all()
    return bill


def _post(posting: Posting, row: int) -> LedgerTransaction:
    try:
        return ledger.ledger_post_many([posting], savepoint=False)[0]
    except ValidationError as exc:
        raise ValidationError(
            _("Row %(row)s: %(problem)s") % {"row": row, "problem": " ".join(exc.messages)}
        ) from None


def _write(bill: PlatformBill, plan: Plan, by) -> None:
    channel = bill.channel
    if plan.preset == PlatformBill.Preset.BANK:
        for p in plan.new:
            e = p.event
            BankLine.objects.create(
                bill=bill,
                channel=channel,
                external_id=e.key,
                occurred_on=e.occurred_on,
                amount=e.amount,
                balance=e.balance,
                summary=e.reference[:200],
                counterparty=e.counterparty[:200],
                counterparty_account=e.counterparty_account[:100],
                row=e.row,
            )
        return
    funds = {
        f.pk: f
        for f in Fund.objects.filter(
            pk__in={p.fund_id for p in plan.new} | {f for p in plan.new for f, _a in p.splits}
        )
    }
    clearing = clearing_account(channel)
    income = ledger.income_account(channel)
    cash = ledger.cash_account()
    fees = fee_account()
    gifts: dict[str, Donation] = {}
    suffix = f" (bill {bill.pk}, row %s)"
    for p in plan.new:
        e = p.event
        fund = funds[p.fund_id]
        line = BillLine(
            bill=bill,
            channel=channel,
            kind=e.kind,
            external_id=e.key,
            reference=e.reference[:100],
            occurred_on=e.occurred_on,
            amount=e.amount,
            fund=fund,
            row=e.row,
        )
        if e.kind == BillLine.Kind.GIFT:
            donation = Donation(
                channel=channel,
                receipt_number=e.order[:64],
                external_id=e.order,
                donor_name=e.donor_name[:120],
                amount=e.amount,
                received_on=e.occurred_on,
                fund=fund,
                note=e.note[:255],
                recorded_by=by,
            )
            donation._history_user = by
            donation.save()
            tx = _post(
                Posting(
                    date=e.occurred_on,
                    memo=f"Donation {donation.receipt_number} via {channel.name}" + suffix % e.row,
                    kind=LedgerTransaction.Kind.DONATION,
                    lines=[Line(clearing, fund, e.amount), Line(income, fund, -e.amount)],
                    source=donation,
                    created_by=by,
                ),
                e.row,
            )
            Donation.objects.filter(pk=donation.pk).update(ledger_transaction=tx)
            donation.ledger_transaction = tx
            gifts[e.order] = donation
            line.donation = donation
            line.ledger_transaction = tx
            line.save()
            continue
        donation = gifts.get(p.gift) if p.gift else None
        if donation is None and p.donation_id:
            donation = Donation.objects.select_for_update().get(pk=p.donation_id)
        line.donation = donation
        if e.kind == BillLine.Kind.REFUND and p.full_refund:
            line.save()
            original = donation.ledger_transaction
            undo = [
                Line(entry.account, entry.fund, -entry.amount)
                for entry in original.entries.select_related("account", "fund").order_by("seq")
            ]
            tx = _post(
                Posting(
                    date=e.occurred_on,
                    memo=f"Refund {e.key} of donation {donation.receipt_number}" + suffix % e.row,
                    kind=LedgerTransaction.Kind.REVERSAL,
                    lines=undo,
                    source=donation,
                    created_by=by,
                    reverses=original,
                ),
                e.row,
            )
            # A refunded gift keeps no live official receipt: it is voided, with the refund named, here.
            receipts_void_for_reversal(donation=donation, by=by, reason=f"refund {e.key}")
            donation.status = Donation.Status.REVERSED
            donation.note = f"{donation.note} [refund {e.key}]".strip()[:255]
            donation._history_user = by
            donation.save(update_fields=["status", "note"])
        else:
            line.save()
            if e.kind == BillLine.Kind.REFUND:
                memo, lines = (
                    f"Part refund {e.key}",
                    [Line(income, fund, e.amount), Line(clearing, fund, -e.amount)],
                )
            elif e.kind == BillLine.Kind.FEE:
                memo, lines = (
                    f"Platform fee {e.key}",
                    [Line(fees, fund, e.amount), Line(clearing, fund, -e.amount)],
                )
            elif e.kind == BillLine.Kind.FEE_REFUND:
                memo, lines = (
                    f"Platform fee returned {e.key}",
                    [
                        Line(clearing, fund, e.amount),
                        Line(fees, fund, -e.amount),
                    ],
                )
            else:
                memo = f"Payout {e.key} from {channel.name} to the bank"
                lines = payout_lines(p.splits, funds, cash=cash, clearing=clearing)
            tx = _post(
                Posting(
                    date=e.occurred_on,
                    memo=(memo + suffix % e.row)[:255],
                    kind=LedgerTransaction.Kind.ADJUSTMENT,
                    lines=lines,
                    source=line,
                    created_by=by,
                ),
                e.row,
            )
            if e.kind == BillLine.Kind.REFUND:
                # The official receipt states what the donor gave and kept giving: the one issued before
                # this part refund is voided and replaced by one of the amount net of refunds.
                receipts_reissue_for_part_refund(donation=donation, by=by, reason=f"{e.key} ({e.amount})")
        BillLine.objects.filter(pk=line.pk).update(ledger_transaction=tx)


@transaction.atomic
def bill_discard(*, bill: PlatformBill, by) -> PlatformBill:
    """Set a bill in its dry run aside; nothing was imported. Its stored file is deleted after commit."""
    _require(by)
    bill = PlatformBill.objects.select_for_update().get(pk=bill.pk)
    if bill.status != PlatformBill.Status.PREVIEW:
        raise ValidationError(_("Only a bill in its dry run can be discarded."))
    bill.status = PlatformBill.Status.DISCARDED
    bill.preview = []
    bill.save(update_fields=["status", "preview"])
    name, storage = bill.file.name, bill.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    return bill


def donation_debit_accounts(donation_ids) -> dict[int, str]:
    """The account each donation recorded from a bill was posted to: its platform's clearing account
    (fundraising.verification checks every other donation against the bank account)."""
    return {
        pk: f"asset:clearing:{code}"
        for pk, code in BillLine.objects.filter(
            kind=BillLine.Kind.GIFT, donation_id__in=donation_ids
        ).values_list("donation_id", "channel__code")
    }
