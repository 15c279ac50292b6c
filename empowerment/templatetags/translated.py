"""Texts stored in both languages, shown in the visitor's language or, when only the other language was
given, in that one with a visible mark: `{% load translated %}{{ project|tr:"title" }}`, in pages and PDFs.
`|tr_text` gives the text alone (for attributes and titles)."""

from django import template
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from empowerment.translated import HTML_LANG, MARK, pick, translated

register = template.Library()


def _names():
    return {"en": _("in English"), "zh-hans": _("in Chinese")}


def _marked(value, lang: str):
    return format_html(
        '<span lang="{}">{}</span> <abbr class="lang-mark" lang="{}" title="{}">{}</abbr>',
        HTML_LANG[lang],
        value,
        HTML_LANG[lang],
        _names()[lang],
        MARK[lang],
    )


@register.filter
def tr(obj, field: str):
    """`obj.<field>` in the visitor's language, else in the other one followed by its language mark."""
    t = translated(obj, field)
    if not t.fallback:
        return t.text
    return _marked(t.text, t.language)


@register.filter
def tr_value(value):
    """A name kept by a snapshot in both languages (`empowerment.translated.both`) in the visitor's
    language, else in the other one followed by its language mark."""
    t = pick(value)
    if not t.fallback:
        return t.text
    return _marked(t.text, t.language)


@register.filter
def tr_paragraphs(obj, field: str):
    """A longer text (description, story) as paragraphs, marked like `tr` when in the other language."""
    t = translated(obj, field)
    body = mark_safe(linebreaks(t.text, autoescape=True))  # noqa: S308 - linebreaks escaped the text
    if not t.fallback:
        return body
    return format_html(
        '<div lang="{}">{}</div><p><abbr class="lang-mark" lang="{}" title="{}">{}</abbr></p>',
        HTML_LANG[t.language],
        body,
        HTML_LANG[t.language],
        _names()[t.language],
        MARK[t.language],
    )


@register.filter
def tr_text(obj, field: str) -> str:
    """`obj.<field>` in the visitor's language, else in the other one, without a mark."""
    return translated(obj, field).text


@register.filter
def language_name(code: str) -> str:
    """A language code of settings.LANGUAGES ("en", "zh-hans") as its name in the visitor's language."""
    from django.conf import settings  # noqa: PLC0415

    return str(dict(settings.LANGUAGES).get(code, code))
