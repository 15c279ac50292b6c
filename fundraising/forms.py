"""Forms of the staff money pages, the portal and the public donation lookup."""

from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from empowerment.money import to_money
from empowerment.uploads import clean_document

from .importing import FIELDS
from .models import Account, Campaign, Channel, Expenditure, Fund, Funder


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class MoneyField(forms.CharField):
    """An amount in yuan typed by a person: at most two decimals, more than zero, within the column."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        amount = to_money(value)
        if amount <= 0:
            raise ValidationError(_("The amount must be more than zero."))
        return amount


class PastDateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"})

    def clean(self, value):
        value = super().clean(value)
        if value and value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class DonationForm(forms.Form):
    channel = forms.ModelChoiceField(Channel.objects.filter(active=True), label=_("Channel"))
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=64)
    amount = MoneyField(label=_("Amount (yuan)"))
    received_on = PastDateField(label=_("Date received"))
    fund = forms.ModelChoiceField(Fund.objects.all(), label=_("Designation"))
    funder = forms.ModelChoiceField(
        Funder.objects.all(),
        label=_("Funder"),
        required=False,
        help_text=_("Leave empty for an anonymous gift."),
    )
    donor_name = forms.CharField(label=_("Donor name"), max_length=120, required=False)
    show_name = forms.BooleanField(label=_("The donor agreed to show the name"), required=False)
    campaign = forms.ModelChoiceField(Campaign.objects.all(), label=_("Campaign"), required=False)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the donation"))


class ExpenditureForm(forms.Form):
    project = forms.ModelChoiceField(queryset=None, label=_("Project"))
    budget_line = forms.ModelChoiceField(queryset=None, label=_("Budget line"))
    description = forms.CharField(label=_("What was bought or paid"), max_length=255)
    payee = forms.CharField(label=_("Payee"), max_length=200)
    amount = MoneyField(label=_("Amount (yuan)"))
    spent_on = PastDateField(label=_("Date spent"))
    invoice_number = forms.CharField(label=_("Invoice or receipt number"), max_length=64, required=False)
    classification = forms.ChoiceField(
        choices=Account.Classification.choices,
        initial=Account.Classification.PROGRAMME,
        label=_("Cost classification"),
    )
    paid_from = forms.ChoiceField(choices=Expenditure.PaidFrom.choices, label=_("Paid by"))
    document = forms.FileField(label=_("Invoice or receipt (PDF or photo)"))
    over_budget_reason = forms.CharField(
        label=_("Reason for going over the budget line"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed only when this claim, with what the line has already spent and what waits for approval, "
            "goes over the line's amount. The approver reads it and it stays in the expenditure's history."
        ),
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        from projects.models import BudgetLine  # noqa: PLC0415 - budget lines of the projects offered

        self.fields["project"].queryset = projects
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(project__in=projects).select_related(
            "project"
        )
        self.fields["budget_line"].label_from_instance = lambda line: (
            f"{line.project.title} · {line.get_category_display()} · {line.description}"
        )
        self.helper = _helper(_("Submit for approval"))

    def clean_document(self):
        return clean_document(self.cleaned_data["document"])

    def clean(self):
        cleaned = super().clean()
        project, line = cleaned.get("project"), cleaned.get("budget_line")
        if project and line and line.project_id != project.pk:
            self.add_error("budget_line", _("Choose a budget line of this project."))
        return cleaned


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LookupForm(forms.Form):
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=64)
    amount = MoneyField(label=_("Amount (yuan)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Find my donation"))
        self.helper.form_method = "get"


class PeriodCloseForm(forms.Form):
    month = forms.CharField(label=_("Month"), max_length=7, widget=forms.TextInput(attrs={"type": "month"}))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Close the month"))

    def clean_month(self):
        value = self.cleaned_data["month"].strip()
        try:
            year, month = (int(x) for x in value.split("-"))
            return date(year, month, 1)
        except (ValueError, TypeError):
            raise ValidationError(_("Enter a month such as 2024-03.")) from None


class ImportForm(forms.Form):
    channel = forms.ModelChoiceField(Channel.objects.filter(active=True), label=_("Source"))
    file = forms.FileField(label=_("Export file (CSV or Excel .xlsx)"))
    default_designation = forms.ModelChoiceField(
        Fund.objects.all(), to_field_name="code", required=False, label=_("Designation of rows without one")
    )
    save_mapping = forms.BooleanField(
        label=_("Save this column mapping for the source"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "external_id": _("Column: transaction id"),
            "receipt_number": _("Column: receipt number"),
            "amount": _("Column: amount"),
            "date": _("Column: date"),
            "donor_name": _("Column: donor name"),
            "show_name": _("Column: name may be shown"),
            "designation": _("Column: designation (fund code)"),
            "note": _("Column: note"),
        }
        for field in FIELDS:
            self.fields[f"col_{field}"] = forms.CharField(
                label=labels[field], max_length=100, required=field in ("external_id", "amount", "date")
            )
        self.helper = _helper(_("Upload and check (dry run)"))

    def mapping(self) -> dict:
        data = {field: self.cleaned_data.get(f"col_{field}", "") for field in FIELDS}
        fund = self.cleaned_data.get("default_designation")
        data["default_designation"] = fund.code if fund else ""
        return data
