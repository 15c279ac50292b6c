"""Public application form, invitation acceptance and the organization portal's own pages."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from empowerment.authz import is_staff_member
from empowerment.documents.services import document_request
from empowerment.forms import add_service_errors

from . import selectors, services
from .forms import ApplicationForm, InvitationForm, InvitationSignupForm, ProfileForm, RoleForm
from .models import Membership, Organization
from .portal import portal_view


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@require_http_methods(["GET", "POST"])
def apply(request):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "themes"}
        try:
            services.application_submit(
                data=data, themes=form.cleaned_data["themes"], base_url=_base_url(request)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("organizations:apply_thanks")
    return render(request, "organizations/apply.html", {"form": form})


@require_GET
def apply_thanks(request):
    return render(request, "organizations/apply_thanks.html")


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """Join an organization from an invitation link: sign up (new address), sign in (known address) or
    accept (signed in)."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404
    try:
        services.invitation_check(invitation)
    except ValidationError as exc:
        return render(
            request, "organizations/invitation_invalid.html", {"reason": exc.messages[0]}, status=410
        )

    from django.contrib.auth import get_user_model  # noqa: PLC0415

    has_account = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    if request.user.is_authenticated:
        error = None
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=request.user)
            except ValidationError as exc:
                error = exc.messages[0]
            else:
                messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.organization.name})
                return redirect("organizations:portal_dashboard", org_slug=invitation.organization.slug)
        return render(
            request, "organizations/invitation_accept.html", {"invitation": invitation, "error": error}
        )
    if has_account:
        return render(
            request,
            "organizations/invitation_login.html",
            {"invitation": invitation, "login_url": f"{reverse('account_login')}?next={request.path}"},
        )
    form = InvitationSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_signup(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            form.add_error("password1" if exc.error_list and "password" in str(exc).lower() else None, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.organization.name})
            return redirect("organizations:portal_dashboard", org_slug=invitation.organization.slug)
    return render(request, "organizations/invitation_signup.html", {"invitation": invitation, "form": form})


@login_required
@require_GET
def portal_home(request):
    organizations = list(selectors.organizations_for_user(request.user))
    if not organizations and is_staff_member(request.user):
        return redirect("staff_home")
    if len(organizations) == 1 and not request.GET.get("all"):
        return redirect("organizations:portal_dashboard", org_slug=organizations[0].slug)
    return render(request, "organizations/portal_home.html", {"organizations": organizations})


@portal_view()
@require_GET
def portal_dashboard(request):
    org = request.organization
    return render(
        request,
        "organizations/portal_dashboard.html",
        {"org": org, "portal_sections": _portal_sections(request)},
    )


def _portal_sections(request) -> list:
    """Links that other apps add to the portal dashboard (see each app's `portal_links`)."""
    from django.apps import apps  # noqa: PLC0415

    sections = []
    # The platform's own links (data export) come after the apps' work areas.
    configs = sorted(apps.get_app_configs(), key=lambda config: config.name == "empowerment")
    for config in configs:
        links = getattr(config, "portal_links", None)
        if links:
            sections.extend(links(request))
    return sections


@portal_view("organizations.change_profile")
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    org = request.organization
    form = ProfileForm(request.POST or None, request.FILES or None, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update_profile(
                organization=org,
                by=request.user,
                data=form.profile_data(),
                themes=form.cleaned_data["themes"],
                logo=form.cleaned_data.get("logo_upload"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("organizations:portal_dashboard", org_slug=org.slug)
    return render(request, "organizations/profile_edit.html", {"org": org, "form": form})


@portal_view("organizations.request_profile_pdf")
@require_POST
def profile_pdf_request(request):
    document = document_request(
        kind="organization_profile",
        subject=request.organization,
        language=get_language(),
        requested_by=request.user,
    )
    return redirect("document_detail", pk=document.pk)


@portal_view()
@require_http_methods(["GET", "POST"])
def members(request):
    org = request.organization
    can_manage = request.user.has_perm("organizations.manage_members", org)
    form = InvitationForm(request.POST or None, organization=org)
    if request.method == "POST":
        if not can_manage:
            from django.core.exceptions import PermissionDenied  # noqa: PLC0415

            raise PermissionDenied
        if form.is_valid():
            try:
                services.invitation_create(
                    organization=org,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    invited_by=request.user,
                    base_url=_base_url(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The invitation was sent to %(email)s.") % form.cleaned_data)
                return redirect("organizations:members", org_slug=org.slug)
    return render(
        request,
        "organizations/members.html",
        {
            "org": org,
            "members": selectors.organization_members(org),
            "invitations": selectors.organization_open_invitations(org) if can_manage else [],
            "form": form,
            "can_manage": can_manage,
            "roles": RoleForm.base_fields["role"].choices,
        },
    )


def _member(request, pk) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "organization"), pk=pk, organization=request.organization
    )


@portal_view("organizations.manage_members")
@require_POST
def member_role(request, pk):
    membership = _member(request, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        try:
            services.membership_change_role(
                membership=membership, role=form.cleaned_data["role"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The role of %(name)s was changed.") % {"name": membership.user})
    return redirect("organizations:members", org_slug=request.organization.slug)


@portal_view("organizations.manage_members")
@require_POST
def member_remove(request, pk):
    membership = _member(request, pk)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(name)s was removed from the organization.") % {"name": membership.user}
        )
        if membership.user_id == request.user.pk:
            return redirect("organizations:portal_home")
    return redirect("organizations:members", org_slug=request.organization.slug)


@portal_view("organizations.manage_members")
@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_404(request.organization.invitations, pk=pk)
    services.invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("organizations:members", org_slug=request.organization.slug)


@require_GET
def logo(request, org_slug):
    """An organization's logo: public for organizations in the programme, private for applicants."""
    org = get_object_or_404(Organization, slug=org_slug)
    visible = org.status in (Organization.Status.ACTIVE, Organization.Status.GRADUATED) or (
        request.user.is_authenticated and request.user.has_perm("organizations.view_portal", org)
    )
    if not visible or not org.logo:
        raise Http404
    response = FileResponse(
        org.logo.open("rb"), content_type="image/png" if org.logo.name.endswith(".png") else "image/jpeg"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@portal_view("organizations.view_private_documents")
@require_GET
def due_diligence_download(request, pk):
    doc = get_object_or_404(request.organization.documents, pk=pk)
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.file.name.rsplit("/", 1)[-1])
