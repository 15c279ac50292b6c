"""Organization URLs: public application, invitations, the portal."""

from . import Entry, expect


def setup(fx):
    from organizations.models import Invitation, Membership

    fx.invitation = Invitation.objects.create(organization=fx.org_a, email="new@example.org", role="viewer")
    fx.viewer_membership = Membership.objects.get(organization=fx.org_a, user=fx.people["a_viewer"])
    from django.core.files.base import ContentFile

    from organizations.models import DueDiligenceDocument

    fx.organizations_document = DueDiligenceDocument(organization=fx.org_a, kind="charter", title="Charter")
    fx.organizations_document.file.save("charter.pdf", ContentFile(b"%PDF-1.4 matrix"), save=False)
    fx.organizations_document.save()
    from organizations.models import Partner, VolunteerTeam

    fx.organizations_partner = Partner.objects.create(name="Matrix partner", kind="enterprise")
    fx.organizations_partner.organizations.add(fx.org_a)
    fx.organizations_team = VolunteerTeam.objects.create(organization=fx.org_a, name="Matrix team")


PORTAL_READ = expect(404, anonymous=302, members_a=200, staff=200)
STAFF_REVIEW = expect(
    404, anonymous=302, programme_officer=200, administrator=200, finance_officer=403, trainer=403
)
EDITORS_POST_EMPTY = expect(404, anonymous=302, a_admin=200, a_editor=200, a_viewer=403, staff=403)
A_ADMIN_ONLY_POST = expect(404, anonymous=302, a_admin=302, a_editor=403, a_viewer=403, staff=403)

ENTRIES = {
    "organizations:apply": Entry(expect(200)),
    "organizations:apply_thanks": Entry(expect(200)),
    "organizations:invitation_accept": Entry(expect(200), kwargs=lambda fx: {"token": fx.invitation.token}),
    # One organization: straight to it; staff without memberships: to the staff pages.
    "organizations:portal_home": Entry(expect(302)),
    "organizations:portal_dashboard": Entry(PORTAL_READ, kwargs=lambda fx: {"org_slug": fx.org_a.slug}),
    "organizations:profile_edit": Entry(
        expect(404, anonymous=302, a_admin=200, a_editor=200, a_viewer=403, staff=403),
        kwargs=lambda fx: {"org_slug": fx.org_a.slug},
    ),
    "organizations:profile_pdf": Entry(
        expect(404, anonymous=302, members_a=302, staff=302),
        method="post",
        kwargs=lambda fx: {"org_slug": fx.org_a.slug},
    ),
    "organizations:members": Entry(PORTAL_READ, kwargs=lambda fx: {"org_slug": fx.org_a.slug}),
    "organizations:member_role": Entry(
        A_ADMIN_ONLY_POST,
        method="post",
        kwargs=lambda fx: {"org_slug": fx.org_a.slug, "pk": fx.viewer_membership.pk},
        data=lambda fx: {"role": "viewer"},
    ),
    "organizations:member_remove": Entry(
        skip="removes the member; tested in tests/organizations/test_portal.py for each role"
    ),
    "organizations:invitation_revoke": Entry(
        A_ADMIN_ONLY_POST,
        method="post",
        kwargs=lambda fx: {"org_slug": fx.org_a.slug, "pk": fx.invitation.pk},
    ),
    "organizations:due_diligence_download": Entry(
        expect(404, anonymous=302), kwargs=lambda fx: {"org_slug": fx.org_a.slug, "pk": 999999}
    ),
    "organizations:documents": Entry(PORTAL_READ, kwargs=lambda fx: {"org_slug": fx.org_a.slug}),
    # Uploads (POST) per role: tests/organizations/test_due_diligence.py.
    "organizations:partners": Entry(PORTAL_READ, kwargs=lambda fx: {"org_slug": fx.org_a.slug}),
    "organizations:volunteers": Entry(PORTAL_READ, kwargs=lambda fx: {"org_slug": fx.org_a.slug}),
    "organizations:volunteer_team": Entry(
        PORTAL_READ, kwargs=lambda fx: {"org_slug": fx.org_a.slug, "pk": fx.organizations_team.pk}
    ),
    # Writes posted empty: admins and editors get the form back with its errors (200), viewers and staff 403.
    "organizations:resource_add": Entry(
        EDITORS_POST_EMPTY, method="post", kwargs=lambda fx: {"org_slug": fx.org_a.slug}
    ),
    "organizations:volunteer_hours": Entry(
        EDITORS_POST_EMPTY,
        method="post",
        kwargs=lambda fx: {"org_slug": fx.org_a.slug, "pk": fx.organizations_team.pk},
    ),
    # Changing a record: admins and editors get the page; viewers and staff 403; others 404.
    "organizations:record_edit": Entry(
        EDITORS_POST_EMPTY,
        kwargs=lambda fx: {"org_slug": fx.org_a.slug, "kind": "team", "pk": fx.organizations_team.pk},
    ),
    "organizations:record_delete": Entry(
        skip="deletes the record; tested per role in tests/organizations/test_records_changes.py"
    ),
    # Unlinking changes the data; tested per role in tests/organizations/test_partners_volunteers.py.
    "organizations:partner_unlink": Entry(
        skip="unlinks the partner; tested per role in test_partners_volunteers.py"
    ),
    "organizations:staff_documents": Entry(STAFF_REVIEW),
    "organizations:staff_document": Entry(
        STAFF_REVIEW, kwargs=lambda fx: {"pk": fx.organizations_document.pk}
    ),
    "organizations:logo": Entry(expect(404), kwargs=lambda fx: {"org_slug": fx.org_a.slug}),  # no logo yet
}
