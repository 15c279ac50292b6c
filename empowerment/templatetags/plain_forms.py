"""A form field drawn as crispy-forms' Bootstrap 5 pack draws it, without templates, for the forms shown on
public pages (drawn on every page rendered afresh: crispy's field templates and Django's widget templates
took about 6 of the 10 ms the question and follow forms cost a project or campaign page).

`{{ field|plain_field }}` gives the same markup as `{{ field|as_crispy_field }}` (the wrapper, the label with
the required mark, the widget with the pack's classes, drawn as Django's widget templates draw it) for an
unbound or valid field of a plain widget (text, email, number, address, text area, single choice without
groups). Anything else (a field with errors or help text, a widget with its own classes, a localized field,
a form with a crispy FormHelper, a checkbox, a radio, a file or a multi-part widget, choices in groups) is
drawn by crispy itself, so an error always looks exactly as it does on every other form."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import conditional_escape as escape
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The classes crispy's Bootstrap 5 pack gives each widget (its input class, then form-control/form-select).
_CLASSES = {
    forms.TextInput: "textinput form-control",
    forms.EmailInput: "emailinput form-control",
    forms.NumberInput: "numberinput form-control",
    forms.URLInput: "urlinput form-control",
    forms.Textarea: "textarea form-control",
    forms.Select: "select form-select",
}


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _widget(widget: dict) -> str | None:
    """The widget's context drawn as Django's template for it draws it (input.html, textarea.html,
    select.html with select_option.html); None for another template or choices in groups."""
    name = widget["template_name"]
    if name == "django/forms/widgets/textarea.html":
        value = escape(widget["value"]) if widget["value"] else ""
        return f'<textarea name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    if name == "django/forms/widgets/select.html":
        options = []
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                return None
            for option in group_choices:
                if option["template_name"] != "django/forms/widgets/select_option.html":
                    return None
                options.append(
                    f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
                    f"{escape(option['label'])}</option>"
                )
        return (
            f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>{"".join(options)}\n</select>'
        )
    if name in (
        "django/forms/widgets/text.html",
        "django/forms/widgets/email.html",
        "django/forms/widgets/number.html",
        "django/forms/widgets/url.html",
        "django/forms/widgets/hidden.html",
    ):
        value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
        return f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    return None


def _drawn_widget(field, attrs: dict) -> str | None:
    """What BoundField.as_widget draws, without the widget's template (None when _widget cannot)."""
    widget = field.field.widget
    if field.field.localize:
        return None
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return _widget(widget.get_context(field.html_name, field.value(), attrs)["widget"])


@register.filter
def plain_widget(field):
    """`{{ field }}` (the widget alone, as Django draws it) for the plain widgets above, a hidden input
    included; any other widget is drawn by Django."""
    drawn = _drawn_widget(field, {})
    return field.as_widget() if drawn is None else mark_safe(drawn)  # noqa: S308 - escaped in _widget


@register.filter
def plain_field(field):
    """A bound field as crispy's `as_crispy_field` draws it (see the module's docstring)."""
    widget = field.field.widget
    css = _CLASSES.get(type(widget))
    if (
        css is None
        or field.errors
        or field.help_text
        or widget.attrs.get("class")
        or field.field.localize
        or not field.label
        or hasattr(field.form, "helper")  # a crispy FormHelper may hide labels or add wrapper classes
    ):
        return as_crispy_field(field)
    drawn = _drawn_widget(field, {"class": css})
    if drawn is None:
        return as_crispy_field(field)
    required = field.field.required
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}{}</label>{}</div>',
        field.auto_id,
        field.id_for_label,
        " requiredField" if required else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",  # noqa: S308 - a constant
        mark_safe(drawn),  # noqa: S308 - every value in it is escaped above
    )
