"""Cross-cutting models: the user account, generated documents (the PDF pipeline) and outgoing email."""

import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from empowerment.textlimits import LONG_TEXT, MACHINE_TEXT, text_length_check


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: foundation staff (is_staff, in staff groups) or a member of organizations."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The language this person's emails are written in: the one they last chose on the site (or signed up
    # in). Blank: not chosen yet, emails fall back to the language of the request, or the site's default.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    is_staff = models.BooleanField(_("foundation staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name or self.email

    def in_groups(self, *names: str) -> bool:
        return self.groups.filter(name__in=names).exists()


def _verification_code() -> str:
    return secrets.token_hex(8).upper()


def document_upload_to(instance, filename):
    return f"documents/{instance.created_at:%Y/%m}/{instance.pk}.pdf"


class Document(models.Model):
    """A PDF rendered by the Celery pipeline (profiles, certificates, reports, receipts).

    The renderer for each `kind` is registered by its app (see empowerment.documents.registry); the
    status moves queued → rendering → ready or failed. The verification code is printed on the PDF and
    the SHA-256 of the finished file lets anyone check a printed or downloaded copy.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.CharField(max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("error"), blank=True, max_length=LONG_TEXT)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), upload_to=document_upload_to, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    verification_code = models.CharField(
        _("verification code"), max_length=32, unique=True, default=_verification_code, editable=False
    )
    requested_by = models.ForeignKey(
        "empowerment.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # When the sweep last sent a queued document to the workers again (None: not since it was last queued).
    redispatched_at = models.DateTimeField(_("sent again at"), null=True, blank=True)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "rendering", "ready", "failed"]),
                name="document_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(sha256=""), name="document_ready_has_hash"
            ),
            text_length_check("empowerment_document", "error"),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)


class Email(models.Model):
    """One email to one recipient, written in the transaction of the action that causes it and sent by a
    worker after commit (empowerment.mail). It is marked sent only once the mail server accepted it; an SMTP
    error is retried with backoff and, after the last attempt, the email is marked failed with the reason.
    The optional key (unique) makes "send this once" hold however often a scheduled job runs."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(_("key"), max_length=255, unique=True, null=True, blank=True)
    to = models.EmailField(_("to"), max_length=254)
    language = models.CharField(_("language"), max_length=10, default="en")
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"), max_length=MACHINE_TEXT)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, max_length=LONG_TEXT)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now, db_index=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "sending", "sent", "failed"]),
                name="email_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="email_sent_has_time",
            ),
            text_length_check("empowerment_email", "body", MACHINE_TEXT),
            text_length_check("empowerment_email", "last_error"),
        ]

    def __str__(self):
        return f"{self.to}: {self.subject} ({self.get_status_display()})"


class SubmissionKey(models.Model):
    """The idempotency key of a form sent from the field: a draft carries one key for as long as it lives
    on the phone, so a send repeated after a dropped answer finds its first result here instead of
    creating a second update, attendance sheet or visit. Written in the same transaction as what the form
    created (empowerment.submissions.submit_once); the unique key settles two sends that race."""

    key = models.UUIDField(_("key"), editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=40)
    created_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    created_id = models.CharField(max_length=64, blank=True)
    created = GenericForeignKey("created_type", "created_id")
    # What the first send answered (where it led), given again to every repeat.
    redirect = models.CharField(_("answer"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("submission key")
        verbose_name_plural = _("submission keys")
        constraints = [models.UniqueConstraint(fields=["key"], name="submission_key_unique")]

    def __str__(self):
        return f"{self.kind} {self.key}"


class TopicVersion(models.Model):
    """The version of a freshness topic whose derived copies are kept in the database (empowerment.freshness
    DURABLE: a project page's stored parts), set anew each time the topic is touched, after the change
    commits and before the cache's version moves. Unlike the cache's versions it outlives an emptied cache,
    so a stored copy stamped with it stays current until what it shows changes."""

    topic = models.CharField(_("topic"), max_length=60, unique=True)
    version = models.BigIntegerField(_("version"))

    class Meta:
        verbose_name = _("topic version")
        verbose_name_plural = _("topic versions")

    def __str__(self):
        return f"{self.topic} {self.version}"
