"""The staff admin's tags: {% large_result_list cl %} (Django's {% result_list %} with the rows of
empowerment.admin_paging), {% kept_list_filter cl spec %} (Django's {% admin_list_filter %}, its markup kept
for its choices) and {% kept_nav_sidebar %} (its navigation sidebar, kept)."""

from django import template
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import result_headers, result_hidden_fields
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.utils.safestring import mark_safe

from empowerment import admin_paging
from empowerment.admin_paging import result_rows

register = template.Library()
register.simple_tag(admin_paging.kept_list_filter, name="kept_list_filter")


def large_result_list(cl):
    """The context of Django's admin_list.result_list, its rows built by result_rows."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": list(result_rows(cl)),
    }


@register.tag(name="large_result_list")
def large_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=large_result_list, template_name="change_list_results.html", takes_context=False
    )


@register.simple_tag(takes_context=True)
def kept_nav_sidebar(context):
    """Django's admin/nav_sidebar.html, drawn once per person, language and current link a minute
    (empowerment.admin_site)."""
    request = context["request"]

    def draw():
        return context.template.engine.get_template("admin/nav_sidebar.html").render(context)

    kept = admin.site.navigation(request)
    return draw() if kept is None else mark_safe(kept.sidebar(request, draw))  # noqa: S308 - a template's output
