"""Staff work on training in the admin: modules, cohorts with their sessions, enrolments, exercises,
mentoring, capacity dimensions and assessments. State changes (reviews, certificates, actions done) go
through services, from admin actions or the staff pages; status fields are read-only here."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    AgreedAction,
    Attendance,
    CapacityAssessment,
    CapacityDimension,
    CapacityScore,
    Certificate,
    Cohort,
    Enrolment,
    Exercise,
    MentorAssignment,
    MentoringVisit,
    Module,
    Participant,
    ScaleLevel,
    Session,
    Submission,
)


def _report(modeladmin, request, label, exc):
    text = " ".join(exc.messages) if isinstance(exc, ValidationError) else _("Not allowed.")
    modeladmin.message_user(request, f"{label}: {text}", messages.ERROR)


@admin.register(Module)
class ModuleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_zh", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "name_zh", "slug"]
    prepopulated_fields = {"slug": ("name",)}


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["module", "title", "starts_at", "ends_at", "venue", "online_url", "trainers"]
    autocomplete_fields = ["trainers"]


class ExerciseInline(admin.TabularInline):
    model = Exercise
    extra = 0
    fields = ["title", "module", "due_on", "required"]
    show_change_link = True


@admin.register(Cohort)
class CohortAdmin(SimpleHistoryAdmin):
    list_display = ["name", "city", "starts_on", "ends_on", "min_attendance_percent", "dashboard"]
    list_filter = ["city", "starts_on"]
    search_fields = ["name"]
    autocomplete_fields = ["city", "organizations"]
    inlines = [SessionInline, ExerciseInline]
    list_select_related = ["city"]
    date_hierarchy = "starts_on"

    @admin.display(description=_("dashboard"))
    def dashboard(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("trainings:cohort_dashboard", args=[obj.pk]), _("open")
        )


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "cohort", "module", "starts_at", "ends_at", "venue", "attendance_link"]
    list_filter = ["cohort", "module"]
    search_fields = ["title", "venue", "cohort__name"]
    autocomplete_fields = ["cohort", "trainers"]
    list_select_related = ["cohort", "module"]
    date_hierarchy = "starts_at"

    @admin.display(description=_("attendance"))
    def attendance_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("trainings:attendance_take", args=[obj.pk]), _("take attendance")
        )


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    autocomplete_fields = ["cohort"]
    fields = ["cohort", "enrolled_at"]


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "title", "phone", "email"]
    search_fields = ["name", "organization__name", "phone", "email"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]
    inlines = [EnrolmentInline]


class EnrolmentAdminForm(forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = ["cohort", "participant", "enrolled_at"]

    def clean(self):
        cleaned = super().clean()
        cohort, participant = cleaned.get("cohort"), cleaned.get("participant")
        if (
            cohort
            and participant
            and not cohort.organizations.filter(pk=participant.organization_id).exists()
        ):
            self.add_error(
                "participant",
                _("%(org)s does not take part in the cohort %(cohort)s.")
                % {"org": participant.organization, "cohort": cohort},
            )
        return cleaned


@admin.register(Enrolment)
class EnrolmentAdmin(SimpleHistoryAdmin):
    form = EnrolmentAdminForm
    list_display = ["participant", "organization", "cohort", "enrolled_at"]
    list_filter = ["cohort"]
    search_fields = ["participant__name", "participant__organization__name"]
    autocomplete_fields = ["cohort", "participant"]
    list_select_related = ["participant__organization", "cohort"]

    @admin.display(description=_("organization"), ordering="participant__organization__name")
    def organization(self, obj):
        return obj.participant.organization

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        try:
            services.participant_enrol(cohort=obj.cohort, participant=obj.participant, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            _report(self, request, str(obj.participant), exc)


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    """Attendance is taken for a whole session on the staff page; here it is read and its history shown."""

    list_display = ["enrolment", "session", "status", "recorded_by", "recorded_at"]
    list_filter = ["status", "session__cohort"]
    search_fields = ["enrolment__participant__name"]
    list_select_related = ["enrolment__participant", "session__module", "recorded_by"]
    readonly_fields = ["session", "enrolment", "status", "recorded_by", "recorded_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Exercise)
class ExerciseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "cohort", "module", "due_on", "required"]
    list_filter = ["cohort", "required"]
    search_fields = ["title"]
    autocomplete_fields = ["cohort"]
    list_select_related = ["cohort", "module"]


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = ["exercise", "organization", "status", "submitted_at", "reviewed_by", "review_link"]
    list_filter = ["status", "exercise__cohort"]
    search_fields = ["organization__name", "exercise__title"]
    list_select_related = ["exercise", "organization", "reviewed_by"]
    readonly_fields = [
        "exercise",
        "organization",
        "file",
        "note",
        "status",
        "submitted_by",
        "submitted_at",
        "feedback",
        "reviewed_by",
        "reviewed_at",
    ]

    def has_add_permission(self, request):
        return False  # organizations upload in the portal

    @admin.display(description=_("review"))
    def review_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("trainings:submission_review", args=[obj.pk]), _("open")
        )


class AgreedActionInline(admin.TabularInline):
    model = AgreedAction
    extra = 1
    fields = ["text", "owner", "due_on", "done_at", "reply"]
    readonly_fields = ["done_at", "reply"]


@admin.register(MentoringVisit)
class MentoringVisitAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "date", "mode", "expert", "topics", "cohort"]
    list_filter = ["mode", "cohort", "date"]
    search_fields = ["organization__name", "topics", "notes"]
    autocomplete_fields = ["organization", "expert", "cohort"]
    list_select_related = ["organization", "expert", "cohort"]
    inlines = [AgreedActionInline]

    def get_changeform_initial_data(self, request):
        return {"expert": request.user.pk, **super().get_changeform_initial_data(request)}


@admin.register(AgreedAction)
class AgreedActionAdmin(SimpleHistoryAdmin):
    list_display = ["text", "organization", "due_on", "done_at"]
    list_filter = [("done_at", admin.EmptyFieldListFilter), "due_on"]
    search_fields = ["text", "visit__organization__name"]
    list_select_related = ["visit__organization"]
    readonly_fields = ["done_at"]
    actions = ["mark_done"]

    @admin.display(description=_("organization"))
    def organization(self, obj):
        return obj.visit.organization

    @admin.action(description=_("Mark as done"), permissions=["change"])
    def mark_done(self, request, queryset):
        for action in queryset:
            try:
                services.agreed_action_complete(action=action, by=request.user)
            except PermissionDenied as exc:
                _report(self, request, action.text, exc)


class ScaleLevelInline(admin.TabularInline):
    model = ScaleLevel
    extra = 0
    fields = ["score", "description", "description_zh"]


@admin.register(CapacityDimension)
class CapacityDimensionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_zh", "slug", "scale_min", "scale_max", "position", "active"]
    list_editable = ["position", "active"]
    search_fields = ["name", "name_zh"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ScaleLevelInline]


class MentorAssignmentForm(forms.ModelForm):
    class Meta:
        model = MentorAssignment
        fields = ["mentor", "organization"]

    def clean_mentor(self):
        mentor = self.cleaned_data["mentor"]
        if not mentor.has_perm("trainings.log_mentoring"):
            raise ValidationError(_("Choose a member of staff who mentors organizations."))
        return mentor


@admin.register(MentorAssignment)
class MentorAssignmentAdmin(SimpleHistoryAdmin):
    """Which expert mentors which organization (new assignments go through services.mentor_assign)."""

    form = MentorAssignmentForm
    list_display = ["organization", "mentor", "assigned_on"]
    search_fields = ["organization__name", "mentor__email", "mentor__first_name", "mentor__last_name"]
    autocomplete_fields = ["organization", "mentor"]
    list_select_related = ["organization", "mentor"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        try:
            saved = services.mentor_assign(mentor=obj.mentor, organization=obj.organization, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            _report(self, request, _("Not assigned"), exc)
            raise PermissionDenied from exc
        obj.pk = saved.pk


class CapacityScoreInline(admin.TabularInline):
    model = CapacityScore
    extra = 0
    fields = ["dimension", "score", "evidence"]

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj else CapacityDimension.objects.filter(active=True).count()


@admin.register(CapacityAssessment)
class CapacityAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "kind", "assessed_on", "cohort", "assessor"]
    list_filter = ["kind", "cohort", "assessed_on"]
    search_fields = ["organization__name"]
    autocomplete_fields = ["organization", "cohort", "assessor"]
    list_select_related = ["organization", "cohort", "assessor"]
    inlines = [CapacityScoreInline]

    def get_changeform_initial_data(self, request):
        return {"assessor": request.user.pk, **super().get_changeform_initial_data(request)}


@admin.register(Certificate)
class CertificateAdmin(SimpleHistoryAdmin):
    list_display = ["verification_code", "holder", "cohort", "issued_at", "language", "revoked_at", "pdf"]
    list_filter = ["enrolment__cohort", ("revoked_at", admin.EmptyFieldListFilter), "language"]
    search_fields = [
        "verification_code",
        "enrolment__participant__name",
        "enrolment__participant__organization__name",
    ]
    list_select_related = ["enrolment__participant", "enrolment__cohort", "document"]
    readonly_fields = [
        "enrolment",
        "issued_at",
        "issued_by",
        "language",
        "verification_code",
        "revoked_at",
        "document",
    ]
    fields = readonly_fields[:5] + ["revoked_reason", "revoked_at", "document"]
    actions = ["revoke", "request_pdf"]

    def has_add_permission(self, request):
        return False  # issued from the cohort page, only to those who met the rule

    @admin.display(description=_("holder"))
    def holder(self, obj):
        return obj.enrolment.participant

    @admin.display(description=_("cohort"))
    def cohort(self, obj):
        return obj.enrolment.cohort

    @admin.display(description=_("PDF"))
    def pdf(self, obj):
        if obj.document_id is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("document_detail", args=[obj.document_id]), _("open")
        )

    @admin.action(
        description=_("Revoke, with the reason written on each certificate"), permissions=["change"]
    )
    def revoke(self, request, queryset):
        for certificate in queryset:
            try:
                services.certificate_revoke(
                    certificate=certificate, reason=certificate.revoked_reason, by=request.user
                )
            except (ValidationError, PermissionDenied) as exc:
                _report(self, request, certificate.verification_code, exc)
            else:
                self.message_user(
                    request,
                    _("%(code)s was revoked.") % {"code": certificate.verification_code},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Render the PDF again"), permissions=["change"])
    def request_pdf(self, request, queryset):
        for certificate in queryset:
            try:
                services.certificate_request_pdf(certificate=certificate, by=request.user)
            except PermissionDenied as exc:
                _report(self, request, certificate.verification_code, exc)
