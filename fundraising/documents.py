"""The donation receipt PDF, rendered by the shared pipeline; its verification code is checked at /verify/."""

from django.utils.translation import gettext as _

from empowerment.authz import is_finance_officer
from empowerment.documents.registry import DocumentKind, register


def _context(donation, params):
    from .selectors import fund_money  # noqa: PLC0415
    from .selectors.donors import live_receipt  # noqa: PLC0415

    return {
        "donation": donation,
        "fund": donation.fund,
        "money": fund_money(donation.fund),
        "official": live_receipt(donation),
    }


register(
    DocumentKind(
        name="donation_receipt",
        template="fundraising/pdf/receipt.html",
        build_context=_context,
        title=lambda d, params: _("Donation receipt %(n)s") % {"n": d.receipt_number},
        can_request=lambda user, d: is_finance_officer(user),
        can_view=lambda user, d: is_finance_officer(user),
        filename=lambda d, params: f"receipt-{d.receipt_number}",
    )
)
