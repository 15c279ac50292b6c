"""The training pages: staff attendance, reviews, exports and dashboard; the portal's isolation between
organizations; the certificate PDF and its public verification."""

import io

import openpyxl
import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories.trainings import PDF_BYTES, enrol
from trainings import services
from trainings.models import Attendance, Certificate, Submission

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def _complete(cohort, enrolment, org, people):
    for session in cohort.sessions.all():
        services.attendance_take(session=session, marks={enrolment.pk: "present"}, by=people["trainer"])
    sub = services.submission_submit(
        exercise=cohort.exercises.get(),
        organization=org,
        file=SimpleUploadedFile("p.pdf", PDF_BYTES),
        by=people["a_admin"],
    )
    services.submission_review(submission=sub, accept=True, feedback="", by=people["trainer"])


# Attendance page --------------------------------------------------------------------------------------


def test_the_attendance_page_saves_the_whole_sheet(cohort, wang, li, people):
    session = cohort.sessions.first()
    url = reverse("trainings:attendance_take", args=[session.pk])
    c = client_for(people["trainer"])
    page = c.get(url).content.decode()
    assert f'name="status-{wang.pk}"' in page and f'name="status-{li.pk}"' in page
    response = c.post(url, {f"status-{wang.pk}": "present", f"status-{li.pk}": "late"})
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("enrolment__participant__name", "status")) == {
        "王芳": "present",
        "李强": "late",
    }


def test_the_attendance_page_refuses_a_partial_or_forged_sheet_and_saves_nothing(
    cohort, wang, li, people, org_a
):
    session = cohort.sessions.first()
    url = reverse("trainings:attendance_take", args=[session.pk])
    c = client_for(people["trainer"])
    response = c.post(url, {f"status-{wang.pk}": "present"})
    assert (
        response.status_code == 400 and "Choose a status for every participant" in response.content.decode()
    )
    from tests.factories.trainings import CohortFactory

    stranger = enrol(CohortFactory(organizations=[org_a]), org_a, "陈静")
    response = c.post(
        url, {f"status-{wang.pk}": "present", f"status-{li.pk}": "late", f"status-{stranger.pk}": "present"}
    )
    assert response.status_code == 400 and "陈静 is not enrolled" in response.content.decode()
    response = c.post(url, {"status-abc": "present"})
    assert response.status_code == 400
    assert not Attendance.objects.exists()


# Submissions ------------------------------------------------------------------------------------------


def test_an_editor_uploads_in_the_portal_and_sees_the_trainers_feedback(cohort, org_a, people):
    exercise = cohort.exercises.get()
    url = reverse("trainings:portal_exercise", args=[org_a.slug, exercise.pk])
    editor = client_for(people["a_editor"])
    response = editor.post(url, {"file": SimpleUploadedFile("方案.pdf", PDF_BYTES), "note": "初稿"})
    assert response.status_code == 302
    submission = Submission.objects.get()
    trainer = client_for(people["trainer"])
    assert "需求评估报告初稿" in trainer.get(reverse("trainings:review_queue")).content.decode()
    response = trainer.post(
        reverse("trainings:submission_review", args=[submission.pk]),
        {"decision": "returned", "feedback": "请补充问卷样本。"},
    )
    assert response.status_code == 302
    page = editor.get(url).content.decode()
    assert "请补充问卷样本。" in page and 'data-status="returned"' in page


def test_a_forbidden_upload_shows_an_error_at_the_field(cohort, org_a, people):
    url = reverse("trainings:portal_exercise", args=[org_a.slug, cohort.exercises.get().pk])
    response = client_for(people["a_editor"]).post(
        url, {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")}
    )
    assert response.status_code == 400
    assert "This type of file is not accepted" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_viewer_cannot_upload(cohort, org_a, people):
    url = reverse("trainings:portal_exercise", args=[org_a.slug, cohort.exercises.get().pk])
    response = client_for(people["a_viewer"]).post(url, {"file": SimpleUploadedFile("p.pdf", PDF_BYTES)})
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_organizations_see_only_their_own_training_records(cohort, wang, li, org_a, org_b, people):
    exercise = cohort.exercises.get()
    services.submission_submit(
        exercise=exercise,
        organization=org_a,
        file=SimpleUploadedFile("a.pdf", PDF_BYTES),
        by=people["a_admin"],
    )
    services.mentoring_visit_log(
        organization=org_a, expert=people["trainer"], by=people["trainer"], topics="甲的督导主题"
    )
    b = client_for(people["b_admin"])
    # Org A's pages under org A's slug: the same 404 as an unknown organization.
    for name in ("portal_overview", "portal_exercises", "portal_mentoring", "portal_capacity"):
        assert b.get(reverse(f"trainings:{name}", args=[org_a.slug])).status_code == 404
    # Under its own slug, org B sees its own participant, not org A's, nor org A's file or mentoring.
    overview = b.get(reverse("trainings:portal_overview", args=[org_b.slug])).content.decode()
    assert "李强" in overview and "王芳" not in overview
    assert (
        b.get(reverse("trainings:portal_submission_file", args=[org_b.slug, exercise.pk])).status_code == 404
    )
    assert (
        "甲的督导主题" not in b.get(reverse("trainings:portal_mentoring", args=[org_b.slug])).content.decode()
    )
    a = client_for(people["a_viewer"])
    download = a.get(reverse("trainings:portal_submission_file", args=[org_a.slug, exercise.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES


# Staff dashboard and exports ----------------------------------------------------------------------------


def test_the_dashboard_query_count_does_not_grow_with_participants(
    cohort, org_a, org_b, people, django_assert_max_num_queries
):
    c = client_for(people["programme_officer"])
    url = reverse("trainings:cohort_dashboard", args=[cohort.pk])
    for i in range(3):
        enrol(cohort, org_a, f"甲{i}")
    c.get(url)
    for i in range(25):
        enrol(cohort, org_b, f"乙{i}")
    with django_assert_max_num_queries(30):
        response = c.get(url)
    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in response.content.decode()


def test_exports_escape_values_that_a_spreadsheet_would_run_as_formulas(cohort, org_a, people):
    enrol(cohort, org_a, '=HYPERLINK("http://evil.example","x")')
    c = client_for(people["trainer"])
    for name in ("export_attendance", "export_results"):
        response = c.get(reverse(f"trainings:{name}", args=[cohort.pk]))
        assert response.status_code == 200
        ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
        names = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
        assert names == ['\'=HYPERLINK("http://evil.example","x")']


# Certificates -----------------------------------------------------------------------------------------


def test_the_certificate_pdf_carries_the_holder_in_chinese_and_its_verification_code(
    cohort, wang, org_a, people, django_capture_on_commit_callbacks
):
    _complete(cohort, wang, org_a, people)
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.certificate_issue(enrolment=wang, by=people["trainer"], language="zh-hans")
    certificate.refresh_from_db()
    document = certificate.document
    document.refresh_from_db()
    assert document.status == "ready", document.error
    text = pypdf.PdfReader(document.file.open("rb")).pages[0].extract_text()
    assert "王芳" in text
    assert org_a.name_zh_hans in text  # a Chinese certificate names the organization in Chinese
    assert cohort.name in text
    assert "结业证书" in text
    assert certificate.verification_code in text
    assert f"/verify/{certificate.verification_code}/" in text
    # Public: anyone may download the ready certificate.
    response = Client().get(reverse("document_download", args=[document.pk]))
    assert response.status_code == 200


def test_the_verify_page_shows_the_certificate_or_that_it_was_revoked(cohort, wang, org_a, people):
    _complete(cohort, wang, org_a, people)
    certificate = services.certificate_issue(enrolment=wang, by=people["trainer"], render=False)
    url = reverse("verify_code", args=[certificate.verification_code])
    page = Client().get(url).content.decode()
    assert 'data-verify="valid"' in page and "王芳" in page and org_a.name in page and cohort.name in page
    services.certificate_revoke(certificate=certificate, reason="证书信息有误", by=people["trainer"])
    page = Client().get(url).content.decode()
    assert 'data-verify="revoked"' in page and "证书信息有误" in page
    assert Client().get(reverse("verify_code", args=["TC-0000000000"])).status_code == 404


def test_bulk_issue_page_lists_who_did_not_qualify_and_why(cohort, wang, li, org_a, people):
    _complete(cohort, wang, org_a, people)
    response = client_for(people["trainer"]).post(
        reverse("trainings:cohort_certificates", args=[cohort.pk]), {"language": "en"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-refused="{li.pk}"' in page and "李强" in page
    assert list(Certificate.objects.values_list("enrolment", flat=True)) == [wang.pk]


def test_training_pages_are_linked_from_the_staff_home_and_the_portal_dashboard(org_a, people):
    staff_page = client_for(people["trainer"]).get(reverse("staff_home")).content.decode()
    assert reverse("trainings:cohort_list") in staff_page
    assert (
        reverse("trainings:cohort_list")
        not in client_for(people["finance_officer"]).get(reverse("staff_home")).content.decode()
    )
    portal = client_for(people["a_viewer"]).get(reverse("organizations:portal_dashboard", args=[org_a.slug]))
    assert reverse("trainings:portal_capacity", args=[org_a.slug]) in portal.content.decode()


def test_the_capacity_page_draws_the_growth_chart_on_the_server(org_a, people):
    from trainings.models import CapacityDimension

    needs = CapacityDimension.objects.get(slug="needs-identification")
    for kind, score in (("baseline", 2), ("follow_up", 4)):
        services.assessment_record(
            organization=org_a, kind=kind, by=people["trainer"], scores={needs: (score, "")}
        )
    page = (
        client_for(people["a_viewer"])
        .get(reverse("trainings:portal_capacity", args=[org_a.slug]))
        .content.decode()
    )
    assert "<svg" in page and "<script" not in page.split("<main", 1)[1]
    assert "Needs identification" in page


def test_the_admin_refuses_an_enrolment_for_an_organization_outside_the_cohort(cohort, people):
    from tests.factories.trainings import ParticipantFactory

    outsider = ParticipantFactory(name="外来学员")
    response = client_for(people["trainer"]).post(
        reverse("admin:trainings_enrolment_add"),
        {
            "cohort": cohort.pk,
            "participant": outsider.pk,
            "enrolled_at_0": "2024-03-01",
            "enrolled_at_1": "09:00",
        },
    )
    assert response.status_code == 200
    assert "does not take part in the cohort" in response.content.decode()
    assert not outsider.enrolments.exists()
