"""Forms of needs assessments, the proposal wizard, progress updates and reviews."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from empowerment.forms import BoundedTextMixin, ModelMultipleIdsField
from empowerment.money import to_money
from empowerment.uploads import clean_document, clean_image
from organizations.models import Area, Theme

from .models import (
    Activity,
    AgeBand,
    BudgetLine,
    Indicator,
    Milestone,
    NeedsAssessment,
    ProgressUpdate,
    Project,
    QualityScore,
    Sex,
    SpecialGroup,
    StandardIndicator,
)
from .services import DIMENSION_CATEGORIES, category_label, clean_indicator_value, period_not_ended_message

DATE = forms.DateInput(attrs={"type": "date"})


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        parent = f"{obj.parent.display_name} · " if obj.parent_id else ""
        return f"{parent}{obj.display_name}"


def _city_of(area: Area) -> Area:
    while area.parent_id:
        area = area.parent
    return area


class CommunitiesByCity(forms.models.ModelChoiceIterator):
    """The communities grouped by their league or city (one <optgroup> each), in division-code order, so
    that the many communities of the same name are told apart by where they are."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for area in self.queryset:
            groups.setdefault(_city_of(area).display_name, []).append(self.choice(area))
        yield from groups.items()


class CommunityChoiceField(AreaChoiceField):
    iterator = CommunitiesByCity

    def label_from_instance(self, obj):
        # county · town · community (the city is the group's label)
        names = []
        area = obj
        while area is not None and area.level > Area.Level.CITY:
            names.insert(0, area.display_name)
            area = area.parent
        return " · ".join(names)


def community_field():
    return CommunityChoiceField(
        queryset=Area.objects.filter(level=Area.Level.COMMUNITY)
        .select_related("parent__parent__parent")
        .order_by("code"),
        label=_("Community"),
        # Read by static/js/wizard.js, which puts a search box above the list (the list works without it).
        widget=forms.Select(attrs={"data-search": _("Search by city, district or community")}),
    )


class AssessmentForm(BoundedTextMixin, forms.ModelForm):
    community = community_field()

    class Meta:
        model = NeedsAssessment
        fields = ["title", "community", "method", "started_on", "ended_on", "sample_size", "findings"]
        widgets = {"started_on": DATE, "ended_on": DATE, "findings": forms.Textarea(attrs={"rows": 5})}

    def clean(self):
        data = super().clean()
        if data.get("started_on") and data.get("ended_on") and data["ended_on"] < data["started_on"]:
            self.add_error("ended_on", _("The assessment ends before it starts."))
        return data


class AttachmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        return clean_document(self.cleaned_data["file"])


class NeedForm(BoundedTextMixin, forms.Form):
    title = forms.CharField(label=_("Need"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, criteria=(), need=None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if need is not None:
            initial.update({"title": need.title, "description": need.description})
            initial.update({f"score_{s.criterion.key}": s.score for s in need.scores.all()})
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"score_{c.key}"] = forms.TypedChoiceField(
                label=c.display_name,
                choices=[(i, str(i)) for i in range(1, 6)],
                coerce=int,
                help_text=_("1 = low, 5 = high"),
            )

    def scores(self) -> dict:
        return {c.key: self.cleaned_data[f"score_{c.key}"] for c in self.criteria}


class ChooseNeedForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this need?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class SurveyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Survey export (CSV)"), help_text=_("UTF-8 or GBK; comma or semicolon separated.")
    )


class SurveyMappingForm(forms.Form):
    CHOICES = [
        ("ignore", _("Ignore")),
        ("single", _("Question: one answer")),
        ("multiple", _("Question: several answers (space separated)")),
    ]

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        for i, column in enumerate(survey.columns):
            self.fields[f"col_{i}"] = forms.ChoiceField(
                label=column, choices=self.CHOICES, initial=survey.mapping.get(column, "single")
            )

    def mapping(self) -> dict:
        return {c: self.cleaned_data[f"col_{i}"] for i, c in enumerate(self.survey.columns)}


# The proposal wizard -------------------------------------------------------------------------------


class BasicsForm(forms.ModelForm):
    community = community_field()
    theme = forms.ModelChoiceField(queryset=Theme.objects.all(), label=_("Theme"))

    class Meta:
        model = Project
        # The public texts in both languages (projects/translation.py): at least one title.
        fields = [
            "title_zh_hans",
            "title_en",
            "theme",
            "community",
            "summary_zh_hans",
            "summary_en",
            "start_date",
            "end_date",
            "reporting_frequency",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}
        labels = {
            "title_zh_hans": _("Title in Chinese"),
            "title_en": _("Title in English"),
            "summary_zh_hans": _("Summary in Chinese"),
            "summary_en": _("Summary in English"),
        }

    def clean(self):
        data = super().clean()
        if not data.get("title_zh_hans") and not data.get("title_en"):
            self.add_error("title_zh_hans", _("Give the project a title in Chinese or in English."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The project ends before it starts."))
        return data


class NeedsStepForm(forms.Form):
    needs = ModelMultipleIdsField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label=_("Needs the project addresses"),
        required=False,
    )

    def __init__(self, *args, needs_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = needs_queryset


class ProblemForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = ["problem_statement", "target_group", "objectives"]
        widgets = {f: forms.Textarea(attrs={"rows": 4}) for f in fields}


class MoneyFormField(forms.CharField):
    """A yuan amount: refuses negative and zero amounts and more than two decimal places."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        amount = to_money(value)
        if amount <= 0:
            raise ValidationError(_("The amount must be more than zero."), code="min_value")
        return amount


class BudgetLineForm(BoundedTextMixin, forms.ModelForm):
    amount = MoneyFormField(label=_("Amount (yuan)"))

    class Meta:
        model = BudgetLine
        fields = ["category", "description", "amount"]


class ActivityForm(BoundedTextMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["title", "start_date", "end_date", "description"]
        widgets = {"start_date": DATE, "end_date": DATE, "description": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The activity ends before it starts."))
        return data


class MilestoneForm(forms.ModelForm):
    """A milestone row. Its activity is one of the project's saved activities (its id) or one entered on
    the same page and not yet saved ("new-<row>"); projects.wizard_services resolves the reference."""

    activity = forms.ChoiceField(label=_("Activity"), required=False)

    class Meta:
        model = Milestone
        fields = ["title", "due_date"]
        widgets = {"due_date": DATE}

    def __init__(self, *args, activity_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if activity_choices is None:
            project = self.instance.project if self.instance.project_id else None
            activity_choices = [(str(a.pk), a.title) for a in project.activities.all()] if project else []
        self.fields["activity"].choices = [("", "---------"), *activity_choices]
        self.fields["activity"].widget.attrs["data-activity-select"] = ""
        if self.instance.activity_id:
            self.initial.setdefault("activity", str(self.instance.activity_id))


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "value_type",
            "baseline",
            "target",
            "aggregation",
            "frequency",
            "level",
            "by_sex",
            "by_age_band",
            "by_special_group",
            "standard",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A row that does not say its level is an output (the model's default).
        self.fields["level"].required = False
        self.fields["standard"].queryset = StandardIndicator.objects.select_related("theme")

    def clean_level(self):
        return self.cleaned_data.get("level") or Indicator.Level.OUTPUT

    def clean(self):
        data = super().clean()
        kind, target, baseline = data.get("value_type"), data.get("target"), data.get("baseline")
        if target is not None and target <= 0:
            self.add_error("target", _("The target must be more than zero."))
        if baseline is not None and baseline < 0:
            self.add_error("baseline", _("The baseline cannot be negative."))
        if kind == Indicator.ValueType.PERCENTAGE:
            for name in ("target", "baseline"):
                if data.get(name) is not None and data[name] > 100:
                    self.add_error(name, _("A percentage is between 0 and 100."))
        if kind == Indicator.ValueType.COUNT:
            for name in ("target", "baseline"):
                if data.get(name) is not None and data[name] != data[name].to_integral_value():
                    self.add_error(name, _("A count is a whole number."))
        return data


# The most rows one wizard step keeps; absolute_max caps the forms built whatever TOTAL_FORMS claims.
MAX_ROWS = 60


def project_formset(model, form, extra=1):
    return forms.inlineformset_factory(
        Project,
        model,
        form=form,
        extra=extra,
        can_delete=True,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
    )


STEP_FORMSETS = {
    "activities": project_formset(Activity, ActivityForm),
    "milestones": project_formset(Milestone, MilestoneForm),
    "budget": project_formset(BudgetLine, BudgetLineForm),
    "indicators": project_formset(Indicator, IndicatorForm),
}


# Workflow ----------------------------------------------------------------------------------------


class MoveForm(BoundedTextMixin, forms.Form):
    action = forms.CharField(max_length=20)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


def score_field(required: bool) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Quality score"),
        choices=QualityScore.choices if required else [("", _("Rate later")), *QualityScore.choices],
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
    )


class UpdateReviewForm(BoundedTextMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return for changes"))])
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    score = score_field(required=False)
    feedback = forms.CharField(
        label=_("Feedback on the report"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("With an approval you may rate the report now, or later from this page."),
    )


class UpdateRatingForm(BoundedTextMixin, forms.Form):
    """A rating of an approved progress report (projects.services.update_rate)."""

    score = score_field(required=True)
    feedback = forms.CharField(
        label=_("Feedback on the report"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The organization reads it on its portal: what was good, what to improve."),
    )


# Progress updates -----------------------------------------------------------------------------------


class UpdateForm(BoundedTextMixin, forms.ModelForm):
    photo = forms.FileField(
        label=_("Add a photo"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )
    photo_caption = forms.CharField(label=_("Photo caption"), max_length=200, required=False)
    document = forms.FileField(label=_("Add a document"), required=False)

    class Meta:
        model = ProgressUpdate
        fields = ["period_start", "period_end", "narrative", "volunteer_hours"]
        widgets = {"period_start": DATE, "period_end": DATE, "narrative": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, project, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        # Submitting reports the period: it must have ended (a draft may be written ahead).
        self.submitting = submitting
        self.fields["volunteer_hours"].required = False
        self.indicators = list(project.indicators.all())
        existing = {}
        if self.instance.pk:
            existing = {v.indicator_id: v.value for v in self.instance.values.all()}
        for ind in self.indicators:
            self.fields[f"indicator_{ind.pk}"] = forms.CharField(
                label=f"{ind.name} ({ind.unit})",
                required=False,
                initial=existing.get(ind.pk),
                help_text=ind.get_value_type_display(),
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    def clean_volunteer_hours(self):
        hours = self.cleaned_data.get("volunteer_hours")
        if hours is not None and hours < 0:
            raise ValidationError(_("Hours cannot be negative."))
        return hours if hours is not None else Decimal(0)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        return clean_image(photo) if photo else None

    def clean_document(self):
        document = self.cleaned_data.get("document")
        return clean_document(document) if document else None

    def clean(self):
        data = super().clean()
        for ind in self.indicators:
            name = f"indicator_{ind.pk}"
            try:
                clean_indicator_value(ind, data.get(name))
            except ValidationError as exc:
                self.add_error(name, exc)
        start, end = data.get("period_start"), data.get("period_end")
        if start and end:
            if end < start:
                self.add_error("period_end", _("The period ends before it starts."))
            if self.project.start_date and start < self.project.start_date:
                self.add_error(
                    "period_start",
                    _("The period starts before the project (%(d)s).") % {"d": self.project.start_date},
                )
            if self.project.end_date and end > self.project.end_date:
                self.add_error(
                    "period_end",
                    _("The period ends after the project (%(d)s).") % {"d": self.project.end_date},
                )
            elif self.submitting and end > timezone.localdate():
                self.add_error("period_end", period_not_ended_message())
        return data

    def indicator_values(self) -> dict:
        return {ind.pk: self.cleaned_data.get(f"indicator_{ind.pk}") for ind in self.indicators}

    def indicator_fields(self):
        return [self[f"indicator_{ind.pk}"] for ind in self.indicators]


class PeopleForm(forms.Form):
    # An empty first choice, so that an untouched extra row stays empty (and is skipped).
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    age_band = forms.ChoiceField(label=_("Age"), choices=[("", "—"), *AgeBand.choices])
    special_group = forms.ChoiceField(label=_("Special group"), choices=SpecialGroup.choices, initial="none")
    count = forms.IntegerField(label=_("People"), min_value=1, max_value=1000000)


class BreakdownForm(forms.Form):
    """One part of a reported value's breakdown (e.g. the women among the people checked)."""

    value = forms.CharField(
        required=False, max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )

    def __init__(self, *args, indicator: Indicator, dimension: str, category: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator, self.dimension, self.category = indicator, dimension, category
        self.fields["value"].label = category_label(dimension, category)

    def clean_value(self):
        return clean_indicator_value(self.indicator, self.cleaned_data.get("value"))


class BaseBreakdownFormSet(forms.BaseFormSet):
    """The parts of the breakdowns of every indicator that asks for them: one form per indicator, breakdown
    and part, in a fixed order decided by the server (`cells`), never by the posted form count."""

    cells: list = []

    def get_form_kwargs(self, index):
        indicator, dimension, category = self.cells[index]
        return {"indicator": indicator, "dimension": dimension, "category": category}

    def clean(self):
        super().clean()
        # Fewer forms than parts: the page was built for other indicators (or forged).
        if self.total_form_count() != len(self.cells):
            raise ValidationError(_("The indicators changed since the page was opened: open it again."))

    def parts(self) -> dict:
        """{indicator id → {dimension → {category → Decimal or None}}} for projects.services.update_save."""
        result: dict = {}
        for form in self.forms:
            value = form.cleaned_data.get("value") if form.is_valid() else None
            result.setdefault(form.indicator.pk, {}).setdefault(form.dimension, {})[form.category] = value
        return result

    def for_indicator(self, indicator) -> list:
        """[(breakdown label, [forms])] of one indicator, for the update form's template."""
        from .models import Dimension  # noqa: PLC0415

        groups: dict = {}
        for form in self.forms:
            if form.indicator.pk == indicator.pk:
                groups.setdefault(form.dimension, []).append(form)
        return [(Dimension(dim).label, rows) for dim, rows in groups.items()]


def breakdown_formset(indicators, data=None, update: ProgressUpdate | None = None):
    """The breakdown formset of a progress update's indicators, or None when no indicator asks for one.
    Its size is fixed by the indicators (min = max = absolute_max), so a forged form count is refused."""
    cells = [
        (indicator, dim, cat)
        for indicator in indicators
        for dim in indicator.dimensions
        for cat in DIMENSION_CATEGORIES[dim].values
    ]
    if not cells:
        return None
    n = len(cells)
    formset_class = forms.formset_factory(
        BreakdownForm,
        formset=BaseBreakdownFormSet,
        extra=0,
        min_num=n,
        max_num=n,
        absolute_max=n,
        validate_max=True,
    )
    formset_class.cells = cells
    initial = None
    if data is None and update is not None and update.pk:
        existing = {
            (v.indicator_id, p.dimension, p.category): p.amount
            for v in update.values.prefetch_related("parts")
            for p in v.parts.all()
        }
        initial = [{"value": existing.get((ind.pk, dim, cat))} for ind, dim, cat in cells]
    return formset_class(data, prefix="parts", initial=initial)


PeopleFormSet = forms.formset_factory(
    PeopleForm, extra=2, can_delete=True, max_num=60, absolute_max=60, validate_max=True
)


class ReportRequestForm(forms.Form):
    update = forms.ModelChoiceField(queryset=ProgressUpdate.objects.none(), label=_("Period"))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["update"].queryset = project.updates.filter(status=ProgressUpdate.Status.APPROVED)
