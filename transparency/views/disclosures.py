"""The disclosure calendar for staff and for organizations, publishing a disclosure for an obligation and
adding a dated correction note to a published one."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from empowerment.authz import is_programme_officer, is_staff_member
from organizations.portal import portal_view

from .. import disclosure_calendar, services
from ..forms import CorrectionForm, DisclosureForm
from ..models import Disclosure


def _staff_only(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_staff_member(request.user):
        raise Http404
    return None


def _summary(items) -> dict:
    counts = {"overdue": 0, "soon": 0, "due": 0, "upcoming": 0, "done": 0}
    for item in items:
        counts[item.state] += 1
    return counts


@require_GET
def staff_disclosures(request):
    if response := _staff_only(request):
        return response
    items = disclosure_calendar.obligations()
    return render(
        request,
        "transparency/disclosure_calendar.html",
        {
            "items": items,
            "counts": _summary(items),
            "can_write": is_programme_officer(request.user),
            "org": None,
        },
    )


@require_GET
@portal_view()
def portal_disclosures(request):
    org = request.organization
    items = disclosure_calendar.obligations(organization=org)
    return render(
        request,
        "transparency/portal_disclosures.html",
        {
            "org": org,
            "items": items,
            "counts": _summary(items),
            "can_write": request.user.has_perm("organizations.change_profile", org),
        },
    )


def _publish(request, item, *, back: str, org=None):
    form = DisclosureForm(request.POST or None)
    funds = disclosure_calendar.funds_for(
        project=item.project, campaign=item.campaign, start=item.period_start, end=item.period_end
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.disclosure_publish(
                kind=item.kind,
                period_start=item.period_start,
                period_end=item.period_end,
                due_on=item.due_on,
                narrative=form.cleaned_data["narrative"],
                leftover_explanation=form.cleaned_data["leftover_explanation"],
                project=item.project,
                campaign=item.campaign,
                by=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request, _("The disclosure is published. It can no longer be changed, only corrected.")
            )
            return redirect(back)
    return render(
        request,
        "transparency/disclosure_publish.html",
        {"item": item, "form": form, "funds": funds, "org": org, "back": back},
    )


@require_http_methods(["GET", "POST"])
def staff_disclosure_publish(request, key):
    if response := _staff_only(request):
        return response
    if not is_programme_officer(request.user):
        raise PermissionDenied
    item = disclosure_calendar.find(key)
    if item is None or item.state == "done":
        raise Http404
    if item.kind == Disclosure.Kind.ANNUAL:
        # The annual work report is assembled, written and published on its own pages.
        return redirect("transparency:workreport_staff_list")
    from django.urls import reverse  # noqa: PLC0415

    return _publish(request, item, back=reverse("transparency:staff_disclosures"))


@require_http_methods(["GET", "POST"])
@portal_view("organizations.change_profile")
def portal_disclosure_publish(request, key):
    org = request.organization
    item = disclosure_calendar.find(key, organization=org)
    if item is None or item.state == "done":
        raise Http404
    from django.urls import reverse  # noqa: PLC0415

    return _publish(request, item, back=reverse("transparency:portal_disclosures", args=[org.slug]), org=org)


def _correct(request, disclosure, back):
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.disclosure_correct(
                disclosure=disclosure, note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The correction note is published beside the disclosure."))
    else:
        messages.error(request, _("Write the correction."))
    return redirect(back)


@require_POST
def staff_disclosure_correct(request, pk):
    if response := _staff_only(request):
        return response
    disclosure = get_object_or_404(Disclosure, pk=pk, status=Disclosure.Status.PUBLISHED)
    if not is_programme_officer(request.user):
        raise PermissionDenied
    from django.urls import reverse  # noqa: PLC0415

    return _correct(request, disclosure, reverse("transparency:staff_disclosures"))


@require_POST
@portal_view("organizations.change_profile")
def portal_disclosure_correct(request, pk):
    org = request.organization
    disclosure = get_object_or_404(
        Disclosure, pk=pk, project__organization=org, status=Disclosure.Status.PUBLISHED
    )
    from django.urls import reverse  # noqa: PLC0415

    return _correct(request, disclosure, reverse("transparency:portal_disclosures", args=[org.slug]))
