"""The proposal wizard in the portal: one page per step; the row steps (activities and timeline, budget,
indicators) add and remove rows in place (htmx, or a plain post without JavaScript) and are saved at once;
the budget step shows a running total by category; every step says what the proposal still lacks."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from empowerment.forms import add_service_errors
from organizations.portal import portal_view

from . import selectors, services, wizard_rows, wizard_services
from .forms import MAX_ROWS, STEP_FORMSETS, BasicsForm, NeedsStepForm, ProblemForm
from .models import Project

EDIT = "projects.edit_org_projects"


def _steps():
    return [
        ("basics", _("Basics")),
        ("needs", _("Needs")),
        ("problem", _("Problem and objectives")),
        ("activities", _("Activities and timeline")),
        ("budget", _("Budget")),
        ("indicators", _("Indicators")),
        ("review", _("Review and submit")),
    ]


def _next_step(step):
    keys = [k for k, _label in _steps()]
    i = keys.index(step)
    return keys[min(i + 1, len(keys) - 1)]


ROW_TITLES = {
    "activities": (_("Activities"), _("Add an activity"), _("Activity")),
    "milestones": (_("Milestones"), _("Add a milestone"), _("Milestone")),
    "budget": (_("Budget lines"), _("Add a budget line"), _("Budget line")),
    "indicators": (_("Indicators"), _("Add an indicator"), _("Indicator")),
}


def _row_titles(kind):
    heading, add, row = ROW_TITLES[kind]
    return {"heading": str(heading), "add": str(add), "row": str(row)}


def _editable_project(request, pk) -> Project:
    project = selectors.project_for_portal(request.organization, pk)
    if project is None:
        raise Http404
    return project


@portal_view(EDIT)
@require_http_methods(["GET", "POST"])
def project_new(request):
    form = BasicsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                organization=request.organization, by=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("projects:wizard", request.organization.slug, project.pk, "needs")
    return render(
        request,
        "projects/wizard.html",
        {"org": request.organization, "form": form, "step": "basics", "steps": _steps(), "project": None},
    )


def _save_rows(request, project, step, formsets) -> None:
    if step == "activities":
        milestones = formsets["milestones"]
        wizard_services.project_activities_save(
            project=project,
            by=request.user,
            activities=formsets["activities"],
            milestones=milestones if milestones.is_bound else None,
        )
    else:
        services.project_items_save(project=project, by=request.user, formset=formsets[step])


@portal_view(EDIT)
@require_http_methods(["GET", "POST"])
def wizard(request, pk, step):
    project = _editable_project(request, pk)
    if step == "milestones":  # the timeline shares the activities' page (milestones name its activities)
        url = reverse("projects:wizard", args=[request.organization.slug, project.pk, "activities"])
        return redirect(f"{url}#rows-milestones")
    if step not in dict(_steps()):
        raise Http404
    if not project.is_editable:
        messages.info(request, _("This proposal is no longer a draft and cannot be changed."))
        return redirect("projects:portal_detail", request.organization.slug, project.pk)
    data = request.POST if request.method == "POST" else None
    form = None
    formsets = {}
    if step == "basics":
        form = BasicsForm(data, instance=project)
    elif step == "needs":
        form = NeedsStepForm(
            data,
            needs_queryset=selectors.chosen_needs_for_organization(request.organization),
            initial={"needs": list(project.needs.all())},
        )
    elif step == "problem":
        form = ProblemForm(data, instance=project)
    elif step in wizard_rows.ROW_STEPS:
        adding = request.POST.get("add_row") if data is not None else None
        if adding in wizard_rows.ROW_STEPS[step]:
            # Without JavaScript, "add a row" posts the page: shown again with one more row, nothing saved.
            data = wizard_rows.with_added_row(request.POST, adding)
            formsets = wizard_rows.step_formsets(project, step, data)
            return _render(request, project, step, form, formsets)
        formsets = wizard_rows.step_formsets(project, step, data)
    if request.method == "POST":
        try:
            if form is not None:
                ok = form.is_valid()
                if ok and step == "needs":
                    services.project_update(
                        project=project, by=request.user, data={}, needs=list(form.cleaned_data["needs"])
                    )
                elif ok:
                    services.project_update(
                        project=project,
                        by=request.user,
                        data={f: form.cleaned_data[f] for f in form.Meta.fields},
                    )
            elif formsets:
                ok = all([fs.is_valid() for fs in formsets.values() if fs.is_bound])
                if ok:
                    _save_rows(request, project, step, formsets)
            else:
                ok = step == "review"
        except ValidationError as exc:
            ok = False
            if form is not None:
                add_service_errors(form, exc)
            else:
                for message in exc.messages:
                    messages.error(request, message)
        if ok:
            messages.success(request, _("The draft was saved."))
            if "stay" in request.POST:
                return redirect("projects:wizard", request.organization.slug, project.pk, step)
            return redirect("projects:wizard", request.organization.slug, project.pk, _next_step(step))
    return _render(request, project, step, form, formsets)


def _render(request, project, step, form, formsets):
    context = {
        "org": request.organization,
        "project": project,
        "form": form,
        "rows": [(kind, fs, _row_titles(kind)) for kind, fs in formsets.items()],
        "step": step,
        "steps": _steps(),
        "problems": services.proposal_problems(project),
        "max_rows": MAX_ROWS,
    }
    if step == "budget":
        context["totals"] = wizard_rows.budget_totals(formsets["budget"])
    if step == "review":
        context.update(selectors.project_plan(project))
    return render(request, "projects/wizard.html", context)


@portal_view(EDIT)
@require_GET
def wizard_row(request, pk, kind):
    """One empty row of a row step (htmx: appended in place), and the formset's row count raised by one
    (an out-of-band swap of its TOTAL_FORMS). Nothing is saved."""
    project = _editable_project(request, pk)
    if kind not in wizard_rows.ROW_KINDS:
        raise Http404
    if not project.is_editable:
        return HttpResponseBadRequest(_("This proposal is no longer a draft and cannot be changed."))
    try:
        index = int(request.GET.get(f"{kind}-TOTAL_FORMS", ""))
    except ValueError:
        return HttpResponseBadRequest(_("The number of rows is missing."))
    if index < 0:
        return HttpResponseBadRequest(_("The number of rows is missing."))
    context = {"org": request.organization, "project": project, "kind": kind, "titles": _row_titles(kind)}
    if index >= MAX_ROWS:
        return render(request, "projects/_wizard_row_limit.html", {**context, "max_rows": MAX_ROWS})
    form_kwargs = {}
    if kind == "milestones":  # the saved activities; the page adds those entered and not saved yet
        form_kwargs["activity_choices"] = [(str(a.pk), a.title) for a in project.activities.all()]
    formset = STEP_FORMSETS[kind](instance=project, prefix=kind, form_kwargs=form_kwargs)
    form = formset.empty_form
    form.prefix = formset.add_prefix(index)
    return render(
        request, "projects/_wizard_row.html", {**context, "form": form, "index": index, "oob": True}
    )


@portal_view(EDIT)
@require_POST
def wizard_budget_total(request, pk):
    """The running budget total by category of the budget rows as posted (htmx, as amounts are typed)."""
    project = _editable_project(request, pk)
    formset = STEP_FORMSETS["budget"](request.POST, instance=project, prefix="budget")
    return render(
        request,
        "projects/_wizard_budget_figures.html",
        {"org": request.organization, "project": project, "totals": wizard_rows.budget_totals(formset)},
    )
