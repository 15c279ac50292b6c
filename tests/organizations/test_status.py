import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from organizations.models import Organization
from organizations.services import organization_set_status


@pytest.mark.django_db
def test_a_programme_officer_moves_an_organization_through_its_status_with_history(org_a, people):
    officer = people["programme_officer"]
    org = organization_set_status(
        organization=org_a, action="graduate", by=officer, reason="completed the cycle"
    )
    assert org.status == Organization.Status.GRADUATED
    latest = org.history.first()
    assert latest.history_user == officer
    assert latest.history_change_reason == "completed the cycle"
    assert organization_set_status(organization=org, action="suspend", by=officer).status == "suspended"
    assert organization_set_status(organization=org, action="activate", by=officer).status == "active"


@pytest.mark.django_db
def test_an_impossible_status_move_is_refused_and_nothing_changes(org_a, people):
    org_a.status = Organization.Status.APPLICANT
    org_a.save()
    with pytest.raises(ValidationError):
        organization_set_status(organization=org_a, action="graduate", by=people["programme_officer"])
    org_a.refresh_from_db()
    assert org_a.status == Organization.Status.APPLICANT


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["finance_officer", "trainer", "a_admin"])
def test_only_programme_officers_change_an_organization_status(org_a, people, role):
    with pytest.raises(PermissionDenied):
        organization_set_status(organization=org_a, action="suspend", by=people[role])
    org_a.refresh_from_db()
    assert org_a.status == Organization.Status.ACTIVE


@pytest.mark.django_db
def test_the_admin_changes_status_only_through_its_actions(org_a, people):
    client = Client()
    client.force_login(people["programme_officer"], backend="django.contrib.auth.backends.ModelBackend")
    change = client.get(reverse("admin:organizations_organization_change", args=[org_a.pk]))
    assert change.status_code == 200
    assert 'name="status"' not in change.content.decode()
    response = client.post(
        reverse("admin:organizations_organization_changelist"),
        {"action": "suspend", "_selected_action": [org_a.pk]},
        follow=True,
    )
    assert response.status_code == 200
    org_a.refresh_from_db()
    assert org_a.status == Organization.Status.SUSPENDED
