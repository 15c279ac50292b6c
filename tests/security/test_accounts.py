"""Accounts: login and password-reset rate limits, two-factor for privileged staff, removed members lose
access at once. (Session expiry: tests/security/test_security_headers.py.)"""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from organizations.models import Membership
from organizations.services import membership_remove
from tests.factories.core import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, email, password, ip="198.51.100.7"):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def _refused(response) -> bool:
    """allauth answers a rate-limited login with the form and this error, not logged in."""
    return response.status_code == 200 and "Too many failed login attempts" in response.content.decode()


def test_after_five_wrong_passwords_the_account_is_locked_for_a_while_even_with_the_right_one(client, people):
    for _ in range(5):
        assert _login(client, "a-admin@example.org", "wrong-password").status_code == 200
    assert _refused(_login(client, "a-admin@example.org", PASSWORD))
    # From another address too: the limit is also per account ("5/5m/key").
    assert _refused(_login(client, "a-admin@example.org", PASSWORD, ip="203.0.113.9"))
    assert "_auth_user_id" not in client.session
    # Another person is not affected.
    assert _login(client, "a-editor@example.org", PASSWORD, ip="203.0.113.9").status_code == 302


def test_failed_logins_from_one_address_are_limited_across_accounts(client, people):
    emails = [f"nobody{i}@example.org" for i in range(5)]
    for email in emails:
        assert _login(client, email, "wrong-password").status_code == 200
    assert _refused(_login(client, "a-viewer@example.org", PASSWORD))


def test_password_reset_requests_are_limited_per_address_and_send_at_most_three_mails(
    client, people, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("account_reset_password")
    with django_capture_on_commit_callbacks(execute=True):  # the mails leave after commit (empowerment.mail)
        codes = [
            client.post(url, {"email": "a-admin@example.org"}, REMOTE_ADDR=f"192.0.2.{i}").status_code
            for i in range(5)
        ]
    assert codes[:3] == [302, 302, 302]
    assert 429 in codes[3:]
    assert len(mailoutbox) == 3


@pytest.mark.parametrize("role", ["administrator", "finance_officer"])
def test_privileged_staff_without_two_factor_are_sent_to_set_it_up(client, people, settings, role):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = True
    client.force_login(people[role])
    for url in (reverse("admin:index"), reverse("staff_home"), "/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)
    Authenticator.objects.create(user=people[role], type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("role", ["programme_officer", "trainer", "a_admin"])
def test_other_people_are_not_forced_into_two_factor(client, people, settings, role):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = True
    client.force_login(people[role])
    assert client.get("/").status_code == 200


def test_a_removed_member_loses_access_on_the_next_request(client, people, org_a):
    viewer = people["a_viewer"]
    client.force_login(viewer)
    dashboard = reverse("organizations:portal_dashboard", args=[org_a.slug])
    assert client.get(dashboard).status_code == 200
    membership_remove(
        membership=Membership.objects.get(user=viewer, organization=org_a), by=people["a_admin"]
    )
    assert client.get(dashboard).status_code == 404  # same session, next request
    assert client.get(reverse("organizations:members", args=[org_a.slug])).status_code == 404


def test_a_deactivated_account_is_logged_out_on_the_next_request(client, people, org_a):
    user = people["a_editor"]
    client.force_login(user)
    dashboard = reverse("organizations:portal_dashboard", args=[org_a.slug])
    assert client.get(dashboard).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(dashboard).status_code == 302
