"""Forms of the purpose-built training staff screens (mentoring, capacity, cohort set-up) and of their
portal counterparts."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from empowerment.forms import BoundedTextMixin, bound_text_fields

from .models import CapacityAssessment, MentoringVisit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VisitForm(BoundedTextMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    mode = forms.ChoiceField(label=_("Mode"), choices=MentoringVisit.Mode.choices)
    topics = forms.CharField(label=_("Topics"), max_length=255)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=None, required=False)

    def __init__(self, *args, cohorts, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate(), "mode": MentoringVisit.Mode.VISIT})
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["cohort"].empty_label = _("(none)")

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be logged before it happened."))
        return value


class ActionForm(BoundedTextMixin, forms.Form):
    text = forms.CharField(label=_("Agreed action"), max_length=255)
    owner = forms.CharField(label=_("Owner"), max_length=100, required=False)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


ActionFormSet = forms.formset_factory(ActionForm, extra=1, max_num=20, validate_max=True)


class ReplyForm(BoundedTextMixin, forms.Form):
    reply = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 2}))


class ScoresForm(BoundedTextMixin, forms.Form):
    """A score (radio buttons labelled with the scale's descriptions) and an evidence note per dimension
    in use. `sheet` is selectors.capacity_sheet(organization)."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=CapacityAssessment.Kind.choices, widget=forms.RadioSelect
    )
    assessed_on = forms.DateField(label=_("Date"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, sheet, cohorts=None, **kwargs):
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        if cohorts is not None:
            self.fields["cohort"] = forms.ModelChoiceField(
                label=_("Cohort"), queryset=cohorts, required=False, empty_label=_("(none)")
            )
        self.rows = []
        for row in sheet:
            dim = row["dimension"]
            choices = [
                (n, f"{n} · {row['levels'][n]}" if n in row["levels"] else str(n))
                for n in range(dim.scale_min, dim.scale_max + 1)
            ]
            score_name, evidence_name = f"score_{dim.pk}", f"evidence_{dim.pk}"
            self.fields[score_name] = forms.TypedChoiceField(
                label=str(dim), choices=choices, coerce=int, widget=forms.RadioSelect
            )
            self.fields[evidence_name] = forms.CharField(
                label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.rows.append({**row, "score_field": self[score_name], "evidence_field": self[evidence_name]})
        bound_text_fields(self)

    def clean_assessed_on(self):
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def scores(self) -> dict:
        return {
            row["dimension"]: (
                self.cleaned_data[f"score_{row['dimension'].pk}"],
                self.cleaned_data.get(f"evidence_{row['dimension'].pk}", ""),
            )
            for row in self.rows
        }
