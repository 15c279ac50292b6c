"""Joining an organization from an invitation link: sign up, or accept when signed in; and every way a
link can be unusable."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from empowerment.models import User
from organizations import services
from organizations.models import Invitation, Membership, Role
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Steppe-wind-2024!"


@pytest.fixture
def invitation(org_a, people):
    return services.invitation_create(
        organization=org_a, email="New.Person@Example.org", role=Role.EDITOR, invited_by=people["a_admin"]
    )


def _url(invitation):
    return f"/invitations/{invitation.token}/"


def _signup(client, invitation, **extra):
    data = {"full_name": "新成员 刘洋", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **extra}
    return client.post(_url(invitation), data)


def test_a_new_person_signs_up_from_the_link_and_lands_in_the_portal(client, invitation, org_a):
    assert "Create your account for new.person@example.org" in client.get(_url(invitation)).content.decode()
    response = _signup(client, invitation)
    assert response.status_code == 302
    assert response["Location"] == f"/o/{org_a.slug}/"

    user = User.objects.get(email="new.person@example.org")
    assert user.full_name == "新成员 刘洋"
    assert user.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=user).verified  # the link proved the address
    assert Membership.objects.get(organization=org_a, user=user).role == Role.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    assert int(client.session["_auth_user_id"]) == user.pk  # signed in

    dashboard = client.get(response["Location"])
    assert dashboard.status_code == 200
    assert "Welcome to Org A" in dashboard.content.decode()  # the organization's English name, in English


def test_two_different_passwords_or_a_weak_one_get_field_errors_and_no_account(client, invitation):
    response = _signup(client, invitation, password2="something-else-entirely")
    assert "The two passwords differ." in response.context["form"].errors["password2"]
    response = _signup(client, invitation, password1="123", password2="123")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.filter(email="new.person@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_signed_in_person_accepts_with_one_click(client, invitation, org_a):
    user = UserFactory(email="new.person@example.org")
    client.force_login(user)
    assert "Accept the invitation" in client.get(_url(invitation)).content.decode()
    response = client.post(_url(invitation))
    assert response.status_code == 302 and response["Location"] == f"/o/{org_a.slug}/"
    assert Membership.objects.get(organization=org_a, user=user).role == Role.EDITOR


def test_a_person_with_an_account_who_is_not_signed_in_is_asked_to_sign_in(client, invitation):
    UserFactory(email="new.person@example.org")
    response = client.get(_url(invitation))
    assert "Sign in to accept the invitation" in response.content.decode()
    assert f"/accounts/login/?next={_url(invitation)}" in response.content.decode()
    response = _signup(client, invitation)  # a forged sign-up for the existing address
    assert User.objects.filter(email__iexact="new.person@example.org").count() == 1
    assert not Membership.objects.filter(user__email="new.person@example.org").exists()


def test_an_invitation_for_another_address_is_refused_to_a_signed_in_person(
    client, invitation, people, org_a
):
    intruder = people["b_admin"]
    client.force_login(intruder)
    response = client.post(_url(invitation))
    assert response.status_code == 200
    assert "This invitation was sent to new.person@example.org" in response.content.decode()
    assert not Membership.objects.filter(organization=org_a, user=intruder).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (lambda inv: setattr(inv, "expires_at", timezone.now() - timedelta(minutes=1)), "has expired"),
        (lambda inv: setattr(inv, "accepted_at", timezone.now()), "already been used"),
        (lambda inv: setattr(inv, "revoked_at", timezone.now()), "was withdrawn"),
    ],
    ids=["expired", "used", "revoked"],
)
def test_an_unusable_link_says_why_and_creates_nothing(client, invitation, org_a, spoil, reason):
    spoil(invitation)
    invitation.save()
    members_before = org_a.memberships.count()

    response = client.get(_url(invitation))
    assert response.status_code == 410
    assert reason in response.content.decode()
    response = _signup(client, invitation)
    assert response.status_code == 410
    assert not User.objects.filter(email="new.person@example.org").exists()

    client.force_login(UserFactory(email="new.person@example.org"))
    assert client.post(_url(invitation)).status_code == 410
    assert org_a.memberships.count() == members_before


def test_a_used_link_cannot_be_used_a_second_time(client, invitation, org_a):
    _signup(client, invitation)
    client.logout()
    response = client.get(_url(invitation))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_an_unknown_token_is_not_found(client, db):
    assert client.get("/invitations/not-a-real-token/").status_code == 404


def test_a_new_invitation_to_the_same_address_replaces_the_open_one(invitation, org_a, people):
    second = services.invitation_create(
        organization=org_a, email="new.person@example.org", role=Role.VIEWER, invited_by=people["a_admin"]
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert list(Invitation.objects.filter(revoked_at__isnull=True)) == [second]
