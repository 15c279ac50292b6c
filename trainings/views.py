"""Staff pages (/staff/trainings/...) and the organization portal's training pages (/o/<org>/trainings/...)."""

from collections import Counter
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from empowerment import offline_forms
from empowerment.authz import staff_view
from empowerment.forms import add_service_errors
from empowerment.submissions import submit_once
from organizations.portal import portal_view

from . import charts, exports, selectors, services
from .forms import CertificateIssueForm, ReviewForm, SubmissionForm
from .models import AgreedAction, Attendance, Cohort, Submission


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _capacity_chart(growth, title):
    return charts.paired_bars(
        [(str(r["dimension"]), r["before"], r["after"]) for r in growth["dimensions"]],
        scale_max=growth["scale_max"],
        title=title,
        before_label=_("Baseline"),
        after_label=_("Follow-up"),
    )


# Staff ---------------------------------------------------------------------------------------------


@staff_view("trainings.run_training")
@require_GET
def cohort_list(request):
    return render(request, "trainings/staff/cohort_list.html", {"cohorts": selectors.cohorts_for_staff()})


@staff_view("trainings.run_training")
@require_GET
def cohort_dashboard(request, pk):
    cohort = get_object_or_404(Cohort.objects.select_related("city"), pk=pk)
    summary = selectors.cohort_summary(cohort)
    sessions = selectors.session_attendance(cohort)
    growth = selectors.capacity_growth(cohort=cohort)
    return render(
        request,
        "trainings/staff/cohort_dashboard.html",
        {
            "cohort": cohort,
            "summary": summary,
            "sessions": sessions,
            "organizations": selectors.organization_attendance(cohort),
            "exercises": selectors.exercise_status(cohort),
            "mentoring": selectors.mentoring_coverage(cohort),
            "growth": growth,
            "attendance_chart": charts.percent_columns(
                [(str(i), s["rate"]) for i, s in enumerate(sessions, start=1)],
                title=_("Attendance rate per session"),
            ),
            "growth_chart": _capacity_chart(growth, _("Cohort mean per dimension, baseline and follow-up")),
        },
    )


@staff_view("trainings.issue_certificate")
@require_http_methods(["GET", "POST"])
def cohort_certificates(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    form = CertificateIssueForm(request.POST or None)
    issued, refused = None, None
    if request.method == "POST" and form.is_valid():
        issued, refused = services.certificates_issue_for_cohort(
            cohort=cohort, by=request.user, language=form.cleaned_data["language"]
        )
        messages.success(request, _("%(n)d certificates were issued.") % {"n": len(issued)})
    rows = selectors.cohort_enrolments_progress(cohort)
    return render(
        request,
        "trainings/staff/cohort_certificates.html",
        {"cohort": cohort, "form": form, "rows": rows, "issued": issued, "refused": refused},
    )


@staff_view("trainings.export_results")
@require_GET
def export_attendance(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    return _xlsx(exports.attendance_workbook(cohort), f"attendance-cohort-{cohort.pk}.xlsx")


@staff_view("trainings.export_results")
@require_GET
def export_results(request, pk):
    cohort = get_object_or_404(Cohort, pk=pk)
    return _xlsx(exports.results_workbook(cohort), f"results-cohort-{cohort.pk}.xlsx")


def _marks_from_post(post) -> dict[int, str]:
    marks = {}
    for key, value in post.items():
        if key.startswith("status-"):
            try:
                marks[int(key.removeprefix("status-"))] = value
            except ValueError:
                raise ValidationError(_("The form was malformed; reload the page and try again.")) from None
    return marks


@staff_view("trainings.take_attendance")
@require_http_methods(["GET", "POST"])
def attendance_take(request, pk):
    session = selectors.session_for_attendance(pk)
    if session is None:
        raise Http404
    errors = []
    posted = {}
    if request.method == "POST":
        try:
            posted = _marks_from_post(request.POST)
            sheet_ids = {e.pk for e, _s in selectors.attendance_sheet(session)}
            missing = sheet_ids - posted.keys()
            if missing:
                raise ValidationError(
                    _("Choose a status for every participant (%(n)d left).") % {"n": len(missing)}
                )
            counts = {}

            def write():
                counts.update(services.attendance_take(session=session, marks=posted, by=request.user))
                return session, reverse("trainings:attendance_take", args=[session.pk])

            outcome = submit_once(
                key=offline_forms.sending_key(request), by=request.user, kind="attendance", write=write
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            if outcome.repeated:
                messages.info(
                    request, _("This attendance sheet had already been received; it was not saved twice.")
                )
            else:
                messages.success(
                    request,
                    _(
                        "Attendance saved: %(created)d recorded, %(changed)d corrected, %(unchanged)d unchanged."
                    )
                    % counts,
                )
            if offline_forms.wants_json(request):
                return offline_forms.done(outcome.redirect, repeated=outcome.repeated)
            return redirect(outcome.redirect)
    if errors and offline_forms.wants_json(request):
        return offline_forms.refused({"__all__": errors})
    sheet = [(e, posted.get(e.pk, status)) for e, status in selectors.attendance_sheet(session)]
    marked = Counter(status for _e, status in sheet)
    tally = [(value, label, marked[value]) for value, label in Attendance.Status.choices]
    tally.append(("", _("Not marked"), marked[""]))
    groups = [
        {"organization": org, "rows": list(rows)}
        for org, rows in groupby(sheet, key=lambda row: row[0].participant.organization)
    ]
    response = render(
        request,
        "trainings/staff/attendance_take.html",
        {
            "session": session,
            "sheet": sheet,
            "groups": groups,
            "tally": tally,
            "statuses": Attendance.Status.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )
    return offline_forms.offline_page(response, request)  # a sheet may be taken without a connection


@staff_view("trainings.review_submission")
@require_GET
def review_queue(request):
    return render(request, "trainings/staff/review_queue.html", {"submissions": selectors.review_queue()})


@staff_view("trainings.review_submission")
@require_http_methods(["GET", "POST"])
def submission_review(request, pk):
    submission = selectors.submission_for_staff(pk)
    if submission is None:
        raise Http404
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_review(
                submission=submission,
                accept=form.cleaned_data["decision"] == Submission.Status.ACCEPTED,
                feedback=form.cleaned_data["feedback"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The review was saved; the organization sees it in its portal."))
            return redirect("trainings:review_queue")
    return render(request, "trainings/staff/submission_review.html", {"submission": submission, "form": form})


def _file_response(submission) -> FileResponse:
    if not submission.file:
        raise Http404
    name = submission.file.name.rsplit("/", 1)[-1]
    response = FileResponse(submission.file.open("rb"), as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view("trainings.review_submission")
@require_GET
def submission_file(request, pk):
    submission = selectors.submission_for_staff(pk)
    if submission is None:
        raise Http404
    return _file_response(submission)


@staff_view("trainings.log_mentoring")
@require_GET
def overdue_actions(request):
    return render(
        request,
        "trainings/staff/overdue_actions.html",
        {"actions": selectors.overdue_actions(), "today": timezone.localdate()},
    )


@staff_view("trainings.log_mentoring")
@require_POST
def action_done(request, pk):
    action = get_object_or_404(AgreedAction, pk=pk)
    services.agreed_action_complete(action=action, by=request.user)
    messages.success(request, _("The action was marked as done."))
    return redirect("trainings:overdue_actions")


# Portal --------------------------------------------------------------------------------------------


@portal_view("trainings.view_org_training")
@require_GET
def portal_overview(request):
    org = request.organization
    return render(
        request,
        "trainings/portal/overview.html",
        {
            "org": org,
            "tab": "overview",
            "rows": selectors.org_enrolments_progress(org),
            "attendance": selectors.org_attendance(org),
        },
    )


@portal_view("trainings.view_org_training")
@require_GET
def portal_exercises(request):
    org = request.organization
    return render(
        request,
        "trainings/portal/exercises.html",
        {
            "org": org,
            "tab": "exercises",
            "exercises": selectors.org_exercises(org),
            "can_submit": request.user.has_perm("trainings.submit_exercise", org),
        },
    )


@portal_view("trainings.view_org_training")
@require_http_methods(["GET", "POST"])
def portal_exercise(request, pk):
    org = request.organization
    exercise = selectors.org_exercise(org, pk)
    if exercise is None:
        raise Http404
    can_submit = request.user.has_perm("trainings.submit_exercise", org)
    form = SubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_submit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.submission_submit(
                    exercise=exercise,
                    organization=org,
                    file=form.cleaned_data["file"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your submission was uploaded; a trainer will review it."))
                return redirect("trainings:portal_exercise", org_slug=org.slug, pk=exercise.pk)
    submission = exercise.submission
    return render(
        request,
        "trainings/portal/exercise.html",
        {
            "org": org,
            "tab": "exercises",
            "exercise": exercise,
            "submission": submission,
            "form": form,
            "can_submit": can_submit
            and (submission is None or submission.status != Submission.Status.ACCEPTED),
        },
        status=400 if request.method == "POST" else 200,
    )


@portal_view("trainings.view_org_training")
@require_GET
def portal_submission_file(request, pk):
    exercise = selectors.org_exercise(request.organization, pk)
    if exercise is None or exercise.submission is None:
        raise Http404
    return _file_response(exercise.submission)


@portal_view("trainings.view_org_training")
@require_GET
def portal_mentoring(request):
    from .mentoring_views import portal_mentoring_context  # noqa: PLC0415

    return render(request, "trainings/portal/mentoring.html", portal_mentoring_context(request))


@portal_view("trainings.view_org_training")
@require_GET
def portal_capacity(request):
    org = request.organization
    growth = selectors.capacity_growth(organization=org)
    return render(
        request,
        "trainings/portal/capacity.html",
        {
            "org": org,
            "tab": "capacity",
            "assessments": selectors.org_assessments(org),
            "sheet": selectors.capacity_sheet(org),
            "can_self_assess": request.user.has_perm("trainings.self_assess", org),
            "growth": growth,
            "chart": _capacity_chart(growth, _("Capacity per dimension, baseline and latest follow-up")),
        },
    )
