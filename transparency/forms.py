"""Forms of the transparency site: public questions (with anti-spam checks), following by email, report
requests and disclosures."""

import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from empowerment.forms import BoundedTextMixin

from .models import Disclosure, PeriodKind, Question
from .periods import BadPeriod, parse

# A question sent less than this many seconds after the form was shown is taken to be a robot's.
MIN_SECONDS_TO_ASK = 3
FORM_MAX_AGE = 60 * 60 * 24
_SALT = "transparency.question-form"


def form_stamp() -> str:
    return signing.dumps(int(time.time()), salt=_SALT)


class QuestionForm(BoundedTextMixin, forms.ModelForm):
    """Anti-spam: a hidden field people leave empty (robots fill it), a signed time stamp (sent too fast
    or forged is refused) and a rate limit per address in the cache (in the service)."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    stamp = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Question
        fields = ["kind", "name", "email", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4, "maxlength": 4000})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["stamp"] = form_stamp()

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."), code="honeypot")
        return ""

    def clean_stamp(self):
        try:
            shown_at = signing.loads(self.cleaned_data["stamp"], salt=_SALT, max_age=FORM_MAX_AGE)
        except signing.BadSignature:
            raise forms.ValidationError(_("The form expired. Please send it again."), code="stamp") from None
        if time.time() - int(shown_at) < MIN_SECONDS_TO_ASK:
            raise forms.ValidationError(
                _("That was very fast. Please check your message and send it again."), code="fast"
            )
        return self.cleaned_data["stamp"]


class FollowForm(forms.Form):
    email = forms.EmailField(label=_("Your email"), max_length=254)


class ReportRequestForm(forms.Form):
    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    period = forms.CharField(
        label=_("Which period"),
        max_length=10,
        help_text=_("2025-03 for a month, 2025-Q1 for a quarter, 2025 for a year."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=[("en", "English"), ("zh-hans", "中文")])
    project = forms.ModelChoiceField(label=_("Project"), queryset=None, required=False)

    def __init__(self, *args, projects=None, require_project=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["project"].required = require_project
        if require_project:
            self.fields["project"].empty_label = None
        else:
            self.fields["project"].empty_label = _("The whole programme")

    def clean(self):
        data = super().clean()
        raw, kind = data.get("period"), data.get("period_kind")
        if raw and kind:
            try:
                period = parse(raw)
            except BadPeriod as exc:
                self.add_error("period", str(exc))
                return data
            if period.kind != kind:
                self.add_error(
                    "period", _("This is not a %(kind)s.") % {"kind": dict(PeriodKind.choices)[kind].lower()}
                )
            data["parsed_period"] = period
        return data


class DisclosureForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = Disclosure
        fields = ["narrative", "leftover_explanation"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 6}),
            "leftover_explanation": forms.Textarea(attrs={"rows": 3}),
        }


class CorrectionForm(forms.Form):
    note = forms.CharField(label=_("Correction"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
