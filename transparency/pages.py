"""What the one public page of a project, a campaign or a fund shows, gathered from the apps' selectors.

Money figures come only from `fundraising.selectors` (one definition per figure); this module adds the
non-money reads a page needs (the plan, updates, images, the campaigns of a fund) and decides which fund
pages exist. Nothing here writes.
"""

from decimal import Decimal

from django.db.models import QuerySet
from django.template.loader import render_to_string

from empowerment.querysets import attach_related, compiled_once
from fundraising import selectors as money_selectors
from fundraising.models import Campaign, CampaignImage, Disbursement, Fund
from projects import charts as project_charts
from projects import selectors as project_selectors
from projects.models import Activity, BudgetLine, Milestone, Need, Project

from . import selectors
from .models import Disclosure, DisclosureCorrection


def project_plan(project: Project) -> dict:
    """The plan as approved: the needs it answers, objectives, activities with milestones, the budget. Each
    read compiled once (empowerment.querysets.compiled_once): every project page makes them."""
    budget_lines = compiled_once("project budget lines", _budget_lines, project=project.pk)
    activities = compiled_once("project activities", _activities, project=project.pk)
    milestones = compiled_once("project activities' milestones", _activity_milestones, project=project.pk)
    return {
        "needs": compiled_once("project needs", _needs, project=project.pk),
        "activities": attach_related(activities, "milestones", milestones),
        "budget_lines": budget_lines,
        # The sum of the lines just read (None without lines, as the database's SUM would give).
        "budget_total": sum((line.amount for line in budget_lines), Decimal("0.00"))
        if budget_lines
        else None,
    }


def _budget_lines(project: int) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(project=project)


def _needs(project: int) -> QuerySet[Need]:
    return Need.objects.filter(projects=project).select_related("assessment__community")


def _activities(project: int) -> QuerySet[Activity]:
    return Activity.objects.filter(project=project)


def _activity_milestones(project: int) -> QuerySet[Milestone]:
    return Milestone.objects.filter(activity__project=project)


def project_progress(project: Project) -> dict:
    """Approved progress updates (newest first, with photos), indicators against targets, people reached."""
    progress = project_selectors.with_breakdowns(project, project_selectors.indicator_progress(project))
    updates = project_selectors.public_updates(project)
    return {
        "progress": progress,
        "progress_by_level": project_selectors.indicators_by_level(progress),
        "chart": project_charts.indicator_chart(progress),
        "updates": updates,
        # The page shows the total only (projects/_people.html), not the breakdowns by sex, age and group.
        "people": {"total": project_selectors.project_people_reached(project)},
    }


def fund_money(fund: Fund | None) -> dict | None:
    """The fund's money as fundraising's selectors define it (None when the project has no fund yet)."""
    return money_selectors.fund_money(fund) if fund is not None else None


def fund_figures(fund: Fund | None) -> dict | None:
    """The fund's money figures alone (fundraising.selectors.fund_money without the itemised lists of
    allocations, expenditures and gifts in kind), for a page that shows only the figures (the campaign page's
    compact money tables): the same figures, without reading and building every expenditure of the fund."""
    return money_selectors.fund_money(fund, itemised=False) if fund is not None else None


def project_money(project: Project, *, itemised: bool = True) -> dict | None:
    """The project fund's money (fundraising.selectors.fund_money); itemised=False: the figures alone, for
    a page that draws the itemised lists apart (`money_items`)."""
    fund = money_selectors.project_fund(project)
    if fund is None:
        return None
    fund.project = project  # the project the page has read (fund_money asks whether it is public)
    return money_selectors.fund_money(fund, itemised=itemised)


def money_items(fund: Fund) -> dict[str, str]:
    """The itemised lists of a fund's money (allocations in, each expenditure, allocations out and gifts in
    kind: fundraising.selectors.fund_items) drawn as the pieces fundraising/_money_tables.html places, for a
    page that keeps them apart from the money's figures. They change with the rows they list (each an
    approval, an allocation or a gift saved: the "pages" topic), not with a donation."""
    items = {"money": money_selectors.fund_items(fund)}
    return {
        piece: render_to_string(f"fundraising/_money_items_{template}.html", items)
        for piece, template in (("allocations_in", "in"), ("spent", "spent"), ("out", "out"))
    }


def project_disbursements(project: Project) -> list[Disbursement]:
    """Tranches of the project's fund paid to the organization as advances (they stay in the balance until
    spent): the records themselves, dated; no sum is made here."""
    return compiled_once("project disbursements", _disbursements, project=project.pk)


def _disbursements(project: int) -> QuerySet[Disbursement]:
    return Disbursement.objects.filter(project=project).order_by("paid_on", "tranche")


def project_record(project: Project) -> dict:
    """The project's published disclosures (with their corrections) and its latest reports, as the page's
    record lists them; each read compiled once (empowerment.querysets.compiled_once)."""
    return {
        "disclosures": published_disclosures(project=project.pk),
        "reports": compiled_once("project reports", _reports, project=project.pk),
    }


def published_disclosures(**target: int) -> list[Disclosure]:
    """The published disclosures of one project or campaign (`project=` or `campaign=` its id) with their
    corrections, as selectors.published_disclosures gives them; both reads compiled once."""
    disclosures = compiled_once("disclosures", _disclosures, **target)
    if not disclosures:
        return disclosures
    corrections = compiled_once("disclosures' corrections", _disclosure_corrections, **target)
    return attach_related(disclosures, "corrections", corrections)


def _disclosures(**target: int) -> QuerySet:
    return selectors.published_disclosures(**target).prefetch_related(None)


def _disclosure_corrections(**target: int) -> QuerySet:
    return DisclosureCorrection.objects.filter(disclosure__in=_disclosures(**target))


def _reports(project: int) -> QuerySet:
    return selectors.published_reports(project=project)[:12]


def project_answers(project: Project) -> list:
    """The questions about the project answered and published, compiled once."""
    return published_answers(project=project.pk)


def published_answers(**target: int) -> list:
    """The questions about one project or campaign (`project=` or `campaign=` its id) answered and
    published (selectors.published_answers), compiled once."""
    return compiled_once("answers", _answers, **target)


def _answers(**target: int) -> QuerySet:
    return selectors.published_answers(**target)


# Campaigns -------------------------------------------------------------------------------------------


def public_campaign(slug: str) -> Campaign | None:
    """A published campaign with its images in order and what its fund is for. Its money is not annotated
    here: the page shows fundraising.selectors.campaign_progress (raised, matching, donors), and each
    annotation of campaigns_with_money scans the programme's income. Both reads compiled once
    (empowerment.querysets.compiled_once)."""
    campaign = next(iter(compiled_once("public campaign page", _public_campaign, slug=slug)), None)
    if campaign is None:
        return None
    images = compiled_once("public campaign's images", _campaign_images, campaign=campaign.pk)
    return attach_related([campaign], "images", images)[0]


def _public_campaign(slug: str) -> QuerySet[Campaign]:
    """selectors.public_campaign's read, with what the page also shows: the fund's area and the matching
    partner."""
    return selectors.public_campaign_read(slug).select_related("fund__area", "matching_partner")


def _campaign_images(campaign: int) -> QuerySet[CampaignImage]:
    return CampaignImage.objects.filter(campaign=campaign).order_by("position", "pk")


def campaign_image(campaign: Campaign | None, pk: int) -> CampaignImage | None:
    if campaign is None:
        return None
    return CampaignImage.objects.filter(campaign=campaign, pk=pk).exclude(image="").first()


def fund_link(fund: Fund) -> tuple[str, str] | None:
    """(URL name, argument) of the public page that shows a fund, or None when the fund has none: a
    project fund is shown on its project's page, and only once the project is public."""
    if fund.kind == Fund.Kind.PROJECT:
        project = fund.project
        if project is None or not project.is_public:
            return None
        return ("transparency:project_detail", project.slug)
    return ("transparency:fund_detail", fund.code)


# Funds -----------------------------------------------------------------------------------------------


def fund_by_code(code: str) -> Fund | None:
    """A fund by its code (the general fund, a community fund, or a project fund), or None."""
    return Fund.objects.filter(code=code[:80]).select_related("project", "area").first()


def fund_campaigns(fund: Fund) -> QuerySet[Campaign]:
    return selectors.campaigns_with_money(selectors.public_campaigns().filter(fund=fund)).order_by(
        "-starts_on", "title"
    )
