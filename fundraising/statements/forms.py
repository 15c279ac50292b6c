"""The chart-of-accounts forms: one account's statement line and cash-flow line; applying the defaults."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .lines import CashFlowLine
from .mapping import allowed_lines


class MappingForm(forms.Form):
    line = forms.ChoiceField(label=_("Statement line"))
    cash_flow = forms.ChoiceField(
        label=_("Cash-flow line"),
        required=False,
        help_text=_(
            "Where cash paid or received against this account is reported; empty for a cash account."
        ),
    )

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [(line.value, line.label) for line in allowed_lines(account)]
        self.fields["cash_flow"].choices = [("", "—"), *CashFlowLine.choices]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))


class ApplyDefaultsForm(forms.Form):
    overwrite = forms.BooleanField(
        label=_("Also reset accounts already mapped to their default"),
        required=False,
    )
