"""Fundraising URLs: the donation lookup, the signed endpoint, staff finance pages, the portal."""

from . import Entry, expect


def setup(fx):
    from decimal import Decimal

    from django.utils import timezone

    from fundraising import ledger, services
    from fundraising.models import Channel, ImportBatch
    from tests.factories.fundraising import campaign, donate, project, receipt_file

    finance = fx.people["finance_officer"]
    fx.general = ledger.general_fund()
    fx.platform = Channel.objects.create(code="matrix-platform", name="Platform", kind=Channel.Kind.ONLINE)
    fx.project = project(fx.org_a, slug="matrix-project")
    fund = services.fund_for_project(fx.project)
    fx.donation = donate(fund=fund, amount="5000.00", by=finance)
    fx.campaign = campaign(fund, channel=fx.platform, slug="matrix-campaign")
    fx.expenditure = services.expenditure_submit(
        project=fx.project,
        budget_line=fx.project.budget_lines.first(),
        amount=Decimal("120.00"),
        spent_on=timezone.localdate(),
        description="Blood pressure monitors",
        payee="Medical supplies shop",
        document=receipt_file(),
        by=fx.people["a_editor"],
    )
    fx.batch = ImportBatch.objects.create(
        channel=fx.platform, file="imports/none.csv", filename="none.csv", uploaded_by=finance
    )
    from fundraising.models import Funder, Grant, GrantTranche

    fx.grant = Grant.objects.create(
        funder=Funder.objects.create(name="Matrix bureau", kind=Funder.Kind.GOVERNMENT),
        kind=Grant.Kind.CONTRACT,
        title="Matrix contract",
        total=Decimal("1000.00"),
        signed_on=timezone.localdate(),
        fund=fx.general,
        channel=fx.platform,
    )
    fx.grant_tranche = GrantTranche.objects.create(
        grant=fx.grant, number=1, amount=Decimal("400.00"), due_on=timezone.localdate()
    )


PUBLIC = expect(200)
STAFF_READ = expect(404, anonymous=302, staff=200)
FINANCE = expect(
    404, anonymous=302, programme_officer=403, trainer=403, finance_officer=200, administrator=200
)
FINANCE_POST = expect(
    404, anonymous=302, programme_officer=403, trainer=403, finance_officer=302, administrator=302
)
PORTAL_READ = expect(404, anonymous=302, members_a=200, staff=200)


def _org(fx):
    return {"org_slug": fx.org_a.slug}


ENTRIES = {
    "fundraising:donation_lookup": Entry(PUBLIC),
    # Unsigned: refused for everyone, whoever is signed in.
    "fundraising:notify_donation": Entry(
        expect(401),
        method="post",
        kwargs=lambda fx: {"channel": fx.platform.code},
        data=lambda fx: {"id": "x"},
    ),
    "fundraising:dashboard": Entry(STAFF_READ),
    "fundraising:dashboard_export": Entry(STAFF_READ),
    "fundraising:donation_new": Entry(FINANCE),
    "fundraising:donation_receipt": Entry(
        FINANCE_POST, method="post", kwargs=lambda fx: {"pk": fx.donation.pk}
    ),
    "fundraising:expenditure_list": Entry(FINANCE),
    "fundraising:expenditure_detail": Entry(FINANCE, kwargs=lambda fx: {"pk": fx.expenditure.pk}),
    "fundraising:expenditure_document": Entry(STAFF_READ, kwargs=lambda fx: {"pk": fx.expenditure.pk}),
    "fundraising:period_close": Entry(FINANCE),
    "fundraising:import_new": Entry(FINANCE),
    "fundraising:import_detail": Entry(FINANCE, kwargs=lambda fx: {"pk": fx.batch.pk}),
    "fundraising:import_confirm": Entry(FINANCE_POST, method="post", kwargs=lambda fx: {"pk": fx.batch.pk}),
    "fundraising:import_progress": Entry(FINANCE, kwargs=lambda fx: {"pk": fx.batch.pk}),
    "fundraising:import_retry": Entry(FINANCE_POST, method="post", kwargs=lambda fx: {"pk": fx.batch.pk}),
    "fundraising:import_discard": Entry(FINANCE_POST, method="post", kwargs=lambda fx: {"pk": fx.batch.pk}),
    "fundraising:grant_list": Entry(STAFF_READ),
    "fundraising:grant_overdue": Entry(STAFF_READ),
    "fundraising:grant_detail": Entry(STAFF_READ, kwargs=lambda fx: {"pk": fx.grant.pk}),
    "fundraising:grant_create": Entry(FINANCE),
    "fundraising:grant_edit": Entry(FINANCE, kwargs=lambda fx: {"pk": fx.grant.pk}),
    # An empty form is refused with its field errors (400) once the gate lets the finance officer through.
    "fundraising:tranche_receive": Entry(
        expect(
            404, anonymous=302, programme_officer=403, trainer=403, finance_officer=400, administrator=400
        ),
        method="post",
        kwargs=lambda fx: {"pk": fx.grant.pk, "tranche_pk": fx.grant_tranche.pk},
    ),
    "fundraising:in_kind_list": Entry(STAFF_READ),
    "fundraising:in_kind_new": Entry(FINANCE),
    "fundraising:portal_finance": Entry(PORTAL_READ, kwargs=_org),
    "fundraising:portal_expenditure_new": Entry(
        expect(
            404,
            anonymous=302,
            a_admin=200,
            a_editor=200,
            a_viewer=403,
            programme_officer=403,
            trainer=403,
            finance_officer=200,
            administrator=200,
        ),
        kwargs=_org,
    ),
    "fundraising:portal_expenditure_document": Entry(
        PORTAL_READ, kwargs=lambda fx: {"org_slug": fx.org_a.slug, "pk": fx.expenditure.pk}
    ),
}
