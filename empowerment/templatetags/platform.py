"""Template helpers shared by every app: money formatting, PDF asset URLs, status badges."""

from django import template

from empowerment.money import format_money

register = template.Library()


@register.filter
def money(value):
    """Format a Decimal amount in yuan: ¥1,250.50. Refuses floats."""
    return format_money(value)


@register.simple_tag
def pdf_static(path: str) -> str:
    """URL of a static file for the PDF renderer (which fetches nothing else)."""
    return f"static:{path}"


@register.simple_tag
def pdf_media(file_field) -> str:
    """URL of a stored file for the PDF renderer, or '' when there is none."""
    return f"media:{file_field.name}" if file_field else ""


STATUS_COLOURS = {
    "queued": "secondary",
    "rendering": "info",
    "ready": "success",
    "failed": "danger",
    "active": "success",
    "applicant": "warning",
    "graduated": "primary",
    "submitted": "warning",
    "approved": "success",
    "rejected": "danger",
}


@register.filter
def status_colour(value) -> str:
    return STATUS_COLOURS.get(str(value), "secondary")
