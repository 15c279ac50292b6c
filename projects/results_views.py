"""Staff pages of the results framework: rating an approved progress report, and the roll-up of the theme
indicators across projects. Thin: permission, form, one service or selector."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from empowerment.authz import staff_view

from . import selectors, services
from .forms import UpdateRatingForm
from .models import ProgressUpdate


@staff_view("projects.review_project")
@require_POST
def staff_update_rate(request, upk):
    """Record (or change) the rating of an approved report; errors go back as messages on its page."""
    update = get_object_or_404(ProgressUpdate.objects.select_related("project__organization"), pk=upk)
    form = UpdateRatingForm(request.POST)
    if form.is_valid():
        try:
            services.update_rate(
                update=update,
                by=request.user,
                score=form.cleaned_data["score"],
                feedback=form.cleaned_data["feedback"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The rating was recorded and the organization notified."))
            return redirect("projects:staff_update", update.pk)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("projects:staff_update", update.pk)


@staff_view("projects.view_staff_pages")
@require_GET
def staff_results(request):
    """Theme indicators added up across projects (every project staff may see, not only published ones)."""
    return render(
        request,
        "projects/staff_results.html",
        {"theme_results": selectors.theme_results(public_only=False)},
    )
