"""Form helpers shared by the apps' views."""

from django import forms
from django.core.exceptions import ValidationError

from empowerment.textlimits import LONG_TEXT


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError back onto the form: at the field it names, or at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# LONG_TEXT (empowerment.textlimits, which the database's constraints use too) is the longest text a person
# may type into one field. Over it the field answers with Django's own message ("Ensure this value has at most
# 20000 characters (it has 100000).") and the browser's text area stops at it (maxlength).
SHORT_TEXT = 1_000


def bound_text_fields(form) -> None:
    """Give every text field of `form` that has no maximum length one: LONG_TEXT for text areas, SHORT_TEXT
    for one-line inputs. Fields with their own maximum keep it."""
    from django import forms  # noqa: PLC0415
    from django.core.validators import MaxLengthValidator  # noqa: PLC0415

    for field in form.fields.values():
        # Plain text fields only: subclasses (money, dates typed as text) clean to other types.
        if type(field) is not forms.CharField or field.max_length is not None:
            continue
        limit = LONG_TEXT if isinstance(field.widget, forms.Textarea) else SHORT_TEXT
        field.max_length = limit
        field.validators.append(MaxLengthValidator(limit))
        if not field.widget.is_hidden:
            field.widget.attrs.setdefault("maxlength", str(limit))


class BoundedTextMixin:
    """For a form class: every text field without its own maximum length gets one (bound_text_fields)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_text_fields(self)


class ModelMultipleIdsField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField that refuses, as an invalid choice, an id no integer column can hold.

    Django looks the chosen ids up with an IN query; on SQLite an id past 64 bits makes the driver raise
    OverflowError (a server error) instead of finding nothing."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number: Django's own check refuses it
            if not -(2**63) <= number < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)
