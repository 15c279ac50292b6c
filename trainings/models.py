"""Course modules, cohorts, sessions, participants and enrolments, attendance, exercises and submissions,
expert mentoring, capacity assessments and certificates."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from empowerment.textlimits import LONG_TEXT, text_length_check


def _localized(obj, field="name") -> str:
    zh = getattr(obj, f"{field}_zh", "")
    if zh and (get_language() or "").startswith("zh"):
        return zh
    return getattr(obj, field)


class Module(models.Model):
    """A course theme taught in sessions (community work concepts, needs assessment, ...). Editable."""

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_zh = models.CharField(_("name in Chinese"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=LONG_TEXT)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("course module")
        verbose_name_plural = _("course modules")
        ordering = ["position", "pk"]
        constraints = [
            text_length_check("trainings_module", "description"),
        ]

    def __str__(self):
        return _localized(self)


class Cohort(models.Model):
    """One run of the curriculum for a group of organizations, in a city and a period, with its own
    completion rule: a minimum share of sessions attended and every required exercise accepted."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    city = models.ForeignKey(
        "organizations.Area",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="cohorts",
        limit_choices_to={"level": 1},
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    organizations = models.ManyToManyField(
        "organizations.Organization", verbose_name=_("organizations"), related_name="cohorts", blank=True
    )
    modules = models.ManyToManyField(
        "Module",
        verbose_name=_("modules"),
        related_name="cohorts",
        blank=True,
        help_text=_("The course modules this cohort teaches; its sessions are scheduled on them."),
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=80,
        help_text=_("Share of the cohort's sessions a participant must attend (present or late)."),
    )
    require_exercises = models.BooleanField(
        _("required exercises must be accepted"),
        default=True,
        help_text=_("The participant's organization must have each required exercise accepted."),
    )
    description = models.TextField(_("description"), blank=True, max_length=LONG_TEXT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="cohort_ends_after_start"),
            models.CheckConstraint(
                condition=Q(min_attendance_percent__gte=0, min_attendance_percent__lte=100),
                name="cohort_attendance_percent_range",
            ),
            text_length_check("trainings_cohort", "description"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The cohort cannot end before it starts.")})


class Session(models.Model):
    """A scheduled class of a cohort on one module, at a venue or online, taught by staff trainers."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="sessions"
    )
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="training_sessions",
        limit_choices_to={"is_staff": True},
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(venue="") | ~Q(online_url=""), name="session_has_venue_or_link"
            ),
        ]

    def __str__(self):
        start = timezone.localtime(self.starts_at) if self.starts_at else None
        label = self.title or str(self.module)
        return f"{label} · {start:%Y-%m-%d %H:%M}" if start else label

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The session must end after it starts.")
        if not self.venue and not self.online_url:
            errors["venue"] = _("Give a venue or an online link.")
        if errors:
            raise ValidationError(errors)


class Participant(models.Model):
    """A person of an organization who takes part in training; need not have an account."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="participants",
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("role or title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["organization__name", "name"]

    def __str__(self):
        return self.name


class Enrolment(models.Model):
    """A participant's place in a cohort. One per person and cohort."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="enrolments"
    )
    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), on_delete=models.PROTECT, related_name="enrolments"
    )
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawing"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["participant__organization__name", "participant__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "participant"], name="one_enrolment_per_person_and_cohort"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="enrolment_withdrawal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.participant} · {self.cohort}"


class Attendance(models.Model):
    """Whether an enrolled participant came to a session. Corrections are kept in the history."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    ATTENDED = (Status.PRESENT, Status.LATE)

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "enrolment"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="one_attendance_per_session_and_enrolment"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["present", "late", "absent", "excused"]),
                name="attendance_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment.participant} · {self.session} · {self.get_status_display()}"


class Exercise(models.Model):
    """A participatory assignment (e.g. a draft needs assessment) that organizations submit."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="exercises"
    )
    module = models.ForeignKey(
        Module, verbose_name=_("module"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), max_length=LONG_TEXT)
    due_on = models.DateField(_("due on"))
    required = models.BooleanField(_("required for completion"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        ordering = ["due_on", "pk"]
        constraints = [
            text_length_check("trainings_exercise", "instructions"),
        ]

    def __str__(self):
        return self.title


def submission_upload_to(instance, filename):
    return f"trainings/submissions/{instance.organization_id}/{secrets.token_hex(8)}-{filename[-60:]}"


class Submission(models.Model):
    """An organization's answer to an exercise; a returned one may be submitted again (the history keeps
    each version)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for changes")

    exercise = models.ForeignKey(
        Exercise, verbose_name=_("exercise"), on_delete=models.CASCADE, related_name="submissions"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="exercise_submissions",
    )
    file = models.FileField(_("file"), upload_to=submission_upload_to)
    note = models.TextField(_("note to the trainer"), blank=True, max_length=LONG_TEXT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    feedback = models.TextField(_("trainer feedback"), blank=True, max_length=LONG_TEXT)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "organization"], name="one_submission_per_exercise_and_org"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "accepted", "returned"]), name="submission_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(reviewed_at__isnull=False), name="submission_review_dated"
            ),
            text_length_check("trainings_submission", "note"),
            text_length_check("trainings_submission", "feedback"),
        ]

    def __str__(self):
        return f"{self.exercise} · {self.organization}"


class MentoringVisit(models.Model):
    """One-to-one supervision of an organization by an expert: a visit, a call or an online meeting."""

    class Mode(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Phone call")
        ONLINE = "online", _("Online meeting")

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="mentoring_visits",
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="mentoring_visits",
        limit_choices_to={"is_staff": True},
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.VISIT)
    topics = models.CharField(_("topics"), max_length=255)
    notes = models.TextField(_("notes"), blank=True, max_length=LONG_TEXT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mentoring visit")
        verbose_name_plural = _("mentoring visits")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mode__in=["visit", "call", "online"]), name="mentoring_mode_valid"
            ),
            text_length_check("trainings_mentoringvisit", "notes"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.date} · {self.get_mode_display()}"


class MentorAssignment(models.Model):
    """An expert mentor's standing assignment to an organization: the organizations on their own list."""

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        related_name="mentor_assignments",
        limit_choices_to={"is_staff": True},
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="mentor_assignments",
    )
    assigned_on = models.DateField(_("assigned on"), default=timezone.localdate)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "organization"], name="one_assignment_per_mentor_and_org"
            )
        ]

    def __str__(self):
        return f"{self.mentor} · {self.organization}"


class AgreedAction(models.Model):
    """Something the organization agreed to do after a mentoring visit, by a date."""

    visit = models.ForeignKey(
        MentoringVisit, verbose_name=_("mentoring visit"), on_delete=models.CASCADE, related_name="actions"
    )
    text = models.CharField(_("action"), max_length=255)
    owner = models.CharField(
        _("owner"), max_length=100, blank=True, help_text=_("Who sees that it is done (a name or role).")
    )
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    reply = models.TextField(_("organization's answer"), blank=True, max_length=LONG_TEXT)
    replied_at = models.DateTimeField(_("answered"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["done_at", "due_on"])]
        constraints = [
            text_length_check("trainings_agreedaction", "reply"),
        ]

    def __str__(self):
        return self.text

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()


class CapacityDimension(models.Model):
    """A named capacity scored in assessments (needs identification, governance, ...), on its own scale."""

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_zh = models.CharField(_("name in Chinese"), max_length=150, blank=True)
    description = models.TextField(_("what a high score means"), blank=True, max_length=LONG_TEXT)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("capacity dimension")
        verbose_name_plural = _("capacity dimensions")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(scale_max__gt=F("scale_min")), name="dimension_scale_ordered"),
            text_length_check("trainings_capacitydimension", "description"),
        ]

    def __str__(self):
        return _localized(self)


class ScaleLevel(models.Model):
    """What one score of a dimension's scale means, shown beside the score when assessing."""

    dimension = models.ForeignKey(
        CapacityDimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="levels"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    description = models.CharField(_("description"), max_length=255)
    description_zh = models.CharField(_("description in Chinese"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        ordering = ["dimension", "score"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "score"], name="one_description_per_level")
        ]

    def __str__(self):
        return f"{self.score} · {_localized(self, 'description')}"

    @property
    def label(self) -> str:
        return _localized(self, "description")


class CapacityAssessment(models.Model):
    """An organization's capacity scored on every dimension: a baseline before training, follow-ups after."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        FOLLOW_UP = "follow_up", _("Follow-up")

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="capacity_assessments",
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("cohort"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
    )

    class Source(models.TextChoices):
        STAFF = "staff", _("Staff assessment")
        SELF = "self", _("Self-assessment")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    source = models.CharField(
        _("scored by"), max_length=10, choices=Source.choices, default=Source.STAFF, db_index=True
    )
    assessed_on = models.DateField(_("date"), default=timezone.localdate)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True, max_length=LONG_TEXT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("capacity assessment")
        verbose_name_plural = _("capacity assessments")
        ordering = ["organization", "assessed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["baseline", "follow_up"]), name="assessment_kind_valid"
            ),
            models.CheckConstraint(condition=Q(source__in=["staff", "self"]), name="assessment_source_valid"),
            text_length_check("trainings_capacityassessment", "notes"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_kind_display()} · {self.assessed_on}"


class CapacityScore(models.Model):
    """A score on one dimension. The dimension's scale is copied onto the row when it is saved, so that
    the database itself refuses a score outside the scale."""

    assessment = models.ForeignKey(
        CapacityAssessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    dimension = models.ForeignKey(
        CapacityDimension, verbose_name=_("dimension"), on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), editable=False)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), editable=False)
    evidence = models.TextField(_("evidence"), blank=True, max_length=LONG_TEXT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("capacity score")
        verbose_name_plural = _("capacity scores")
        ordering = ["dimension__position", "dimension_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension"], name="one_score_per_dimension"),
            models.CheckConstraint(
                condition=Q(score__gte=F("scale_min"), score__lte=F("scale_max")), name="score_within_scale"
            ),
            text_length_check("trainings_capacityscore", "evidence"),
        ]

    def __str__(self):
        return f"{self.dimension}: {self.score}"

    def clean(self):
        if self.dimension_id is not None:
            dim = self.dimension
            self.scale_min, self.scale_max = dim.scale_min, dim.scale_max
            if self.score is not None and not dim.scale_min <= self.score <= dim.scale_max:
                raise ValidationError(
                    {
                        "score": _("The score for %(dimension)s must be from %(min)s to %(max)s.")
                        % {"dimension": dim, "min": dim.scale_min, "max": dim.scale_max}
                    }
                )


def _certificate_code() -> str:
    return "TC-" + secrets.token_hex(5).upper()


class Certificate(models.Model):
    """Proof that a participant completed a cohort. Its code opens the public /verify/<code>/ page; a
    revoked certificate stays verifiable as revoked."""

    class Language(models.TextChoices):
        EN = "en", _("English")
        ZH = "zh-hans", _("Simplified Chinese")

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="certificates"
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, default=Language.ZH)
    verification_code = models.CharField(
        _("verification code"), max_length=20, unique=True, default=_certificate_code, editable=False
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True, max_length=LONG_TEXT)
    document = models.ForeignKey(
        "empowerment.Document",
        verbose_name=_("PDF"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(revoked_at__isnull=True),
                name="one_valid_certificate_per_enrolment",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="certificate_revocation_has_reason",
            ),
            text_length_check("trainings_certificate", "revoked_reason"),
        ]

    def __str__(self):
        return f"{self.verification_code} · {self.enrolment.participant}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
