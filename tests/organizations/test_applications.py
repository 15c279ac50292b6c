"""The public application form and its review by a programme officer in the admin."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from organizations import services
from organizations.models import Invitation, Membership, Organization, ProgrammeApplication, Role
from tests.factories.core import OrganizationFactory

pytestmark = pytest.mark.django_db

APPLY = "/apply/"
CHANGELIST = "/admin/organizations/programmeapplication/"


def _submit(client, django_capture_on_commit_callbacks, data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(APPLY, data)


def _application(application_post, **changes) -> ProgrammeApplication:
    from organizations.models import Area, Theme

    data = {k: v for k, v in application_post.items() if k not in ("themes", "area")}
    data.update(area=Area.objects.get(pk=application_post["area"]), **changes)
    return services.application_submit(
        data=data, themes=Theme.objects.filter(pk__in=application_post["themes"])
    )


def test_a_valid_application_is_recorded_and_acknowledged_by_email(
    client, application_post, django_capture_on_commit_callbacks
):
    response = _submit(client, django_capture_on_commit_callbacks, application_post)
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:apply_thanks")
    application = ProgrammeApplication.objects.get()
    assert application.status == ProgrammeApplication.Status.SUBMITTED
    assert application.credit_code == "52150203MJ0000001C"
    assert [t.slug for t in application.themes.all()] == ["older-people"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wangfang@example.org"]
    assert Organization.objects.count() == 0  # nothing exists until a programme officer approves


def test_a_wrong_credit_code_gets_a_field_error_and_nothing_is_saved(
    client, application_post, django_capture_on_commit_callbacks
):
    response = _submit(
        client, django_capture_on_commit_callbacks, {**application_post, "credit_code": "52150203MJ0000001D"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["credit_code"]
    assert "check character does not match" in errors["credit_code"][0]
    assert ProgrammeApplication.objects.count() == 0
    assert mail.outbox == []


def test_a_credit_code_with_a_forbidden_letter_gets_a_field_error(client, application_post):
    response = client.post(APPLY, {**application_post, "credit_code": "52150203MJ0000001O"})
    assert response.status_code == 200
    assert "I, O, S, V and Z" in response.context["form"].errors["credit_code"][0]
    assert ProgrammeApplication.objects.count() == 0


def test_a_registered_organization_without_a_code_is_refused_but_an_unregistered_group_is_accepted(
    client, application_post, django_capture_on_commit_callbacks
):
    response = client.post(APPLY, {**application_post, "credit_code": ""})
    assert "must give its unified social credit code" in response.context["form"].errors["credit_code"][0]
    assert ProgrammeApplication.objects.count() == 0

    response = _submit(
        client,
        django_capture_on_commit_callbacks,
        {**application_post, "credit_code": "", "legal_form": "unregistered"},
    )
    assert response.status_code == 302
    assert ProgrammeApplication.objects.get().credit_code == ""


def test_the_name_or_code_of_an_organization_already_in_the_programme_gets_field_errors(
    client, application_post
):
    OrganizationFactory(name=application_post["name"], credit_code=application_post["credit_code"])
    response = client.post(APPLY, application_post)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "already takes part in the programme" in errors["name"][0]
    assert "unified social credit code already exists" in errors["credit_code"][0]
    assert ProgrammeApplication.objects.count() == 0
    assert mail.outbox == []


def test_forged_choices_get_field_errors_not_a_server_error(client, application_post):
    response = client.post(
        APPLY,
        {**application_post, "area": "999999", "legal_form": "company", "themes": ["x"], "staff_count": "-1"},
    )
    assert response.status_code == 200
    assert {"area", "legal_form", "themes", "staff_count"} <= set(response.context["form"].errors)
    assert ProgrammeApplication.objects.count() == 0


# Review in the admin -------------------------------------------------------------------------------


def _run_action(client, action, application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            CHANGELIST, {"action": action, "_selected_action": [application.pk], "index": "0"}, follow=True
        )


def test_a_programme_officer_approves_in_the_admin_which_creates_the_organization_and_invites_the_applicant(
    client, people, application_post, django_capture_on_commit_callbacks
):
    application = _application(application_post)
    mail.outbox.clear()
    officer = people["programme_officer"]
    client.force_login(officer)
    response = _run_action(client, "approve", application, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "was approved; an invitation was sent to wangfang@example.org" in response.content.decode()

    application.refresh_from_db()
    org = application.organization
    assert application.status == ProgrammeApplication.Status.APPROVED
    assert application.decided_by == officer
    assert org.name == application_post["name"]
    assert org.status == Organization.Status.ACTIVE
    assert org.credit_code == "52150203MJ0000001C"
    assert org.slug.startswith("bao-tou-shi")  # pinyin of the Chinese name
    assert list(org.themes.values_list("slug", flat=True)) == ["older-people"]

    invitation = Invitation.objects.get(organization=org)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "wangfang@example.org",
        Role.ADMIN,
        officer,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wangfang@example.org"]
    assert f"http://testserver/invitations/{invitation.token}/" in message.body
    assert org.history.count() == 1  # who created it is on record
    assert org.history.first().history_user == officer


def test_approving_twice_creates_nothing_more(
    client, people, application_post, django_capture_on_commit_callbacks
):
    application = _application(application_post)
    client.force_login(people["programme_officer"])
    _run_action(client, "approve", application, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    response = _run_action(client, "approve", application, django_capture_on_commit_callbacks)
    assert "already been decided" in response.content.decode()
    assert Organization.objects.filter(name_zh_hans=application_post["name"]).count() == 1
    assert Invitation.objects.filter(email="wangfang@example.org").count() == 1
    assert mail.outbox == []


def test_approval_is_refused_when_the_organization_joined_meanwhile(people, application_post):
    application = _application(application_post)
    OrganizationFactory(name=application_post["name"])
    with pytest.raises(Exception) as exc:
        services.application_approve(application=application, decided_by=people["programme_officer"])
    assert "already takes part" in str(exc.value)
    application.refresh_from_db()
    assert application.status == ProgrammeApplication.Status.SUBMITTED
    assert Invitation.objects.count() == 0


def test_a_programme_officer_rejects_and_the_applicant_is_told(
    client, people, application_post, django_capture_on_commit_callbacks
):
    application = _application(application_post)
    mail.outbox.clear()
    client.force_login(people["programme_officer"])
    response = _run_action(client, "reject", application, django_capture_on_commit_callbacks)
    assert "was rejected" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ProgrammeApplication.Status.REJECTED
    assert application.decision_note
    assert not Organization.objects.filter(name_zh_hans=application_post["name"]).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wangfang@example.org"]


@pytest.mark.parametrize("role", ["finance_officer", "trainer", "a_admin"])
def test_someone_who_is_not_a_programme_officer_cannot_approve(
    client, people, application_post, role, django_capture_on_commit_callbacks
):
    application = _application(application_post)
    mail.outbox.clear()
    with pytest.raises(PermissionDenied):
        services.application_approve(application=application, decided_by=people[role])
    client.force_login(people[role])
    _run_action(client, "approve", application, django_capture_on_commit_callbacks)
    application.refresh_from_db()
    assert application.status == ProgrammeApplication.Status.SUBMITTED
    assert not Organization.objects.filter(name_zh_hans=application_post["name"]).exists()
    assert Invitation.objects.count() == 0
    assert Membership.objects.filter(organization__name=application_post["name"]).count() == 0
    assert mail.outbox == []


def test_a_rejection_needs_a_reason(people, application_post):
    application = _application(application_post)
    with pytest.raises(Exception) as exc:
        services.application_reject(
            application=application, decided_by=people["programme_officer"], note="  "
        )
    assert "decision_note" in exc.value.message_dict
    application.refresh_from_db()
    assert application.status == ProgrammeApplication.Status.SUBMITTED
