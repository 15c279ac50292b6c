"""Expert mentors' staff screens (/staff/trainings/mentoring/...) and the portal's answers to agreed
actions. Thin: forms check the input, services write, selectors read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from empowerment import offline_forms
from empowerment.authz import staff_view
from empowerment.forms import add_service_errors
from empowerment.submissions import submit_once
from organizations.models import Organization
from organizations.portal import portal_view

from . import selectors, services
from .models import AgreedAction, MentorAssignment
from .staff_forms import ActionFormSet, MentorAssignForm, ReplyForm, VisitForm


def _mentored(request, org_pk):
    """The organization, if the user may mentor it: 404 when it does not exist, 403 when not theirs."""
    organization = selectors.mentored_organization(org_pk)
    if organization is None:
        raise Http404
    if not request.user.has_perm("trainings.mentor_organization", organization):
        raise PermissionDenied
    return organization


@staff_view("trainings.log_mentoring")
@require_GET
def mentor_home(request):
    return render(
        request,
        "trainings/staff/mentor_home.html",
        {"organizations": selectors.mentor_organizations(request.user)},
    )


@staff_view("trainings.log_mentoring")
@require_GET
def mentor_organization(request, org_pk):
    organization = _mentored(request, org_pk)
    return render(
        request,
        "trainings/staff/mentor_organization.html",
        {
            "org": organization,
            "visits": selectors.org_visits(organization),
            "mentors": selectors.organization_mentors(organization),
            "today": timezone.localdate(),
        },
    )


@staff_view("trainings.log_mentoring")
@require_http_methods(["GET", "POST"])
def visit_log(request, org_pk):
    organization = _mentored(request, org_pk)
    cohorts = selectors.org_cohorts(organization)
    form = VisitForm(request.POST or None, cohorts=cohorts)
    formset = ActionFormSet(request.POST or None, prefix="actions")
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            actions = [f.cleaned_data for f in formset if f.has_changed() and f.cleaned_data]

            def write():
                visit = services.mentoring_visit_record(
                    organization=organization,
                    by=request.user,
                    actions=actions,
                    **form.cleaned_data,
                )
                return visit, reverse("trainings:mentor_organization", args=[organization.pk])

            try:
                outcome = submit_once(
                    key=offline_forms.sending_key(request),
                    by=request.user,
                    kind="mentoring_visit",
                    write=write,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "actions" in exc.error_dict:
                    for error in exc.error_dict.pop("actions"):
                        form.add_error(None, error)
                add_service_errors(form, exc)
            else:
                if outcome.repeated:
                    messages.info(
                        request, _("This visit had already been received; it was not logged twice.")
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "The visit was logged with %(n)d agreed actions; the organization sees them in its portal."
                        )
                        % {"n": len(actions)},
                    )
                if offline_forms.wants_json(request):
                    return offline_forms.done(outcome.redirect, repeated=outcome.repeated)
                return redirect(outcome.redirect)
        if offline_forms.wants_json(request):
            return offline_forms.refused(offline_forms.form_errors(form, formset))
    response = render(
        request,
        "trainings/staff/visit_log.html",
        {"org": organization, "form": form, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )
    return offline_forms.offline_page(response, request)  # a visit may be logged without a connection


@staff_view("trainings.log_mentoring")
@require_GET
def mentor_actions(request):
    return render(
        request,
        "trainings/staff/mentor_actions.html",
        {"actions": selectors.mentor_open_actions(request.user), "today": timezone.localdate()},
    )


@staff_view("trainings.log_mentoring")
@require_POST
def action_close(request, pk):
    action = get_object_or_404(AgreedAction.objects.select_related("visit__organization"), pk=pk)
    try:
        services.agreed_action_close(action=action, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The action was closed."))
    if request.POST.get("back") == "organization":
        return redirect("trainings:mentor_organization", org_pk=action.visit.organization_id)
    return redirect("trainings:mentor_actions")


# Portal --------------------------------------------------------------------------------------------


def portal_mentoring_context(request, forms_by_action=None) -> dict:
    org = request.organization
    can_answer = request.user.has_perm("trainings.answer_action", org)
    open_actions = list(selectors.org_open_actions(org))
    forms_by_action = forms_by_action or {}
    if can_answer:
        for action in open_actions:
            action.reply_form = forms_by_action.get(
                action.pk, ReplyForm(initial={"reply": action.reply}, prefix=f"a{action.pk}")
            )
    return {
        "org": org,
        "tab": "mentoring",
        "visits": selectors.org_visits(org),
        "open_actions": open_actions,
        "can_answer": can_answer,
        "today": timezone.localdate(),
    }


@portal_view("trainings.answer_action")
@require_POST
def portal_action_answer(request, pk):
    org = request.organization
    action = selectors.org_action(org, pk)
    if action is None:
        raise Http404
    form = ReplyForm(request.POST, prefix=f"a{action.pk}")
    if form.is_valid():
        try:
            services.agreed_action_answer(
                action=action, organization=org, reply=form.cleaned_data["reply"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your answer was sent to the mentor."))
            return redirect("trainings:portal_mentoring", org_slug=org.slug)
    if action.done_at is not None:
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect("trainings:portal_mentoring", org_slug=org.slug)
    return render(
        request,
        "trainings/portal/mentoring.html",
        portal_mentoring_context(request, {action.pk: form}),
        status=400,
    )


@staff_view("trainings.assign_mentor")
@require_http_methods(["GET", "POST"])
def mentor_assignments(request):
    """Programme officers assign expert mentors to organizations, or end an assignment."""
    organizations = selectors.mentor_assignments()
    form = MentorAssignForm(
        request.POST if "assign" in request.POST else None,
        organizations=Organization.objects.order_by("name"),
        mentors=selectors.trainer_choices(),
    )
    if request.method == "POST" and "end" in request.POST:
        end = request.POST.get("end", "")
        assignment = get_object_or_404(MentorAssignment, pk=int(end) if end.isdigit() else 0)
        try:
            services.mentor_unassign(assignment=assignment, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The assignment was ended."))
        return redirect("trainings:mentor_assignments")
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_assign(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The mentor was assigned."))
            return redirect("trainings:mentor_assignments")
    return render(
        request,
        "trainings/staff/mentor_assignments.html",
        {"organizations": organizations, "form": form},
        status=400 if request.method == "POST" else 200,
    )
