"""`{% drawn_once [value ...] [unless condition] %}…{% enddrawn_once %}`: a part of a template drawn once per
process, language and the values given, then given again as drawn.

For markup that depends on the code, the active language and the values named only: the site's navigation,
its footer, the links to its static files, the labels and inputs of an empty public form. Never for anything
read from the database, anything of the visitor (their name, a CSRF token, a form's time stamp) or anything
of the request (its address): those stay outside the block, or are among its values. With `unless`, the
part is drawn afresh whenever the condition holds (a bound form, with its values and errors).

What is drawn is kept on the template's compiled node, so a template loaded again (Django's autoreload in
development, a cleared loader cache) starts empty; at most `LIMIT` drawings are kept per block (a value
taking ever new values only draws each time once the limit is reached). Each page rendered afresh draws
its navigation, footer and forms: about a millisecond of a public page uncached."""

import threading

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

LIMIT = 256


class DrawnOnceNode(template.Node):
    def __init__(self, nodelist, values, unless):
        self.nodelist = nodelist
        self.values = values
        self.unless = unless
        self.drawn: dict[tuple, str] = {}
        self.lock = threading.Lock()

    def render(self, context):
        if self.unless is not None and self.unless.resolve(context, ignore_failures=True):
            return self.nodelist.render(context)
        key = (get_language(), *(value.resolve(context) for value in self.values))
        drawn = self.drawn.get(key)
        if drawn is None:
            drawn = self.nodelist.render(context)
            with self.lock:
                if len(self.drawn) < LIMIT:
                    self.drawn[key] = drawn
        return mark_safe(drawn)  # noqa: S308 - the nodelist's own output, escaped as it drew it


@register.tag
def drawn_once(parser, token):
    bits = token.split_contents()[1:]
    unless = None
    if "unless" in bits:
        at = bits.index("unless")
        if at != len(bits) - 2:
            raise template.TemplateSyntaxError("drawn_once takes one condition after 'unless', last.")
        unless = parser.compile_filter(bits[-1])
        bits = bits[:at]
    values = [parser.compile_filter(bit) for bit in bits]
    nodelist = parser.parse(("enddrawn_once",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(CsrfTokenNode):
        raise template.TemplateSyntaxError("drawn_once would give every visitor the same CSRF token.")
    return DrawnOnceNode(nodelist, values, unless)
