"""The annual statements and the chart-of-accounts mapping: every staff member reads the statements (screen,
workbook, PDF request); only finance officers and administrators see and change the mapping."""

from . import Entry, expect


def setup(fx):
    from fundraising import ledger

    fx.statements_account = ledger.cash_account()


STAFF_READ = expect(404, anonymous=302, staff=200)
STAFF_POST = expect(404, anonymous=302, staff=302)
FINANCE = expect(
    404, anonymous=302, programme_officer=403, trainer=403, finance_officer=200, administrator=200
)
FINANCE_POST = expect(
    404, anonymous=302, programme_officer=403, trainer=403, finance_officer=302, administrator=302
)
YEAR = {"year": 2025}

ENTRIES = {
    "fundraising:statements": Entry(STAFF_READ),
    # An empty ledger's year: the workbook is served (200), or the refusal redirects to the screen.
    "fundraising:statements_export": Entry(STAFF_READ, kwargs=lambda fx: YEAR),
    "fundraising:statements_pdf": Entry(STAFF_POST, method="post", kwargs=lambda fx: YEAR),
    "fundraising:chart_of_accounts": Entry(FINANCE),
    "fundraising:mapping_defaults": Entry(FINANCE_POST, method="post"),
    "fundraising:mapping_edit": Entry(FINANCE, kwargs=lambda fx: {"pk": fx.statements_account.pk}),
}
