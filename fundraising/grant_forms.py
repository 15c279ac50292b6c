"""Forms of the finance officers' grant, tranche and in-kind screens."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from empowerment.money import to_money

from .forms import MoneyField, PastDateField
from .models import Channel, Fund, Funder, Grant, InKindGift


class GrantForm(forms.Form):
    """The agreement itself; its tranches are the TrancheFormSet beside it."""

    funder = forms.ModelChoiceField(Funder.objects.order_by("name"), label=_("Funder"))
    kind = forms.ChoiceField(choices=Grant.Kind.choices, label=_("Kind"))
    title = forms.CharField(label=_("Title"), max_length=200)
    reference = forms.CharField(label=_("Agreement reference"), max_length=80, required=False)
    signed_on = PastDateField(label=_("Signed on"))
    fund = forms.ModelChoiceField(
        Fund.objects.order_by("kind", "name"),
        label=_("Designation"),
        help_text=_("The fund the tranches are paid into."),
    )
    channel = forms.ModelChoiceField(
        Channel.objects.filter(
            active=True, kind__in=[Channel.Kind.GRANT, Channel.Kind.CONTRACT, Channel.Kind.BANK]
        ),
        label=_("Channel"),
    )
    total = MoneyField(label=_("Total amount (yuan)"))


class TrancheForm(forms.Form):
    """One tranche: due on a date, on reaching a milestone, or both. An empty extra row is ignored."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**63 - 1)
    amount = MoneyField(label=_("Amount (yuan)"), required=False)
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    milestone = forms.CharField(label=_("Milestone"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get("DELETE"):
            return cleaned
        if cleaned.get("amount") in (None, "") and not self.errors.get("amount"):
            self.add_error("amount", _("Give the tranche's amount."))
        if (
            not cleaned.get("due_on")
            and not (cleaned.get("milestone") or "").strip()
            and "due_on" not in self.errors
        ):
            self.add_error("due_on", _("Give a due date or a milestone."))
        return cleaned


class BaseTrancheFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        ids = [f.cleaned_data.get("id") for f in self.forms if f.cleaned_data.get("id")]
        if len(ids) != len(set(ids)):
            raise ValidationError(_("Each tranche may appear only once."))


TrancheFormSet = forms.formset_factory(
    TrancheForm, formset=BaseTrancheFormSet, extra=2, can_delete=True, max_num=50, validate_max=True
)


class ReceiveForm(forms.Form):
    receipt_number = forms.CharField(
        label=_("Receipt number"), max_length=64, help_text=_("The foundation's receipt for this payment.")
    )
    received_on = PastDateField(label=_("Date the money arrived"))


class InKindForm(forms.Form):
    """An in-kind gift with how its value was set: a market price, volunteer hours at an hourly rate, a
    supplier's quote or invoice, or another stated basis. For hours × rate the value is computed."""

    METHODS = (
        ("market", _("Market price")),
        ("hours", _("Volunteer hours × hourly rate")),
        ("quote", _("Supplier's quote or invoice")),
        ("other", _("Other stated basis")),
    )

    kind = forms.ChoiceField(choices=InKindGift.Kind.choices, label=_("Kind"))
    description = forms.CharField(label=_("What was given"), max_length=255)
    funder = forms.ModelChoiceField(
        Funder.objects.order_by("name"),
        label=_("Giver (a funder on record)"),
        required=False,
        help_text=_("Or type the giver's name below."),
    )
    giver_name = forms.CharField(label=_("Giver's name"), max_length=120, required=False)
    received_on = PastDateField(label=_("Date"))
    fund = forms.ModelChoiceField(Fund.objects.order_by("kind", "name"), label=_("Designation"))
    method = forms.ChoiceField(choices=METHODS, label=_("Valuation basis"), initial="market")
    hours = forms.DecimalField(
        label=_("Hours"), required=False, min_value=Decimal("0.1"), max_digits=8, decimal_places=1
    )
    rate = MoneyField(label=_("Hourly rate (yuan)"), required=False)
    value = MoneyField(
        label=_("Stated value (yuan)"), required=False, help_text=_("Computed for hours × rate.")
    )
    basis = forms.CharField(
        label=_("How the value was set"),
        max_length=200,
        required=False,
        help_text=_("E.g. 520 boxes × 12 yuan factory price; the local minimum hourly wage."),
    )

    def clean(self):
        cleaned = super().clean()
        method, kind = cleaned.get("method"), cleaned.get("kind")
        hours, rate, value = cleaned.get("hours"), cleaned.get("rate"), cleaned.get("value")
        detail = (cleaned.get("basis") or "").strip()
        if kind == InKindGift.Kind.VOLUNTEER and not hours and "hours" not in self.errors:
            self.add_error("hours", _("Give the number of hours of volunteer labour."))
        if method == "hours":
            if not hours and "hours" not in self.errors:
                self.add_error("hours", _("Give the number of hours."))
            if not rate and "rate" not in self.errors:
                self.add_error("rate", _("Give the hourly rate."))
            if hours and rate:
                computed = to_money((hours * rate).quantize(Decimal("0.01")))
                if value and value != computed:
                    self.add_error("value", _("Hours × rate is %(v)s yuan.") % {"v": f"{computed:,.2f}"})
                cleaned["value"] = computed
                cleaned["basis_text"] = _("%(hours)s h × %(rate)s yuan/h") % {
                    "hours": f"{hours.normalize():f}",
                    "rate": f"{rate:,.2f}",
                } + (f"; {detail}" if detail else "")
        else:
            if not value and "value" not in self.errors:
                self.add_error("value", _("Give the stated value."))
            if method == "other" and not detail:
                self.add_error("basis", _("Say how the value was set."))
            label = dict(self.METHODS).get(method, "")
            cleaned["basis_text"] = f"{label}: {detail}" if detail else str(label)
        if not cleaned.get("funder") and not (cleaned.get("giver_name") or "").strip():
            self.add_error("giver_name", _("Choose the giver or type their name."))
        return cleaned

    def service_arguments(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "description": d["description"],
            "value": d["value"],
            "basis": d["basis_text"][:255],
            "received_on": d["received_on"],
            "fund": d["fund"],
            "funder": d["funder"],
            "giver_name": (d["giver_name"] or (d["funder"].name if d["funder"] else ""))[:120],
            "hours": d["hours"],
        }
