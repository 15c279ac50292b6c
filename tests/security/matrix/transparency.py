"""Transparency URLs: the public site (dashboard, fund flow, directories, reports, open data, questions,
following), staff report and disclosure pages, and the organizations' own report and disclosure pages."""

from . import Entry, expect


def setup(fx):
    from decimal import Decimal

    from fundraising import ledger
    from tests.factories import fundraising as ff
    from transparency.models import Follower

    fx.tp_project = ff.project(
        fx.org_a, title="Transparency matrix project", slug="tp-matrix-project", status="active"
    )
    fx.tp_general = ledger.general_fund()
    fx.tp_campaign = ff.campaign(fx.tp_general, slug="tp-matrix-campaign", goal=Decimal("1000.00"))
    fx.tp_follower = Follower.objects.create(project=fx.tp_project, email="reader@example.org")


PUBLIC = expect(200)
MOVED = expect(301)
STAFF_PAGE = expect(404, anonymous=302, staff=200)
PORTAL_READ = expect(404, anonymous=302, members_a=200, staff=200)
PORTAL_EDIT_UNKNOWN = expect(404, anonymous=302, a_viewer=403, staff=403)

ENTRIES = {
    "transparency:fund_flow": Entry(PUBLIC),
    "transparency:organization_list": Entry(PUBLIC),
    "transparency:organization_detail": Entry(PUBLIC, kwargs=lambda fx: {"slug": fx.org_a.slug}),
    "transparency:fund_detail": Entry(PUBLIC, kwargs=lambda fx: {"code": fx.tp_general.code}),
    "transparency:project_list": Entry(
        PUBLIC, data=lambda fx: {"theme": "older-people", "q": "x", "status": "active", "city": "150200"}
    ),
    "transparency:project_detail": Entry(PUBLIC, kwargs=lambda fx: {"slug": fx.tp_project.slug}),
    "transparency:campaign_list": Entry(PUBLIC),
    "transparency:campaign_detail": Entry(PUBLIC, kwargs=lambda fx: {"slug": fx.tp_campaign.slug}),
    "transparency:campaign_progress": Entry(PUBLIC, kwargs=lambda fx: {"slug": fx.tp_campaign.slug}),
    "transparency:campaign_image": Entry(
        expect(404), kwargs=lambda fx: {"slug": fx.tp_campaign.slug, "pk": 999999}
    ),
    # The older addresses of the same pages: a permanent redirect for everybody, whatever the method.
    "transparency:moved_project_list": Entry(MOVED),
    "transparency:moved_project_detail": Entry(MOVED, kwargs=lambda fx: {"slug": fx.tp_project.slug}),
    "transparency:moved_project_money": Entry(MOVED, kwargs=lambda fx: {"slug": fx.tp_project.slug}),
    "transparency:moved_campaign_list": Entry(MOVED),
    "transparency:moved_campaign_detail": Entry(MOVED, kwargs=lambda fx: {"slug": fx.tp_campaign.slug}),
    "transparency:moved_fund_money": Entry(MOVED, kwargs=lambda fx: {"code": fx.tp_general.code}),
    # An empty question is refused with the form's errors, for everybody alike.
    "transparency:ask": Entry(
        expect(400), method="post", kwargs=lambda fx: {"kind": "project", "slug": fx.tp_project.slug}
    ),
    "transparency:follow": Entry(
        expect(302),
        method="post",
        kwargs=lambda fx: {"kind": "campaign", "slug": fx.tp_campaign.slug},
        data=lambda fx: {"email": "reader@example.org"},
    ),
    "transparency:follow_confirm": Entry(PUBLIC, kwargs=lambda fx: {"token": fx.tp_follower.token}),
    "transparency:unfollow": Entry(PUBLIC, kwargs=lambda fx: {"token": fx.tp_follower.token}),
    "transparency:report_list": Entry(PUBLIC),
    "transparency:report_detail": Entry(expect(404), kwargs=lambda fx: {"code": "UNKNOWN0CODE"}),
    "transparency:checkpoints": Entry(PUBLIC),
    "transparency:open_data": Entry(PUBLIC),
    "transparency:open_data_iati": Entry(PUBLIC),
    "transparency:open_data_download": Entry(
        PUBLIC, kwargs=lambda fx: {"dataset": "organizations", "fmt": "csv"}
    ),
    "transparency:staff_reports": Entry(STAFF_PAGE),
    "transparency:staff_disclosures": Entry(STAFF_PAGE),
    "transparency:staff_disclosure_publish": Entry(
        expect(404, anonymous=302, finance_officer=403, trainer=403),
        kwargs=lambda fx: {"key": "project:0:final:2026-01-01"},
    ),
    "transparency:staff_disclosure_correct": Entry(
        expect(404, anonymous=302),
        method="post",
        kwargs=lambda fx: {"pk": 999999},
        data=lambda fx: {"note": "x"},
    ),
    "transparency:portal_reports": Entry(PORTAL_READ, kwargs=lambda fx: {"org_slug": fx.org_a.slug}),
    "transparency:portal_disclosures": Entry(PORTAL_READ, kwargs=lambda fx: {"org_slug": fx.org_a.slug}),
    "transparency:portal_disclosure_publish": Entry(
        PORTAL_EDIT_UNKNOWN,
        kwargs=lambda fx: {"org_slug": fx.org_a.slug, "key": "project:0:final:2026-01-01"},
    ),
    "transparency:portal_disclosure_correct": Entry(
        PORTAL_EDIT_UNKNOWN,
        method="post",
        kwargs=lambda fx: {"org_slug": fx.org_a.slug, "pk": 999999},
        data=lambda fx: {"note": "x"},
    ),
}
