"""Money figures of the books (fundraising.selectors) that a template reads from an annotated row:
`{% load books %}{{ project|received|money }}`."""

from django import template

from fundraising import selectors

register = template.Library()


@register.filter
def received(project):
    """What a project's fund received (donations and allocations in), of a `with_project_money` row."""
    return selectors.project_received(project)
