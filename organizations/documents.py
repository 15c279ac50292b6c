"""The organization profile PDF, rendered by the shared pipeline."""

from django.utils.translation import gettext as _

from empowerment.documents.registry import DocumentKind, register


def _context(org, params):
    return {
        "org": org,
        "themes": list(org.themes.all()),
        "area_path": org.area.ancestors() + [org.area],
        "members": org.memberships.count(),
        "volunteer_teams": list(org.volunteer_teams.all()),
        "resources": list(org.partner_resources.select_related("partner")[:20]),
    }


def _can(user, org) -> bool:
    return user.has_perm("organizations.request_profile_pdf", org)


register(
    DocumentKind(
        name="organization_profile",
        template="organizations/pdf/profile.html",
        build_context=_context,
        title=lambda org, params: _("Organization profile: %(name)s") % {"name": org.name},
        can_request=_can,
        can_view=_can,
        filename=lambda org, params: f"profile-{org.slug}",
    )
)
