"""Transparency: periodic reports (PDFs), Charity Law disclosures with their corrections, public questions
and answers, and email followers of projects and campaigns.

A disclosure, a question or a follower concerns either a project or a campaign (never both); the
programme's annual report concerns neither. The database enforces that.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from empowerment.money import MoneyField
from empowerment.textlimits import LONG_TEXT, text_length_check

ONE_TARGET = (Q(project__isnull=False) & Q(campaign__isnull=True)) | (
    Q(project__isnull=True) & Q(campaign__isnull=False)
)


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class TransparencyReport(models.Model):
    """A transparency report for the programme or one project over one month, quarter or year, in one
    language. Its PDF is an empowerment Document (subject: this row); one row per scope, period and
    language, so scheduled and repeated requests never make a second report."""

    class Scope(models.TextChoices):
        PROGRAMME = "programme", _("Programme")
        PROJECT = "project", _("Project")

    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transparency_reports",
    )
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    language = models.CharField(_("language"), max_length=10, default="en")
    document = models.OneToOneField(
        "empowerment.Document",
        verbose_name=_("PDF"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transparency_report",
    )
    scheduled = models.BooleanField(_("scheduled"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transparency report")
        verbose_name_plural = _("transparency reports")
        ordering = ["-period_start", "scope", "language"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope="programme") & Q(project__isnull=True))
                | (Q(scope="project") & Q(project__isnull=False)),
                name="report_scope_matches_project",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period_order"
            ),
            models.UniqueConstraint(
                fields=["period_kind", "period_start", "language"],
                condition=Q(scope="programme"),
                name="one_programme_report_per_period_and_language",
            ),
            models.UniqueConstraint(
                fields=["project", "period_kind", "period_start", "language"],
                condition=Q(scope="project"),
                name="one_project_report_per_period_and_language",
            ),
        ]

    def __str__(self):
        subject = self.project.title if self.project_id else _("Programme")
        return f"{subject} · {self.period_label} · {self.language}"

    @property
    def period_label(self) -> str:
        from .periods import Period  # noqa: PLC0415

        return Period(self.period_kind, self.period_start, self.period_end).label


class Disclosure(models.Model):
    """An information disclosure required by the Charity Law: a progress and funds disclosure (at least
    every three months for a project or campaign lasting over six months), a final disclosure within
    three months of the end (explaining funds left over), or the programme's annual report (by 31 May).

    The money figures are computed from the ledger when it is published. A published disclosure is
    frozen: it is never edited; a later fix is a dated DisclosureCorrection beside it."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress and funds")
        FINAL = "final", _("Final")
        ANNUAL = "annual", _("Programme annual report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    campaign = models.ForeignKey(
        "fundraising.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due on"))
    narrative = models.TextField(_("progress and use of funds"), max_length=LONG_TEXT)
    leftover_explanation = models.TextField(
        _("funds left over and what happens to them"),
        blank=True,
        help_text=_("Required for a final disclosure when money is left."),
        max_length=LONG_TEXT,
    )
    funds_received = MoneyField(_("funds received in the period"), default=0)
    funds_spent = MoneyField(_("funds spent in the period"), default=0)
    balance = MoneyField(_("balance at the end of the period"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="annual") & Q(project__isnull=True) & Q(campaign__isnull=True))
                | (~Q(kind="annual") & ONE_TARGET),
                name="disclosure_target_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="disclosure_period_order"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="disclosure_published_dated"
            ),
            models.CheckConstraint(
                condition=Q(funds_received__gte=0) & Q(funds_spent__gte=0), name="disclosure_amounts_positive"
            ),
            models.UniqueConstraint(
                fields=["project", "kind", "period_end"],
                condition=Q(project__isnull=False),
                name="one_disclosure_per_project_period",
            ),
            models.UniqueConstraint(
                fields=["campaign", "kind", "period_end"],
                condition=Q(campaign__isnull=False),
                name="one_disclosure_per_campaign_period",
            ),
            models.UniqueConstraint(
                fields=["kind", "period_end"], condition=Q(kind="annual"), name="one_annual_report_per_year"
            ),
            text_length_check("transparency_disclosure", "narrative"),
            text_length_check("transparency_disclosure", "leftover_explanation"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.target_title} · {self.period_start} – {self.period_end}"

    @property
    def target(self):
        return self.project or self.campaign

    @property
    def target_title(self) -> str:
        target = self.target
        return str(target) if target is not None else str(_("Programme"))

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class DisclosureCorrection(models.Model):
    """A dated note published beside a frozen disclosure to correct it."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="corrections")
    note = models.TextField(_("correction"), max_length=LONG_TEXT)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("correction note")
        verbose_name_plural = _("correction notes")
        ordering = ["published_at", "pk"]
        constraints = [
            text_length_check("transparency_disclosurecorrection", "note"),
        ]

    def __str__(self):
        return f"{self.disclosure} · {self.published_at:%Y-%m-%d}"


class Question(models.Model):
    """A question or a concern from the public about a project or a campaign. Staff answer it in the
    admin; an answer may be published beside the project or campaign; the asker is told by email."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        CONCERN = "concern", _("Concern")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed without answer")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="public_questions",
    )
    campaign = models.ForeignKey(
        "fundraising.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="public_questions",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.QUESTION)
    name = models.CharField(_("your name"), max_length=100, blank=True)
    email = models.EmailField(_("your email"))
    body = models.TextField(_("your question or concern"), max_length=4000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    answer = models.TextField(_("answer"), blank=True, max_length=LONG_TEXT)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published = models.BooleanField(_("answer published"), default=False)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["email"])

    class Meta:
        verbose_name = _("public question")
        verbose_name_plural = _("public questions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=ONE_TARGET, name="question_one_target"),
            models.CheckConstraint(
                condition=Q(published=False) | (Q(status="answered") & ~Q(answer="")),
                name="question_published_only_when_answered",
            ),
            text_length_check("transparency_question", "body", 4000),
            text_length_check("transparency_question", "answer"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.body[:60]}"

    @property
    def target(self):
        return self.project or self.campaign


def _token() -> str:
    return secrets.token_urlsafe(32)


class Follower(models.Model):
    """An email address following a project or a campaign: confirmed by a link, cancelled in one click.
    Followers hear of each newly approved update or published disclosure."""

    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    campaign = models.ForeignKey(
        "fundraising.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=10, default="en")
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(_("subscribed"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=ONE_TARGET, name="follower_one_target"),
            models.UniqueConstraint(
                fields=["project", "email"], condition=Q(project__isnull=False), name="follow_project_once"
            ),
            models.UniqueConstraint(
                fields=["campaign", "email"], condition=Q(campaign__isnull=False), name="follow_campaign_once"
            ),
        ]

    def __str__(self):
        return self.email

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None

    @property
    def target(self):
        return self.project or self.campaign


class Announcement(models.Model):
    """An event already announced to followers (key "update:<id>" or "disclosure:<id>"): the announce
    task skips it next time, so it runs any number of times and followers hear of each event once."""

    key = models.CharField(max_length=100, unique=True)
    announced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("announcement to followers")
        verbose_name_plural = _("announcements to followers")

    def __str__(self):
        return self.key


class DashboardSnapshot(models.Model):
    """The public dashboard's figures as last computed, with the stamp of the data they reflect (the
    freshness versions of money, projects and trainings, and the day). The home page reads this one row
    instead of summing the programme's whole history; when the stamp no longer matches it shows these
    figures while a worker computes new ones (with in-process tasks they are computed at once)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    stamp = models.CharField(_("data stamp"), max_length=200)
    # JSON with Decimals, dates and tuples tagged (transparency.snapshot_codec; never pickle, which would run
    # code on reading); written only by services.dashboard_refresh. Read it with `figures_value`.
    figures = models.JSONField(_("figures"), default=dict)
    # The dashboard drawn from these figures in every language, with the version of the names it is
    # labelled with: {"pages": version, "html": {language: html}}; written only by services.dashboard_refresh.
    drawn = models.JSONField(_("dashboard as drawn"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"))
    seconds = models.FloatField(_("seconds to compute"), default=0)

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")

    def __str__(self):
        return f"{self.name} {self.computed_at:%Y-%m-%d %H:%M:%S}"

    @property
    def figures_value(self) -> dict:
        from .snapshot_codec import decode  # noqa: PLC0415

        return decode(self.figures)

    @staticmethod
    def encode_figures(figures: dict):
        from .snapshot_codec import encode  # noqa: PLC0415

        return encode(figures)


class OpenDataFile(models.Model):
    """A whole open-data download (a dataset in one format and language) as built by a worker
    (transparency.opendata_files), stored with the default storage and served as it is, with its ETag and
    Last-Modified, so a download costs the web process no query per row. `stamp` is the data's last change
    (selectors.last_changed) the file reflects; a newer change makes the worker build it again."""

    name = models.CharField(_("name"), max_length=60)
    language = models.CharField(_("language"), max_length=10)
    file = models.FileField(_("file"), upload_to="open-data/", max_length=200)
    etag = models.CharField(_("ETag"), max_length=80)
    stamp = models.DateTimeField(_("data changed at"), null=True, blank=True)
    size = models.BigIntegerField(_("size in bytes"), default=0)
    built_at = models.DateTimeField(_("built at"))
    seconds = models.FloatField(_("seconds to build"), default=0)

    class Meta:
        verbose_name = _("open-data file")
        verbose_name_plural = _("open-data files")
        constraints = [
            models.UniqueConstraint(fields=["name", "language"], name="open_data_file_once_per_language")
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"


class ProjectParts(models.Model):
    """A public project page's parts that change with the project's content and not with its money (its plan
    and progress, its record, its money's itemised lists), drawn in one language and kept with what they
    were drawn from (`stamp`), so that a project page, even with its cache emptied, shows them without
    drawing them again until what they show changes (transparency.projectparts). Written only there; what
    they show is drawn from rows that already count."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10)
    # What it was drawn from: the drawing's format and the release's, whether the project had a fund to
    # itemise, and the durable versions of the topics it shows (empowerment.freshness.durable_versions).
    stamp = models.CharField(_("data stamp"), max_length=200)
    parts = models.JSONField(_("parts as drawn"), default=dict)
    drawn_at = models.DateTimeField(_("drawn at"))

    class Meta:
        verbose_name = _("project page parts")
        verbose_name_plural = _("project page parts")
        constraints = [
            models.UniqueConstraint(fields=["project", "language"], name="project_parts_once_per_language")
        ]

    def __str__(self):
        return f"{self.project_id} ({self.language})"


from .workreport_models import WorkReport, WorkReportSection  # noqa: E402, F401 - the annual work report
