"""The public read API, version 1 (/api/v1/): everything published, read through api.selectors (the public
pages' and open data's selectors; money from fundraising's books), as JSON described by an OpenAPI 3
document generated from this module. Views are thin: parse the parameters, call one selector, shape the rows.

Compatibility: v1 only grows. A field or an operation is never removed or changed in meaning here; that
waits for /api/v2/. tests/api/test_contract.py holds the committed schema (api/schema/v1.json) to that."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Query
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from transparency import opendata
from transparency.periods import BadPeriod, parse

from . import params as p
from . import schemas as s
from . import selectors
from .pagination import BadCursor, Ordering, orderings, page
from .problems import MEDIA_TYPE, problem

VERSION = "1.0.0"

DESCRIPTION = gettext_lazy(
    "Everything the Community Empowerment Programme publishes, as JSON: organizations, projects with their "
    "plan, indicators and results, approved progress updates, campaigns, funds, donations (anonymised as in "
    "open data), expenditures, the ledger's monthly totals, entries and checkpoints, reports, disclosures and "
    "training cohorts. Money is in yuan (CNY), written as a decimal string with two places; every figure is "
    "the one the public pages show, from the same books.\n\n"
    "Lists are paged with an opaque cursor: follow `next` (or give `next_cursor` as `?cursor=`) until it is "
    "null. Answers carry ETag and Last-Modified; send If-None-Match or If-Modified-Since to get 304 when "
    "nothing changed. Any web page may read the API (CORS). Each address may make a limited number of "
    "requests a minute; past it the answer is 429 with Retry-After. Errors are problem details "
    "(application/problem+json)."
)


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # noqa: RUF012


class PublicAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The generated document, with error answers described as problem details."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path in schema["paths"].values():
            for operation in path.values():
                for code, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(code) >= 400 and "application/json" in content:
                        answer["content"] = {MEDIA_TYPE: content["application/json"]}
                    if int(code) == 200:
                        answer.setdefault("headers", {}).update(
                            {
                                "ETag": {"schema": {"type": "string"}},
                                "Last-Modified": {"schema": {"type": "string"}},
                            }
                        )
                    if int(code) == 429:
                        answer.setdefault("headers", {})["Retry-After"] = {
                            "description": "Seconds to wait before the next request.",
                            "schema": {"type": "integer"},
                        }
        return schema


api = PublicAPI(
    title="Community Empowerment Programme — public API",
    version=VERSION,
    description=DESCRIPTION,
    urls_namespace="api_v1",
    docs_url=None,  # the documentation page is api.views.docs, under the site's layout and CSP
    renderer=Renderer(),
)

ERRORS = {400: s.Problem, 429: s.Problem}
DETAIL_ERRORS = {404: s.Problem, 429: s.Problem}


@api.exception_handler(ValidationError)
def _refused(request, exc):
    errors = [
        {
            "field": ".".join(str(part) for part in e.get("loc", ())[1:]) or "query",
            "message": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return problem(400, _("One of the parameters is not valid."), errors=errors)


@api.exception_handler(BadPeriod)
def _bad_period(request, exc):
    return problem(400, str(exc), errors=[{"field": "period", "message": str(exc)}])


@api.exception_handler(BadCursor)
def _bad_cursor(request, exc):
    return problem(400, str(exc), errors=[{"field": "cursor", "message": str(exc)}])


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem(404, _("There is no published object at this address."))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return problem(exc.status_code, str(exc))


# Helpers ---------------------------------------------------------------------------------------------------


def _period(query):
    return parse(query.period) if query.period else None


def _paged(request, qs, query, to_item, *, choices: dict[str, Ordering] | None = None) -> dict:
    ordering = (choices or orderings())[query.ordering]
    rows, next_cursor = page(qs, ordering=ordering, cursor=query.cursor, limit=query.limit)
    next_url = None
    if next_cursor:
        params = request.GET.copy()
        params["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return {"items": [to_item(request, row) for row in rows], "next_cursor": next_cursor, "next": next_url}


def _url(request, name, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def _found(obj):
    if obj is None:
        raise Http404
    return obj


# Organizations ---------------------------------------------------------------------------------------------


def _organization(request, org) -> dict:
    return {
        "id": opendata.org_identifier(org),
        "slug": org.slug,
        "name": org.name,
        "name_en": org.name_en or "",
        "legal_form": org.legal_form,
        "credit_code": org.credit_code or "",
        "area_code": org.area.code,
        "area_name": org.area.name,
        "status": org.status,
        "joined_on": org.joined_on,
        "staff_count": org.staff_count,
        "volunteer_count": org.volunteer_count,
        "themes": sorted(t.slug for t in org.themes.all()),
        "url": _url(request, "transparency:organization_detail", org.slug),
    }


@api.get(
    "/organizations",
    response={200: s.page_of(s.Organization, "OrganizationPage"), **ERRORS},
    tags=["organizations"],
    summary="Organizations",
)
def list_organizations(request, query: Query[p.OrganizationParams]):
    """Organizations taking part (active or graduated) with a published profile."""
    qs = selectors.organizations(theme=query.theme or "", city=query.city or "", status=query.status or "")
    return _paged(request, qs, query, _organization)


@api.get(
    "/organizations/{slug}",
    response={200: s.OrganizationDetail, **DETAIL_ERRORS},
    tags=["organizations"],
    summary="One organization",
)
def get_organization(request, slug: str):
    """An organization's profile, its public projects and their money together (all time)."""
    org = _found(selectors.organization(slug))
    return {
        **_organization(request, org),
        "description": org.description,
        "website": org.website,
        "projects": selectors.organization_projects(org),
        "money": selectors.organization_money(org),
    }


# Projects ----------------------------------------------------------------------------------------------


def _project(request, project) -> dict:
    return {
        "id": f"{opendata.ORG_PREFIX}project-{project.pk}",
        "slug": project.slug,
        "title": project.title,
        "summary": project.summary,
        "organization_id": opendata.org_identifier(project.organization),
        "organization_slug": project.organization.slug,
        "organization_name": project.organization.name,
        "theme": project.theme.slug,
        "community_code": project.community.code,
        "status": project.status,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "donations_received": project.money_raised,
        "allocated": project.money_allocated,
        "spent": project.money_spent,
        "balance": project.money_balance,
        "url": _url(request, "transparency:project_detail", project.slug),
    }


def _fund_money(money: dict) -> dict:
    return {
        "donations": money["donations_total"],
        "allocations_in": money["allocations_in_total"],
        "adjustments": money["adjustments_total"],
        "money_in": money["money_in"],
        "spent": money["spent_total"],
        "allocations_out": money["allocations_out_total"],
        "money_out": money["money_out"],
        "disbursed": money["disbursed_total"],
        "balance": money["balance"],
        "spent_by_category": [
            {"category": str(row["category"]), "total": row["total"]} for row in money["by_category"]
        ],
    }


@api.get(
    "/projects",
    response={200: s.page_of(s.Project, "ProjectPage"), **ERRORS},
    tags=["projects"],
    summary="Projects",
)
def list_projects(request, query: Query[p.ProjectParams]):
    """Public projects (approved for incubation, active, completed or closed) with the money they received,
    spent and hold. `period`: projects running at some time in it."""
    qs = selectors.projects(
        theme=query.theme or "",
        city=query.city or "",
        status=query.status or "",
        organization=query.organization or "",
        period=_period(query),
    )
    return _paged(request, qs, query, _project)


@api.get(
    "/projects/{slug}",
    response={200: s.ProjectDetail, **DETAIL_ERRORS},
    tags=["projects"],
    summary="One project",
)
def get_project(request, slug: str):
    """A public project: its plan (objectives, activities with milestones, budget), indicators against
    targets, people reached and its fund's money, as its page shows them."""
    project = _found(selectors.project(slug))
    results = selectors.project_results(project)
    money = selectors.project_money(project)
    people = results["people"]
    return {
        **_project(request, project),
        "problem_statement": project.problem_statement,
        "target_group": project.target_group,
        "objectives": project.objectives,
        "activities": [
            {
                "title": a.title,
                "description": a.description,
                "start_date": a.start_date,
                "end_date": a.end_date,
                "milestones": [{"title": m.title, "due_date": m.due_date} for m in a.milestones.all()],
            }
            for a in project.activities.all()
        ],
        "budget_lines": [
            {"category": b.category, "description": b.description, "amount": b.amount}
            for b in project.budget_lines.all()
        ],
        "indicators": [
            {
                "name": i.indicator.name,
                "unit": i.indicator.unit,
                "value_type": i.indicator.value_type,
                "aggregation": i.indicator.aggregation,
                "baseline": i.indicator.baseline,
                "target": i.indicator.target,
                "current": i.current,
                "percent": i.percent,
                "reports": i.reports,
            }
            for i in results["indicators"]
        ],
        "people_reached": {
            "total": people["total"],
            "by_sex": [{"key": r["sex"], "count": r["n"]} for r in people["by_sex"]],
            "by_age": [{"key": r["age_band"], "count": r["n"]} for r in people["by_age"]],
            "by_group": [{"key": r["special_group"], "count": r["n"]} for r in people["by_group"]],
        },
        "approved_updates": results["updates"],
        "fund": money["fund"].code if money else None,
        "money": _fund_money(money) if money else None,
    }


# Progress updates --------------------------------------------------------------------------------------


def _update(request, update) -> dict:
    return {
        "id": update.pk,
        "project": update.project.slug,
        "period_start": update.period_start,
        "period_end": update.period_end,
        "narrative": update.narrative,
        "volunteer_hours": update.volunteer_hours,
        "people_reached": update.people_reached or 0,
        "values": [
            {"indicator": v.indicator.name, "unit": v.indicator.unit, "value": v.value}
            for v in update.values.all()
        ],
        "photos": [
            {"url": _url(request, "projects:photo", photo.pk), "caption": photo.caption}
            for photo in update.photos.all()
        ],
    }


@api.get(
    "/updates",
    response={200: s.page_of(s.ProgressUpdate, "ProgressUpdatePage"), **ERRORS},
    tags=["projects"],
    summary="Progress updates",
)
def list_updates(request, query: Query[p.UpdateParams]):
    """Approved progress updates of public projects (a corrected update is replaced by its correction),
    with indicator values, people reached and photo addresses. `period`: updates whose period ends in it."""
    qs = selectors.updates(
        project=query.project or "",
        organization=query.organization or "",
        theme=query.theme or "",
        city=query.city or "",
        period=_period(query),
    )
    return _paged(request, qs, query, _update)


# Campaigns and funds -----------------------------------------------------------------------------------


def _campaign(request, campaign) -> dict:
    public_fund = selectors.campaign_fund_public(campaign)
    fund_project = campaign.fund.project
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "summary": campaign.summary,
        "goal": campaign.goal,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "fund": campaign.fund.code if public_fund else None,
        "project": fund_project.slug if fund_project is not None and public_fund else None,
        "raised": campaign.money_raised,
        "public_raised": campaign.public_raised,
        "donations": campaign.donation_count,
        "url": _url(request, "transparency:campaign_detail", campaign.slug),
    }


@api.get(
    "/campaigns",
    response={200: s.page_of(s.Campaign, "CampaignPage"), **ERRORS},
    tags=["campaigns and funds"],
    summary="Campaigns",
)
def list_campaigns(request, query: Query[p.CampaignParams]):
    """Published fundraising campaigns with what they raised. `period`: campaigns running at some time in
    it."""
    qs = selectors.campaigns(
        project=query.project or "",
        state=query.state or "",
        period=_period(query),
        today=timezone.localdate(),
    )
    return _paged(request, qs, query, _campaign)


@api.get(
    "/campaigns/{slug}",
    response={200: s.CampaignDetail, **DETAIL_ERRORS},
    tags=["campaigns and funds"],
    summary="One campaign",
)
def get_campaign(request, slug: str):
    """A published campaign: its story, images, matching terms and progress toward the goal."""
    campaign = _found(selectors.campaign(slug))
    return {
        **_campaign(request, campaign),
        "story": campaign.story,
        "matching_ratio": campaign.matching_ratio,
        "matching_cap": campaign.matching_cap,
        "images": [
            {
                "url": _url(request, "transparency:campaign_image", campaign.slug, image.pk),
                "caption": image.caption,
            }
            for image in campaign.images.all()
        ],
        "progress": selectors.campaign_progress(campaign),
    }


def _fund(request, fund) -> dict:
    if fund.project_id:
        url = _url(request, "transparency:project_detail", fund.project.slug)
    else:
        url = _url(request, "transparency:fund_detail", fund.code)
    return {
        "code": fund.code,
        "name": fund.name,
        "kind": fund.kind,
        "project": fund.project.slug if fund.project_id else None,
        "area_code": fund.area.code if fund.area_id else None,
        "url": url,
    }


@api.get(
    "/funds",
    response={200: s.page_of(s.Fund, "FundPage"), **ERRORS},
    tags=["campaigns and funds"],
    summary="Funds",
)
def list_funds(request, query: Query[p.FundParams]):
    """The general fund, the community funds and the funds of public projects."""
    return _paged(request, selectors.funds(kind=query.kind or ""), query, _fund)


@api.get(
    "/funds/{code}",
    response={200: s.FundDetail, **DETAIL_ERRORS},
    tags=["campaigns and funds"],
    summary="One fund",
)
def get_fund(request, code: str):
    """A fund and its money, all time, as its page shows it: in (donations, allocations), out (spending by
    category, allocations) and the balance."""
    fund = _found(selectors.fund(code))
    return {**_fund(request, fund), "money": _fund_money(selectors.fund_money(fund))}


# Donations, expenditures, the ledger -------------------------------------------------------------------


def _donation(request, donation) -> dict:
    row = {
        f.name: f.get(donation) for f in opendata.DONATION_FIELDS if f.name not in ("amount", "received_on")
    }
    return {
        **row,
        "amount": donation.amount,
        "received_on": donation.received_on,
        "fund_code": donation.fund.code,
        "matching": donation.is_matching,
    }


@api.get(
    "/donations",
    response={200: s.page_of(s.Donation, "DonationPage"), **ERRORS},
    tags=["money"],
    summary="Donations",
)
def list_donations(request, query: Query[p.DonationParams]):
    """Donations received (reversed ones left out) into funds that may be named, anonymised unless the donor
    agreed, as in open data. Donations to projects not yet published are counted in /programme, never listed.
    `period`: donations received in it."""
    qs = selectors.donations(
        project=query.project or "",
        organization=query.organization or "",
        campaign=query.campaign or "",
        fund=query.fund or "",
        period=_period(query),
    )
    return _paged(request, qs, query, _donation, choices=p.DONATION_ORDERINGS)


def _expenditure(request, expenditure) -> dict:
    row = {f.name: f.get(expenditure) for f in opendata.EXPENDITURE_FIELDS}
    return {
        **row,
        "spent_on": expenditure.spent_on,
        "posted_on": expenditure.ledger_transaction.date if expenditure.ledger_transaction_id else None,
        "amount": expenditure.amount,
    }


@api.get(
    "/expenditures",
    response={200: s.page_of(s.Expenditure, "ExpenditurePage"), **ERRORS},
    tags=["money"],
    summary="Expenditures",
)
def list_expenditures(request, query: Query[p.ExpenditureParams]):
    """Approved expenditures of public projects (the payee and the invoice stay private). `period`:
    expenditures spent in it."""
    qs = selectors.expenditures(
        project=query.project or "",
        organization=query.organization or "",
        category=query.category or "",
        theme=query.theme or "",
        city=query.city or "",
        period=_period(query),
    )
    return _paged(request, qs, query, _expenditure, choices=p.EXPENDITURE_ORDERINGS)


def _month_total(request, row) -> dict:
    return {
        "month": row.month,
        "account": row.account.code,
        "account_type": row.account.type,
        "fund": row.fund.code if row.fund_public else "unpublished",
        "amount": row.amount,
        "entries": row.entries,
    }


@api.get(
    "/ledger/months",
    response={200: s.page_of(s.LedgerMonthTotal, "LedgerMonthTotalPage"), **ERRORS},
    tags=["money"],
    summary="The ledger's monthly totals",
)
def list_ledger_months(request, query: Query[p.MonthTotalParams]):
    """The sum of the ledger's cash entries per account, fund and month, as the books keep them. `period`:
    the months in it."""
    qs = selectors.ledger_month_totals(period=_period(query), account_type=query.account_type or "")
    return _paged(request, qs, query, _month_total)


LEDGER_ORDERINGS = {"seq": Ordering("seq", "seq"), "-seq": Ordering("-seq", "seq")}


def _entry(request, entry) -> dict:
    return {
        "seq": entry.seq,
        "transaction": entry.transaction_id,
        "date": entry.transaction.date,
        "occurred_on": entry.transaction.occurred_on,
        "kind": entry.transaction.kind,
        "account": entry.account.code,
        "account_type": entry.account.type,
        "fund": entry.fund.code if entry.fund_public else "unpublished",
        "amount": entry.amount,
        "hash": entry.hash,
    }


@api.get(
    "/ledger/entries",
    response={200: s.page_of(s.LedgerEntry, "LedgerEntryPage"), **ERRORS},
    tags=["money"],
    summary="The ledger's entries",
)
def list_ledger_entries(request, query: Query[p.LedgerParams]):
    """Every cash entry of the append-only double-entry ledger, in the order of its hash chain. `period`:
    entries of transactions dated in it."""
    qs = selectors.ledger_entries(period=_period(query), kind=query.kind or "")
    return _paged(request, qs, query, _entry, choices=LEDGER_ORDERINGS)


def _checkpoint(request, checkpoint) -> dict:
    return {
        "code": checkpoint.code,
        "kind": checkpoint.kind,
        "taken_on": checkpoint.taken_on,
        "month": checkpoint.month,
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "total": checkpoint.total,
        "balances": dict(checkpoint.balances),
    }


@api.get(
    "/ledger/checkpoints",
    response={200: s.page_of(s.Checkpoint, "CheckpointPage"), **ERRORS},
    tags=["money"],
    summary="Ledger checkpoints",
)
def list_checkpoints(request, query: Query[p.CheckpointParams]):
    """The ledger's hash-chain head and fund balances published at each month close and each day.
    `period`: checkpoints taken in it."""
    qs = selectors.checkpoints(kind=query.kind or "", period=_period(query))
    return _paged(request, qs, query, _checkpoint)


@api.get(
    "/ledger/checkpoints/{code}",
    response={200: s.Checkpoint, **DETAIL_ERRORS},
    tags=["money"],
    summary="One ledger checkpoint",
)
def get_checkpoint(request, code: str):
    return _checkpoint(request, _found(selectors.checkpoint(code)))


@api.get(
    "/programme",
    response={200: s.Programme, **ERRORS},
    tags=["money"],
    summary="The programme's money",
)
def get_programme(request, query: Query[p.ProgrammeParams]):
    """The programme's money for a period (all time without one), by the ledger date: raised (by channel),
    spent (by category), the balance at its end; the projects not yet published as one line."""
    period = _period(query)
    figures = selectors.programme_money(period)
    money, unpublished = figures["money"], figures["unpublished"]
    return {
        "period": period.key if period else None,
        "raised": money["raised"],
        "spent": money["spent"],
        "balance": money["balance"],
        "adjustments": money["adjustments"],
        "raised_by_channel": [
            {"channel": name, "total": total} for name, total in money["raised_by_channel"]
        ],
        "spent_by_category": [
            {"category": code, "total": total} for code, total in money["spent_by_category"]
        ],
        "unpublished": {k: unpublished[k] for k in ("count", "raised", "allocated", "spent", "balance")},
    }


# Reports, disclosures, trainings -----------------------------------------------------------------------


def _report(request, report) -> dict:
    code = report.document.verification_code
    return {
        "code": code,
        "title": report.document.title,
        "scope": report.scope,
        "project": report.project.slug if report.project_id else None,
        "period_kind": report.period_kind,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "language": report.language,
        "sha256": report.document.sha256,
        "url": _url(request, "transparency:report_detail", code),
    }


@api.get(
    "/reports",
    response={200: s.page_of(s.Report, "ReportPage"), **ERRORS},
    tags=["reports"],
    summary="Transparency reports",
)
def list_reports(request, query: Query[p.ReportParams]):
    """Published transparency reports of the programme and of public projects. `period`: reports whose
    period ends in it."""
    qs = selectors.reports(
        project=query.project or "",
        scope=query.scope or "",
        language=query.language or "",
        period=_period(query),
    )
    return _paged(request, qs, query, _report)


@api.get(
    "/reports/{code}",
    response={200: s.Report, **DETAIL_ERRORS},
    tags=["reports"],
    summary="One transparency report",
)
def get_report(request, code: str):
    return _report(request, _found(selectors.report(code)))


def _disclosure(request, disclosure) -> dict:
    return {
        "id": disclosure.pk,
        "kind": disclosure.kind,
        "project": disclosure.project.slug if disclosure.project_id else None,
        "campaign": disclosure.campaign.slug if disclosure.campaign_id else None,
        "period_start": disclosure.period_start,
        "period_end": disclosure.period_end,
        "due_on": disclosure.due_on,
        "published_at": disclosure.published_at,
        "narrative": disclosure.narrative,
        "leftover_explanation": disclosure.leftover_explanation,
        "funds_received": disclosure.funds_received,
        "funds_spent": disclosure.funds_spent,
        "balance": disclosure.balance,
        "corrections": [
            {"published_at": c.published_at, "note": c.note} for c in disclosure.corrections.all()
        ],
    }


@api.get(
    "/disclosures",
    response={200: s.page_of(s.Disclosure, "DisclosurePage"), **ERRORS},
    tags=["reports"],
    summary="Disclosures",
)
def list_disclosures(request, query: Query[p.DisclosureParams]):
    """Published information disclosures (progress and funds, final, the programme's annual report), frozen
    as published, with their dated corrections. `period`: disclosures whose period ends in it."""
    qs = selectors.disclosures(
        project=query.project or "",
        campaign=query.campaign or "",
        kind=query.kind or "",
        period=_period(query),
    )
    return _paged(request, qs, query, _disclosure)


def _cohort(request, cohort) -> dict:
    return {
        "id": cohort.pk,
        "name": cohort.name,
        "city_code": cohort.city.code,
        "city_name": cohort.city.name,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "organizations": cohort.organizations_count,
        "participants_certified": cohort.participants_certified,
    }


@api.get(
    "/cohorts",
    response={200: s.page_of(s.Cohort, "CohortPage"), **ERRORS},
    tags=["trainings"],
    summary="Training cohorts",
)
def list_cohorts(request, query: Query[p.CohortParams]):
    """Training cohorts with their published figures: organizations taking part and participants holding a
    valid certificate. `period`: cohorts running at some time in it."""
    qs = selectors.cohorts(city=query.city or "", period=_period(query))
    return _paged(request, qs, query, _cohort)
