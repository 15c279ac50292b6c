"""The official receipt register, donors' screens and the public statement pages."""

from . import Entry, expect


def setup(fx):
    from django.utils import timezone

    from fundraising import ledger
    from fundraising.models import Funder
    from fundraising.receipts import links, services
    from fundraising.selectors import donors
    from tests.factories.fundraising import donate

    finance = fx.people["finance_officer"]
    funder = Funder.objects.create(name="Matrix receipts funder", kind=Funder.Kind.ENTERPRISE)
    fx.receipts_donation = donate(fund=ledger.general_fund(), amount="600.00", by=finance, funder=funder)
    fx.receipts_open = donate(fund=ledger.general_fund(), amount="70.00", by=finance, funder=funder)
    fx.receipts_receipt = services.receipt_issue(
        donation=fx.receipts_donation, by=finance, code="15010126", issued_on=timezone.localdate()
    )
    fx.receipts_donor = donors.donor_of(funder)
    fx.receipts_token = links.statement_token(fx.receipts_donor, timezone.localdate().year, "en")


FINANCE = expect(
    404, anonymous=302, programme_officer=403, trainer=403, finance_officer=200, administrator=200
)
# A POST with an empty form: refused with its errors (400) once the gate lets the finance officer through.
FINANCE_FORM = expect(
    404, anonymous=302, programme_officer=403, trainer=403, finance_officer=400, administrator=400
)


def _receipt(fx):
    return {"pk": fx.receipts_receipt.pk}


def _donor(fx):
    return {"kind": fx.receipts_donor.kind, "pk": fx.receipts_donor.pk}


ENTRIES = {
    "fundraising:statement_request": Entry(expect(200)),
    # A valid signed link: the statement is rendered after commit (202 while it is prepared) for anyone who
    # holds the link, signed in or not.
    "fundraising:statement_link": Entry(expect(202), kwargs=lambda fx: {"token": fx.receipts_token}),
    "fundraising:receipt_list": Entry(FINANCE),
    "fundraising:receipt_export_csv": Entry(FINANCE),
    "fundraising:receipt_export_xlsx": Entry(FINANCE),
    "fundraising:receipt_export_sync": Entry(FINANCE),
    "fundraising:receipt_detail": Entry(FINANCE, kwargs=_receipt),
    "fundraising:receipt_void": Entry(FINANCE_FORM, method="post", kwargs=_receipt),
    "fundraising:receipt_reissue": Entry(FINANCE_FORM, method="post", kwargs=_receipt),
    "fundraising:receipt_issue": Entry(FINANCE, kwargs=lambda fx: {"pk": fx.receipts_open.pk}),
    "fundraising:donor_list": Entry(FINANCE),
    "fundraising:donor_detail": Entry(FINANCE, kwargs=_donor),
    "fundraising:donor_statement": Entry(FINANCE_FORM, method="post", kwargs=_donor),
    "fundraising:donor_statement_send": Entry(FINANCE_FORM, method="post", kwargs=_donor),
}
