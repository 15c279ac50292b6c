"""Who may do what to an organization and its records (see empowerment.authz)."""

import rules

from empowerment.authz import is_programme_officer, is_staff_member
from empowerment.querysets import compiled_once

from .models import Membership, Role


def member_role(user, organization) -> str | None:
    """The user's role in the organization, cached on the user object for the request."""
    if organization is None or not user.is_authenticated or not user.is_active:
        return None
    cache = getattr(user, "_org_roles", None)
    if cache is None:
        # Every signed-in portal request reads it: compiled once, and without the memberships' ordering
        # (by organization name and email: two joins and a sort for a mapping).
        cache = dict(compiled_once("member roles", _roles_of, user=user.pk))
        user._org_roles = cache
    org_id = organization if isinstance(organization, int) else organization.pk
    return cache.get(org_id)


def _roles_of(user: int):
    return Membership.objects.filter(user=user).order_by().values_list("organization_id", "role")


@rules.predicate
def is_org_member(user, organization) -> bool:
    return member_role(user, organization) is not None


@rules.predicate
def is_org_editor(user, organization) -> bool:
    return member_role(user, organization) in (Role.ADMIN, Role.EDITOR)


@rules.predicate
def is_org_admin(user, organization) -> bool:
    return member_role(user, organization) == Role.ADMIN


rules.add_perm("organizations.view_portal", is_org_member | is_staff_member)
rules.add_perm("organizations.change_profile", is_org_editor)
rules.add_perm("organizations.manage_members", is_org_admin)
rules.add_perm("organizations.request_profile_pdf", is_org_member | is_staff_member)
rules.add_perm("organizations.view_private_documents", is_org_member | is_staff_member)
rules.add_perm("organizations.review_application", is_programme_officer)

# Due diligence, partners and volunteers: members read, admins and editors write, programme officers verify.
rules.add_perm("organizations.edit_records", is_org_editor)
rules.add_perm("organizations.review_documents", is_programme_officer)
