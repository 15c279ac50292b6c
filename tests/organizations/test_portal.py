"""The organization portal: members and roles, the last administrator, and who may see or change what."""

import pytest
from django.core import mail

from organizations.models import Invitation, Membership, Role
from tests.factories.core import member

pytestmark = pytest.mark.django_db


def _membership(org, user) -> Membership:
    return Membership.objects.get(organization=org, user=user)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_an_admin_changes_a_members_role(client, people, org_a):
    client.force_login(people["a_admin"])
    viewer = _membership(org_a, people["a_viewer"])
    response = client.post(f"/o/{org_a.slug}/members/{viewer.pk}/role/", {"role": "editor"}, follow=True)
    assert response.status_code == 200
    viewer.refresh_from_db()
    assert viewer.role == Role.EDITOR
    assert any("was changed" in m for m in _messages(response))
    assert viewer.history.first().history_user == people["a_admin"]


def test_a_forged_role_is_refused_with_a_message(client, people, org_a):
    client.force_login(people["a_admin"])
    viewer = _membership(org_a, people["a_viewer"])
    response = client.post(f"/o/{org_a.slug}/members/{viewer.pk}/role/", {"role": "owner"}, follow=True)
    assert "Choose a valid role." in _messages(response)
    viewer.refresh_from_db()
    assert viewer.role == Role.VIEWER


def test_an_admin_removes_a_member(client, people, org_a):
    client.force_login(people["a_admin"])
    editor = _membership(org_a, people["a_editor"])
    response = client.post(f"/o/{org_a.slug}/members/{editor.pk}/remove/", follow=True)
    assert response.status_code == 200
    assert not Membership.objects.filter(pk=editor.pk).exists()
    assert any("was removed from the organization" in m for m in _messages(response))


def test_an_admin_invites_a_member_by_email(client, people, org_a, django_capture_on_commit_callbacks):
    client.force_login(people["a_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/o/{org_a.slug}/members/", {"email": "Volunteer@Example.org", "role": "viewer"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(organization=org_a)
    assert (invitation.email, invitation.role) == ("volunteer@example.org", Role.VIEWER)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["volunteer@example.org"]
    assert f"/invitations/{invitation.token}/" in mail.outbox[0].body
    page = client.get(f"/o/{org_a.slug}/members/").content.decode()
    assert "volunteer@example.org" in page  # listed among the pending invitations


def test_inviting_someone_who_is_already_a_member_gets_a_field_error(client, people, org_a):
    client.force_login(people["a_admin"])
    response = client.post(f"/o/{org_a.slug}/members/", {"email": people["a_viewer"].email, "role": "editor"})
    assert response.status_code == 200
    assert "already a member" in response.context["form"].errors["email"][0]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_admin_withdraws_an_invitation(client, people, org_a):
    invitation = Invitation.objects.create(organization=org_a, email="x@example.org", role="viewer")
    client.force_login(people["a_admin"])
    client.post(f"/o/{org_a.slug}/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert client.get(f"/invitations/{invitation.token}/").status_code == 410


def test_the_last_admin_cannot_be_demoted(client, people, org_a):
    client.force_login(people["a_admin"])
    admin = _membership(org_a, people["a_admin"])
    response = client.post(f"/o/{org_a.slug}/members/{admin.pk}/role/", {"role": "viewer"}, follow=True)
    assert any("at least one administrator" in m for m in _messages(response))
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    assert admin.history.count() == 1  # nothing was written


def test_the_last_admin_cannot_be_removed(client, people, org_a):
    client.force_login(people["a_admin"])
    admin = _membership(org_a, people["a_admin"])
    response = client.post(f"/o/{org_a.slug}/members/{admin.pk}/remove/", follow=True)
    assert any("at least one administrator" in m for m in _messages(response))
    assert Membership.objects.filter(pk=admin.pk, role=Role.ADMIN).exists()


def test_with_a_second_admin_the_first_may_step_down(client, people, org_a):
    client.force_login(people["a_admin"])
    second = _membership(org_a, people["a_editor"])
    client.post(f"/o/{org_a.slug}/members/{second.pk}/role/", {"role": "admin"})
    me = _membership(org_a, people["a_admin"])
    client.post(f"/o/{org_a.slug}/members/{me.pk}/role/", {"role": "editor"})
    me.refresh_from_db()
    second.refresh_from_db()
    assert (me.role, second.role) == (Role.EDITOR, Role.ADMIN)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("a_editor", 403),
        ("a_viewer", 403),
        ("b_admin", 404),
        ("programme_officer", 403),
        ("finance_officer", 403),
        ("trainer", 403),
        ("administrator", 403),
    ],
)
def test_only_an_admin_of_the_organization_may_remove_a_member(client, people, org_a, role, status):
    viewer = _membership(org_a, people["a_viewer"])
    if people[role]:
        client.force_login(people[role])
    response = client.post(f"/o/{org_a.slug}/members/{viewer.pk}/remove/")
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/")
    assert Membership.objects.filter(pk=viewer.pk).exists()


def test_a_membership_of_another_organization_is_not_found(client, people, org_a, org_b):
    client.force_login(people["b_admin"])
    viewer = _membership(org_a, people["a_viewer"])
    response = client.post(f"/o/{org_b.slug}/members/{viewer.pk}/role/", {"role": "admin"})
    assert response.status_code == 404
    viewer.refresh_from_db()
    assert viewer.role == Role.VIEWER


def test_a_viewer_cannot_edit_the_profile(client, people, org_a):
    client.force_login(people["a_viewer"])
    assert client.get(f"/o/{org_a.slug}/profile/").status_code == 403
    response = client.post(f"/o/{org_a.slug}/profile/", {"name": "Hijacked"})
    assert response.status_code == 403
    org_a.refresh_from_db()
    assert org_a.name_zh_hans == "甲社区服务中心"


def test_a_member_of_another_organization_gets_the_same_404_as_for_a_missing_one(client, people, org_a):
    client.force_login(people["b_admin"])
    for path in ["", "profile/", "members/"]:
        assert client.get(f"/o/{org_a.slug}/{path}").status_code == 404
        assert client.get(f"/o/no-such-org/{path}").status_code == 404


def test_a_person_with_one_organization_goes_straight_to_it_and_with_two_sees_a_list(
    client, people, org_a, org_b
):
    user = people["a_editor"]
    client.force_login(user)
    assert client.get("/o/")["Location"] == f"/o/{org_a.slug}/"
    Membership.objects.create(organization=org_b, user=user, role=Role.VIEWER)
    page = client.get("/o/").content.decode()
    assert org_a.name in page or org_a.name_en in page
    assert org_b.name in page or org_b.name_en in page


def test_the_members_page_lists_members_with_a_bounded_number_of_queries(
    client, people, org_a, django_assert_max_num_queries
):
    client.force_login(people["a_admin"])
    client.get(f"/o/{org_a.slug}/members/")
    for n in range(15):
        member(org_a, Role.VIEWER, email=f"extra{n}@example.org")
    with django_assert_max_num_queries(15):
        response = client.get(f"/o/{org_a.slug}/members/")
    assert response.content.decode().count("data-member=") == 18


def test_a_portal_request_reads_the_members_roles_once_from_the_membership_table_alone(
    client, people, org_a, org_b
):
    """Every signed-in portal request reads the user's roles: one statement, no join or sort (the memberships'
    ordering by organization name and email is for lists, not for a mapping), and a changed role shows at
    the next request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = people["a_viewer"]
    Membership.objects.create(organization=org_b, user=user, role=Role.EDITOR)
    client.force_login(user)
    client.get(f"/o/{org_a.slug}/")  # the read is compiled at the first request of a thread
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/o/{org_a.slug}/").status_code == 200
    reads = [q["sql"] for q in captured.captured_queries if "organizations_membership" in q["sql"]]
    assert len(reads) == 1
    assert "JOIN" not in reads[0] and "ORDER BY" not in reads[0]
    assert client.get(f"/o/{org_a.slug}/profile/").status_code == 403  # a viewer does not edit the profile
    Membership.objects.filter(organization=org_a, user=user).update(role=Role.EDITOR)
    assert client.get(f"/o/{org_a.slug}/profile/").status_code == 200
    assert client.get(f"/o/{org_b.slug}/profile/").status_code == 200  # an editor of the second one
