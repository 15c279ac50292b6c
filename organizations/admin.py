"""Staff work on organizations in the admin: filters, search, history, and actions that call services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from empowerment.documents.services import document_request
from empowerment.uploads import clean_document, clean_new_upload

from . import services
from .models import (
    Area,
    DueDiligenceDocument,
    Invitation,
    Membership,
    Organization,
    Partner,
    PartnerResource,
    ProgrammeApplication,
    Theme,
    Volunteer,
    VolunteerHourRate,
    VolunteerHours,
    VolunteerTeam,
)


@admin.register(Area)
class AreaAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "name_en", "code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ["slug", "name_zh_hans", "name_en"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class DueDiligenceForm(forms.ModelForm):
    """A new file is checked by content and stored without its metadata (EXIF/GPS, PDF author)."""

    class Meta:
        model = DueDiligenceDocument
        fields = ["organization", "kind", "title", "file", "issued_on", "expires_on", "notes"]

    def clean_file(self):
        return clean_new_upload(self.cleaned_data.get("file"), clean_document)


class DueDiligenceInline(admin.TabularInline):
    model = DueDiligenceDocument
    form = DueDiligenceForm
    extra = 0
    fields = ["kind", "title", "file", "issued_on", "expires_on"]


class ExpiryFilter(admin.SimpleListFilter):
    title = _("expiry")
    parameter_name = "expiry"

    def lookups(self, request, model_admin):
        return [("expired", _("Expired")), ("60", _("Expiring within 60 days"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "expired":
            return queryset.filter(expires_on__lt=today)
        if self.value() == "60":
            return queryset.filter(expires_on__gte=today, expires_on__lte=today + timezone.timedelta(days=60))
        return queryset


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = [
        "name",
        "legal_form",
        "area",
        "status",
        "staff_count",
        "volunteer_count",
        "member_count",
        "joined_on",
    ]
    list_filter = ["status", "legal_form", "themes", "area__parent__parent", "joined_on"]
    search_fields = ["name_zh_hans", "name_en", "credit_code", "contact_name", "contact_email"]
    prepopulated_fields = {"slug": ("name_en",)}
    autocomplete_fields = ["area"]
    filter_horizontal = ["themes"]
    inlines = [MembershipInline, DueDiligenceInline]
    actions = ["request_profile_pdf", "activate", "suspend", "graduate"]
    list_select_related = ["area"]
    # The status moves only through the actions below (services.organization_set_status).
    readonly_fields = ["status", "created_at", "pdf_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_members=Count("memberships", distinct=True))

    @admin.display(description=_("members"), ordering="n_members")
    def member_count(self, obj):
        return obj.n_members

    @admin.display(description=_("profile PDF"))
    def pdf_link(self, obj):
        from empowerment.models import Document  # noqa: PLC0415

        doc = Document.objects.filter(kind="organization_profile", subject_id=str(obj.pk)).first()
        if doc is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("document_detail", args=[doc.pk]), doc)

    @admin.action(description=_("Request profile PDF"))
    def request_profile_pdf(self, request, queryset):
        docs = [
            document_request(
                kind="organization_profile", subject=org, language=get_language(), requested_by=request.user
            )
            for org in queryset
        ]
        if len(docs) == 1:
            return redirect("document_detail", pk=docs[0].pk)
        self.message_user(request, _("%(n)d profile PDFs were queued.") % {"n": len(docs)}, messages.SUCCESS)
        return None


def _status_action(action: str, label):
    def run(modeladmin, request, queryset):
        for org in queryset:
            try:
                services.organization_set_status(organization=org, action=action, by=request.user)
            except (ValidationError, PermissionDenied) as exc:
                text = " ".join(exc.messages) if isinstance(exc, ValidationError) else _("Not allowed.")
                modeladmin.message_user(request, f"{org.name}: {text}", messages.ERROR)
            else:
                modeladmin.message_user(request, f"{org.name}: {label}", messages.SUCCESS)

    run.__name__ = action
    return admin.action(description=label, permissions=["change"])(run)


OrganizationAdmin.activate = _status_action("activate", _("Make active"))
OrganizationAdmin.suspend = _status_action("suspend", _("Suspend"))
OrganizationAdmin.graduate = _status_action("graduate", _("Mark as graduated"))


@admin.register(ProgrammeApplication)
class ProgrammeApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "legal_form", "area", "contact_name", "contact_email", "status", "submitted_at"]
    list_filter = ["status", "legal_form", "submitted_at"]
    search_fields = ["name", "credit_code", "contact_name", "contact_email"]
    readonly_fields = ["status", "submitted_at", "decided_at", "decided_by", "organization"]
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False  # applications come from the public form

    @admin.action(description=_("Approve and invite the applicant"), permissions=["change"])
    def approve(self, request, queryset):
        for application in queryset:
            try:
                org = services.application_approve(
                    application=application, decided_by=request.user, base_url=request.build_absolute_uri("/")
                )
            except (ValidationError, PermissionDenied) as exc:
                text = " ".join(exc.messages) if isinstance(exc, ValidationError) else _("Not allowed.")
                self.message_user(request, f"{application.name}: {text}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(name)s was approved; an invitation was sent to %(email)s.")
                    % {"name": org.name, "email": application.contact_email},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Reject"), permissions=["change"])
    def reject(self, request, queryset):
        for application in queryset:
            try:
                services.application_reject(
                    application=application,
                    decided_by=request.user,
                    note=application.decision_note
                    or str(_("The application does not meet the programme's criteria.")),
                )
            except (ValidationError, PermissionDenied) as exc:
                text = " ".join(exc.messages) if isinstance(exc, ValidationError) else _("Not allowed.")
                self.message_user(request, f"{application.name}: {text}", messages.ERROR)
            else:
                self.message_user(
                    request, _("%(name)s was rejected.") % {"name": application.name}, messages.SUCCESS
                )


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "organization", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "organization__name"]
    readonly_fields = ["token", "accepted_at", "accepted_by", "created_at"]
    list_select_related = ["organization"]

    def has_change_permission(self, request, obj=None):
        return False  # invitations are sent from the portal or by approving an application


@admin.register(DueDiligenceDocument)
class DueDiligenceDocumentAdmin(SimpleHistoryAdmin):
    form = DueDiligenceForm
    list_display = ["organization", "kind", "title", "issued_on", "expires_on", "expiry_state", "status"]
    list_filter = [ExpiryFilter, "status", "kind"]
    # Verification moves only through the staff screen (diligence_services.due_diligence_verify/_return).
    readonly_fields = ["status", "reviewed_at", "reviewed_by", "return_reason", "uploaded_by"]
    search_fields = ["organization__name", "title"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]
    date_hierarchy = "expires_on"

    @admin.display(description=_("state"))
    def expiry_state(self, obj):
        if not obj.expires_on:
            return "—"
        days = (obj.expires_on - timezone.localdate()).days
        if days < 0:
            return _("expired")
        if days <= 60:
            return _("expires in %(days)d days") % {"days": days}
        return _("valid")


class PartnerResourceInline(admin.TabularInline):
    model = PartnerResource
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "area", "contact_name"]
    list_filter = ["kind"]
    search_fields = ["name", "contact_name"]
    autocomplete_fields = ["area", "organizations"]
    inlines = [PartnerResourceInline]


@admin.register(PartnerResource)
class PartnerResourceAdmin(SimpleHistoryAdmin):
    list_display = ["partner", "kind", "description", "organization", "provided_on", "estimated_value"]
    list_filter = ["kind", "provided_on"]
    search_fields = ["partner__name", "description", "organization__name"]
    autocomplete_fields = ["partner", "organization"]


class VolunteerInline(admin.TabularInline):
    model = Volunteer
    extra = 0


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "leader_name", "founded_on", "volunteer_total"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization", "area"]
    inlines = [VolunteerInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization").annotate(n=Count("volunteers"))

    @admin.display(description=_("volunteers"), ordering="n")
    def volunteer_total(self, obj):
        return obj.n


class VolunteerHoursInline(admin.TabularInline):
    model = VolunteerHours
    extra = 0


@admin.register(Volunteer)
class VolunteerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "team", "joined_on", "active"]
    list_filter = ["active"]
    search_fields = ["name", "team__name"]
    autocomplete_fields = ["team"]
    inlines = [VolunteerHoursInline]


@admin.register(VolunteerHourRate)
class VolunteerHourRateAdmin(SimpleHistoryAdmin):
    """The valuation basis of volunteer hours: staff set the yuan per hour in force from a date on."""

    list_display = ["valid_from", "yuan_per_hour", "basis"]
