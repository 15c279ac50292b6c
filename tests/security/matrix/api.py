"""The public API (/api/v1/): every role gets the same answer, signed in or not, staff or member: the API
reads only what is published and knows no session. A project not yet published, its fund and an
unpublished campaign are not found for anybody, the administrator included."""

from . import Entry, expect


def setup(fx):
    from django.test.utils import override_settings

    from fundraising import ledger
    from fundraising import services as money
    from tests.factories import fundraising as ff

    # Nine roles ask every address from one test client address: more than a minute's allowance. The
    # override ends with the test (the settings fixture restores the settings it found).
    override_settings(API_RATE_LIMIT=1_000_000).enable()
    fx.api_public = ff.project(
        fx.org_a, title="API matrix project", slug="api-matrix-project", status="active"
    )
    fx.api_secret = ff.project(
        fx.org_a, title="API secret project", slug="api-secret-project", status="submitted"
    )
    fx.api_secret_fund = money.fund_for_project(fx.api_secret)
    fx.api_general = ledger.general_fund()
    fx.api_campaign = ff.campaign(fx.api_general, slug="api-matrix-campaign")
    fx.api_hidden_campaign = ff.campaign(fx.api_general, slug="api-hidden-campaign", published=False)


PUBLIC = expect(200)
NOT_FOUND = expect(404)

ENTRIES = {
    "api_docs": Entry(PUBLIC),
    "api_v1:openapi-json": Entry(PUBLIC),
    "api_v1:api-root": Entry(NOT_FOUND),
    "api_v1:list_organizations": Entry(PUBLIC, data=lambda fx: {"city": "150200", "status": "active"}),
    "api_v1:get_organization": Entry(PUBLIC, kwargs=lambda fx: {"slug": fx.org_a.slug}),
    "api_v1:list_projects": Entry(PUBLIC, data=lambda fx: {"theme": "older-people", "status": "active"}),
    "api_v1:get_project": Entry(NOT_FOUND, kwargs=lambda fx: {"slug": fx.api_secret.slug}),
    "api_v1:list_updates": Entry(PUBLIC, data=lambda fx: {"project": fx.api_public.slug}),
    "api_v1:list_campaigns": Entry(PUBLIC),
    "api_v1:get_campaign": Entry(NOT_FOUND, kwargs=lambda fx: {"slug": fx.api_hidden_campaign.slug}),
    "api_v1:list_funds": Entry(PUBLIC),
    "api_v1:get_fund": Entry(NOT_FOUND, kwargs=lambda fx: {"code": fx.api_secret_fund.code}),
    "api_v1:list_donations": Entry(PUBLIC, data=lambda fx: {"period": "2026"}),
    "api_v1:list_expenditures": Entry(PUBLIC, data=lambda fx: {"organization": fx.org_a.slug}),
    "api_v1:list_ledger_months": Entry(PUBLIC),
    "api_v1:list_ledger_entries": Entry(PUBLIC),
    "api_v1:list_checkpoints": Entry(PUBLIC),
    "api_v1:get_checkpoint": Entry(NOT_FOUND, kwargs=lambda fx: {"code": "D1999-01-01"}),
    "api_v1:get_programme": Entry(PUBLIC, data=lambda fx: {"period": "2026-Q1"}),
    "api_v1:list_reports": Entry(PUBLIC),
    "api_v1:get_report": Entry(NOT_FOUND, kwargs=lambda fx: {"code": "UNKNOWN0CODE"}),
    "api_v1:list_disclosures": Entry(PUBLIC),
    "api_v1:list_cohorts": Entry(PUBLIC),
}
