"""Turn the selectors' figures into labelled rows and SVG charts, shared by the web pages and the PDFs so
both show the same picture."""

from functools import partial

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from empowerment import charts
from empowerment.money import format_money
from empowerment.templatetags.platform import display, slug_url
from empowerment.templatetags.translated import tr
from fundraising import selectors as books
from projects import selectors as project_selectors

from . import labels, selectors


def dashboard(figures: dict) -> dict:
    """Labelled rows and charts of the dashboard figures."""
    themes = selectors.theme_names()
    cities = selectors.city_areas(figures["by_city"].keys())
    unpublished = _("Projects not yet published")
    by_theme = sorted(
        (
            (str(themes.get(pk, "—")), row["projects"], row["people"], row["spent"])
            for pk, row in figures["by_theme"].items()
            if pk != selectors.UNPUBLISHED
        ),
        key=lambda r: (-r[1], r[0]),
    )
    # Projects not public yet: one line, last, never by name (selectors.programme_figures).
    if selectors.UNPUBLISHED in figures["by_theme"]:
        row = figures["by_theme"][selectors.UNPUBLISHED]
        by_theme.append((unpublished, row["projects"], row["people"], row["spent"]))
    by_city = sorted(
        (
            (
                str(cities[prefix]) if prefix in cities else _("Other areas"),
                row["organizations"],
                row["projects"],
                row["spent"],
            )
            for prefix, row in figures["by_city"].items()
            if prefix != selectors.UNPUBLISHED
        ),
        key=lambda r: (-r[1], r[0]),
    )
    if selectors.UNPUBLISHED in figures["by_city"]:
        row = figures["by_city"][selectors.UNPUBLISHED]
        by_city.append((unpublished, row["organizations"], row["projects"], row["spent"]))
    raised_by_channel = books.named_by_channel(figures["raised_by_channel"])
    spent_by_category = [(labels.category(code), amount) for code, amount in figures["spent_by_category"]]
    month_labels = [date_format(m, "Y-m") for m, _r, _s in figures["monthly"]]
    return {
        "by_theme": by_theme,
        "by_city": by_city,
        "raised_by_channel": raised_by_channel,
        "spent_by_category": spent_by_category,
        "chart_channels": charts.bar_chart(
            raised_by_channel,
            title=_("Funds raised by channel"),
            fmt=format_money,
            empty=_("No funds raised yet."),
        ),
        "chart_categories": charts.bar_chart(
            spent_by_category,
            title=_("Funds spent by category"),
            fmt=format_money,
            empty=_("Nothing spent yet."),
        ),
        "chart_themes": charts.stacked_bars(
            [(name, [projects]) for name, projects, _p, _s in by_theme],
            [_("Projects")],
            title=_("Projects by theme"),
            empty=_("No public projects yet."),
        ),
        "chart_cities": charts.stacked_bars(
            [(name, [orgs, projects]) for name, orgs, projects, _s in by_city],
            [_("Organizations"), _("Projects")],
            title=_("Organizations and projects by city"),
            empty=_("No organizations yet."),
        ),
        "chart_monthly": charts.line_chart(
            month_labels,
            [
                (_("Raised"), [r for _m, r, _s in figures["monthly"]]),
                (_("Spent"), [s for _m, _r, s in figures["monthly"]]),
            ],
            title=_("Funds raised and spent per month"),
            fmt=format_money,
            y_label=_("Amount (¥)"),
        ),
    }


def draw_dashboard(figures: dict) -> str:
    """The dashboard's HTML for `figures` in the current language: the same for every visitor (no request,
    no form), so it can be drawn by a worker with the snapshot and kept."""
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "figures": figures,
        **dashboard(figures),
        # Stored with the dashboard's figures (its snapshot), labelled here in the page's language.
        "theme_results": project_selectors.theme_results_shown(figures["theme_results"]),
    }
    return render_to_string("transparency/_dashboard.html", context)


def flow_chart(flow: selectors.FundFlow, *, title: str):
    return charts.sankey(
        flow.columns,
        flow.links,
        title=title,
        fmt=format_money,
        empty=_("No money has moved in this period."),
    )


def flow_rows(flow: selectors.FundFlow) -> list[tuple[str, str, object]]:
    """The links of a fund flow as a table (from, to, amount), for readers who prefer text."""
    names = {key: label for column in flow.columns for key, label in column}
    return [(names.get(s, s), names.get(t, t), v) for s, t, v in flow.links]


def donor_items(donations) -> SafeString:
    """The list items of a campaign's latest donations ((public name, amount) pairs), joined
    once instead of a template loop over a hundred rows (the campaign page is drawn again each time its
    money moves)."""
    # format_html_join's markup, each value escaped as it escapes it, without its per-row formatting.
    return mark_safe(  # noqa: S308 - every value escaped here
        "\n".join(
            '<li class="list-group-item d-flex justify-content-between">'
            f"<span>{conditional_escape(name)}</span><span>{conditional_escape(format_money(amount))}</span></li>"
            for name, amount in donations
        )
    )


def project_rows(projects) -> SafeString:
    """The rows of the public project list (transparency/project_list.html's table body): each project's
    title and page, theme and status, organization and page, and what its fund received, spent and holds,
    drawn as that template's loop drew them (each value escaped as it escapes it) and joined once: a template
    loop over a page of rows was a third of the list's render."""
    project_url = partial(slug_url, "transparency:project_detail")
    organization_url = partial(slug_url, "transparency:organization_detail")
    rows = []
    for p in projects:
        rows.append(
            "<tr>\n"
            f'  <td><a href="{project_url(p.slug)}">{conditional_escape(tr(p, "title"))}</a>'
            f'<div class="small text-muted">{conditional_escape(p.theme)} · '
            f"{conditional_escape(display(p, 'status'))}</div></td>\n"
            f'  <td><a href="{organization_url(p.organization.slug)}">'
            f"{conditional_escape(tr(p.organization, 'name'))}</a></td>\n"
            f'  <td class="text-end">{conditional_escape(format_money(books.project_received(p)))}</td>'
            f'<td class="text-end">{conditional_escape(format_money(p.money_spent))}</td>'
            f'<td class="text-end">{conditional_escape(format_money(p.money_balance))}</td>\n'
            "</tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped here
