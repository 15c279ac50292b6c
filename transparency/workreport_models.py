"""The programme's annual work report (年度工作报告) filed with the civil affairs bureau by 31 May of the next
year: one report per year, made of sections. Each section holds the figures the platform took from the
year's data (with the moment they were taken) and the narrative staff write in English and Chinese.

A draft's figures may be taken again and its narrative edited (every edit is kept by simple_history); a
published report is frozen, recorded as the year's annual Disclosure, and corrected only by dated
correction notes on that disclosure."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from empowerment.textlimits import LONG_TEXT, text_length_check

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


class WorkReport(models.Model):
    """The annual work report of one year. Written only by transparency.workreport's services."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    figures_taken_at = models.DateTimeField(_("figures taken at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    disclosure = models.OneToOneField(
        "transparency.Disclosure",
        verbose_name=_("disclosure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_report",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual work report")
        verbose_name_plural = _("annual work reports")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=EARLIEST_YEAR) & Q(year__lte=LATEST_YEAR), name="work_report_year_range"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(status="published") & Q(published_at__isnull=False) & Q(disclosure__isnull=False)),
                name="work_report_published_recorded",
            ),
        ]

    def __str__(self):
        return str(_("Annual work report %(year)s") % {"year": self.year})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class WorkReportSection(models.Model):
    """One section of an annual work report: its figures (snapshot_codec JSON, as taken at
    `figures_taken_at`) and the narrative in English and Chinese."""

    class Key(models.TextChoices):
        BASIC = "basic", _("Basic information")
        TRAINING = "training", _("Training and capacity building")
        PROJECTS = "projects", _("Community projects")
        MONEY = "money", _("Income and spending")
        RATIOS = "ratios", _("Charitable-spending and management-cost ratios")
        DISCLOSURE = "disclosure", _("Information disclosure")

    report = models.ForeignKey(WorkReport, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("section"), max_length=12, choices=Key.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    figures = models.JSONField(_("figures"), default=dict)
    figures_taken_at = models.DateTimeField(_("figures taken at"))
    narrative = models.TextField(_("narrative (English)"), blank=True, max_length=LONG_TEXT)
    narrative_zh = models.TextField(_("narrative (Chinese)"), blank=True, max_length=LONG_TEXT)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["figures"])

    class Meta:
        verbose_name = _("work report section")
        verbose_name_plural = _("work report sections")
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="one_work_report_section_per_key"),
            text_length_check("transparency_workreportsection", "narrative"),
            text_length_check("transparency_workreportsection", "narrative_zh"),
        ]

    def __str__(self):
        return f"{self.report} · {self.get_key_display()}"

    @property
    def figures_value(self) -> dict:
        from .snapshot_codec import decode  # noqa: PLC0415

        return decode(self.figures)

    @property
    def is_empty(self) -> bool:
        return not (self.narrative.strip() or self.narrative_zh.strip())

    def narrative_for(self, language: str | None = None) -> str:
        """The narrative in `language` (the active one by default), else the one written."""
        language = language or get_language() or ""
        first, second = (
            (self.narrative_zh, self.narrative)
            if language.startswith("zh")
            else (self.narrative, self.narrative_zh)
        )
        return first.strip() or second.strip()
