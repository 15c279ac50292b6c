"""Staff work on transparency in the admin: reports (request from an action), disclosures (read-only once
published; corrections added beside them), public questions (answered through an action-like form that
calls the service) and followers."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from empowerment.authz import is_programme_officer

from . import services
from .models import Disclosure, DisclosureCorrection, Follower, Question, TransparencyReport
from .periods import Period


class StaffReadMixin:
    """Read-only in the admin (who may view follows the staff role table in empowerment.roles); reports
    are requested and disclosures published through services, never by editing rows here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TransparencyReport)
class TransparencyReportAdmin(StaffReadMixin, SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "scope",
        "period_kind",
        "period_start",
        "language",
        "document_status",
        "scheduled",
    ]
    list_filter = ["scope", "period_kind", "language", "scheduled"]
    search_fields = ["project__title"]
    list_select_related = ["project", "document"]
    actions = ["render_again"]

    @admin.display(description=_("PDF"))
    def document_status(self, obj):
        return obj.document.get_status_display() if obj.document else "—"

    @admin.action(description=_("Request the PDF again where it failed"))
    def render_again(self, request, queryset):
        done = 0
        for report in queryset.select_related("project"):
            try:
                services.report_request(
                    period=Period(report.period_kind, report.period_start, report.period_end),
                    language=report.language,
                    project=report.project,
                    by=request.user,
                )
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                messages.error(request, f"{report}: {exc}")
        messages.info(request, _("%(n)s report(s) queued or already ready.") % {"n": done})


class CorrectionInline(admin.TabularInline):
    model = DisclosureCorrection
    extra = 0
    readonly_fields = ["note", "published_at", "published_by"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Disclosure)
class DisclosureAdmin(StaffReadMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "status", "due_on", "published_at"]
    list_filter = ["kind", "status"]
    search_fields = ["project__title", "campaign__title", "narrative"]
    list_select_related = ["project", "campaign"]
    inlines = [CorrectionInline]


class AnswerForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["answer", "published"]


@admin.register(Question)
class QuestionAdmin(SimpleHistoryAdmin):
    """Programme officers answer here: saving the answer goes through services.question_answer, which
    publishes it if asked and emails the asker. Everything else is read-only."""

    list_display = ["__str__", "kind", "target", "status", "published", "created_at"]
    list_filter = ["status", "kind", "published"]
    search_fields = ["body", "answer", "project__title", "campaign__title"]
    list_select_related = ["project", "campaign"]
    readonly_fields = [
        "project",
        "campaign",
        "kind",
        "name",
        "email",
        "body",
        "status",
        "answered_at",
        "answered_by",
        "created_at",
    ]
    fields = readonly_fields[:6] + ["answer", "published"] + readonly_fields[6:]
    actions = ["close"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and is_programme_officer(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            services.question_answer(
                question=obj,
                answer=form.cleaned_data["answer"],
                publish=form.cleaned_data["published"],
                by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        obj.refresh_from_db()

    @admin.action(description=_("Close without an answer"))
    def close(self, request, queryset):
        try:
            closed = sum(services.question_close(question=q, by=request.user) for q in queryset)
        except PermissionDenied:
            messages.error(request, _("Only programme officers close questions."))
            return
        messages.info(request, _("%(n)s question(s) closed.") % {"n": closed})


@admin.register(Follower)
class FollowerAdmin(StaffReadMixin, admin.ModelAdmin):
    list_display = ["email", "project", "campaign", "confirmed_at", "unsubscribed_at"]
    list_filter = ["confirmed_at", "unsubscribed_at"]
    search_fields = ["email", "project__title", "campaign__title"]
    list_select_related = ["project", "campaign"]
