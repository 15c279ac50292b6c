"""Needs assessments, scored needs, projects (proposal, budget, indicators), the review workflow's
decision rows, progress updates with indicator values, people reached and evidence."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from empowerment.money import MoneyField
from empowerment.textlimits import LONG_TEXT, text_length_check

# Indicator values and baselines: numbers with at most two decimals (percentages, counts, amounts).
VALUE_DIGITS = 14
VALUE_PLACES = 2


CRITERION_LABELS = {
    "severity": _("Severity"),
    "people_affected": _("People affected"),
    "urgency": _("Urgency"),
    "feasibility": _("Feasibility"),
}


class ScoringCriterion(models.Model):
    """A criterion needs are scored on (1–5), with a weight staff can change in the admin."""

    key = models.SlugField(_("key"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=255, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=0), name="criterion_weight_not_negative")
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return str(CRITERION_LABELS.get(self.key, self.name))


class AssessmentMethod(models.TextChoices):
    SURVEY = "survey", _("Survey")
    INTERVIEWS = "interviews", _("Interviews")
    FOCUS_GROUPS = "focus_groups", _("Focus groups")
    OBSERVATION = "observation", _("Observation")


class NeedsAssessment(models.Model):
    """An organization's study of the needs of one community."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="needs_assessments",
    )
    community = models.ForeignKey(
        "organizations.Area", verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    method = models.CharField(_("method"), max_length=20, choices=AssessmentMethod.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"))
    sample_size = models.PositiveIntegerField(_("sample size"), default=0)
    findings = models.TextField(_("findings"), blank=True, max_length=LONG_TEXT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__gte=models.F("started_on")), name="assessment_dates_order"
            ),
            text_length_check("projects_needsassessment", "findings"),
        ]

    def __str__(self):
        return self.title


def attachment_upload_to(instance, filename):
    return f"projects/assessments/{instance.assessment_id}/{secrets.token_hex(8)}-{filename}"


class AssessmentAttachment(models.Model):
    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class SurveyImport(models.Model):
    """A survey tool's CSV export attached to an assessment: its columns, the mapping chosen by the
    organization (which columns are questions) and the summary of answers per question."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Waiting for column mapping")
        DONE = "done", _("Summarised")

    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="survey_imports")
    filename = models.CharField(_("file name"), max_length=255)
    encoding = models.CharField(_("encoding"), max_length=20)
    columns = models.JSONField(_("columns"), default=list)
    rows = models.JSONField(_("rows"), default=list)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    summary = models.JSONField(_("summary"), default=list, blank=True)
    respondents = models.PositiveIntegerField(_("respondents"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.MAPPING)
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["rows"])

    class Meta:
        verbose_name = _("survey import")
        verbose_name_plural = _("survey imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename


class Need(models.Model):
    """A need found by an assessment, scored on the criteria; chosen (with a reason) if a project will
    address it."""

    assessment = models.ForeignKey(
        NeedsAssessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="needs"
    )
    title = models.CharField(_("need"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=LONG_TEXT)
    chosen = models.BooleanField(_("chosen"), default=False)
    chosen_reason = models.TextField(_("reason for the choice"), blank=True, max_length=LONG_TEXT)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(_("chosen at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(chosen=False) | ~Q(chosen_reason=""), name="chosen_need_has_reason"
            ),
            text_length_check("projects_need", "description"),
            text_length_check("projects_need", "chosen_reason"),
        ]

    def __str__(self):
        return self.title


class NeedScore(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ScoringCriterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("need score")
        verbose_name_plural = _("need scores")
        constraints = [
            models.UniqueConstraint(fields=["need", "criterion"], name="one_score_per_need_and_criterion"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="need_score_range"),
        ]

    def __str__(self):
        return f"{self.need} · {self.criterion}: {self.score}"


class ReportingFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Project(models.Model):
    """A community project: a proposal written by an organization, reviewed by staff, then incubated."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved for incubation")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    theme = models.ForeignKey("organizations.Theme", verbose_name=_("theme"), on_delete=models.PROTECT)
    community = models.ForeignKey(
        "organizations.Area", verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    needs = models.ManyToManyField(
        Need, verbose_name=_("needs addressed"), blank=True, related_name="projects"
    )
    problem_statement = models.TextField(_("problem statement"), blank=True, max_length=LONG_TEXT)
    target_group = models.TextField(_("target group"), blank=True, max_length=LONG_TEXT)
    objectives = models.TextField(_("objectives"), blank=True, max_length=LONG_TEXT)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    reporting_frequency = models.CharField(
        _("reporting schedule"),
        max_length=10,
        choices=ReportingFrequency.choices,
        default=ReportingFrequency.MONTHLY,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "returned",
                        "approved",
                        "active",
                        "completed",
                        "closed",
                        "rejected",
                    ]
                ),
                name="project_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_dates_order",
            ),
            text_length_check("projects_project", "problem_statement"),
            text_length_check("projects_project", "target_group"),
            text_length_check("projects_project", "objectives"),
        ]
        indexes = [models.Index(fields=["status", "theme"])]

    def __str__(self):
        return self.title

    PUBLIC_STATUSES = ("approved", "active", "completed", "closed")
    EDITABLE_STATUSES = ("draft", "returned")

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class Activity(models.Model):
    """A planned activity of a project, on the timeline."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("activity"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=LONG_TEXT)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="activity_dates_order"
            ),
            text_length_check("projects_activity", "description"),
        ]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.title


class BudgetLine(models.Model):
    class Category(models.TextChoices):
        PERSONNEL = "personnel", _("Personnel")
        ACTIVITIES = "activities", _("Activities")
        MATERIALS = "materials", _("Materials")
        EQUIPMENT = "equipment", _("Equipment")
        VENUE = "venue", _("Venue")
        TRAVEL = "travel", _("Travel")
        MANAGEMENT = "management", _("Management")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.CharField(_("description"), max_length=255)
    amount = MoneyField(_("amount (yuan)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_amount_positive")]

    def __str__(self):
        return f"{self.project} · {self.description}"


class IndicatorLevel(models.TextChoices):
    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")


class IndicatorAggregation(models.TextChoices):
    CUMULATIVE = "cumulative", _("Cumulative (sum of updates)")
    LATEST = "latest", _("Latest value")


class StandardIndicator(models.Model):
    """A programme-level indicator of a theme ("theme indicator"): project indicators that measure the same
    thing map to it, so their values roll up across projects (sum of cumulative values; for latest-value
    indicators, the sum of each project's latest value). Managed by staff in the admin."""

    class ValueType(models.TextChoices):
        NUMBER = "number", _("Number")
        COUNT = "count", _("Count (whole number)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("name in Chinese"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=40)
    unit_zh = models.CharField(_("unit in Chinese"), max_length=40, blank=True)
    theme = models.ForeignKey(
        "organizations.Theme", verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(
        _("level"), max_length=8, choices=IndicatorLevel.choices, default=IndicatorLevel.OUTPUT
    )
    value_type = models.CharField(_("value type"), max_length=12, choices=ValueType.choices)
    aggregation = models.CharField(
        _("progress is"),
        max_length=12,
        choices=IndicatorAggregation.choices,
        default=IndicatorAggregation.CUMULATIVE,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("theme indicator")
        verbose_name_plural = _("theme indicators")
        ordering = ["theme", "position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_type__in=["number", "count"]), name="standard_indicator_summable_type"
            ),
            models.CheckConstraint(
                condition=Q(aggregation__in=["cumulative", "latest"]), name="standard_indicator_aggregation"
            ),
            models.CheckConstraint(
                condition=Q(level__in=["output", "outcome"]), name="standard_indicator_level_valid"
            ),
        ]

    def __str__(self):
        return f"{self.code} · {self.display_name}"

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language  # noqa: PLC0415

        if self.name_zh and (get_language() or "").startswith("zh"):
            return self.name_zh
        return self.name

    @property
    def display_unit(self) -> str:
        from django.utils.translation import get_language  # noqa: PLC0415

        if self.unit_zh and (get_language() or "").startswith("zh"):
            return self.unit_zh
        return self.unit


class Indicator(models.Model):
    """What a project measures: unit, baseline, target; summed over updates (cumulative) or the latest
    value counts."""

    class ValueType(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENTAGE = "percentage", _("Percentage")
        COUNT = "count", _("Count (whole number)")

    Aggregation = IndicatorAggregation
    Level = IndicatorLevel

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    value_type = models.CharField(_("value type"), max_length=12, choices=ValueType.choices)
    baseline = models.DecimalField(
        _("baseline"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, default=0
    )
    target = models.DecimalField(_("target"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    aggregation = models.CharField(
        _("progress is"), max_length=12, choices=Aggregation.choices, default=Aggregation.CUMULATIVE
    )
    frequency = models.CharField(
        _("reported"), max_length=10, choices=ReportingFrequency.choices, default=ReportingFrequency.MONTHLY
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    level = models.CharField(
        _("level"), max_length=8, choices=IndicatorLevel.choices, default=IndicatorLevel.OUTPUT
    )
    # Disaggregation: each chosen breakdown of a reported value adds up to the value.
    by_sex = models.BooleanField(_("by sex"), default=False)
    by_age_band = models.BooleanField(_("by age band"), default=False)
    by_special_group = models.BooleanField(_("by special group"), default=False)
    standard = models.ForeignKey(
        StandardIndicator,
        verbose_name=_("theme indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
        help_text=_("A programme indicator this one counts towards, so it adds up across projects."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="indicator_target_positive"),
            models.CheckConstraint(condition=Q(baseline__gte=0), name="indicator_baseline_not_negative"),
            models.CheckConstraint(
                condition=~Q(value_type="percentage") | Q(target__lte=100, baseline__lte=100),
                name="indicator_percentage_range",
            ),
            models.CheckConstraint(
                condition=Q(level__in=["output", "outcome"]), name="indicator_level_valid"
            ),
            # A percentage is not made of parts that add up.
            models.CheckConstraint(
                condition=~Q(value_type="percentage")
                | Q(by_sex=False, by_age_band=False, by_special_group=False),
                name="indicator_percentage_not_disaggregated",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.value_type == self.ValueType.PERCENTAGE and self.dimensions:
            errors["value_type"] = _("A percentage cannot be broken down into parts that add up.")
        standard = self.standard if self.standard_id else None
        if standard is not None:
            if self.value_type != standard.value_type:
                errors["standard"] = _(
                    "The theme indicator is a %(kind)s: give this indicator the same value type."
                ) % {"kind": standard.get_value_type_display().lower()}
            elif self.aggregation != standard.aggregation:
                errors["standard"] = _(
                    "The theme indicator's progress is “%(aggregation)s”: choose the same here."
                ) % {"aggregation": standard.get_aggregation_display()}
        if errors:
            raise ValidationError(errors)

    @property
    def dimensions(self) -> list[str]:
        """The breakdowns a reported value needs, in a fixed order (Dimension values)."""
        return [
            dim
            for dim, wanted in (
                ("sex", self.by_sex),
                ("age_band", self.by_age_band),
                ("special_group", self.by_special_group),
            )
            if wanted
        ]


class ProjectDecision(models.Model):
    """One move of a project through the review workflow: who, when, from what to what, and why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    from_status = models.CharField(_("from"), max_length=12, choices=Project.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Project.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True, max_length=LONG_TEXT)

    class Meta:
        verbose_name = _("project decision")
        verbose_name_plural = _("project decisions")
        ordering = ["at", "pk"]
        constraints = [
            text_length_check("projects_projectdecision", "comment"),
        ]

    def __str__(self):
        return f"{self.project}: {self.from_status} → {self.to_status}"


class QualityScore(models.IntegerChoices):
    """The scale staff rate an approved progress report on."""

    POOR = 1, _("1 · Poor: the report does not show what was done; values lack evidence")
    WEAK = 2, _("2 · Weak: activities listed, little on results; evidence thin")
    ADEQUATE = 3, _("3 · Adequate: activities and results reported, with some evidence")
    GOOD = 4, _("4 · Good: clear results against the indicators, with evidence for the values")
    EXCELLENT = 5, _("5 · Excellent: clear, complete and well evidenced; lessons drawn for the next period")


class ProgressUpdate(models.Model):
    """A report of one period of an active project. Approved updates are never edited: a correction is
    a new update that supersedes the previous one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    narrative = models.TextField(_("what happened"), max_length=LONG_TEXT)
    volunteer_hours = models.DecimalField(_("volunteer hours"), max_digits=8, decimal_places=1, default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True, max_length=LONG_TEXT)
    # Staff's rating of an approved report (projects.services.update_rate); changes are kept in history.
    quality_score = models.PositiveSmallIntegerField(
        _("quality score"), null=True, blank=True, choices=QualityScore.choices
    )
    rating_feedback = models.TextField(_("feedback"), blank=True, max_length=LONG_TEXT)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="update_period_order"
            ),
            models.CheckConstraint(condition=Q(volunteer_hours__gte=0), name="update_hours_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "returned", "approved"]),
                name="update_status_valid",
            ),
            text_length_check("projects_progressupdate", "narrative"),
            text_length_check("projects_progressupdate", "review_comment"),
            text_length_check("projects_progressupdate", "rating_feedback"),
            # Only an approved report is rated, on the 1–5 scale.
            models.CheckConstraint(
                condition=Q(quality_score__isnull=True)
                | Q(status="approved", quality_score__gte=1, quality_score__lte=5),
                name="update_rating_approved_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.period_start} – {self.period_end}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class IndicatorValue(models.Model):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["update", "indicator"], name="one_value_per_update_and_indicator"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicator_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value}"


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNSPECIFIED = "unspecified", _("Not recorded")


class AgeBand(models.TextChoices):
    CHILD = "0-17", _("Under 18")
    ADULT = "18-59", _("18–59")
    OLDER = "60-79", _("60–79")
    ELDERLY = "80+", _("80 and over")


class SpecialGroup(models.TextChoices):
    NONE = "none", _("None")
    DISABILITY = "disability", _("People with disabilities")
    LEFT_BEHIND = "left_behind", _("Left-behind children")
    LIVING_ALONE = "living_alone", _("Older people living alone")
    LOW_INCOME = "low_income", _("Low-income households")
    OTHER = "other", _("Other")


class Dimension(models.TextChoices):
    """The breakdowns an indicator's reported value may need."""

    SEX = "sex", _("By sex")
    AGE_BAND = "age_band", _("By age band")
    SPECIAL_GROUP = "special_group", _("By special group")


def dimension_categories() -> dict:
    """Each breakdown's parts: the choices of the people-reached groups."""
    return {Dimension.SEX: Sex, Dimension.AGE_BAND: AgeBand, Dimension.SPECIAL_GROUP: SpecialGroup}


def category_label(dimension: str, category: str) -> str:
    """The label of one part of a breakdown ("Female", "60–79", "Not in a special group")."""
    if dimension == Dimension.SPECIAL_GROUP and category == SpecialGroup.NONE:
        return str(_("Not in a special group"))
    choices = dimension_categories().get(dimension)
    return str(dict(choices.choices).get(category, category)) if choices else category


class IndicatorValuePart(models.Model):
    """One part of a reported indicator value in one breakdown (e.g. women, or people 60–79); the parts of a
    breakdown add up to the value (checked by projects.services.update_save)."""

    value = models.ForeignKey(IndicatorValue, on_delete=models.CASCADE, related_name="parts")
    dimension = models.CharField(_("breakdown"), max_length=14, choices=Dimension.choices)
    category = models.CharField(_("part"), max_length=14)
    amount = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value part")
        verbose_name_plural = _("indicator value parts")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["value", "dimension", "category"], name="one_part_per_value_and_category"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="indicator_part_not_negative"),
            models.CheckConstraint(
                condition=Q(dimension="sex", category__in=Sex.values)
                | Q(dimension="age_band", category__in=AgeBand.values)
                | Q(dimension="special_group", category__in=SpecialGroup.values),
                name="indicator_part_category_valid",
            ),
        ]

    def __str__(self):
        return f"{self.value} · {self.dimension}={self.category}: {self.amount}"

    @property
    def category_label(self) -> str:
        return category_label(self.dimension, self.category)


class PeopleReached(models.Model):
    """A count of people reached in a period, by group. Never names: only counts."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="people")
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices)
    age_band = models.CharField(_("age"), max_length=6, choices=AgeBand.choices)
    special_group = models.CharField(
        _("special group"), max_length=14, choices=SpecialGroup.choices, default=SpecialGroup.NONE
    )
    count = models.PositiveIntegerField(_("people"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("people reached")
        verbose_name_plural = _("people reached")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "sex", "age_band", "special_group"], name="one_count_per_update_and_group"
            ),
            models.CheckConstraint(condition=Q(count__gt=0), name="people_reached_positive"),
        ]

    def __str__(self):
        return f"{self.count}"


def photo_upload_to(instance, filename):
    return f"projects/updates/{instance.update_id}/{secrets.token_hex(8)}.{filename.rsplit('.', 1)[-1]}"


def evidence_upload_to(instance, filename):
    return f"projects/evidence/{instance.update_id}/{secrets.token_hex(8)}-{filename}"


class UpdatePhoto(models.Model):
    """A photo re-encoded without EXIF before storage; served only through a view that checks access."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_upload_to, max_length=255)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self):
        return self.caption or self.image.name


class UpdateDocument(models.Model):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("document"), upload_to=evidence_upload_to, max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        ordering = ["pk"]

    def __str__(self):
        return self.name
