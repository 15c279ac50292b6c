"""Portal, staff and public pages of the projects app, through HTTP."""

import io
from decimal import Decimal

import pypdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from empowerment.documents.services import document_request
from projects.models import BudgetLine, IndicatorValue, PeopleReached, ProgressUpdate, Project, UpdatePhoto
from tests.factories.projects import (
    IndicatorFactory,
    ProjectFactory,
    UpdateFactory,
    complete_proposal,
    jpeg_bytes,
)

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_forged_approve_from_an_editor_is_refused_and_nothing_changes(org_a, people):
    project = complete_proposal(ProjectFactory(organization=org_a, status="submitted"))
    url = reverse("projects:portal_move", args=[org_a.slug, project.pk])
    response = _client(people["a_editor"]).post(url, {"action": "approve"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.status == "submitted" and not project.decisions.exists()
    # Nor through the staff URL: a member gets the same 404 as for a missing page.
    response = _client(people["a_editor"]).post(
        reverse("projects:staff_move", args=[project.pk]), {"action": "approve"}
    )
    assert response.status_code == 404
    project.refresh_from_db()
    assert project.status == "submitted"


def test_officer_returns_with_comment_shown_to_the_organization(org_a, people):
    project = complete_proposal(ProjectFactory(organization=org_a, status="submitted"))
    officer = _client(people["programme_officer"])
    response = officer.post(
        reverse("projects:staff_move", args=[project.pk]), {"action": "return", "comment": ""}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "submitted"  # a return needs a comment
    officer.post(
        reverse("projects:staff_move", args=[project.pk]),
        {"action": "return", "comment": "Add transport costs."},
    )
    project.refresh_from_db()
    assert project.status == "returned"
    page = _client(people["a_viewer"]).get(reverse("projects:portal_detail", args=[org_a.slug, project.pk]))
    assert "Add transport costs." in page.content.decode()


def test_budget_line_refuses_negative_and_three_decimal_amounts_at_the_field(org_a, people):
    project = ProjectFactory(organization=org_a)
    url = reverse("projects:wizard", args=[org_a.slug, project.pk, "budget"])
    client = _client(people["a_editor"])
    form = {
        "budget-TOTAL_FORMS": "2",
        "budget-INITIAL_FORMS": "0",
        "budget-0-category": "materials",
        "budget-0-description": "Monitors",
        "budget-0-amount": "-10",
        "budget-1-category": "venue",
        "budget-1-description": "Hall",
        "budget-1-amount": "12.345",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    text = response.content.decode()
    assert "more than zero" in text and "two decimal places" in text
    assert not BudgetLine.objects.exists()
    form.update({"budget-0-amount": "1,200.50", "budget-1-amount": "300"})
    assert client.post(url, form).status_code == 302
    assert sorted(BudgetLine.objects.values_list("amount", flat=True)) == [
        Decimal("300.00"),
        Decimal("1200.50"),
    ]


def test_wizard_saves_steps_of_a_draft_and_submits(org_a, people):
    client = _client(people["a_editor"])
    from tests.factories.core import community_area
    from tests.factories.projects import theme

    community = community_area()
    response = client.post(
        reverse("projects:project_new", args=[org_a.slug]),
        {
            "title_zh_hans": "长者健康监测",
            "theme": theme().pk,
            "community": community.pk,
            "summary_en": "Health checks",
            "start_date": "2025-01-01",
            "end_date": "2025-12-31",
            "reporting_frequency": "monthly",
        },
    )
    project = Project.objects.get()
    assert (
        response.status_code == 302
        and project.status == "draft"
        and project.slug == "zhang-zhe-jian-kang-jian-ce"
    )
    client.post(
        reverse("projects:wizard", args=[org_a.slug, project.pk, "problem"]),
        {"problem_statement": "P", "target_group": "T", "objectives": "O"},
    )
    project.refresh_from_db()
    assert project.problem_statement == "P"
    response = client.post(
        reverse("projects:portal_move", args=[org_a.slug, project.pk]), {"action": "submit"}
    )
    project.refresh_from_db()
    assert project.status == "draft"  # still lacks needs, activities, budget and indicators


def test_update_with_a_gps_tagged_photo_is_stored_without_exif(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    indicator = IndicatorFactory(project=project, value_type="count")
    original = jpeg_bytes(gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo does carry GPS
    url = reverse("projects:update_new", args=[org_a.slug, project.pk])
    data = {
        "period_start": "2025-01-01",
        "period_end": "2025-01-31",
        "narrative": "Checked 30 residents.",
        "volunteer_hours": "12.5",
        f"indicator_{indicator.pk}": "30",
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-0-sex": "female",
        "people-0-age_band": "80+",
        "people-0-special_group": "living_alone",
        "people-0-count": "12",
        "photo": SimpleUploadedFile("IMG_0001.jpg", original, content_type="image/jpeg"),
        "photo_caption": "Blood pressure checks",
        "submit": "1",
    }
    response = _client(people["a_editor"]).post(url, data)
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.status == "submitted"
    assert IndicatorValue.objects.get(update=update).value == Decimal("30.00")
    assert PeopleReached.objects.get(update=update).count == 12
    stored = update.photos.get().image.open("rb").read()
    image = Image.open(io.BytesIO(stored))
    exif = image.getexif()
    assert not exif.get_ifd(0x8825) and 0x0110 not in exif and b"PhoneCam" not in stored


def test_an_update_with_a_wrong_value_or_a_non_image_is_refused(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    indicator = IndicatorFactory(project=project, value_type="count")
    data = {
        "period_start": "2025-01-01",
        "period_end": "2026-02-01",
        "narrative": "x",
        "volunteer_hours": "0",
        f"indicator_{indicator.pk}": "many",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
        "photo": SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg"),
    }
    response = _client(people["a_editor"]).post(
        reverse("projects:update_new", args=[org_a.slug, project.pk]), data
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "not an image" in text and "Enter a number" in text and "ends after the project" in text
    assert not ProgressUpdate.objects.exists()


def test_photos_are_public_only_once_approved(org_a, people):
    project = ProjectFactory(organization=org_a, status="active")
    update = UpdateFactory(project=project, status="submitted")
    photo = UpdatePhoto.objects.create(update=update, image=ContentFile(jpeg_bytes(), name="p.jpg"))
    url = reverse("projects:photo", args=[photo.pk])
    assert Client().get(url).status_code == 404
    assert _client(people["b_admin"]).get(url).status_code == 404
    assert _client(people["a_viewer"]).get(url).status_code == 200
    update.status = "approved"
    update.save()
    response = Client().get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    public = Client().get(reverse("transparency:project_detail", args=[project.slug])).content.decode()
    assert url in public


def test_public_pages_show_only_public_projects_and_filter(org_a, people, django_assert_max_num_queries):
    ProjectFactory(organization=org_a, status="active", title="Elder health checks")
    ProjectFactory(organization=org_a, status="submitted", title="Secret draft")
    for i in range(5):
        ProjectFactory(organization=org_a, status="approved", title=f"Approved {i}")
    with django_assert_max_num_queries(12):
        text = Client().get(reverse("transparency:project_list")).content.decode()
    assert "Elder health checks" in text and "Secret draft" not in text
    text = Client().get(reverse("transparency:project_list"), {"q": "health"}).content.decode()
    assert "Elder health checks" in text and "Approved 1" not in text
    text = (
        Client()
        .get(reverse("transparency:project_list"), {"status": "approved", "city": "150200"})
        .content.decode()
    )
    assert "Approved 1" in text and "Elder health checks" not in text
    hidden = Project.objects.get(title="Secret draft")
    assert Client().get(reverse("transparency:project_detail", args=[hidden.slug])).status_code == 404


def test_progress_report_pdf_is_rendered_with_indicators_and_people(
    org_a, people, django_capture_on_commit_callbacks
):
    project = ProjectFactory(organization=org_a, status="active", title="Baotou elder health checks")
    indicator = IndicatorFactory(project=project, name="Older people checked")
    update = UpdateFactory(project=project, status="approved", narrative="Timely detection, timely feedback.")
    IndicatorValue.objects.create(update=update, indicator=indicator, value=Decimal("42"))
    PeopleReached.objects.create(update=update, sex="female", age_band="80+", special_group="none", count=17)
    UpdatePhoto.objects.create(update=update, image=ContentFile(jpeg_bytes(), name="p.jpg"))
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            kind="project_progress_report", subject=update, language="en", requested_by=people["a_viewer"]
        )
    document.refresh_from_db()
    assert document.status == "ready", document.error if hasattr(document, "error") else document.status
    text = pypdf.PdfReader(document.file.open("rb")).pages[0].extract_text()
    assert "Baotou elder health checks" in text and "Timely detection" in text
    assert "Older people checked" in text and "42" in text and "17" in text


def test_report_request_from_the_portal_refuses_another_organization(org_a, org_b, people):
    project = ProjectFactory(organization=org_a, status="active")
    update = UpdateFactory(project=project, status="approved")
    response = _client(people["b_admin"]).post(
        reverse("projects:report_request", args=[org_b.slug, project.pk]), {"update": update.pk}
    )
    assert response.status_code == 404
    response = _client(people["a_viewer"]).post(
        reverse("projects:report_request", args=[org_a.slug, project.pk]), {"update": update.pk}
    )
    assert response.status_code == 302 and "/documents/" in response["Location"]


def test_staff_review_queue_lists_submitted_proposals_and_updates(
    org_a, people, django_assert_max_num_queries
):
    for i in range(4):
        p = complete_proposal(ProjectFactory(organization=org_a, status="submitted", title=f"Proposal {i}"))
    UpdateFactory(project=ProjectFactory(organization=org_a, status="active"), status="submitted")
    client = _client(people["programme_officer"])
    with django_assert_max_num_queries(20):
        text = client.get(reverse("projects:staff_review")).content.decode()
    assert "Proposal 3" in text and p.organization.name_en in text
    assert "¥1,200.00" in text


def test_survey_mapping_page_summarises_answers(org_a, people):
    from tests.factories.projects import AssessmentFactory

    assessment = AssessmentFactory(organization=org_a)
    client = _client(people["a_editor"])
    csv = "\ufeff_id,最需要的服务\n1,上门体检\n2,上门体检\n3,送餐\n".encode()
    response = client.post(
        reverse("projects:survey_upload", args=[org_a.slug, assessment.pk]),
        {"file": SimpleUploadedFile("export.csv", csv, content_type="text/csv")},
    )
    survey = assessment.survey_imports.get()
    assert response["Location"].endswith(f"/survey/{survey.pk}/")
    client.post(response["Location"], {"col_0": "ignore", "col_1": "single"})
    text = client.get(response["Location"]).content.decode()
    assert "上门体检" in text and "Summary of answers" in text
