"""Documents and public records people can trust: one verification code per document,
printed with its public address from SITE_URL; a reporting period that has ended; an application's answers
that stay private; a public directory of organizations that published a profile."""

import re
from datetime import timedelta

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from empowerment.documents.services import document_build_html, document_verification
from organizations import services as org_services
from organizations.models import Area, Organization, ProgrammeApplication, Theme
from projects import services
from projects.models import ProgressUpdate
from tests.factories.core import OrganizationFactory
from tests.factories.projects import ProjectFactory, UpdateFactory
from tests.trainings.test_pages import _complete
from trainings import services as training_services

pytestmark = pytest.mark.django_db

PUBLIC = "https://programme.example.org"
CODE = re.compile(r"\b[0-9A-Z]{2,}-?[0-9A-Z]{8,}\b")


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# One code per document, with its public address -----------------------------------------------------


@override_settings(SITE_URL=PUBLIC)
def test_a_certificate_pdf_carries_one_code_and_its_public_verification_address(
    cohort, wang, org_a, people, django_capture_on_commit_callbacks
):
    _complete(cohort, wang, org_a, people)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = training_services.certificate_issue(enrolment=wang, by=people["trainer"], language="en")
    document = certificate.document
    document.refresh_from_db()
    assert document.status == "ready", document.error
    text = "".join(page.extract_text() for page in pypdf.PdfReader(document.file.open("rb")).pages)
    flat = re.sub(r"\s+", "", text)
    assert certificate.verification_code in flat
    assert document.verification_code not in flat  # the PDF's own code is not printed beside it
    assert f"{PUBLIC}/verify/{certificate.verification_code}/" in flat
    assert "127.0.0.1" not in flat and "localhost" not in flat
    codes = {c for c in CODE.findall(text) if c != certificate.verification_code}
    assert not codes & {document.verification_code}
    # The printed address opens the certificate's verification page.
    page = Client().get(f"/verify/{certificate.verification_code}/")
    assert page.status_code == 200 and 'data-verify="valid"' in page.content.decode()


@override_settings(SITE_URL="https://transparency.example.cn/")
def test_any_other_document_prints_its_own_code_with_the_configured_address(org_a):
    from empowerment.documents.services import document_request

    document = document_request(kind="organization_profile", subject=org_a, language="en")
    code, url = document_verification(document)
    assert code == document.verification_code
    assert url == f"https://transparency.example.cn/verify/{document.verification_code}/"
    html = document_build_html(document)
    assert html.count(document.verification_code) >= 2  # header and page footer: the same code
    assert url in html and "127.0.0.1" not in html


def test_check_deploy_warns_when_site_url_is_a_development_address():
    from tests.test_deploy_settings import PRODUCTION, _manage

    result = _manage("check", "--deploy", env={**PRODUCTION, "SITE_URL": "http://127.0.0.1:8000"})
    assert "empowerment.W001" in result.stdout + result.stderr
    result = _manage("check", "--deploy", env=PRODUCTION)
    assert "empowerment.W001" not in result.stdout + result.stderr


# A reporting period that has ended --------------------------------------------------------------------


def _future_project(org):
    today = timezone.localdate()
    return ProjectFactory(
        organization=org,
        status="active",
        start_date=today - timedelta(days=60),
        end_date=today + timedelta(days=300),
    )


def test_a_draft_may_cover_a_future_period_but_it_is_not_submitted_until_the_period_ended(org_a, people):
    project = _future_project(org_a)
    today = timezone.localdate()
    update = services.update_save(
        project=project,
        by=people["a_editor"],
        data={
            "period_start": today - timedelta(days=5),
            "period_end": today + timedelta(days=25),
            "narrative": "x",
        },
        values={},
        people=[],
    )
    with pytest.raises(ValidationError) as exc:
        services.update_submit(update=update, by=people["a_editor"])
    assert list(exc.value.message_dict) == ["period_end"]
    update.refresh_from_db()
    assert update.status == "draft" and update.submitted_at is None
    services.update_save(
        project=project,
        by=people["a_editor"],
        update=update,
        data={"period_end": today},
        values={},
        people=[],
    )
    assert services.update_submit(update=update, by=people["a_editor"]).status == "submitted"


def test_submitting_a_future_period_from_the_form_is_refused_at_the_field_and_nothing_is_saved(org_a, people):
    project = _future_project(org_a)
    today = timezone.localdate()
    data = {
        "period_start": (today - timedelta(days=5)).isoformat(),
        "period_end": (today + timedelta(days=1)).isoformat(),
        "narrative": "Checked 30 residents.",
        "volunteer_hours": "3",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
        "submit": "1",
    }
    url = reverse("projects:update_new", args=[org_a.slug, project.pk])
    response = _client(people["a_editor"]).post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["period_end"] == [services.period_not_ended_message()]
    assert not ProgressUpdate.objects.exists()
    # The same period is kept as a draft, written ahead.
    response = _client(people["a_editor"]).post(url, {k: v for k, v in data.items() if k != "submit"})
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().status == "draft"


def test_a_submitted_update_whose_period_has_not_ended_is_not_approved(org_a, people):
    project = _future_project(org_a)
    today = timezone.localdate()
    update = UpdateFactory(
        project=project, status="submitted", period_start=today, period_end=today + timedelta(days=30)
    )
    with pytest.raises(ValidationError) as exc:
        services.update_review(update=update, by=people["programme_officer"], approve=True)
    assert "cannot be approved" in " ".join(exc.value.messages)
    update.refresh_from_db()
    assert update.status == "submitted" and update.reviewed_at is None
    services.update_review(
        update=update, by=people["programme_officer"], approve=False, comment="Wrong period"
    )
    update.refresh_from_db()
    assert update.status == "returned"


def test_a_period_outside_the_project_is_refused_when_submitted(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    update = UpdateFactory(project=project, status="draft", period_start=project.start_date)
    ProgressUpdate.objects.filter(pk=update.pk).update(period_end=project.end_date + timedelta(days=10))
    update.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.update_submit(update=update, by=people["a_editor"])
    assert list(exc.value.message_dict) == ["period_end"]
    assert ProgressUpdate.objects.get(pk=update.pk).status == "draft"


# Private answers, published profiles ------------------------------------------------------------------


@pytest.fixture
def approved(people):
    from tests.factories.core import community_area

    town = community_area().parent
    theme, _ = Theme.objects.get_or_create(slug="older-people", defaults={"name": "Older people"})
    application = org_services.application_submit(
        data={
            "name": "包头市昆都仑区阳光社会工作服务中心",
            "legal_form": "social_service",
            "credit_code": "52150203MJ0000001C",
            "registration_date": "2019-05-20",
            "area": Area.objects.get(pk=town.pk),
            "address": "少先路 12 号",
            "staff_count": 6,
            "volunteer_count": 40,
            "contact_name": "王芳",
            "contact_email": "wangfang@example.org",
            "contact_phone": "13800000000",
            "motivation": "我们的资金很紧张，希望得到培训。",
        },
        themes=Theme.objects.filter(pk=theme.pk),
    )
    return org_services.application_approve(application=application, decided_by=people["programme_officer"])


def test_the_application_answer_stays_private_and_the_new_organization_is_not_listed(approved):
    assert approved.description == ""
    assert ProgrammeApplication.objects.get(organization=approved).motivation  # kept for the staff
    listing = Client().get(reverse("transparency:organization_list"))
    assert listing.status_code == 200
    assert approved.name not in listing.content.decode()
    from transparency.selectors.open_data import open_organizations

    assert approved not in open_organizations()
    page = Client().get(reverse("transparency:organization_detail", args=[approved.slug]))
    assert "资金很紧张" not in page.content.decode()


def test_an_organization_is_listed_once_it_publishes_a_description(approved):
    Organization.objects.filter(pk=approved.pk).update(description="阳光中心为独居老人提供上门探访。")
    listing = Client().get(reverse("transparency:organization_list")).content.decode()
    assert approved.name in listing
    OrganizationFactory(name="无简介的社区组织", description="")
    listing = Client().get(reverse("transparency:organization_list")).content.decode()
    assert "无简介的社区组织" not in listing
