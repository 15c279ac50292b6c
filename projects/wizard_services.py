"""Writes of the proposal wizard's row steps: the activities and their milestones saved together, so that a
milestone may name an activity entered on the same page and not saved yet."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Activity, Project
from .services import _check_editable

NEW_PREFIX = "new-"


def _activity_for(reference: str, *, project: Project, activities, removing: set[int]) -> Activity | None:
    """The activity a milestone row names: "" (none), a saved activity's id, or "new-<row>" for a row of
    the activities formset saved a moment ago in the same transaction."""
    if not reference:
        return None
    if reference.startswith(NEW_PREFIX):
        index = int(reference.removeprefix(NEW_PREFIX))
        form = activities.forms[index] if index < len(activities.forms) else None
        if form is None or form in activities.deleted_forms or not form.instance.pk:
            return None
        return form.instance
    activity = Activity.objects.filter(project=project, pk=int(reference)).first()
    if activity is None or activity.pk in removing:
        return None
    return activity


@transaction.atomic
def project_activities_save(*, project: Project, by, activities, milestones=None) -> None:
    """Save the wizard's activity rows and, when posted with them, its milestone rows (validated formsets
    bound to this project). A milestone naming an activity that is being removed is refused and nothing is
    saved. History is written by each row's historical records."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _check_editable(project, by)
    if activities.instance.pk != project.pk or (
        milestones is not None and milestones.instance.pk != project.pk
    ):
        raise PermissionDenied
    removing = {form.instance.pk for form in activities.deleted_forms if form.instance.pk}
    kept_milestones = []
    if milestones is not None:
        kept_milestones = [
            form
            for form in milestones.forms
            if form not in milestones.deleted_forms and (form.instance.pk or form.has_changed())
        ]
        for form in kept_milestones:
            reference = form.cleaned_data.get("activity") or ""
            named_removed = reference.startswith(NEW_PREFIX) and (
                int(reference.removeprefix(NEW_PREFIX)) < len(activities.forms)
                and activities.forms[int(reference.removeprefix(NEW_PREFIX))] in activities.deleted_forms
            )
            if named_removed or (reference.isdigit() and int(reference) in removing):
                raise ValidationError(
                    _(
                        "The milestone “%(milestone)s” belongs to an activity you are removing: remove the "
                        "milestone too or choose another activity."
                    )
                    % {"milestone": form.cleaned_data.get("title", "")}
                )
        # Milestones first: an activity's removal takes its milestones with it (on_delete=CASCADE).
        for form in milestones.deleted_forms:
            if form.instance.pk:
                form.instance.delete()

    for obj in activities.save(commit=False):
        obj.project = project
        obj.full_clean()
        obj.save()
    for form in activities.deleted_forms:
        if form.instance.pk:
            form.instance.delete()

    for form in kept_milestones:
        milestone = form.instance
        reference = form.cleaned_data.get("activity") or ""
        activity = _activity_for(reference, project=project, activities=activities, removing=removing)
        if reference and activity is None:
            raise ValidationError(_("A milestone names an activity that is not part of this proposal."))
        if milestone.pk and not form.has_changed():
            continue
        milestone.project = project
        milestone.activity = activity
        milestone.full_clean()
        milestone.save()
