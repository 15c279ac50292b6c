"""The annual work report (年度工作报告): staff assemble a year's draft, take its figures again, write each
section and publish it; the public reads the published reports (page and PDFs)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from empowerment.authz import staff_view
from empowerment.forms import LONG_TEXT
from empowerment.pagecache import public_page

from .. import workreport
from ..selectors import workreport as selectors
from ..workreport_models import EARLIEST_YEAR, LATEST_YEAR, WorkReportSection

VIEW = "transparency.view_work_report"
WRITE = workreport.WRITE


class AssembleForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR)


class SectionForm(forms.Form):
    narrative_zh = forms.CharField(
        label=gettext_lazy("Narrative in Chinese"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=LONG_TEXT,
    )
    narrative = forms.CharField(
        label=gettext_lazy("Narrative in English"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=LONG_TEXT,
    )


def _messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@require_http_methods(["GET", "POST"])
@staff_view(VIEW)
def staff_list(request):
    can_write = workreport.can_write(request.user)
    form = AssembleForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST":
        if not can_write:
            from django.core.exceptions import PermissionDenied  # noqa: PLC0415

            raise PermissionDenied
        if form.is_valid():
            try:
                report, created = workreport.work_report_assemble(
                    year=form.cleaned_data["year"], by=request.user
                )
            except ValidationError as exc:
                form.add_error("year" if hasattr(exc, "error_dict") else None, _messages_of(exc))
            else:
                if created:
                    messages.success(
                        request, _("The draft is assembled from the year's data. Write each section.")
                    )
                else:
                    messages.info(request, _("This year's report already exists: here it is."))
                return redirect("transparency:workreport_staff_detail", year=report.year)
    return render(
        request,
        "transparency/workreport/staff_list.html",
        {"reports": selectors.work_reports_for_staff(), "form": form, "can_write": can_write},
        status=400 if form.errors else 200,
    )


def _report_or_404(year: int):
    report = selectors.work_report_for_staff(year)
    if report is None:
        raise Http404
    return report


@require_GET
@staff_view(VIEW)
def staff_detail(request, year):
    report = _report_or_404(year)
    return render(
        request,
        "transparency/workreport/staff_detail.html",
        {
            "report": report,
            "sections": workreport.section_views(report),
            "can_write": workreport.can_write(request.user),
            "editable": workreport.can_write(request.user) and not report.is_published,
            "documents": selectors.work_report_documents(report),
            "due_on": workreport.annual_due_on(report.year),
            "statements_url": workreport.statements_url(),
        },
    )


@require_POST
@staff_view(WRITE)
def refresh(request, year):
    report = _report_or_404(year)
    try:
        workreport.work_report_refresh(report=report, by=request.user)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, _("The figures are taken again from the year's data."))
    return redirect("transparency:workreport_staff_detail", year=year)


@require_POST
@staff_view(WRITE)
def publish(request, year):
    report = _report_or_404(year)
    try:
        workreport.work_report_publish(report=report, by=request.user)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(
            request,
            _(
                "The report is published and recorded on the disclosure calendar. Its PDFs are being prepared."
            ),
        )
    return redirect("transparency:workreport_staff_detail", year=year)


@require_http_methods(["GET", "POST"])
@staff_view(WRITE)
def section_edit(request, year, key):
    report = _report_or_404(year)
    section = next((s for s in report.sections.all() if s.key == key), None)
    if section is None or key not in WorkReportSection.Key.values:
        raise Http404
    if report.is_published:
        messages.error(request, _messages_of(workreport._published_refusal(report)))
        return redirect("transparency:workreport_staff_detail", year=year)
    form = SectionForm(
        request.POST or None, initial={"narrative": section.narrative, "narrative_zh": section.narrative_zh}
    )
    if request.method == "POST" and form.is_valid():
        try:
            workreport.work_report_section_edit(section=section, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("The section is saved."))
            return redirect(f"{request.build_absolute_uri(report_url(year))}#section-{key}")
    view = next(v for v in workreport.section_views(report) if v.key == key)
    view.history = selectors.section_history(section)
    return render(
        request,
        "transparency/workreport/section_edit.html",
        {"report": report, "section": view, "form": form},
        status=400 if form.errors else 200,
    )


def report_url(year: int) -> str:
    from django.urls import reverse  # noqa: PLC0415

    return reverse("transparency:workreport_staff_detail", args=[year])


# Public ---------------------------------------------------------------------------------------------------


@public_page
@require_GET
def public_list(request):
    return render(
        request, "transparency/workreport/public_list.html", {"reports": selectors.published_work_reports()}
    )


@public_page
@require_GET
def public_detail(request, year):
    report = selectors.published_work_report(year)
    if report is None:
        raise Http404
    return render(
        request,
        "transparency/workreport/public_detail.html",
        {
            "report": report,
            "sections": workreport.section_views(report),
            "documents": selectors.work_report_documents(report),
            "corrections": list(report.disclosure.corrections.all()),
            "due_on": workreport.annual_due_on(report.year),
        },
    )
