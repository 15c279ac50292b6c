"""Portal pages (needs assessments, proposal wizard, progress updates), staff review pages and the public
progress-update photos (a project's one public page is composed in transparency). Thin: resolve the
organization and permission, validate, call one service, redirect."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from empowerment import offline_forms
from empowerment.documents.services import document_request
from empowerment.forms import add_service_errors
from empowerment.submissions import submit_once
from organizations.portal import portal_view

from . import charts, selectors, services
from .forms import (
    AssessmentForm,
    AttachmentForm,
    ChooseNeedForm,
    MoveForm,
    NeedForm,
    PeopleFormSet,
    ReportRequestForm,
    SurveyMappingForm,
    SurveyUploadForm,
    UpdateForm,
    UpdateRatingForm,
    UpdateReviewForm,
    breakdown_formset,
)
from .models import (
    AssessmentAttachment,
    Need,
    NeedsAssessment,
    ProgressUpdate,
    Project,
    SurveyImport,
    UpdateDocument,
    UpdatePhoto,
)

VIEW = "projects.view_org_projects"
EDIT = "projects.edit_org_projects"


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _can_edit(request) -> bool:
    return request.user.has_perm(EDIT, request.organization)


# Needs assessments -----------------------------------------------------------------------------


def _assessment(request, pk) -> NeedsAssessment:
    return get_object_or_404(
        NeedsAssessment.objects.select_related("community__parent"), pk=pk, organization=request.organization
    )


@portal_view(VIEW)
@require_GET
def assessment_list(request):
    return render(
        request,
        "projects/assessment_list.html",
        {
            "org": request.organization,
            "assessments": selectors.assessments_for_organization(request.organization),
            "can_edit": _can_edit(request),
        },
    )


@portal_view(EDIT)
@require_http_methods(["GET", "POST"])
def assessment_edit(request, pk=None):
    assessment = _assessment(request, pk) if pk else None
    form = AssessmentForm(request.POST or None, instance=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_save(
                organization=request.organization,
                by=request.user,
                data=form.cleaned_data,
                assessment=assessment,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The needs assessment was saved."))
            return redirect("projects:assessment_detail", request.organization.slug, assessment.pk)
    return render(
        request,
        "projects/assessment_form.html",
        {"org": request.organization, "form": form, "assessment": assessment},
    )


@portal_view(VIEW)
@require_GET
def assessment_detail(request, pk):
    assessment = _assessment(request, pk)
    needs = selectors.ranked_needs(assessment)
    return render(
        request,
        "projects/assessment_detail.html",
        {
            "org": request.organization,
            "assessment": assessment,
            "needs": needs,
            "criteria": selectors.criteria(),
            "matrix": charts.priority_matrix(needs),
            "attachments": assessment.attachments.all(),
            "surveys": assessment.survey_imports.all(),
            "can_edit": _can_edit(request),
            "need_form": NeedForm(criteria=selectors.criteria()),
            "attachment_form": AttachmentForm(),
            "survey_form": SurveyUploadForm(),
        },
    )


@portal_view(EDIT)
@require_http_methods(["GET", "POST"])
def need_edit(request, pk, need_pk=None):
    assessment = _assessment(request, pk)
    need = get_object_or_404(Need, pk=need_pk, assessment=assessment) if need_pk else None
    form = NeedForm(request.POST or None, criteria=selectors.criteria(), need=need)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_save(
                assessment=assessment,
                by=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                scores=form.scores(),
                need=need,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The need was saved."))
            return redirect("projects:assessment_detail", request.organization.slug, assessment.pk)
    return render(
        request,
        "projects/need_form.html",
        {"org": request.organization, "assessment": assessment, "form": form, "need": need},
    )


@portal_view(EDIT)
@require_http_methods(["GET", "POST"])
def need_choose(request, pk, need_pk):
    assessment = _assessment(request, pk)
    need = get_object_or_404(Need, pk=need_pk, assessment=assessment)
    form = ChooseNeedForm(request.POST or None, initial={"reason": need.chosen_reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.need_choose(need=need, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The choice was recorded."))
            return redirect("projects:assessment_detail", request.organization.slug, assessment.pk)
    return render(
        request,
        "projects/need_choose.html",
        {"org": request.organization, "assessment": assessment, "need": need, "form": form},
    )


@portal_view(EDIT)
@require_POST
def attachment_add(request, pk):
    assessment = _assessment(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        services.attachment_add(
            assessment=assessment,
            by=request.user,
            name=form.cleaned_data["name"],
            file=form.cleaned_data["file"],
        )
        messages.success(request, _("The attachment was added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("projects:assessment_detail", request.organization.slug, assessment.pk)


@portal_view(VIEW)
@require_GET
def attachment_download(request, pk, att_pk):
    assessment = _assessment(request, pk)
    attachment = get_object_or_404(AssessmentAttachment, pk=att_pk, assessment=assessment)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.file.name.rsplit("/", 1)[-1]
    )


@portal_view(EDIT)
@require_POST
def survey_upload(request, pk):
    assessment = _assessment(request, pk)
    form = SurveyUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            survey = services.survey_import(
                assessment=assessment, by=request.user, file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            return redirect("projects:survey_detail", request.organization.slug, assessment.pk, survey.pk)
    else:
        messages.error(request, _("Choose a CSV file to import."))
    return redirect("projects:assessment_detail", request.organization.slug, assessment.pk)


@portal_view(VIEW)
@require_http_methods(["GET", "POST"])
def survey_detail(request, pk, survey_pk):
    assessment = _assessment(request, pk)
    survey = get_object_or_404(SurveyImport, pk=survey_pk, assessment=assessment)
    form = SurveyMappingForm(request.POST or None, survey=survey)
    if request.method == "POST":
        if not _can_edit(request):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.survey_map(survey=survey, by=request.user, mapping=form.mapping())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The answers were summarised."))
                return redirect("projects:survey_detail", request.organization.slug, assessment.pk, survey.pk)
    return render(
        request,
        "projects/survey_detail.html",
        {
            "org": request.organization,
            "assessment": assessment,
            "survey": survey,
            "form": form,
            "preview": survey.rows[:5],
            "can_edit": _can_edit(request),
        },
    )


# Projects in the portal ------------------------------------------------------------------------


def _project(request, pk) -> Project:
    project = selectors.project_for_portal(request.organization, pk)
    if project is None:
        raise Http404
    return project


@portal_view(VIEW)
@require_GET
def portal_list(request):
    return render(
        request,
        "projects/portal_list.html",
        {
            "org": request.organization,
            "projects": selectors.projects_for_organization(request.organization).order_by("-created_at"),
            "can_edit": _can_edit(request),
        },
    )


def _project_context(request, project) -> dict:
    progress = selectors.with_breakdowns(project, selectors.indicator_progress(project))
    return {
        "project": project,
        **selectors.project_plan(project),
        "progress": progress,
        "progress_by_level": selectors.indicators_by_level(progress),
        "chart": charts.indicator_chart(progress),
        "updates": selectors.updates_for_project(project),
        "people": selectors.people_reached_totals(selectors.effective_updates(project)),
        "next_period": selectors.next_report_period(
            project,
            covered_until=project.updates.filter(status__in=["submitted", "approved"])
            .order_by("-period_end")
            .values_list("period_end", flat=True)
            .first(),
        )
        if project.status == Project.Status.ACTIVE
        else None,
    }


@portal_view(VIEW)
@require_GET
def portal_detail(request, pk):
    project = _project(request, pk)
    return render(
        request,
        "projects/portal_detail.html",
        {
            "org": request.organization,
            **_project_context(request, project),
            "actions": [
                a for a in services.allowed_actions(project, request.user) if a not in services.STAFF_ACTIONS
            ],
            "can_edit": _can_edit(request) and project.is_editable,
            "can_log": _can_edit(request) and project.status == Project.Status.ACTIVE,
            "problems": services.proposal_problems(project) if project.is_editable else [],
            "report_form": ReportRequestForm(project=project),
        },
    )


@portal_view(VIEW)
@require_POST
def portal_move(request, pk):
    """A workflow move posted from the portal. Only organization moves (submit) are allowed here; the
    service refuses any move the user's role does not allow."""
    project = _project(request, pk)
    _move(request, project, _("The proposal was submitted for review."))
    return redirect("projects:portal_detail", request.organization.slug, project.pk)


def _move(request, project, done_message) -> None:
    """Apply the posted workflow move; the service refuses any move the user's role does not allow."""
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    try:
        services.project_transition(
            project=project,
            action=form.cleaned_data["action"],
            by=request.user,
            comment=form.cleaned_data["comment"],
            base_url=_base_url(request),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done_message)


@portal_view(VIEW)
@require_POST
def report_request(request, pk):
    project = _project(request, pk)
    form = ReportRequestForm(request.POST, project=project)
    if not form.is_valid():
        messages.error(request, _("Choose an approved update for the report."))
        return redirect("projects:portal_detail", request.organization.slug, project.pk)
    document = document_request(
        kind="project_progress_report",
        subject=form.cleaned_data["update"],
        language=get_language(),
        requested_by=request.user,
    )
    return redirect("document_detail", pk=document.pk)


# Progress updates ---------------------------------------------------------------------------------


def _people_initial(update):
    if update is None:
        return []
    return [
        {"sex": p.sex, "age_band": p.age_band, "special_group": p.special_group, "count": p.count}
        for p in update.people.all()
    ]


def _update_form_page(request, project, update):
    form = UpdateForm(
        request.POST or None,
        request.FILES or None,
        project=project,
        instance=update,
        submitting="submit" in request.POST,
    )
    people = PeopleFormSet(
        request.POST or None, prefix="people", initial=None if request.POST else _people_initial(update)
    )
    breakdown = breakdown_formset(form.indicators, request.POST or None, update=update)
    if (
        request.method == "POST"
        and form.is_valid()
        and people.is_valid()
        and (breakdown is None or breakdown.is_valid())
    ):
        rows = [f.cleaned_data for f in people if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        photos = (
            [(form.cleaned_data["photo"], form.cleaned_data["photo_caption"])]
            if form.cleaned_data.get("photo")
            else []
        )
        documents = [form.cleaned_data["document"]] if form.cleaned_data.get("document") else []
        notes = []

        def write():
            saved = services.update_save(
                project=project,
                by=request.user,
                data={
                    k: form.cleaned_data[k]
                    for k in ("period_start", "period_end", "narrative", "volunteer_hours")
                },
                values=form.indicator_values(),
                people=rows,
                photos=photos,
                documents=documents,
                update=update,
                parts=breakdown.parts() if breakdown is not None else None,
            )
            if "submit" in request.POST:
                try:
                    services.update_submit(update=saved, by=request.user)
                    notes.append((messages.SUCCESS, _("The update was submitted for review.")))
                except ValidationError as exc:
                    notes.extend((messages.ERROR, message) for message in exc.messages)
            else:
                notes.append((messages.SUCCESS, _("The update was saved as a draft.")))
            return saved, reverse(
                "projects:update_detail", args=[request.organization.slug, project.pk, saved.pk]
            )

        try:
            outcome = submit_once(
                key=offline_forms.sending_key(request), by=request.user, kind="progress_update", write=write
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if outcome.repeated:
                notes = [(messages.INFO, _("This update had already been received; it was not saved twice."))]
            for level, message in notes:
                messages.add_message(request, level, message)
            if offline_forms.wants_json(request):
                return offline_forms.done(outcome.redirect, repeated=outcome.repeated)
            return redirect(outcome.redirect)
    if request.method == "POST" and offline_forms.wants_json(request):
        return offline_forms.refused(offline_forms.form_errors(form, people, breakdown))
    response = render(
        request,
        "projects/update_form.html",
        {
            "org": request.organization,
            "project": project,
            "update": update,
            "form": form,
            "people": people,
            "breakdown": breakdown,
            "indicator_rows": [
                (form[f"indicator_{ind.pk}"], breakdown.for_indicator(ind) if breakdown else [])
                for ind in form.indicators
            ],
        },
    )
    return offline_forms.offline_page(response, request)  # a draft may be written here without a connection


@portal_view(EDIT)
@require_http_methods(["GET", "POST"])
def update_new(request, pk):
    project = _project(request, pk)
    if project.status != Project.Status.ACTIVE:
        if request.method == "POST" and offline_forms.wants_json(request):
            return offline_forms.refused({"__all__": [_("Progress is logged for active projects only.")]})
        messages.error(request, _("Progress is logged for active projects only."))
        return redirect("projects:portal_detail", request.organization.slug, project.pk)
    return _update_form_page(request, project, None)


def _update(project, upk) -> ProgressUpdate:
    update = selectors.update_detail(project, upk)
    if update is None:
        raise Http404
    return update


@portal_view(EDIT)
@require_http_methods(["GET", "POST"])
def update_edit(request, pk, upk):
    project = _project(request, pk)
    update = _update(project, upk)
    if not update.is_editable:
        messages.error(request, _("A submitted or approved update cannot be changed."))
        return redirect("projects:update_detail", request.organization.slug, project.pk, update.pk)
    return _update_form_page(request, project, update)


@portal_view(VIEW)
@require_GET
def update_detail(request, pk, upk):
    project = _project(request, pk)
    update = _update(project, upk)
    return render(
        request,
        "projects/update_detail.html",
        {
            "org": request.organization,
            "project": project,
            "update": update,
            "can_edit": _can_edit(request),
            "corrected_by": ProgressUpdate.objects.filter(supersedes=update).first(),
        },
    )


@portal_view(EDIT)
@require_POST
def update_submit(request, pk, upk):
    project = _project(request, pk)
    update = _update(project, upk)
    try:
        services.update_submit(update=update, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The update was submitted for review."))
    return redirect("projects:update_detail", request.organization.slug, project.pk, update.pk)


@portal_view(EDIT)
@require_POST
def update_correct(request, pk, upk):
    project = _project(request, pk)
    update = _update(project, upk)
    try:
        new = services.update_correct(update=update, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("projects:update_detail", request.organization.slug, project.pk, update.pk)
    messages.success(
        request, _("A correction was started as a new draft; the approved update stays until it is approved.")
    )
    return redirect("projects:update_edit", request.organization.slug, project.pk, new.pk)


@portal_view(VIEW)
@require_GET
def evidence_download(request, pk, doc_pk):
    project = _project(request, pk)
    document = get_object_or_404(UpdateDocument, pk=doc_pk, update__project=project)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )


@require_GET
def photo(request, pk):
    """A progress-update photo: public when its update is approved and its project public; otherwise
    only for the organization's members and staff (the same 404 for everyone else)."""
    item = get_object_or_404(UpdatePhoto.objects.select_related("update__project__organization"), pk=pk)
    update = item.update
    public = update.status == ProgressUpdate.Status.APPROVED and update.project.is_public
    if not public and not (
        request.user.is_authenticated and request.user.has_perm(VIEW, update.project.organization)
    ):
        raise Http404
    content_type = mimetypes.guess_type(item.image.name)[0] or "application/octet-stream"
    response = FileResponse(item.image.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Staff pages ----------------------------------------------------------------------------------------


def staff_view(view):
    """Staff pages: sign in first; a signed-in person who is not staff gets a 404."""

    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("projects.view_staff_pages"):
            raise Http404
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@staff_view
@require_GET
def staff_review(request):
    return render(
        request,
        "projects/staff_review.html",
        {
            "projects": selectors.review_queue(),
            "updates": selectors.updates_to_review(),
            "to_rate": selectors.updates_to_rate(),
            "all_projects": selectors.projects_in_progress(),
        },
    )


@staff_view
@require_GET
def staff_detail(request, pk):
    project = get_object_or_404(
        Project.objects.select_related("organization", "theme", "community__parent"), pk=pk
    )
    return render(
        request,
        "projects/staff_detail.html",
        {
            **_project_context(request, project),
            "actions": [
                a for a in services.allowed_actions(project, request.user) if a in services.STAFF_ACTIONS
            ],
            "report_form": ReportRequestForm(project=project),
        },
    )


@staff_view
@require_POST
def staff_move(request, pk):
    project = get_object_or_404(Project, pk=pk)
    _move(request, project, _("The decision was recorded and the organization notified."))
    return redirect("projects:staff_detail", project.pk)


@staff_view
@require_http_methods(["GET", "POST"])
def staff_update(request, upk):
    base = get_object_or_404(ProgressUpdate.objects.select_related("project__organization"), pk=upk)
    update = selectors.update_detail(base.project, upk)
    form = UpdateReviewForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("projects.review_project"):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.update_review(
                    update=update,
                    by=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    comment=form.cleaned_data["comment"],
                    base_url=_base_url(request),
                    score=form.cleaned_data["score"],
                    feedback=form.cleaned_data["feedback"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The review was recorded and the organization notified."))
                return redirect("projects:staff_review")
    return render(
        request,
        "projects/staff_update.html",
        {
            "project": base.project,
            "update": update,
            "form": form,
            "can_review": request.user.has_perm("projects.review_project") and update.status == "submitted",
            "can_rate": request.user.has_perm("projects.review_project") and update.status == "approved",
            "rating_form": UpdateRatingForm(
                initial={"score": update.quality_score, "feedback": update.rating_feedback}
            ),
            "ratings": selectors.rating_history(update),
        },
    )


@staff_view
@require_GET
def staff_overdue(request):
    return render(
        request,
        "projects/staff_overdue.html",
        {"projects": selectors.overdue_projects(), "schedule": selectors.active_projects_with_schedule()},
    )


@staff_view
@require_POST
def staff_report(request, pk):
    project = get_object_or_404(Project, pk=pk)
    form = ReportRequestForm(request.POST, project=project)
    if not form.is_valid():
        messages.error(request, _("Choose an approved update for the report."))
        return redirect("projects:staff_detail", project.pk)
    document = document_request(
        kind="project_progress_report",
        subject=form.cleaned_data["update"],
        language=get_language(),
        requested_by=request.user,
    )
    return redirect("document_detail", pk=document.pk)
