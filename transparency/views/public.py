"""Public pages: the programme dashboard (home), the fund flow, directories, organization profiles and the
money pages of projects and campaigns. Only what is approved for publication; no login."""

from datetime import date

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from empowerment.pagecache import public_page

from .. import labels, presentation, selectors, services
from ..forms import FollowForm, QuestionForm, form_stamp
from ..periods import EARLIEST_YEAR, Period
from .common import bad_request, query_period, text_param

PAGE_SIZE = 24
ALL_TIME = Period("range", date(EARLIEST_YEAR, 1, 1), date(2100, 12, 31))


@public_page
@require_GET
def home(request):
    figures = services.dashboard_figures()
    context = {"figures": figures, "page_title": _("Programme dashboard"), **presentation.dashboard(figures)}
    return render(request, "home.html", context)


def _flow_context(request, *, project=None):
    period, error = query_period(request, default=ALL_TIME)
    if error:
        return None, error
    flow = selectors.fund_flow(period, project=project, labels=labels.flow_labels())
    title = (
        _("Where the money of %(project)s came from and went") % {"project": project.title}
        if project
        else _("Where the programme's money came from and went")
    )
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


def _page(request, queryset):
    page_number = request.GET.get("page", "1")
    if not page_number.isdigit() or len(page_number) > 6:
        return None
    paginator = Paginator(queryset, PAGE_SIZE)
    if int(page_number) > max(paginator.num_pages, 1) or int(page_number) < 1:
        return None
    return paginator.page(int(page_number))


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
    projects = selectors.with_money(selectors.public_projects().filter(organization=organization)).order_by(
        "title"
    )
    return render(
        request,
        "transparency/organization_detail.html",
        {
            "org": organization,
            "projects": projects,
            "training": selectors.organization_training(organization),
            "themes": organization.themes.all(),
        },
    )


@public_page
@require_GET
def project_list(request):
    filters = {**_filters(request), "status": text_param(request, "status")}
    if not _valid_filters(filters) or (
        filters["status"] and filters["status"] not in selectors.Project.PUBLIC_STATUSES
    ):
        return bad_request(request, _("One of the filters is not valid."))
    page = _page(request, selectors.project_directory(**filters))
    if page is None:
        return bad_request(request, _("There is no such page of results."))
    statuses = labels.project_statuses()
    return render(
        request,
        "transparency/project_list.html",
        {
            "page": page,
            "filters": filters,
            "themes": selectors.theme_names().values(),
            "cities": selectors.cities(),
            "statuses": [(s, statuses[s]) for s in selectors.Project.PUBLIC_STATUSES],
        },
    )


@public_page(holes={"stamp": form_stamp})
@require_GET
def project_detail(request, slug):
    """The money page of a public project: fund flow, sources and uses, disclosures, answers, reports;
    with the forms to ask a question and to follow the project."""
    project = selectors.public_project(slug)
    if project is None:
        raise Http404
    context, error = _flow_context(request, project=project)
    if error:
        return error
    context.update(
        {
            "project": selectors.project_money(project),
            "target_kind": "project",
            "target": project,
            "disclosures": selectors.published_disclosures(project=project),
            "answers": selectors.published_answers(project=project),
            "reports": selectors.published_reports(project=project)[:12],
            "question_form": QuestionForm(),
            "follow_form": FollowForm(),
        }
    )
    return render(request, "transparency/project_detail.html", context)


@public_page
@require_GET
def campaign_list(request):
    state = text_param(request, "state")
    if state not in ("", "open", "ended"):
        return bad_request(request, _("One of the filters is not valid."))
    filters = {"q": text_param(request, "q"), "state": state}
    page = _page(request, selectors.campaign_directory(**filters))
    if page is None:
        return bad_request(request, _("There is no such page of results."))
    return render(request, "transparency/campaign_list.html", {"page": page, "filters": filters})


@public_page(holes={"stamp": form_stamp})
@require_GET
def campaign_detail(request, slug):
    campaign = selectors.public_campaign(slug)
    if campaign is None:
        raise Http404
    campaign = selectors.campaigns_with_money(selectors.public_campaigns().filter(pk=campaign.pk)).get()
    return render(
        request,
        "transparency/campaign_detail.html",
        {
            "campaign": campaign,
            "target_kind": "campaign",
            "target": campaign,
            "disclosures": selectors.published_disclosures(campaign=campaign),
            "answers": selectors.published_answers(campaign=campaign),
            "question_form": QuestionForm(),
            "follow_form": FollowForm(),
        },
    )
