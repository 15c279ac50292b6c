"""Platform bills and reconciliation: finance officers and administrators only."""

from . import Entry, expect


def setup(fx):
    import datetime
    from decimal import Decimal

    from fundraising.bills.models import BankLine, PlatformBill
    from fundraising.models import Channel

    finance = fx.people["finance_officer"]
    fx.bills_bank = Channel.objects.create(code="matrix-bank", name="Matrix bank", kind=Channel.Kind.BANK)
    fx.bills_bill = PlatformBill.objects.create(
        channel=fx.bills_bank,
        preset=PlatformBill.Preset.BANK,
        file="bills/none.csv",
        filename="none.csv",
        file_sha256="0" * 64,
        uploaded_by=finance,
        summary={"rows": 1, "new": 0, "duplicates": 1, "errors": 0, "by_kind": {}, "digest": ""},
    )
    fx.bills_line = BankLine.objects.create(
        bill=fx.bills_bill,
        channel=fx.bills_bank,
        external_id="M0001",
        occurred_on=datetime.date(2026, 11, 2),
        amount=Decimal("-15.00"),
        summary="账户管理费",
    )


FINANCE = expect(
    404, anonymous=302, programme_officer=403, trainer=403, finance_officer=200, administrator=200
)
FINANCE_POST = expect(
    404, anonymous=302, programme_officer=403, trainer=403, finance_officer=302, administrator=302
)

ENTRIES = {
    "fundraising:bill_list": Entry(FINANCE),
    "fundraising:bill_detail": Entry(FINANCE, kwargs=lambda fx: {"pk": fx.bills_bill.pk}),
    "fundraising:bill_import": Entry(FINANCE_POST, method="post", kwargs=lambda fx: {"pk": fx.bills_bill.pk}),
    "fundraising:bill_discard": Entry(
        FINANCE_POST, method="post", kwargs=lambda fx: {"pk": fx.bills_bill.pk}
    ),
    "fundraising:reconciliation": Entry(FINANCE),
    "fundraising:reconciliation_match": Entry(FINANCE_POST, method="post"),
    "fundraising:bank_line_detail": Entry(FINANCE, kwargs=lambda fx: {"pk": fx.bills_line.pk}),
}
