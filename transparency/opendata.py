"""Open data: the published datasets, each with its documented fields, as rows for CSV and JSON; grants
following the 360Giving Data Standard (1.4) field names; projects with results as IATI activity XML
(2.03). Donor names appear only where the donor agreed; nothing unapproved is published.

Identifiers: the programme's 360Giving prefix is GRANT_PREFIX; organizations with a unified social
credit code use the org-id.guide style "CN-USCC-<code>", others ORG_PREFIX + their number.
"""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from empowerment.querysets import keyset_iterator
from fundraising import checkpoints as checkpoint_format
from fundraising.selectors import checkpoints as checkpoint_selectors

from . import labels, selectors

GRANT_PREFIX = "360G-cep-"
ORG_PREFIX = "XI-CEP-"
PROGRAMME_ORG_ID = f"{ORG_PREFIX}programme"
IATI_PREFIX = "XI-CEP"
CURRENCY = "CNY"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    description: object
    get: Callable


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: object
    description: object
    fields: list[Field]
    rows: Callable[[], object]  # a queryset, read a page at a time in `key` order
    key: str = "pk"
    # Rows after the queryset's: the one summary line of projects not yet published (no names), so the
    # dataset adds up to the books. Fields it does not give are left empty.
    summary: Callable[[], list[dict]] | None = None


def _money(value) -> str:
    return f"{Decimal(value or 0):.2f}"


def _date(value) -> str:
    return value.isoformat() if value else ""


def _datetime(value) -> str:
    """360Giving dates as full date-times (China time): its schema's oneOf makes a bare date ambiguous."""
    return f"{value.isoformat()}T00:00:00+08:00"


def org_identifier(org) -> str:
    return f"CN-USCC-{org.credit_code}" if org.credit_code else f"{ORG_PREFIX}org-{org.pk}"


def funder_identifier(funder) -> str:
    return f"{ORG_PREFIX}funder-{funder.pk}"


ORGANIZATION_FIELDS = [
    Field(
        "id",
        "string",
        _(
            "Identifier: CN-USCC-<unified social credit code>, or XI-CEP-org-<number> for an unregistered group."
        ),
        org_identifier,
    ),
    Field("name", "string", _("Name (Chinese)."), lambda o: o.name),
    Field("name_en", "string", _("Name in English, if given."), lambda o: o.name_en or ""),
    Field(
        "slug", "string", _("Web address of the public profile: /organizations/<slug>/."), lambda o: o.slug
    ),
    Field(
        "legal_form",
        "code",
        _("social_group, social_service, foundation or unregistered."),
        lambda o: o.legal_form,
    ),
    Field(
        "credit_code",
        "string",
        _("Unified social credit code (18 characters), empty for unregistered groups."),
        lambda o: o.credit_code or "",
    ),
    Field(
        "area_code",
        "string",
        _("Administrative division code of the area it works in."),
        lambda o: o.area.code,
    ),
    Field("area_name", "string", _("Name of that area."), lambda o: o.area.name),
    Field("status", "code", _("active or graduated (applicants are not published)."), lambda o: o.status),
    Field("joined_on", "date", _("Date it joined the programme (YYYY-MM-DD)."), lambda o: _date(o.joined_on)),
    Field("staff_count", "integer", _("Paid staff."), lambda o: o.staff_count),
    Field("volunteer_count", "integer", _("Volunteers."), lambda o: o.volunteer_count),
]

PROJECT_FIELDS = [
    Field("id", "string", _("Identifier: XI-CEP-project-<number>."), lambda p: f"{ORG_PREFIX}project-{p.pk}"),
    Field("slug", "string", _("Web address: /projects/<slug>/."), lambda p: p.slug),
    Field("title", "string", _("Title."), lambda p: p.title),
    Field("summary", "string", _("Summary."), lambda p: p.summary),
    Field(
        "organization_id",
        "string",
        _("Identifier of the organization running it (see organizations)."),
        lambda p: org_identifier(p.organization),
    ),
    Field("organization_name", "string", _("Name of that organization."), lambda p: p.organization.name),
    Field("theme", "code", _("Theme key (older_people, children, ...)."), lambda p: p.theme.slug),
    Field(
        "community_code", "string", _("Division code of the community served."), lambda p: p.community.code
    ),
    Field("status", "code", _("approved, active, completed or closed."), lambda p: p.status),
    Field("start_date", "date", _("Planned start."), lambda p: _date(p.start_date)),
    Field("end_date", "date", _("Planned end."), lambda p: _date(p.end_date)),
    Field(
        "donations_received",
        "decimal",
        _("Donations into the project's fund, net of reversals, in yuan (CNY)."),
        lambda p: _money(p.money_raised),
    ),
    Field(
        "allocated",
        "decimal",
        _("Money allocated from the general and community funds, in yuan."),
        lambda p: _money(p.money_allocated),
    ),
    Field(
        "spent",
        "decimal",
        _("Approved expenditures, net of reversals, in yuan."),
        lambda p: _money(p.money_spent),
    ),
    Field(
        "balance",
        "decimal",
        _("Balance held for the project (bank and advances), in yuan."),
        lambda p: _money(p.money_balance),
    ),
]


def _grant_recipient(grant) -> dict:
    project = grant.fund.project if grant.fund_id else None
    if project is not None:
        return {"id": org_identifier(project.organization), "name": project.organization.name}
    return {"id": PROGRAMME_ORG_ID, "name": "Community Empowerment Programme"}


def grant_360(grant) -> dict:
    """One grant in the 360Giving 1.4 JSON shape."""
    data = {
        "id": f"{GRANT_PREFIX}grant-{grant.pk}",
        "title": grant.title,
        "description": grant.reference and f"{grant.title} ({grant.reference})" or grant.title,
        "currency": CURRENCY,
        "amountAwarded": grant.total,
        "amountDisbursed": grant.received,
        "awardDate": _datetime(grant.signed_on),
        "recipientOrganization": [_grant_recipient(grant)],
        "fundingOrganization": [{"id": funder_identifier(grant.funder), "name": grant.funder.name}],
        "grantProgramme": [{"title": str(grant.fund.name)}],
        "fundingType": [{"title": str(grant.get_kind_display())}],
    }
    project = grant.fund.project if grant.fund_id else None
    if project is not None:
        dates = {}
        if project.start_date:
            dates["startDate"] = _datetime(project.start_date)
        if project.end_date:
            dates["endDate"] = _datetime(project.end_date)
        if dates:
            data["plannedDates"] = [dates]
    return data


GRANT_FIELDS = [
    Field(
        "Identifier",
        "string",
        _("360Giving id: the programme's prefix 360G-cep- and the grant's number."),
        lambda g: f"{GRANT_PREFIX}grant-{g.pk}",
    ),
    Field("Title", "string", _("360Giving title."), lambda g: g.title),
    Field(
        "Description",
        "string",
        _("360Giving description (title and agreement reference)."),
        lambda g: grant_360(g)["description"],
    ),
    Field("Currency", "code", _("Always CNY."), lambda g: CURRENCY),
    Field("Amount Awarded", "decimal", _("Total of the agreement, in yuan."), lambda g: _money(g.total)),
    Field(
        "Amount Disbursed",
        "decimal",
        _("Received so far (paid tranches), in yuan."),
        lambda g: _money(g.received),
    ),
    Field("Award Date", "date", _("Date the agreement was signed."), lambda g: _date(g.signed_on)),
    Field(
        "Recipient Org:Identifier",
        "string",
        _("The organization running the designated project, or the programme itself."),
        lambda g: _grant_recipient(g)["id"],
    ),
    Field("Recipient Org:Name", "string", _("Its name."), lambda g: _grant_recipient(g)["name"]),
    Field(
        "Funding Org:Identifier",
        "string",
        _("The funder: XI-CEP-funder-<number>."),
        lambda g: funder_identifier(g.funder),
    ),
    Field("Funding Org:Name", "string", _("The funder's name."), lambda g: g.funder.name),
    Field(
        "Funding Org:Type",
        "code",
        _("government, foundation, enterprise, community, individual or platform (not a 360Giving field)."),
        lambda g: g.funder.kind,
    ),
    Field(
        "Grant Programme:Title", "string", _("The fund the money is designated to."), lambda g: g.fund.name
    ),
    Field(
        "Funding Type",
        "string",
        _("Grant or government service contract."),
        lambda g: str(g.get_kind_display()),
    ),
]

DONATION_FIELDS = [
    Field(
        "id", "string", _("Identifier: XI-CEP-donation-<number>."), lambda d: f"{ORG_PREFIX}donation-{d.pk}"
    ),
    Field("received_on", "date", _("Date received."), lambda d: _date(d.received_on)),
    Field("amount", "decimal", _("Amount in yuan."), lambda d: _money(d.amount)),
    Field("channel", "string", _("Channel that received it."), lambda d: d.channel.name),
    Field(
        "funder_type",
        "code",
        _(
            "Kind of giver (government, foundation, enterprise, community, individual, platform), empty when anonymous."
        ),
        lambda d: d.funder.kind if d.funder_id else "",
    ),
    Field(
        "donor",
        "string",
        _('The donor\'s name only where the donor agreed to show it; otherwise "Anonymous".'),
        lambda d: d.public_name,
    ),
    Field("fund", "string", _("Fund it was designated to."), lambda d: d.fund.name),
    Field("fund_kind", "code", _("general, community or project."), lambda d: d.fund.kind),
    Field(
        "project_slug",
        "string",
        _("The project, when the fund is a project's."),
        lambda d: d.fund.project.slug if d.fund.project_id else "",
    ),
    Field(
        "campaign_slug",
        "string",
        _("The fundraising campaign, if any."),
        lambda d: d.campaign.slug if d.campaign_id else "",
    ),
    Field(
        "matching", "boolean", _("true for a matching gift."), lambda d: "true" if d.is_matching else "false"
    ),
]

EXPENDITURE_FIELDS = [
    Field(
        "id",
        "string",
        _("Identifier: XI-CEP-expenditure-<number>."),
        lambda e: f"{ORG_PREFIX}expenditure-{e.pk}",
    ),
    Field("spent_on", "date", _("Date spent (the date on the receipt)."), lambda e: _date(e.spent_on)),
    Field(
        "posted_on",
        "date",
        _(
            "Date it counts in the books: the date spent, or, for a prior-period adjustment (a month already "
            "closed), the day it was recorded."
        ),
        lambda e: _date(e.ledger_transaction.date if e.ledger_transaction_id else None),
    ),
    Field("amount", "decimal", _("Amount in yuan."), lambda e: _money(e.amount)),
    Field("project_slug", "string", _("Project."), lambda e: e.project.slug),
    Field(
        "organization_id",
        "string",
        _("Organization that spent it."),
        lambda e: org_identifier(e.organization),
    ),
    Field(
        "category",
        "code",
        _("Budget category (personnel, activities, materials, equipment, venue, travel, management, other)."),
        lambda e: e.budget_line.category,
    ),
    Field("classification", "code", _("programme, management or fundraising."), lambda e: e.classification),
    Field(
        "description",
        "string",
        _("What was bought or paid for (the payee is kept private)."),
        lambda e: e.description,
    ),
]

LEDGER_FIELDS = [
    Field("seq", "integer", _("Position of the entry in the ledger's hash chain."), lambda x: x.seq),
    Field(
        "transaction",
        "integer",
        _("Number of the balanced transaction the entry belongs to."),
        lambda x: x.transaction_id,
    ),
    Field("date", "date", _("Date of the transaction."), lambda x: _date(x.transaction.date)),
    Field(
        "occurred_on",
        "date",
        _("For a prior-period adjustment only: the real date of an event of a month already closed."),
        lambda x: _date(x.transaction.occurred_on),
    ),
    Field(
        "kind",
        "code",
        _("donation, allocation, disbursement, expenditure, reversal or adjustment."),
        lambda x: x.transaction.kind,
    ),
    Field(
        "account",
        "code",
        _("Account code (asset:bank, income:<channel>, expense:<classification>:<category>, ...)."),
        lambda x: x.account.code,
    ),
    Field("account_type", "code", _("asset, net_assets, income or expense."), lambda x: x.account.type),
    Field(
        "fund",
        "code",
        _('Fund code; "unpublished" for the funds of projects not yet published.'),
        lambda x: x.fund.code if x.fund_public else "unpublished",
    ),
    Field(
        "amount",
        "decimal",
        _("Signed amount in yuan: debit positive, credit negative; each transaction sums to zero."),
        lambda x: _money(x.amount),
    ),
    Field(
        "hash",
        "string",
        _("SHA-256 of the entry and the previous entry's hash: any change breaks the chain."),
        lambda x: x.hash,
    ),
]


CHECKPOINT_FIELDS = [
    Field(
        "code",
        "string",
        _("Checkpoint code: M<year-month> at a month close, D<date> daily."),
        lambda c: c.code,
    ),
    Field("kind", "code", _("month_close or daily."), lambda c: c.kind),
    Field("taken_on", "date", _("Day it was taken (YYYY-MM-DD)."), lambda c: _date(c.taken_on)),
    Field("month", "date", _("The closed month (first day), for a month close."), lambda c: _date(c.month)),
    Field("seq", "integer", _("Sequence number of the last ledger entry it covers."), lambda c: c.seq),
    Field(
        "hash",
        "string",
        _("SHA-256 of that entry, which chains every entry before it: keep it to prove the history later."),
        lambda c: c.hash,
    ),
    Field(
        "total",
        "decimal",
        _("Total of the funds' balances at that entry, in yuan."),
        lambda c: _money(c.total),
    ),
    Field(
        "balances",
        "string",
        _(
            "Each fund's balance at that entry, as fund-code:amount separated by spaces (empty funds left out)."
        ),
        lambda c: checkpoint_format.balances_text(c.balances),
    ),
]


def datasets() -> dict[str, Dataset]:
    return {
        d.slug: d
        for d in [
            Dataset(
                "organizations",
                _("Organizations"),
                _("Organizations taking part (active or graduated)."),
                ORGANIZATION_FIELDS,
                selectors.open_organizations,
            ),
            Dataset(
                "projects",
                _("Projects"),
                _(
                    "Approved projects with the money they received, spent and hold; the projects not yet "
                    "published as one last row, without names."
                ),
                PROJECT_FIELDS,
                selectors.open_projects,
                summary=_unpublished_projects,
            ),
            Dataset(
                "grants",
                _("Grants and contracts"),
                _("Grant agreements and government service contracts, with 360Giving field names."),
                GRANT_FIELDS,
                selectors.open_grants,
            ),
            Dataset(
                "donations",
                _("Donations"),
                _(
                    "Donations received (reversed ones left out), anonymised unless the donor agreed; those to "
                    "projects not yet published as one last row."
                ),
                DONATION_FIELDS,
                selectors.open_donations,
                summary=_unpublished_donations,
            ),
            Dataset(
                "expenditures",
                _("Expenditures"),
                _(
                    "Approved expenditures of public projects; those of projects not yet published as one "
                    "last row."
                ),
                EXPENDITURE_FIELDS,
                selectors.open_expenditures,
                summary=_unpublished_expenditures,
            ),
            Dataset(
                "ledger",
                _("Ledger"),
                _("Every cash entry of the append-only double-entry ledger (in-kind accounts excluded)."),
                LEDGER_FIELDS,
                selectors.open_ledger,
                key="seq",
            ),
            Dataset(
                "checkpoints",
                _("Ledger checkpoints"),
                _(
                    "The ledger's hash chain head and fund balances published at each month close and each day; "
                    "`manage.py verify_ledger --checkpoint` proves the history up to each unchanged."
                ),
                CHECKPOINT_FIELDS,
                checkpoint_selectors.published_checkpoints,
            ),
        ]
    }


class JSONEncoder(json.JSONEncoder):
    """Decimals become JSON numbers. Exact: money has at most 14 significant digits and Python writes the
    shortest float text that reads back the same, so 1250.50 is written 1250.5, never 1250.4999."""

    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


def rows(dataset: Dataset) -> Iterator[dict]:
    for obj in keyset_iterator(dataset.rows(), dataset.key):
        yield {f.name: f.get(obj) for f in dataset.fields}
    for extra in dataset.summary() if dataset.summary else []:
        yield {f.name: extra.get(f.name, "") for f in dataset.fields}


UNPUBLISHED_ID = f"{ORG_PREFIX}projects-not-yet-published"


def _unpublished_projects() -> list[dict]:
    """The projects not yet published as one row of the projects dataset (count in the title; sums)."""
    line = selectors.open_unpublished()
    if not line["count"]:
        return []
    return [
        {
            "id": UNPUBLISHED_ID,
            "title": str(_("Projects not yet published (%(n)s)") % {"n": line["count"]}),
            "status": "unpublished",
            "donations_received": _money(line["raised"]),
            "allocated": _money(line["allocated"]),
            "spent": _money(line["spent"]),
            "balance": _money(line["balance"]),
        }
    ]


def _unpublished_donations() -> list[dict]:
    line = selectors.open_unpublished_donations()
    if not line["count"]:
        return []
    return [
        {
            "id": UNPUBLISHED_ID,
            "amount": _money(line["amount"]),
            "donor": str(_("%(n)s donations to projects not yet published") % {"n": line["count"]}),
            "fund_kind": "project",
            "matching": "false",
        }
    ]


def _unpublished_expenditures() -> list[dict]:
    line = selectors.open_unpublished_expenditures()
    if not line["count"]:
        return []
    return [
        {
            "id": UNPUBLISHED_ID,
            "amount": _money(line["amount"]),
            "description": str(_("%(n)s expenditures of projects not yet published") % {"n": line["count"]}),
        }
    ]


# IATI ---------------------------------------------------------------------------------------------

IATI_STATUS = {"approved": "1", "active": "2", "completed": "3", "closed": "4"}


def iati_xml(generated) -> bytes:
    """IATI activities 2.03: one activity per public project with indicators (its results)."""
    from lxml import etree  # noqa: PLC0415

    from projects import selectors as project_selectors  # noqa: PLC0415

    root = etree.Element(
        "iati-activities", version="2.03", **{"generated-datetime": generated.isoformat(timespec="seconds")}
    )

    def narrative(parent, tag, text, **attrs):
        el = etree.SubElement(parent, tag, **attrs)
        etree.SubElement(el, "narrative").text = text or "-"
        return el

    for project in selectors.iati_projects():
        act = etree.SubElement(
            root,
            "iati-activity",
            **{
                "default-currency": CURRENCY,
                "{http://www.w3.org/XML/1998/namespace}lang": "zh",
                "last-updated-datetime": project.updated_at.isoformat(timespec="seconds"),
            },
        )
        etree.SubElement(act, "iati-identifier").text = f"{IATI_PREFIX}-project-{project.pk}"
        narrative(act, "reporting-org", "Community Empowerment Programme", ref=IATI_PREFIX, type="60")
        narrative(act, "title", project.title)
        narrative(act, "description", project.summary or project.objectives or project.title, type="1")
        narrative(
            act, "participating-org", "Community Empowerment Programme", ref=IATI_PREFIX, role="1", type="60"
        )
        narrative(
            act,
            "participating-org",
            project.organization.name,
            ref=org_identifier(project.organization),
            role="4",
            type="22",
        )
        etree.SubElement(act, "activity-status", code=IATI_STATUS.get(project.status, "2"))
        if project.start_date:
            etree.SubElement(act, "activity-date", type="1", **{"iso-date": project.start_date.isoformat()})
        if project.end_date:
            etree.SubElement(act, "activity-date", type="3", **{"iso-date": project.end_date.isoformat()})
        if not project.start_date and not project.end_date:
            etree.SubElement(
                act, "activity-date", type="1", **{"iso-date": project.created_at.date().isoformat()}
            )
        etree.SubElement(act, "recipient-country", code="CN", percentage="100")
        start = project.start_date or project.created_at.date()
        end = project.end_date or start
        budget_total = sum((line.amount for line in project.budget_lines.all()), Decimal(0))
        if budget_total:
            budget = etree.SubElement(act, "budget", type="1", status="2")
            etree.SubElement(budget, "period-start", **{"iso-date": start.isoformat()})
            etree.SubElement(budget, "period-end", **{"iso-date": end.isoformat()})
            etree.SubElement(
                budget, "value", **{"value-date": start.isoformat()}
            ).text = f"{budget_total:.2f}"
        if project.money_spent:
            tx = etree.SubElement(act, "transaction")
            etree.SubElement(tx, "transaction-type", code="4")  # expenditure
            etree.SubElement(tx, "transaction-date", **{"iso-date": end.isoformat()})
            etree.SubElement(
                tx, "value", **{"value-date": end.isoformat()}
            ).text = f"{project.money_spent:.2f}"
        result = etree.SubElement(act, "result", type="1", **{"aggregation-status": "0"})
        narrative(result, "title", str(_("Indicators against targets")))
        for progress in project_selectors.indicator_progress(project):
            ind = progress.indicator
            measure = "2" if ind.value_type == "percentage" else "1"
            indicator = etree.SubElement(result, "indicator", measure=measure, ascending="1")
            narrative(indicator, "title", f"{ind.name} ({ind.unit})")
            etree.SubElement(
                indicator,
                "baseline",
                year=str(start.year),
                **{"iso-date": start.isoformat(), "value": f"{ind.baseline}"},
            )
            period = etree.SubElement(indicator, "period")
            etree.SubElement(period, "period-start", **{"iso-date": start.isoformat()})
            etree.SubElement(period, "period-end", **{"iso-date": end.isoformat()})
            etree.SubElement(period, "target", value=f"{ind.target}")
            if progress.current is not None:
                etree.SubElement(period, "actual", value=f"{progress.current}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def category_label(code: str) -> str:
    return labels.category(code)
