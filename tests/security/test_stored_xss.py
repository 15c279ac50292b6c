"""Stored cross-site scripting: hostile strings written into the free-text fields that organizations and
the public fill in (through the real forms and services) come back only as text, on every public, portal,
staff and admin page that shows them, in the PDFs and in the open-data downloads."""

import csv
import io
import json
from datetime import date, timedelta

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from empowerment.documents.services import document_request
from fundraising import services as money
from organizations import services as org_services
from organizations.models import ProgrammeApplication, Role, Theme
from projects import services as project_services
from projects.models import Indicator, ProgressUpdate, Project
from tests.factories.core import community_area
from tests.factories.fundraising import campaign, donate, receipt_file
from tests.factories.projects import jpeg_bytes
from tests.factories.trainings import PDF_BYTES, CohortFactory, ExerciseFactory
from trainings import services as training_services
from transparency import services as transparency_services

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = SCRIPT + IMG + "{{7*7}}"
SHORT = SCRIPT  # for fields of at most 40 characters
RAW_MARKERS = (SCRIPT, "<img src=x onerror", "<img src=x", "onerror=alert(1)>")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _write_everything(people, org, capture):
    """Fill every free-text field an organization, its members or the public can write."""
    editor, officer, finance, trainer = (
        people["a_editor"],
        people["programme_officer"],
        people["finance_officer"],
        people["trainer"],
    )
    theme = Theme.objects.get_or_create(slug="older-people", defaults={"name": "Older people"})[0]
    community = community_area()
    # The public application form, through HTTP.
    with capture(execute=True):
        response = Client().post(
            reverse("organizations:apply"),
            {
                "name": "申请" + HOSTILE,
                "legal_form": "social_service",
                "credit_code": "52150203MJ0000001C",
                "registration_date": "2019-05-20",
                "area": str(community.parent.pk),
                "address": HOSTILE,
                "themes": [str(theme.pk)],
                "staff_count": "6",
                "volunteer_count": "40",
                "contact_name": SHORT,
                "contact_email": "applicant@example.org",
                "contact_phone": "13800000000",
                "motivation": HOSTILE,
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    # The organization's profile and a member who joined by invitation with a hostile name.
    org_services.organization_update_profile(
        organization=org,
        by=people["a_admin"],
        data={"name": "甲" + HOSTILE, "description": HOSTILE, "address": HOSTILE, "contact_name": SHORT},
    )
    org.refresh_from_db()
    with capture(execute=True):
        invitation = org_services.invitation_create(
            organization=org, email="joiner@example.org", role=Role.VIEWER, invited_by=people["a_admin"]
        )
        org_services.invitation_signup(invitation=invitation, full_name=HOSTILE, password="a-long-Passw0rd!")

    # Training: a submission's note (the organization), a mentoring visit's notes and agreed action.
    cohort = CohortFactory(organizations=[org])
    exercise = ExerciseFactory(cohort=cohort)
    submission = training_services.submission_submit(
        exercise=exercise,
        organization=org,
        file=SimpleUploadedFile("answer.pdf", PDF_BYTES, content_type="application/pdf"),
        by=editor,
        note=HOSTILE,
    )
    training_services.mentoring_visit_log(
        organization=org,
        expert=trainer,
        by=trainer,
        topics=HOSTILE,
        notes=HOSTILE,
        cohort=cohort,
        actions=[(HOSTILE, date(2024, 1, 10))],
    )

    # Needs assessment, needs and a project proposal through the services and the wizard's forms.
    assessment = project_services.assessment_save(
        organization=org,
        by=editor,
        data={
            "title": HOSTILE,
            "community": community,
            "method": "survey",
            "started_on": date(2025, 1, 1),
            "ended_on": date(2025, 1, 31),
            "sample_size": 50,
            "findings": HOSTILE,
        },
    )
    need = project_services.need_save(
        assessment=assessment,
        by=editor,
        title=HOSTILE,
        description=HOSTILE,
        scores={"severity": 5, "urgency": 4, "people_affected": 3, "feasibility": 2},
    )
    project_services.need_choose(need=need, by=editor, reason=HOSTILE)
    project = project_services.project_create(
        organization=org,
        by=editor,
        data={
            "title": "Elder care " + HOSTILE,
            "theme": theme,
            "community": community,
            "summary": HOSTILE,
            "start_date": date(2025, 1, 1),
            "end_date": date(2026, 12, 31),
            "reporting_frequency": "monthly",
        },
    )
    project_services.project_update(
        project=project,
        by=editor,
        data={"problem_statement": HOSTILE, "target_group": HOSTILE, "objectives": HOSTILE},
        needs=[need],
    )
    client = _client(editor)
    for step, rows in (
        ("budget", {"category": "materials", "description": HOSTILE, "amount": "20000"}),
        (
            "indicators",
            {
                "name": HOSTILE,
                "unit": "people",
                "value_type": "count",
                "baseline": "0",
                "target": "100",
                "aggregation": "cumulative",
                "frequency": "monthly",
            },
        ),
    ):
        data = {f"{step}-TOTAL_FORMS": "1", f"{step}-INITIAL_FORMS": "0"}
        data.update({f"{step}-0-{k}": v for k, v in rows.items()})
        response = client.post(reverse("projects:wizard", args=[org.slug, project.pk, step]), data)
        assert response.status_code == 302, response.content.decode()[:3000]
    Project.objects.filter(pk=project.pk).update(status=Project.Status.ACTIVE)  # approval is not the subject
    indicator = Indicator.objects.get(project=project)

    # A progress update with a photo, through the portal form, approved by a programme officer.
    response = client.post(
        reverse("projects:update_new", args=[org.slug, project.pk]),
        {
            "period_start": "2025-01-01",
            "period_end": "2025-01-31",
            "narrative": HOSTILE,
            "volunteer_hours": "3",
            f"indicator_{indicator.pk}": "30",
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-0-sex": "female",
            "people-0-age_band": "80+",
            "people-0-special_group": "living_alone",
            "people-0-count": "12",
            "photo": SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg"),
            "photo_caption": HOSTILE,
            "submit": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    update = ProgressUpdate.objects.get(project=project)
    with capture(execute=True):
        project_services.update_review(update=update, by=officer, approve=True, comment="OK")

    # Money: a campaign gift from a donor who shows a hostile display name, an expenditure.
    fund = money.fund_for_project(project)
    drive = campaign(fund, slug="xss-drive")
    donate(fund=fund, amount="30000.00", donor_name=HOSTILE, show_name=True, campaign=drive)
    yesterday = timezone.localdate() - timedelta(days=1)
    money.disbursement_create(project=project, amount="10000.00", paid_on=yesterday, by=finance)
    expenditure = money.expenditure_submit(
        project=project,
        budget_line=project.budget_lines.get(),
        amount="500.00",
        spent_on=yesterday,
        description=HOSTILE,
        payee=HOSTILE,
        document=receipt_file(),
        by=editor,
    )
    money.expenditure_approve(expenditure=expenditure, by=finance)

    # A public question, answered and published.
    with capture(execute=True):
        question = transparency_services.question_ask(
            data={"kind": "question", "name": SHORT, "email": "asker@example.org", "body": HOSTILE},
            client="127.0.0.1",
            project=project,
        )
        transparency_services.question_answer(question=question, answer="Answered.", publish=True, by=officer)
    # A progress and funds disclosure written by the organization, with a dated correction note.
    disclosure = transparency_services.disclosure_publish(
        kind="progress",
        period_start=timezone.localdate() - timedelta(days=90),
        period_end=yesterday,
        due_on=timezone.localdate(),
        narrative=HOSTILE,
        by=editor,
        project=project,
    )
    return {
        "disclosure": disclosure,
        "project": project,
        "update": update,
        "exercise": exercise,
        "submission": submission,
        "assessment": assessment,
        "campaign": drive,
        "expenditure": expenditure,
        "question": question,
        "application": ProgrammeApplication.objects.get(contact_email="applicant@example.org"),
    }


@pytest.fixture
def hostile(people, org_a, django_capture_on_commit_callbacks):
    return _write_everything(people, org_a, django_capture_on_commit_callbacks)


def _pages(h, org, people):
    p = h["project"]
    admin = "/admin/"
    return [
        # public
        (None, "/", False),  # the dashboard shows figures and English names only
        (None, reverse("transparency:campaign_list"), False),  # titles and summaries only
        (None, reverse("transparency:campaign_detail", args=[h["campaign"].slug])),
        (None, reverse("transparency:organization_list")),
        (None, reverse("transparency:organization_detail", args=[org.slug])),
        (None, reverse("transparency:project_list")),
        (None, reverse("transparency:project_detail", args=[p.slug])),
        # portal
        ("a_admin", reverse("organizations:portal_dashboard", args=[org.slug])),
        ("a_admin", reverse("organizations:profile_edit", args=[org.slug])),
        ("a_admin", reverse("organizations:members", args=[org.slug])),
        ("a_admin", reverse("trainings:portal_exercise", args=[org.slug, h["exercise"].pk])),
        ("a_admin", reverse("trainings:portal_mentoring", args=[org.slug])),
        ("a_admin", reverse("projects:assessment_list", args=[org.slug])),
        ("a_admin", reverse("projects:assessment_detail", args=[org.slug, h["assessment"].pk])),
        ("a_admin", reverse("projects:portal_list", args=[org.slug])),
        ("a_admin", reverse("projects:portal_detail", args=[org.slug, p.pk])),
        ("a_admin", reverse("projects:update_detail", args=[org.slug, p.pk, h["update"].pk])),
        ("a_admin", reverse("fundraising:portal_finance", args=[org.slug])),
        ("a_admin", reverse("transparency:portal_disclosures", args=[org.slug])),
        ("programme_officer", reverse("transparency:staff_disclosures")),
        # staff
        ("programme_officer", reverse("projects:staff_detail", args=[p.pk])),
        ("programme_officer", reverse("projects:staff_update", args=[h["update"].pk])),
        ("finance_officer", reverse("fundraising:expenditure_detail", args=[h["expenditure"].pk])),
        ("trainer", reverse("trainings:submission_review", args=[h["submission"].pk])),
        ("trainer", reverse("trainings:review_queue")),
        ("trainer", reverse("trainings:overdue_actions")),
        ("administrator", reverse("staff_audit")),
        # admin changelists and change forms
        ("administrator", f"{admin}organizations/organization/"),
        ("administrator", f"{admin}organizations/organization/{org.pk}/change/"),
        ("administrator", f"{admin}organizations/programmeapplication/"),
        ("administrator", f"{admin}organizations/programmeapplication/{h['application'].pk}/change/"),
        ("administrator", f"{admin}projects/project/"),
        ("administrator", f"{admin}projects/project/{p.pk}/change/"),
        ("administrator", f"{admin}projects/progressupdate/{h['update'].pk}/change/"),
        ("administrator", f"{admin}projects/needsassessment/{h['assessment'].pk}/change/"),
        ("administrator", f"{admin}fundraising/expenditure/"),
        ("administrator", f"{admin}fundraising/expenditure/{h['expenditure'].pk}/change/"),
        ("administrator", f"{admin}fundraising/donation/"),
        ("administrator", f"{admin}transparency/question/"),
        ("administrator", f"{admin}transparency/question/{h['question'].pk}/change/"),
        ("administrator", f"{admin}trainings/mentoringvisit/"),
        ("administrator", f"{admin}trainings/submission/", False),  # exercise and organization names only
    ]


def test_hostile_text_appears_escaped_and_never_as_markup_on_every_page(hostile, org_a, people):
    problems = []
    clients = {}
    for who, url, *shown in _pages(hostile, org_a, people):
        client = clients.setdefault(who, _client(people[who] if who else None))
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url} as {who}: status {response.status_code}")
            continue
        body = response.content.decode()
        raw = [m for m in RAW_MARKERS if m in body]
        if raw:
            problems.append(f"{url} as {who}: unescaped {raw}")
        if shown == [False]:
            continue
        if ESCAPED not in body or "{{7*7}}" not in body:
            problems.append(f"{url} as {who}: the hostile text is not shown (escaped, braces untouched)")
    assert not problems, "\n".join(problems)


def _pdf_text(document) -> str:
    document.refresh_from_db()
    assert document.status == "ready", getattr(document, "error", document.status)
    reader = pypdf.PdfReader(document.file.open("rb"))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def test_hostile_text_is_printed_literally_in_the_profile_and_progress_report_pdfs(
    hostile, org_a, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        profile = document_request(
            kind="organization_profile", subject=org_a, language="en", requested_by=people["a_admin"]
        )
        report = document_request(
            kind="project_progress_report",
            subject=hostile["update"],
            language="en",
            requested_by=people["a_admin"],
        )
    literal = "".join(HOSTILE.split())
    for document in (profile, report):
        text = _pdf_text(document)
        # Printed as text: the markup is visible, so nothing was parsed as an element or run.
        assert literal in text, text[:500]
        assert "&lt;" not in text  # and not double-escaped either


def _strings(value):
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_open_data_downloads_carry_hostile_text_as_plain_values(hostile):
    client = Client()
    for dataset in ("projects", "donations", "expenditures"):
        response = client.get(reverse("transparency:open_data_download", args=[dataset, "csv"]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(_body(response).decode("utf-8-sig"))))
        values = {v for row in rows for v in row.values()}
        assert any(HOSTILE in (v or "") for v in values), (dataset, rows[:2])
        response = client.get(reverse("transparency:open_data_download", args=[dataset, "json"]))
        assert response["Content-Type"].startswith("application/json")
        data = json.loads(_body(response))
        assert any(HOSTILE in text for text in _strings(data)), dataset  # a JSON string value, as written


def test_a_javascript_url_is_refused_as_an_organizations_website(org_a, people):
    from django.core.exceptions import ValidationError

    for url in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>"):
        with pytest.raises(ValidationError) as refused:
            org_services.organization_update_profile(
                organization=org_a, by=people["a_admin"], data={"website": url}
            )
        assert "website" in refused.value.message_dict
        org_a.refresh_from_db()
        assert org_a.website == ""


def test_the_public_api_carries_hostile_text_as_plain_json_values(hostile, settings):
    """The API answers JSON (never HTML, sniffing refused) whose string values hold the text as written."""
    settings.API_RATE_LIMIT = 1000
    client = Client()
    slug = hostile["project"].slug
    for url in (
        f"/api/v1/projects/{slug}",
        "/api/v1/projects",
        f"/api/v1/updates?project={slug}",
        f"/api/v1/expenditures?project={slug}",
        f"/api/v1/donations?campaign={hostile['campaign'].slug}",  # a donor's chosen display name
        "/api/v1/organizations",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json"), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        data = json.loads(response.content)
        assert any(HOSTILE in text for text in _strings(data)), url
