"""Writes of the official receipt register and of donors' statements. Each write is atomic and checks the
permission to handle money (finance officers and administrators), except the statement a donor asks for
through their own signed link (`by=None`)."""

from datetime import date as date_type
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from empowerment.documents.services import document_request, public_url
from empowerment.mail import email_queue
from empowerment.models import Document

from ..models import Donation
from ..selectors import donors as donor_selectors
from . import links
from .models import LIVE_STATES, OfficialReceipt

# The receipt book code offered when none was used yet (the 票据代码 of the foundation's current book).
DEFAULT_BOOK_CODE = "15010126"
NUMBER_WIDTH = 8
# A statement document rendered less than this long ago is handed out again instead of rendering another.
STATEMENT_REUSE = timedelta(hours=1)


def _require(user, perm: str = "fundraising.manage_money") -> None:
    if user is not None and not user.has_perm(perm):
        raise PermissionDenied


def _clean_serial(code: str, number: str) -> tuple[str, str]:
    code = (code or "").strip()
    number = (number or "").strip()
    errors = {}
    if not code or not code.isdigit() or len(code) > 20:
        errors["code"] = _("Enter the receipt book code: digits only, at most 20.")
    if number and (not number.isdigit() or len(number) > 20):
        errors["number"] = _("Enter the receipt number: digits only, at most 20.")
    if errors:
        raise ValidationError(errors)
    return code, number


def next_number(code: str) -> str:
    """The number after the highest one of the book (live or voided), padded like the book's numbers."""
    numbers = donor_selectors.receipt_numbers(code)
    if not numbers:
        return "1".zfill(NUMBER_WIDTH)
    width = max(len(n) for n in numbers)
    return str(max(int(n) for n in numbers) + 1).zfill(width)


def _clean_payer(donation: Donation, payer_name: str, payer_email: str, payer_phone: str) -> dict:
    payer_name = (payer_name or "").strip()[:200]
    payer_email = (payer_email or "").strip().lower()
    payer_phone = "".join(ch for ch in (payer_phone or "") if ch.isdigit() or ch == "+")[:30]
    if donation.funder_id:
        # A funder's gift is receipted to the funder: its name, unless the receipt names it otherwise.
        payer_name = payer_name or donation.funder.name
    else:
        payer_name = payer_name or donation.donor_name.strip()
    if not payer_name:
        raise ValidationError(
            {"payer_name": _("An official receipt names its payer: enter the payer's name.")}
        )
    if payer_email:
        try:
            validate_email(payer_email)
        except ValidationError:
            raise ValidationError({"payer_email": _("Enter a valid email address.")}) from None
    if not donation.funder_id and not (payer_email or payer_phone):
        raise ValidationError(
            {
                "payer_email": _(
                    "A person's receipt carries an email or a phone number: it is how they get their "
                    "year-end statement."
                )
            }
        )
    return {
        "funder_id": donation.funder_id,
        "payer_name": payer_name,
        "payer_email": payer_email,
        "payer_phone": payer_phone,
    }


def _issued_on(value, donation: Donation) -> date_type:
    if not isinstance(value, date_type):
        raise ValidationError({"issued_on": _("Enter a valid date.")})
    if value > timezone.localdate():
        raise ValidationError({"issued_on": _("The date cannot be in the future.")})
    if value < donation.received_on:
        raise ValidationError({"issued_on": _("A receipt is issued on or after the day the gift arrived.")})
    return value


def _create(*, donation: Donation, by, code: str, number: str, issued_on, payer: dict, replaces=None):
    code, number = _clean_serial(code, number)
    number = number or next_number(code)
    if OfficialReceipt.objects.filter(code=code, number=number).exists():
        raise ValidationError(
            {
                "number": _(
                    "Receipt %(serial)s is already in the register: a number is used once, and a voided "
                    "number is never issued again."
                )
                % {"serial": f"{code}-{number}"}
            }
        )
    amount = donor_selectors.net_amount(donation)
    if amount <= 0:
        raise ValidationError(_("This donation was refunded in full: it gets no official receipt."))
    receipt = OfficialReceipt(
        code=code,
        number=number,
        donation=donation,
        amount=amount,
        issued_on=_issued_on(issued_on, donation),
        state=OfficialReceipt.State.REISSUED if replaces else OfficialReceipt.State.ISSUED,
        replaces=replaces,
        issued_by=by,
        **payer,
    )
    try:
        with transaction.atomic():
            receipt.save()
    except IntegrityError:
        # Someone issued the same serial, or a receipt for this donation, a moment ago.
        raise ValidationError(
            _("This receipt number or a live receipt for this donation was just recorded; reload and check.")
        ) from None
    return receipt


def _lock_donation(donation: Donation) -> Donation:
    donation = Donation.objects.select_for_update(of=("self",)).select_related("funder").get(pk=donation.pk)
    if donation.status != Donation.Status.RECORDED:
        raise ValidationError(_("This donation was reversed: it gets no official receipt."), code="reversed")
    if OfficialReceipt.objects.filter(donation=donation, state__in=LIVE_STATES).exists():
        raise ValidationError(
            _("This donation already has a live official receipt: void it first, or reissue it."), code="live"
        )
    return donation


@transaction.atomic
def receipt_issue(
    *,
    donation: Donation,
    by,
    code: str,
    number: str = "",
    issued_on: date_type,
    payer_name: str = "",
    payer_email: str = "",
    payer_phone: str = "",
) -> OfficialReceipt:
    """Issue the official receipt of a donation for its amount net of part refunds, under the next number of the receipt
    book when `number` is empty. Refused for a reversed donation, a donation with a live receipt, a serial
    already in the register (voided ones included) and a person without name and contact."""
    _require(by)
    donation = _lock_donation(donation)
    payer = _clean_payer(donation, payer_name, payer_email, payer_phone)
    return _create(donation=donation, by=by, code=code, number=number, issued_on=issued_on, payer=payer)


def _void(receipt: OfficialReceipt, by, reason: str) -> OfficialReceipt:
    reason = (reason or "").strip()[:255]
    if not reason:
        raise ValidationError({"reason": _("Say why the receipt is voided.")})
    receipt.state = OfficialReceipt.State.VOIDED
    receipt.void_reason = reason
    receipt.voided_by = by
    receipt.voided_at = timezone.now()
    receipt.save(update_fields=["state", "void_reason", "voided_by", "voided_at"])
    return receipt


@transaction.atomic
def receipt_void(*, receipt: OfficialReceipt, by, reason: str) -> OfficialReceipt:
    """Void a live receipt, with the reason. Its number stays in the register and is never issued again."""
    _require(by)
    receipt = OfficialReceipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.state == OfficialReceipt.State.VOIDED:
        raise ValidationError(_("This receipt is already voided."), code="voided")
    return _void(receipt, by, reason)


@transaction.atomic
def receipt_reissue(
    *,
    receipt: OfficialReceipt,
    by,
    reason: str = "",
    code: str,
    number: str = "",
    issued_on: date_type,
    payer_name: str = "",
    payer_email: str = "",
    payer_phone: str = "",
) -> OfficialReceipt:
    """Replace a receipt by a new one (a new number; the payer may be corrected). A live receipt is voided
    first with `reason`; a voided one is replaced once at most, while its donation stands and has no other
    live receipt. Returns the new receipt, linked to the one it replaces."""
    _require(by)
    receipt = OfficialReceipt.objects.select_for_update().get(pk=receipt.pk)
    if OfficialReceipt.objects.filter(replaces=receipt).exists():
        raise ValidationError(_("This receipt was already replaced."), code="replaced")
    if receipt.state != OfficialReceipt.State.VOIDED:
        _void(receipt, by, reason)
    donation = _lock_donation(receipt.donation)
    payer = _clean_payer(
        donation,
        payer_name or receipt.payer_name,
        payer_email or receipt.payer_email,
        payer_phone or receipt.payer_phone,
    )
    return _create(
        donation=donation, by=by, code=code, number=number, issued_on=issued_on, payer=payer, replaces=receipt
    )


def receipts_void_for_reversal(*, donation: Donation, by, reason: str) -> int:
    """Void the live receipt of a donation being reversed (called by fundraising.services.donation_reverse,
    inside its transaction). Returns how many were voided."""
    voided = 0
    for receipt in OfficialReceipt.objects.select_for_update().filter(
        donation=donation, state__in=LIVE_STATES
    ):
        _void(receipt, by, _("The donation was reversed: %(reason)s") % {"reason": reason})
        voided += 1
    return voided


def receipts_reissue_for_part_refund(*, donation: Donation, by, reason: str) -> OfficialReceipt | None:
    """After a part refund of a standing donation (recorded in the caller's transaction, e.g. a bill's
    import): its live receipt, which states the amount before the refund, is voided with `reason` and
    replaced by a receipt of the amount net of refunds under the next number of the same receipt book,
    issued today to the same payer. Returns the new receipt, or None when the donation had no live one."""
    live = (
        OfficialReceipt.objects.select_for_update()
        .filter(donation=donation, state__in=LIVE_STATES)
        .order_by("pk")
        .first()
    )
    if live is None:
        return None
    _void(live, by, _("Part refund: %(reason)s") % {"reason": reason})
    return _create(
        donation=Donation.objects.select_related("funder").get(pk=donation.pk),
        by=by,
        code=live.code,
        number="",
        issued_on=max(timezone.localdate(), donation.received_on),
        payer={
            "funder_id": live.funder_id,
            "payer_name": live.payer_name,
            "payer_email": live.payer_email,
            "payer_phone": live.payer_phone,
        },
        replaces=live,
    )


# Donors' statements --------------------------------------------------------------------------------------


def statement_document(*, donor, year: int, language: str, by=None) -> Document:
    """The PDF of a donor's statement for a year in a language: one rendered within the last hour is handed
    out again, otherwise one is queued (rendered by a worker after commit). `by` is the staff member asking
    (checked), or None for the donor's own signed link."""
    if by is not None:
        _require(by)
    recent = (
        Document.objects.filter(
            kind=links.DOCUMENT_KIND,
            subject_type=ContentType.objects.get_for_model(donor.subject),
            subject_id=str(donor.pk),
            language=language,
            params={"year": year},
            created_at__gte=timezone.now() - STATEMENT_REUSE,
        )
        .exclude(status=Document.Status.FAILED)
        .order_by("-created_at")
        .first()
    )
    if recent is not None and by is None:
        return recent
    return document_request(
        kind=links.DOCUMENT_KIND,
        subject=donor.subject,
        language=language,
        requested_by=by,
        params={"year": year},
    )


@transaction.atomic
def statement_send(*, donor, year: int, language: str, to: str, by) -> str:
    """Email the donor a signed link to their statement (sent by a worker after commit). Returns the link."""
    _require(by)
    to = (to or "").strip()
    try:
        validate_email(to)
    except ValidationError:
        raise ValidationError({"to": _("Enter a valid email address.")}) from None
    url = public_url(
        reverse("fundraising:statement_link", args=[links.statement_token(donor, year, language)])
    )
    email_queue(
        to=to,
        subject=lambda: _("Your statement of gifts for %(year)s") % {"year": year},
        template="fundraising/staff/receipts/statement_email.txt",
        context={"donor": donor, "year": year, "url": url, "days": links.LINK_DAYS},
        language=language,
    )
    return url
