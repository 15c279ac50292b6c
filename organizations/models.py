"""Areas, organizations, memberships, invitations, programme applications, due-diligence documents,
partners and their resources, volunteer teams."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from empowerment.money import MoneyField
from empowerment.textlimits import LONG_TEXT, text_length_check

from .credit_code import validate_credit_code


class Area(models.Model):
    """A node of the administrative tree: league/city → banner/county/district → town/sub-district →
    community/village."""

    class Level(models.IntegerChoices):
        CITY = 1, _("League / city")
        COUNTY = 2, _("Banner / county / district")
        TOWN = 3, _("Town / sub-district")
        COMMUNITY = 4, _("Community / village")

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    code = models.CharField(_("division code"), max_length=12, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="area_level_range"),
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True) | Q(level__gt=1, parent__isnull=False),
                name="area_parent_matches_level",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language  # noqa: PLC0415

        if self.name_en and (get_language() or "en").startswith("en"):
            return self.name_en
        return self.name

    def ancestors(self) -> list["Area"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def city(self) -> "Area":
        return (self.ancestors() + [self])[0]


class Theme(models.Model):
    """A field of community work: older people, children, special groups, community safety, ..."""

    slug = models.SlugField(_("key"), unique=True)
    name = models.CharField(_("name"), max_length=100)  # in both languages (organizations/translation.py)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class LegalForm(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("Social group")
    SOCIAL_SERVICE = "social_service", _("Social service organization")
    FOUNDATION = "foundation", _("Foundation")
    UNREGISTERED = "unregistered", _("Unregistered community group")


def logo_upload_to(instance, filename):
    # The upload is re-encoded to PNG or JPEG (empowerment.uploads.clean_image), named after its format.
    ext = "jpg" if filename.lower().endswith((".jpg", ".jpeg")) else "png"
    return f"logos/{instance.slug}/{secrets.token_hex(8)}.{ext}"


class Organization(models.Model):
    """A local social organization taking part in the programme."""

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        ACTIVE = "active", _("Active")
        GRADUATED = "graduated", _("Graduated")
        SUSPENDED = "suspended", _("Suspended")

    # name and description in both languages (organizations/translation.py): name_zh_hans, the registered
    # name, and name_en, each unique where given.
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("18 characters, on the registration certificate. Leave empty for an unregistered group."),
    )
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="organizations"
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=LONG_TEXT)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes served"), blank=True)
    staff_count = models.PositiveIntegerField(_("paid staff"), default=0)
    volunteer_count = models.PositiveIntegerField(_("volunteers"), default=0)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to=logo_upload_to, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLICANT)
    joined_on = models.DateField(_("joined the programme"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(legal_form="unregistered") | Q(credit_code__isnull=False),
                name="org_registered_has_credit_code",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["applicant", "active", "graduated", "suspended"]),
                name="org_status_valid",
            ),
            text_length_check("organizations_organization", "description"),
            text_length_check("organizations_organization", "description_en"),
            text_length_check("organizations_organization", "description_zh_hans"),
        ]
        indexes = [models.Index(fields=["status", "area"])]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A user's role in one organization."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_user_and_org"),
            models.CheckConstraint(
                condition=Q(role__in=["admin", "editor", "viewer"]), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.organization} · {self.get_role_display()}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An emailed link that lets a person join an organization with a role. Single use; expires."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email_and_org",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.organization}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ProgrammeApplication(models.Model):
    """An organization's application to join the programme, sent from the public form and reviewed by
    a programme officer. Approval creates the organization and invites the applicant."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("organization name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=255, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes served"), blank=True)
    staff_count = models.PositiveIntegerField(_("paid staff"), default=0)
    volunteer_count = models.PositiveIntegerField(_("volunteers"), default=0)
    contact_name = models.CharField(_("your name"), max_length=100)
    contact_email = models.EmailField(_("your email"))
    contact_phone = models.CharField(_("your phone"), max_length=30, blank=True)
    motivation = models.TextField(_("why do you want to join the programme?"), max_length=LONG_TEXT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(_("decision note"), blank=True, max_length=LONG_TEXT)
    organization = models.OneToOneField(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="application"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme application")
        verbose_name_plural = _("programme applications")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(decided_at__isnull=False),
                name="application_decision_dated",
            ),
            text_length_check("organizations_programmeapplication", "motivation"),
            text_length_check("organizations_programmeapplication", "decision_note"),
        ]

    def __str__(self):
        return self.name


def document_upload_to(instance, filename):
    return f"organizations/{instance.organization_id}/documents/{secrets.token_hex(8)}-{filename[-60:]}"


class DueDiligenceDocument(models.Model):
    """Registration certificate, charter, annual inspection result, audit report: with expiry dates so
    staff see what is about to lapse. Private: staff and the organization's members."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Registration certificate")
        CHARTER = "charter", _("Charter")
        ANNUAL_INSPECTION = "annual_inspection", _("Annual inspection result")
        BANK_ACCOUNT = "bank_account", _("Bank account proof")
        AUDIT = "audit", _("Audit report")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        RETURNED = "returned", _("Returned")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_upload_to)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=LONG_TEXT)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("verification"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for returning"), blank=True, max_length=LONG_TEXT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("due-diligence document")
        verbose_name_plural = _("due-diligence documents")
        ordering = ["expires_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="document_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "verified", "returned"]), name="dd_document_status_valid"
            ),
            # A decision is dated; a returned document says why (the organization reads it).
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(reviewed_at__isnull=False),
                name="dd_document_review_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="dd_document_returned_with_reason",
            ),
            text_length_check("organizations_duediligencedocument", "notes"),
            text_length_check("organizations_duediligencedocument", "return_reason"),
        ]
        indexes = [models.Index(fields=["status", "expires_on"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


class Partner(models.Model):
    """A government department, enterprise, foundation or other group the programme links with."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government department")
        ENTERPRISE = "enterprise", _("Enterprise")
        FOUNDATION = "foundation", _("Foundation")
        SOCIAL_GROUP = "social_group", _("Social organization")
        COMMUNITY = "community", _("Community committee")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    area = models.ForeignKey(Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=LONG_TEXT)
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("linked organizations"), blank=True, related_name="partners"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            text_length_check("organizations_partner", "notes"),
        ]

    def __str__(self):
        return self.name


class PartnerResource(models.Model):
    """A non-cash resource a partner brings: a venue, volunteers, goods, expertise. Its stated value is
    kept apart from cash in every total."""

    class Kind(models.TextChoices):
        VENUE = "venue", _("Venue")
        VOLUNTEERS = "volunteers", _("Volunteers")
        GOODS = "goods", _("Goods")
        EXPERTISE = "expertise", _("Expertise")
        OTHER = "other", _("Other")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=255)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("for organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_resources",
    )
    provided_on = models.DateField(_("provided on"), default=timezone.localdate)
    estimated_value = MoneyField(_("estimated value (yuan)"), default=0)
    valuation_basis = models.CharField(_("basis of the value"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner resource")
        verbose_name_plural = _("partner resources")
        ordering = ["-provided_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value__gte=0), name="partner_resource_value_nonnegative"
            )
        ]

    def __str__(self):
        return f"{self.partner}: {self.description}"


class VolunteerTeam(models.Model):
    """A community volunteer team, kept by an organization."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="volunteer_teams")
    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT)
    leader_name = models.CharField(_("team leader"), max_length=100, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="volunteer_team_unique_name")
        ]

    def __str__(self):
        return self.name


class Volunteer(models.Model):
    team = models.ForeignKey(VolunteerTeam, on_delete=models.CASCADE, related_name="volunteers")
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    skills = models.CharField(_("skills"), max_length=255, blank=True)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["team", "name"]

    def __str__(self):
        return self.name


class VolunteerHours(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="hours")
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    activity = models.CharField(_("activity"), max_length=255)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="volunteer_hours_in_a_day")
        ]

    def __str__(self):
        return f"{self.volunteer} {self.date} {self.hours}h"


class VolunteerHourRate(models.Model):
    """The value the programme puts on one hour of volunteer work, in yuan, from a date on (set by staff in
    the admin). An hour is valued at the rate in force on its date. The value is non-cash: shown beside
    the cash figures, never inside them."""

    valid_from = models.DateField(_("valid from"), unique=True)
    yuan_per_hour = MoneyField(_("yuan per hour"))
    basis = models.CharField(
        _("basis of the rate"),
        max_length=255,
        help_text=_("Where the rate comes from, e.g. the local minimum hourly wage."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volunteer hour valuation")
        verbose_name_plural = _("volunteer hour valuations")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(yuan_per_hour__gt=0), name="volunteer_rate_positive")
        ]

    def __str__(self):
        return f"{self.yuan_per_hour} / h ({self.valid_from})"
