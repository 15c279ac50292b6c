"""Due-diligence documents: the organization's portal page (list, upload) and the staff screens (queue of
documents to verify, lapsed and expiring documents, verify or return one)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from empowerment.authz import staff_view
from empowerment.forms import add_service_errors

from . import diligence_services, selectors
from .portal import portal_view
from .records_forms import DocumentReturnForm, DocumentUploadForm


@portal_view("organizations.view_private_documents")
@require_http_methods(["GET", "POST"])
def documents(request):
    org = request.organization
    can_edit = request.user.has_perm("organizations.edit_records", org)
    form = DocumentUploadForm(request.POST or None, request.FILES or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            from django.core.exceptions import PermissionDenied  # noqa: PLC0415

            raise PermissionDenied
        if form.is_valid():
            try:
                diligence_services.due_diligence_upload(
                    organization=org, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The document was uploaded; staff will verify it."))
                return redirect("organizations:documents", org_slug=org.slug)
    return render(
        request,
        "organizations/documents.html",
        {
            "org": org,
            "documents": selectors.organization_documents(org),
            "form": form,
            "can_edit": can_edit,
            "today": timezone.localdate(),
        },
    )


@staff_view("organizations.review_documents")
@require_GET
def staff_documents(request):
    return render(
        request,
        "organizations/staff/documents.html",
        {
            "to_review": selectors.documents_to_review(),
            "lapsed": selectors.documents_lapsed(),
            "expiring": selectors.documents_expiring_soon(within_days=60),
        },
    )


@staff_view("organizations.review_documents")
@require_http_methods(["GET", "POST"])
def staff_document(request, pk):
    document = selectors.document_for_staff(pk)
    if request.method == "POST" and request.POST.get("action") == "verify":
        try:
            diligence_services.due_diligence_verify(document=document, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("organizations:staff_document", pk=document.pk)
        messages.success(request, _("The document was verified."))
        return redirect("organizations:staff_documents")
    form = DocumentReturnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            diligence_services.due_diligence_return(
                document=document,
                by=request.user,
                reason=form.cleaned_data["reason"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document was returned to the organization."))
            return redirect("organizations:staff_documents")
    return render(request, "organizations/staff/document.html", {"document": document, "form": form})
