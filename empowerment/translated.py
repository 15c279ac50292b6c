"""Reading a text stored in both languages (django-modeltranslation's <field>_en and <field>_zh_hans
columns): the visitor's language when it was given, else the other language, with the language it is
written in so that a page can mark it (empowerment.templatetags.translated)."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language

# The value of an HTML lang attribute for each of settings.LANGUAGES, and the mark shown beside a text
# written in that language on a page of the other one.
HTML_LANG = {"en": "en", "zh-hans": "zh-Hans"}
MARK = {"en": "EN", "zh-hans": "中"}


@dataclass(frozen=True)
class Translated:
    text: str
    language: str  # the language the text is written in (a code of settings.LANGUAGES)
    fallback: bool  # True when it is not the visitor's language


def _column(field: str, language: str) -> str:
    return f"{field}_{language.replace('-', '_')}"


def active_language() -> str:
    lang = (get_language() or settings.LANGUAGE_CODE).lower()
    return "zh-hans" if lang.startswith("zh") else "en"


def translated(obj, field: str, language: str | None = None) -> Translated:
    """`obj`'s `field` in `language` (the active one by default), else in the other language. A field that
    is not stored in both languages is returned as it is, in the visitor's language."""
    language = language or active_language()
    if obj is None:
        return Translated("", language, False)
    if not hasattr(obj, _column(field, language)):
        return Translated(getattr(obj, field, "") or "", language, False)
    order = [language] + [code for code, _name in settings.LANGUAGES if code != language]
    for code in order:
        text = getattr(obj, _column(field, code), None)
        if text:
            return Translated(text, code, code != language)
    return Translated("", language, False)


def written_in(text: str) -> str:
    """The language a text is written in, as far as it tells: Chinese when it holds a Chinese character,
    else English (for a name typed into a field that is not tied to one language)."""
    return (
        "zh-hans" if any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text or "") else "en"
    )


def column(field: str, language: str) -> str:
    """The column that holds `field` in `language` (name, zh-hans → name_zh_hans)."""
    return _column(field, language)


def both(obj, field: str) -> dict[str, str]:
    """`obj`'s `field` in every language of settings.LANGUAGES, for a snapshot that must read in both
    languages later (a frozen report keeps the names as they were when its figures were taken). A field
    that is not stored in both languages gives its one value under the language it is written in."""
    if obj is None:
        return {}
    if not hasattr(obj, _column(field, settings.LANGUAGE_CODE)):
        text = getattr(obj, field, "") or ""
        return {written_in(text): text} if text else {}
    return {
        code: getattr(obj, _column(field, code), "") or ""
        for code, _name in settings.LANGUAGES
        if getattr(obj, _column(field, code), "")
    }


def pick(value, language: str | None = None) -> Translated:
    """A snapshot's text (a dict from `both`, or a plain string kept by an older snapshot) in `language`
    (the active one by default), else in the other language."""
    language = language or active_language()
    if isinstance(value, dict):
        order = [language] + [code for code, _name in settings.LANGUAGES if code != language]
        for code in order:
            if value.get(code):
                return Translated(value[code], code, code != language)
        return Translated("", language, False)
    text = "" if value is None else str(value)
    written = written_in(text) if text else language
    return Translated(text, written, written != language)
