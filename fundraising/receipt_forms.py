"""Forms of the official receipt register, the donor screens and the public statement request."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import MoneyField, PastDateField
from .models import OfficialReceipt


def _helper(label, method="post") -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.add_input(Submit("submit", label))
    return helper


def _years():
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this, this - 10, -1)]


def _languages():
    return [(code, name) for code, name in settings.LANGUAGES]


class ReceiptIssueForm(forms.Form):
    code = forms.CharField(label=_("Receipt book code (票据代码)"), max_length=20)
    number = forms.CharField(
        label=_("Receipt number (票据号码)"),
        max_length=20,
        required=False,
        help_text=_("Leave empty to take the next number of the book."),
    )
    issued_on = PastDateField(label=_("Date issued"))
    payer_name = forms.CharField(
        label=_("Payer (交款人)"),
        max_length=200,
        required=False,
        help_text=_("Empty: the funder, or the donor's name recorded with the gift."),
    )
    payer_email = forms.EmailField(label=_("Payer's email"), required=False)
    payer_phone = forms.CharField(label=_("Payer's phone"), max_length=30, required=False)

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(label or _("Issue the receipt"))


class ReissueForm(ReceiptIssueForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        required=False,
        help_text=_("Required when the receipt is still live: it is voided with this reason."),
    )

    field_order = ["reason", "code", "number", "issued_on", "payer_name", "payer_email", "payer_phone"]


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason for voiding"), max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Void the receipt"))


class RegisterFilterForm(forms.Form):
    STATES = [
        ("", _("All")),
        ("live", _("Live (issued or reissued)")),
        *OfficialReceipt.State.choices,
        ("attention", _("Live, but the donation was reversed")),
    ]
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)
    year = forms.TypedChoiceField(
        label=_("Year"), choices=[("", _("All"))], coerce=int, empty_value=None, required=False
    )
    date_from = forms.DateField(
        label=_("Issued from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    donor = forms.CharField(label=_("Payer or number"), max_length=200, required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All")), *((y, str(y)) for y in years)]
        self.helper = _helper(_("Filter"), method="get")
        self.helper.form_class = "row row-cols-lg-auto g-2 align-items-end"

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class StatementForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    language = forms.ChoiceField(label=_("Language"))

    def __init__(self, *args, years=(), label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years] or _years()
        self.fields["language"].choices = _languages()
        self.helper = _helper(label or _("Make the PDF"))


class StatementSendForm(StatementForm):
    to = forms.EmailField(label=_("Send to"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Email the link"))
        super().__init__(*args, **kwargs)


class StatementRequestForm(forms.Form):
    """The public form: a donor proves who they are with the number of their official receipt and the
    amount of that gift."""

    number = forms.CharField(label=_("Official receipt number (票据号码)"), max_length=20)
    amount = MoneyField(label=_("Amount of that gift (yuan)"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
        self.helper = _helper(_("Get my statement"), method="get")
