"""Forms of the purpose-built training staff screens (mentoring, capacity, cohort set-up) and of their
portal counterparts."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from empowerment.forms import BoundedTextMixin, ModelMultipleIdsField, bound_text_fields
from organizations.models import Area, Organization

from .models import CapacityAssessment, Cohort, MentoringVisit, Module

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


# Cohort set-up ---------------------------------------------------------------------------------------


class CohortForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = Cohort
        fields = [
            "name",
            "modules",
            "city",
            "starts_on",
            "ends_on",
            "min_attendance_percent",
            "require_exercises",
            "organizations",
            "description",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "modules": forms.CheckboxSelectMultiple,
            "organizations": forms.CheckboxSelectMultiple(attrs={"class": "org-checklist"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"modules": ModelMultipleIdsField, "organizations": ModelMultipleIdsField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = Area.objects.filter(level=1).order_by("name")
        self.fields["organizations"].queryset = Organization.objects.order_by("name")
        self.fields["min_attendance_percent"].widget.attrs.update({"min": 0, "max": 100})


class SessionForm(BoundedTextMixin, forms.Form):
    module = forms.ModelChoiceField(label=_("Module"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    day = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    venue = forms.CharField(label=_("Venue"), max_length=255, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    trainers = ModelMultipleIdsField(
        label=_("Trainers"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, cohort, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        modules = cohort.modules.all()
        self.fields["module"].queryset = modules if modules.exists() else Module.objects.all()
        self.fields["trainers"].queryset = trainers

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start"), cleaned.get("end")
        if day and start and end:
            tz = timezone.get_current_timezone()
            cleaned["starts_at"] = datetime.combine(day, start, tzinfo=tz)
            cleaned["ends_at"] = datetime.combine(day, end, tzinfo=tz)
            if end <= start:
                self.add_error("end", _("The session must end after it starts."))
        if not cleaned.get("venue") and not cleaned.get("online_url") and "online_url" not in self.errors:
            self.add_error("venue", _("Give a venue or an online link."))
        return cleaned

    def session_fields(self) -> dict:
        c = self.cleaned_data
        return {
            "module": c["module"],
            "title": c["title"],
            "starts_at": c["starts_at"],
            "ends_at": c["ends_at"],
            "venue": c["venue"],
            "online_url": c["online_url"],
        }


class EnrolOneForm(BoundedTextMixin, forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=100)
    title = forms.CharField(label=_("Role or title"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = cohort.organizations.order_by("name")


class MembersForm(forms.Form):
    members = forms.MultipleChoiceField(label=_("Members"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [
            (str(user.pk), f"{user.get_full_name() or user.email} · {user.email}")
            for user, enrolled in members
            if not enrolled
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "A CSV file or an Excel workbook (.xlsx) whose first row names the columns: organization, "
            "name, and optionally title, phone, email (or 机构, 姓名, 职务, 电话, 邮箱)."
        ),
    )


class WithdrawForm(BoundedTextMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawing"), max_length=255)


class MoveForm(forms.Form):
    to_cohort = forms.ModelChoiceField(label=_("Move to the cohort"), queryset=None)

    def __init__(self, *args, enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_cohort"].queryset = Cohort.objects.exclude(pk=enrolment.cohort_id).order_by(
            "-starts_on"
        )


class MentorAssignForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=None)

    def __init__(self, *args, organizations, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["mentor"].queryset = mentors
