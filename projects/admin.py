"""Staff work on needs, projects and progress updates in the admin. Status fields are read-only: moves go
through the workflow services (admin actions or the staff review pages)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    Activity,
    BudgetLine,
    Indicator,
    Milestone,
    Need,
    NeedsAssessment,
    NeedScore,
    ProgressUpdate,
    Project,
    ProjectDecision,
    ScoringCriterion,
    StandardIndicator,
)


@admin.register(StandardIndicator)
class StandardIndicatorAdmin(SimpleHistoryAdmin):
    """Theme indicators: the programme's standard indicators project indicators map to, so they roll up."""

    list_display = [
        "code",
        "name",
        "name_zh",
        "unit",
        "theme",
        "level",
        "value_type",
        "aggregation",
        "position",
    ]
    list_filter = ["theme", "level", "aggregation"]
    search_fields = ["code", "name", "name_zh"]
    list_select_related = ["theme"]


@admin.register(ScoringCriterion)
class ScoringCriterionAdmin(SimpleHistoryAdmin):
    list_display = ["key", "name", "weight", "position"]
    list_editable = ["weight", "position"]
    search_fields = ["key", "name"]


class NeedInline(admin.TabularInline):
    model = Need
    extra = 0
    fields = ["title", "chosen", "chosen_reason"]
    readonly_fields = ["chosen", "chosen_reason"]


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "community", "method", "started_on", "sample_size"]
    list_filter = ["method"]
    search_fields = ["title", "organization__name", "community__name"]
    autocomplete_fields = ["organization", "community"]
    list_select_related = ["organization", "community"]
    inlines = [NeedInline]


class NeedScoreInline(admin.TabularInline):
    model = NeedScore
    extra = 0


@admin.register(Need)
class NeedAdmin(SimpleHistoryAdmin):
    list_display = ["title", "assessment", "chosen"]
    list_filter = ["chosen"]
    search_fields = ["title", "assessment__title"]
    inlines = [NeedScoreInline]
    readonly_fields = ["chosen", "chosen_reason", "chosen_by", "chosen_at"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
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
    autocomplete_fields = ["standard"]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "due_date", "activity"]


class DecisionInline(admin.TabularInline):
    model = ProjectDecision
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "at", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


def _move_action(action: str, label):
    def run(modeladmin, request, queryset):
        done = 0
        for project in queryset:
            try:
                services.project_transition(
                    project=project, action=action, by=request.user, base_url=request.build_absolute_uri("/")
                )
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                text = "; ".join(getattr(exc, "messages", [str(exc) or _("Not allowed.")]))
                modeladmin.message_user(request, f"{project}: {text}", messages.ERROR)
        if done:
            modeladmin.message_user(request, _("%(n)d project(s) moved.") % {"n": done}, messages.SUCCESS)

    run.__name__ = f"move_{action}"
    run.short_description = label
    return run


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "organization", "theme", "community", "status", "start_date", "end_date"]
    list_filter = ["status", "theme", "reporting_frequency"]
    search_fields = [
        "title_zh_hans",
        "title_en",
        "slug",
        "organization__name_zh_hans",
        "organization__name_en",
    ]
    autocomplete_fields = ["organization", "community"]
    list_select_related = ["organization", "theme", "community"]
    readonly_fields = ["status", "created_by", "created_at", "updated_at"]
    filter_horizontal = ["needs"]
    inlines = [ActivityInline, MilestoneInline, BudgetLineInline, IndicatorInline, DecisionInline]
    actions = [
        _move_action("approve", _("Approve for incubation (submitted projects)")),
        _move_action("activate", _("Start: make active (approved projects)")),
        _move_action("complete", _("Mark completed (active projects)")),
        _move_action("close", _("Close (completed projects)")),
    ]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["project", "period_start", "period_end", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status"]
    search_fields = ["project__title", "project__organization__name"]
    list_select_related = ["project"]
    # Ratings are given on the staff update page (projects.services.update_rate), with history.
    readonly_fields = [
        "status",
        "supersedes",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
        "quality_score",
        "rating_feedback",
        "rated_by",
        "rated_at",
    ]
    actions = ["approve"]

    @admin.action(description=_("Approve the selected submitted updates"))
    def approve(self, request, queryset):
        for update in queryset:
            try:
                services.update_review(update=update, by=request.user, approve=True)
            except (ValidationError, PermissionDenied) as exc:
                text = "; ".join(getattr(exc, "messages", [str(exc) or _("Not allowed.")]))
                self.message_user(request, f"{update}: {text}", messages.ERROR)

    def has_change_permission(self, request, obj=None):
        # An approved update is never edited: a correction is a new version (from the portal).
        if obj is not None and obj.status == ProgressUpdate.Status.APPROVED:
            return False
        return super().has_change_permission(request, obj)
