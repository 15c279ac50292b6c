"""`{% ledger_checkpoint_at day as cp %}`: the latest published ledger checkpoint taken on or before a
day, with the line printed for `verify_ledger --checkpoint` to read back (transparency report PDFs)."""

from django import template

from fundraising.checkpoints import published_line
from fundraising.selectors import checkpoints as checkpoint_selectors

register = template.Library()


@register.simple_tag
def ledger_checkpoint_at(day) -> dict | None:
    checkpoint = checkpoint_selectors.checkpoint_at(day)
    if checkpoint is None:
        return None
    return {"checkpoint": checkpoint, "line": published_line(checkpoint)}
