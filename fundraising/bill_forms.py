"""Forms of the bill import and reconciliation screens."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from empowerment.money import format_money

from .bills.models import PlatformBill
from .models import Channel, Fund


class BillUploadForm(forms.Form):
    channel = forms.ModelChoiceField(
        Channel.objects.filter(active=True),
        label=_("Channel"),
        help_text=_("The platform account the bill is from, or the bank account of a statement."),
    )
    file = forms.FileField(label=_("Bill (CSV, UTF-8 or GBK)"))
    preset = forms.ChoiceField(
        label=_("Layout"),
        choices=[("", _("Recognise from the header")), *PlatformBill.Preset.choices],
        required=False,
    )
    default_fund = forms.ModelChoiceField(
        Fund.objects.all(),
        required=False,
        label=_("Designation of gifts"),
        help_text=_("Gifts whose bill names no project go to this fund (the general fund when empty)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Upload and check (dry run)")))


class BankLineMatchForm(forms.Form):
    transaction = forms.IntegerField(label=_("Ledger transaction number"), min_value=1)


class BankLineExplainForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this line matches nothing in the books"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BankLinePayoutForm(forms.Form):
    """Record a bank line as the payout of a platform that holds money for the funds (its bill lists no
    payouts): each choice names what the platform holds."""

    channel = forms.ModelChoiceField(label=_("Payout of"), queryset=Channel.objects.none())

    def __init__(self, *args, holdings: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.holdings = holdings or {}
        field = self.fields["channel"]
        field.queryset = Channel.objects.filter(pk__in=list(self.holdings)).order_by("pk")
        field.label_from_instance = lambda channel: (
            _("%(channel)s (holds %(held)s)")
            % {
                "channel": channel.name,
                "held": format_money(self.holdings.get(channel.pk)),
            }
        )
