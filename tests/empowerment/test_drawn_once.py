"""{% drawn_once %}: a part of a template drawn once per process, language and values, given again as drawn;
never with a CSRF token in it, and drawn afresh for a bound form. The pages that use it draw the same HTML
with it as without it, for each kind of visitor and in both languages."""

import re

import pytest
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.utils import translation

from empowerment.templatetags import drawn_once

ENGINE = Engine(
    libraries={"drawn_once": "empowerment.templatetags.drawn_once"}, builtins=["django.templatetags.i18n"]
)


def _template(body: str) -> Template:
    return ENGINE.from_string("{% load drawn_once %}" + body)


def test_a_part_is_drawn_once_then_given_again_as_drawn():
    template = _template("{% drawn_once %}<b>{{ word }}</b>{% enddrawn_once %}|{{ word }}")
    assert template.render(Context({"word": "first"})) == "<b>first</b>|first"
    # What is outside the block follows the context; the block is what it drew the first time.
    assert template.render(Context({"word": "second"})) == "<b>first</b>|second"


def test_each_value_named_and_each_language_has_its_own_drawing():
    template = _template("{% drawn_once kind %}{{ kind }}:{% translate 'Money' %}{% enddrawn_once %}")
    with translation.override("en"):
        assert template.render(Context({"kind": "a"})) == "a:Money"
        assert template.render(Context({"kind": "b"})) == "b:Money"
    with translation.override("zh-hans"):
        chinese = template.render(Context({"kind": "a"}))
    assert chinese.startswith("a:") and chinese != "a:Money"
    with translation.override("en"):
        assert template.render(Context({"kind": "a"})) == "a:Money"


def test_unless_draws_afresh_while_its_condition_holds():
    template = _template("{% drawn_once unless bound %}{{ value }}{% enddrawn_once %}")
    assert template.render(Context({"bound": False, "value": "empty"})) == "empty"
    assert template.render(Context({"bound": True, "value": "typed"})) == "typed"
    assert template.render(Context({"bound": True, "value": "typed again"})) == "typed again"
    assert template.render(Context({"bound": False, "value": "other"})) == "empty"


def test_a_csrf_token_inside_is_refused_when_the_template_is_read():
    with pytest.raises(TemplateSyntaxError, match="CSRF"):
        _template("{% drawn_once %}<form>{% csrf_token %}</form>{% enddrawn_once %}")
    with pytest.raises(TemplateSyntaxError, match="unless"):
        _template("{% drawn_once unless a b %}x{% enddrawn_once %}")


def test_at_most_limit_drawings_are_kept_per_block(monkeypatch):
    monkeypatch.setattr(drawn_once, "LIMIT", 2)
    template = _template("{% drawn_once n %}{{ n }}{{ tail }}{% enddrawn_once %}")
    for n in range(5):
        assert template.render(Context({"n": n, "tail": "x"})) == f"{n}x"
    node = template.nodelist.get_nodes_by_type(drawn_once.DrawnOnceNode)[0]
    assert len(node.drawn) == 2
    # Beyond the limit a value is drawn each time (never another value's drawing).
    assert template.render(Context({"n": 4, "tail": "y"})) == "4y"


def _masked(html: str) -> str:
    return re.sub(r'name="(csrfmiddlewaretoken|stamp)" value="[^"]*"', r'name="\1" value=""', html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_public_pages_draw_the_navigation_for_each_kind_of_visitor(client, django_user_model, language):
    """The same page drawn for a visitor, then for a signed-in person, then for a visitor again: the
    navigation kept for one is never given to the other (the "Apply" link is for visitors only), and the
    forms' tokens are each visitor's own."""
    with translation.override(language):
        apply_label = translation.gettext("Apply")
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    first = client.get("/", **headers).content.decode()
    assert f">{apply_label}</a>" in first
    user = django_user_model.objects.create_user("reader@example.org", "pw-long-enough-1")
    client.force_login(user)
    signed_in = client.get("/", **headers).content.decode()
    assert f">{apply_label}</a>" not in signed_in
    client.logout()
    again = client.get("/", **headers).content.decode()
    assert _masked(again) == _masked(first)
