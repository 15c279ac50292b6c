"""Staff correct a cohort participant's details and enrol a withdrawn participant again: services with their
refusals (nothing changed when refused), then the enrolment page per role."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories.trainings import CohortFactory, enrol
from trainings import services
from trainings.enrolment_services import enrolment_reenrol, participant_update

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def running(org_a):
    """A cohort that has not ended, with one participant of org A."""
    today = timezone.localdate()
    cohort = CohortFactory(starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=60))
    return enrol(cohort, org_a, "王芳")


def test_a_participants_details_are_corrected_with_history(running, people):
    participant = participant_update(
        participant=running.participant,
        by=people["trainer"],
        name=" 王芳芳 ",
        title="社工",
        phone="13800000000",
        email="wff@example.org",
    )
    participant.refresh_from_db()
    assert (participant.name, participant.title, participant.phone, participant.email) == (
        "王芳芳",
        "社工",
        "13800000000",
        "wff@example.org",
    )
    latest = participant.history.latest("history_date")
    assert latest.history_user == people["trainer"] and latest.name == "王芳芳"


def test_a_participants_details_refuse_an_empty_name_a_bad_email_and_a_finance_officer(running, people):
    before = running.participant.history.count()
    with pytest.raises(ValidationError) as empty:
        participant_update(participant=running.participant, by=people["trainer"], name="  ")
    assert "name" in empty.value.error_dict
    with pytest.raises(ValidationError):
        participant_update(
            participant=running.participant, by=people["trainer"], name="王芳", email="not-mail"
        )
    with pytest.raises(PermissionDenied):
        participant_update(participant=running.participant, by=people["finance_officer"], name="X")
    running.participant.refresh_from_db()
    assert running.participant.name == "王芳" and running.participant.history.count() == before


def test_a_withdrawn_participant_is_enrolled_again(running, people):
    services.enrolment_withdraw(enrolment=running, reason="Moved away", by=people["trainer"])
    enrolment = enrolment_reenrol(enrolment=running, by=people["trainer"])
    enrolment.refresh_from_db()
    assert enrolment.withdrawn_at is None and enrolment.withdrawn_reason == ""
    reasons = list(enrolment.history.order_by("history_date").values_list("withdrawn_reason", flat=True))
    assert reasons == ["", "Moved away", ""]


def test_enrolling_again_is_refused_when_enrolled_already_or_the_cohort_has_ended(running, people, org_a):
    with pytest.raises(ValidationError, match="already enrolled"):
        enrolment_reenrol(enrolment=running, by=people["trainer"])
    ended = enrol(CohortFactory(starts_on=date(2024, 1, 1), ends_on=date(2024, 6, 30)), org_a, "李强")
    services.enrolment_withdraw(enrolment=ended, reason="Ill", by=people["trainer"])
    with pytest.raises(ValidationError, match="ended on 2024-06-30"):
        enrolment_reenrol(enrolment=ended, by=people["trainer"])
    ended.refresh_from_db()
    assert ended.withdrawn_at is not None and ended.withdrawn_reason == "Ill"


def test_enrolling_again_is_refused_when_the_organization_left_the_cohort_or_for_a_finance_officer(
    running, people, org_a
):
    services.enrolment_withdraw(enrolment=running, reason="Moved away", by=people["trainer"])
    with pytest.raises(PermissionDenied):
        enrolment_reenrol(enrolment=running, by=people["finance_officer"])
    running.cohort.organizations.remove(org_a)
    with pytest.raises(ValidationError, match="does not take part"):
        enrolment_reenrol(enrolment=running, by=people["trainer"])
    running.refresh_from_db()
    assert running.withdrawn_at is not None


def test_the_enrolment_page_corrects_details_and_enrols_again(running, people):
    url = reverse("trainings:enrolment_change", args=[running.pk])
    client = _client(people["trainer"])
    bad = client.post(url, {"details": "1", "name": "", "email": "x"})
    assert bad.status_code == 400 and "This field is required." in bad.content.decode()
    ok = client.post(url, {"details": "1", "name": "王芳芳", "title": "", "phone": "", "email": ""})
    assert ok.status_code == 302
    running.participant.refresh_from_db()
    assert running.participant.name == "王芳芳"
    assert client.post(url, {"reenrol": "1"}).status_code == 302
    assert "already enrolled" in client.get(url).content.decode()
    services.enrolment_withdraw(enrolment=running, reason="Moved away", by=people["trainer"])
    page = client.get(url).content.decode()
    assert 'name="reenrol"' in page
    assert client.post(url, {"reenrol": "1"}).status_code == 302
    running.refresh_from_db()
    assert running.withdrawn_at is None


@pytest.mark.parametrize(("role", "status"), [("finance_officer", 403), ("a_admin", 404), ("anonymous", 302)])
def test_the_enrolment_page_refuses_who_does_not_run_trainings(running, people, role, status):
    client = _client(people[role]) if people[role] else Client()
    url = reverse("trainings:enrolment_change", args=[running.pk])
    assert client.post(url, {"details": "1", "name": "X"}).status_code == status
    running.participant.refresh_from_db()
    assert running.participant.name == "王芳"
