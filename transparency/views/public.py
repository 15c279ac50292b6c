"""Public pages: the programme dashboard (home), the fund flow, directories, organization profiles and the
one public page of each project, campaign and fund (the only public face of each: the older addresses
answer with a permanent redirect here). Only what is approved for publication; no login."""

from datetime import date

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import RedirectView

from empowerment import freshness
from empowerment.fragments import fragment
from empowerment.pagecache import public_page
from empowerment.pagination import CappedPaginator
from fundraising import selectors as money_selectors
from organizations import selectors as org_selectors

from .. import labels, pages, presentation, projectflow, projectparts, selectors, services
from ..forms import FollowForm, QuestionForm, form_stamp
from ..pagetopics import (
    FUND_PAGE_TOPICS,
    PROJECT_PAGE_TOPICS,
    shows_campaigns_money,
    shows_funds,
    shows_projects_money,
)
from ..periods import EARLIEST_YEAR, Period
from .common import bad_request, query_period, text_param

PAGE_SIZE = 24
ALL_TIME = Period("range", date(EARLIEST_YEAR, 1, 1), date(2100, 12, 31))


@public_page
@require_GET
def home(request):
    shown = services.dashboard_shown()

    def dashboard() -> str:
        return presentation.draw_dashboard(shown.figures)

    # The snapshot's own drawing when it was read and still fits; else the same figures (named by the stamp
    # of the data they reflect) are drawn once per language and version of the names they are labelled
    # with, however often the money moves meanwhile.
    drawn = shown.drawn or fragment("dashboard", shown.stamp, topics=(freshness.PAGES,), render=dashboard)
    return render(request, "home.html", {"page_title": _("Programme dashboard"), "dashboard": drawn})


def _flow_context(request):
    """The programme's flow (one project's: transparency.projectflow)."""
    period, error = query_period(request, default=ALL_TIME)
    if error:
        return None, error
    flow = selectors.fund_flow(period, labels=labels.flow_labels())
    title = _("Where the programme's money came from and went")
    return {
        "period": period,
        "all_time": period is ALL_TIME,
        "flow": flow,
        "flow_chart": presentation.flow_chart(flow, title=title),
        "flow_rows": presentation.flow_rows(flow),
        "flow_title": title,
        "from_value": text_param(request, "from"),
        "to_value": text_param(request, "to"),
    }, None


@public_page
@require_GET
def fund_flow(request):
    context, error = _flow_context(request)
    if error:
        return error
    return render(request, "transparency/fund_flow.html", context)


def _page(request, queryset, *, capped: bool = False):
    """The page asked for, or None when there is no such page. capped: count at most a bounded number of
    rows (empowerment.pagination.CappedPaginator) for a list that grows with the programme."""
    page_number = request.GET.get("page", "1")
    if not page_number.isdigit() or len(page_number) > 6:
        return None
    if capped:
        paginator = CappedPaginator(queryset, PAGE_SIZE, reach=int(page_number))
    else:
        paginator = Paginator(queryset, PAGE_SIZE)
    number = int(page_number)
    if number < 1 or (number > 1 and number > paginator.num_pages):  # the first page always exists
        return None
    return paginator.page(number)


def _filters(request) -> dict:
    return {
        "q": text_param(request, "q"),
        "theme": text_param(request, "theme"),
        "city": text_param(request, "city"),
    }


def _valid_filters(filters: dict) -> bool:
    city = filters.get("city", "")
    return (not city or (city.isdigit() and len(city) <= 12)) and len(filters.get("theme", "")) <= 50


@public_page
@require_GET
def organization_list(request):
    filters = _filters(request)
    if not _valid_filters(filters):
        return bad_request(request, _("The city filter must be a division code, such as 150200."))
    page = _page(request, selectors.organization_directory(**filters))
    if page is None:
        return bad_request(request, _("There is no such page of results."))
    return render(
        request,
        "transparency/organization_list.html",
        {
            "page": page,
            "filters": filters,
            "themes": selectors.theme_names().values(),
            "cities": selectors.cities(),
        },
    )


@public_page
@require_GET
def organization_detail(request, slug):
    organization = selectors.public_organization(slug)
    if organization is None:
        raise Http404
    return render(
        request,
        "transparency/organization_detail.html",
        {
            "org": organization,
            "projects": selectors.organization_projects(organization),
            "training": selectors.organization_training(organization),
            "themes": selectors.organization_themes(organization),
            "community": org_selectors.organization_public_community(organization),
        },
    )


# Projects ------------------------------------------------------------------------------------------


@public_page(topics=PROJECT_PAGE_TOPICS)
@require_GET
def project_list(request):
    """Every public project, filtered by theme, city, status and a search, with its money."""
    filters = {**_filters(request), "status": text_param(request, "status")}
    if not _valid_filters(filters) or (
        filters["status"] and filters["status"] not in selectors.Project.PUBLIC_STATUSES
    ):
        return bad_request(request, _("One of the filters is not valid."))
    page = _page(request, selectors.project_directory_rows(page_size=PAGE_SIZE, **filters), capped=True)
    if page is None:
        return bad_request(request, _("There is no such page of results."))
    shows_projects_money(page)
    statuses = labels.project_statuses()
    return render(
        request,
        "transparency/project_list.html",
        {
            "page": page,
            "rows": presentation.project_rows(page),
            "filters": filters,
            "themes": selectors.theme_names().values(),
            "cities": selectors.cities(),
            "statuses": [(s, statuses[s]) for s in selectors.Project.PUBLIC_STATUSES],
        },
    )


@public_page(holes={"stamp": form_stamp}, topics=PROJECT_PAGE_TOPICS)
@require_GET
def project_detail(request, slug):
    """The one public page of a project: its plan, approved progress updates with photos, indicators
    against targets, its money (in, out, balance; the fund flow), disclosures, reports, answers to
    questions, and the forms to ask a question and to follow the project."""
    project = selectors.public_project(slug)
    if project is None:
        raise Http404
    period, error = query_period(request, default=ALL_TIME)
    if error:
        return error
    shows_projects_money([project])
    # Its plan, progress and reports change with its content, and its money's itemised lists with what they
    # list, not with each donation: drawn apart and kept, in the cache and in the database (projectparts),
    # with the content's versions read first; its flow is kept under those and the sums it is drawn from.
    reading = projectparts.read(project)
    with money_selectors.read_once():  # the flow and the money read the project's fund once
        fund = money_selectors.project_fund(project)  # read with the project
        flow_html = projectflow.drawn(
            request,
            project,
            period,
            all_time=period is ALL_TIME,
            fund=fund,
            reading=reading,
            from_value=text_param(request, "from"),
            to_value=text_param(request, "to"),
        )
        money = pages.project_money(project, itemised=False)
    parts = projectparts.shown(project, fund, reading)
    items = (
        {p.removeprefix("items:"): html for p, html in parts.items() if p.startswith("items:")}
        if money
        else None
    )
    context = {
        "project": project,
        "story": parts["story"],
        "record": parts["record"],
        "money": money,
        "money_items": items,
        "flow_html": flow_html,
        "flow_title": projectflow.flow_title(project),
        "disbursements": parts.get("disbursements", ""),
        "target_kind": "project",
        "target": project,
        "answers_drawn": parts["answers"],
        "question_form": QuestionForm(),
        "follow_form": FollowForm(),
    }
    return render(request, "transparency/project_detail.html", context)


# Campaigns -----------------------------------------------------------------------------------------


@public_page(topics=FUND_PAGE_TOPICS)
@require_GET
def campaign_list(request):
    state = text_param(request, "state")
    if state not in ("", "open", "ended"):
        return bad_request(request, _("One of the filters is not valid."))
    filters = {"q": text_param(request, "q"), "state": state}
    page = _page(request, selectors.campaign_directory(**filters))
    if page is None:
        return bad_request(request, _("There is no such page of results."))
    shows_campaigns_money(page)
    return render(request, "transparency/campaign_list.html", {"page": page, "filters": filters})


@public_page(holes={"stamp": form_stamp}, topics=FUND_PAGE_TOPICS)
@require_GET
def campaign_detail(request, slug):
    """The one public page of a campaign: its story and images, progress toward the goal, the donors who
    agreed to be named, what its fund has received and spent, disclosures and questions."""
    campaign = pages.public_campaign(slug)
    if campaign is None:
        raise Http404
    shows_campaigns_money([campaign])
    images = list(campaign.images.all())
    og_image = (
        request.build_absolute_uri(reverse("transparency:campaign_image", args=[campaign.slug, images[0].pk]))
        if images
        else ""
    )
    return render(
        request,
        "transparency/campaign_detail.html",
        {
            "campaign": campaign,
            "images": images,
            "og_image": og_image,
            "page_url": request.build_absolute_uri(
                reverse("transparency:campaign_detail", args=[campaign.slug])
            ),
            "progress": money_selectors.campaign_progress(campaign),
            "donations": presentation.donor_items(money_selectors.campaign_donations(campaign)),
            # Only the three figures are shown (compact), never the itemised lists.
            "money": pages.fund_figures(campaign.fund),
            "fund_link": pages.fund_link(campaign.fund),
            "target_kind": "campaign",
            "target": campaign,
            "disclosures": pages.published_disclosures(campaign=campaign.pk),
            "answers": pages.published_answers(campaign=campaign.pk),
            "question_form": QuestionForm(),
            "follow_form": FollowForm(),
        },
    )


@never_cache
@require_GET
def campaign_progress(request, slug):
    """The progress bar, polled by the campaign page (htmx) so it stays live."""
    campaign = selectors.public_campaign(slug)
    if campaign is None:
        raise Http404
    return render(
        request,
        "transparency/_campaign_progress.html",
        {"campaign": campaign, "progress": money_selectors.campaign_progress(campaign)},
    )


@require_GET
def campaign_image(request, slug, pk):
    image = pages.campaign_image(selectors.public_campaign(slug), pk)
    if image is None:
        raise Http404
    response = FileResponse(image.image.open("rb"))
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Funds ---------------------------------------------------------------------------------------------


@public_page(topics=FUND_PAGE_TOPICS)
@require_GET
def fund_detail(request, code):
    """The page of the general fund or a community fund. A project fund is shown on its project's page
    (permanent redirect, query string kept); one of a project that is not public is not found."""
    fund = pages.fund_by_code(code)
    if fund is None:
        raise Http404
    link = pages.fund_link(fund)
    if link is None:
        raise Http404
    name, arg = link
    if name != "transparency:fund_detail":
        return _permanent(request, reverse(name, args=[arg]))
    shows_funds([fund.pk])
    return render(
        request,
        "transparency/fund_detail.html",
        {"fund": fund, "money": pages.fund_money(fund), "campaigns": pages.fund_campaigns(fund)},
    )


# The older addresses ---------------------------------------------------------------------------------


def _permanent(request, url: str):
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def moved_to(pattern_name: str):
    """A view answering an older address with a permanent redirect to the canonical page of the same
    thing (same arguments, query string kept)."""
    return RedirectView.as_view(pattern_name=pattern_name, permanent=True, query_string=True)
