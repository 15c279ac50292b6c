"""The installable offline portal, server side: the worker, manifest and headers; the field kit each
person gets; the forms' JSON answers and idempotency keys (a repeated send creates nothing twice, also
when two sends race on PostgreSQL)."""

import json
import threading
import time
import uuid
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from empowerment.models import SubmissionKey
from empowerment.submissions import submit_once
from projects import services as project_services
from projects.models import ProgressUpdate
from tests.conftest import requires_postgres
from tests.factories.projects import IndicatorFactory, ProjectFactory
from tests.factories.trainings import CohortFactory, SessionFactory, enrol
from trainings.models import Attendance, MentorAssignment, MentoringVisit

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def project(org_a):
    project = ProjectFactory(
        organization=org_a, status="active", start_date=date(2025, 1, 1), end_date=date(2026, 12, 31)
    )
    IndicatorFactory(project=project, value_type="count", name="Residents checked", unit="people")
    return project


def _update_post(project, **extra) -> dict:
    indicator = project.indicators.get()
    data = {
        "period_start": "2025-01-01",
        "period_end": "2025-01-31",
        "narrative": "Checked 30 residents.",
        "volunteer_hours": "4",
        f"indicator_{indicator.pk}": "30",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
        "save": "1",
    }
    data.update(extra)
    return data


# The worker, the manifest and the headers ------------------------------------------------------------


def test_the_worker_is_served_for_the_whole_site_and_changes_version_with_a_deploy(client, settings):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    config = json.loads(body.split("\n", 1)[0].removeprefix("self.PWA = ").rstrip(";"))
    assert len(config["version"]) == 16
    assert "/static/pwa/drafts.js" in config["shell"] and config["store"] == "/static/pwa/store.js"
    assert config["offline"] == "/offline/" and config["kit"] == "/offline/kit.json"
    assert 'addEventListener("fetch"' in body
    settings.PWA_VERSION = "deploy-2"
    again = json.loads(client.get("/sw.js").content.decode().split("\n", 1)[0][len("self.PWA = ") : -1])
    assert again["version"] == "deploy-2"


def test_the_manifest_names_the_portal_in_the_visitors_language_with_its_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["lang"] == "en" and manifest["display"] == "standalone"
    assert manifest["start_url"] == reverse("organizations:portal_home")
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200
    client.cookies["django_language"] = "zh-hans"
    assert client.get("/manifest.webmanifest").json()["lang"] == "zh-Hans"


def test_every_page_links_the_manifest_and_the_policy_allows_the_worker(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'rel="manifest" href="/manifest.webmanifest"' in html and "pwa/drafts.js" in html
    assert 'name="pwa-user"' not in html  # an anonymous visitor has no drafts
    policy = response["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy
    assert "X-Offline-Cache" not in response


def test_only_a_signed_in_persons_field_pages_are_marked_for_keeping(org_a, people, project):
    editor = client_for(people["a_editor"])
    form = editor.get(reverse("projects:update_new", args=[org_a.slug, project.pk]))
    assert form.status_code == 200 and form["X-Offline-Cache"] == str(people["a_editor"].pk)
    assert 'data-offline-form="progress_update"' in form.content.decode()
    dashboard = editor.get(reverse("organizations:portal_dashboard", args=[org_a.slug]))
    assert dashboard.status_code == 200 and "X-Offline-Cache" not in dashboard
    assert "data-drafts-list" in dashboard.content.decode()
    staff = client_for(people["programme_officer"]).get(reverse("staff_home"))
    assert staff.status_code == 200 and "X-Offline-Cache" not in staff
    # The offline page is public and shows nobody's data; the drafts page needs a sign-in.
    offline = Client().get("/offline/")
    assert offline.status_code == 200 and "X-Offline-Cache" not in offline
    assert Client().get("/offline/drafts/").status_code == 302
    drafts = editor.get("/offline/drafts/")
    assert drafts.status_code == 200 and drafts["X-Offline-Cache"] == str(people["a_editor"].pk)


def test_signing_out_clears_the_browsers_cache(people):
    client = client_for(people["a_editor"])
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302 and response["Clear-Site-Data"] == '"cache"'
    assert "_auth_user_id" not in client.session


# The field kit ------------------------------------------------------------------------------------------


def test_the_field_kit_gives_an_editor_their_active_projects_with_indicators_and_periods(
    org_a, org_b, people, project
):
    ProjectFactory(organization=org_a, status="draft", title="Not yet running")
    ProjectFactory(organization=org_b, status="active", title="Org B's project")
    assert Client().get("/offline/kit.json").status_code == 302
    response = client_for(people["a_editor"]).get("/offline/kit.json")
    assert response.status_code == 200 and response["X-Offline-Cache"] == str(people["a_editor"].pk)
    kit = response.json()
    assert kit["user"] == people["a_editor"].pk and kit["fetched_at"]
    assert [p["title"] for p in kit["projects"]] == [project.title]
    entry = kit["projects"][0]
    assert entry["form"] == reverse("projects:update_new", args=[org_a.slug, project.pk])
    assert [i["name"] for i in entry["indicators"]] == ["Residents checked"]
    assert entry["periods"][0] == {"start": "2025-01-01", "end": "2025-01-31"}
    assert entry["periods"][1] == {"start": "2025-02-01", "end": "2025-02-28"}
    assert kit["sessions"] == [] and kit["organizations"] == []
    # A viewer may not write updates: no forms. Another organization's admin sees none of org A's.
    assert client_for(people["a_viewer"]).get("/offline/kit.json").json()["projects"] == []
    assert [
        p["title"] for p in client_for(people["b_admin"]).get("/offline/kit.json").json()["projects"]
    ] == ["Org B's project"]


def test_the_field_kit_gives_a_trainer_their_sessions_and_mentored_organizations(org_a, org_b, people):
    trainer = people["trainer"]
    cohort = CohortFactory(organizations=[org_a, org_b])
    mine = SessionFactory(cohort=cohort, starts_at=timezone.now() + timedelta(days=2))
    mine.trainers.add(trainer)
    SessionFactory(cohort=cohort, starts_at=timezone.now() + timedelta(days=3))  # someone else's
    enrol(cohort, org_a, "王芳")
    MentorAssignment.objects.create(mentor=trainer, organization=org_a)
    kit = client_for(trainer).get("/offline/kit.json").json()
    assert [s["id"] for s in kit["sessions"]] == [mine.pk]
    assert kit["sessions"][0]["form"] == reverse("trainings:attendance_take", args=[mine.pk])
    assert [e["name"] for e in kit["sessions"][0]["enrolled"]] == ["王芳"]
    assert [o["id"] for o in kit["organizations"]] == [org_a.pk]
    assert kit["organizations"][0]["form"] == reverse("trainings:visit_log", args=[org_a.pk])


# Idempotency keys ------------------------------------------------------------------------------------


def test_a_progress_update_sent_twice_with_one_key_is_saved_once(org_a, people, project):
    client = client_for(people["a_editor"])
    url = reverse("projects:update_new", args=[org_a.slug, project.pk])
    key = str(uuid.uuid4())
    first = client.post(url, _update_post(project, idempotency_key=key))
    update = ProgressUpdate.objects.get()
    assert first.status_code == 302 and first["Location"].endswith(f"/updates/{update.pk}/")
    again = client.post(url, _update_post(project, idempotency_key=key))
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert ProgressUpdate.objects.count() == 1
    row = SubmissionKey.objects.get()
    assert (row.kind, row.user, row.created) == ("progress_update", people["a_editor"], update)
    # A new key is a new update; the form without any key works as before.
    client.post(url, _update_post(project, idempotency_key=str(uuid.uuid4())))
    client.post(url, _update_post(project))
    assert ProgressUpdate.objects.count() == 3


def test_the_json_answer_carries_the_result_or_the_messages_by_field(org_a, people, project):
    client = client_for(people["a_editor"])
    url = reverse("projects:update_new", args=[org_a.slug, project.pk])
    key = str(uuid.uuid4())
    refused = client.post(
        url,
        _update_post(project, idempotency_key=key, period_end="2027-03-01"),
        HTTP_ACCEPT="application/json",
    )
    assert refused.status_code == 400
    answer = refused.json()
    assert answer["ok"] is False and answer["redirect"] == ""
    assert answer["errors"]["period_end"] == ["The period ends after the project (2026-12-31)."]
    assert not ProgressUpdate.objects.exists() and not SubmissionKey.objects.exists()
    # Corrected, the same draft (same key) goes through; sent again, it is not saved twice.
    sent = client.post(url, _update_post(project, idempotency_key=key), HTTP_X_REQUESTED_WITH="fetch")
    update = ProgressUpdate.objects.get()
    assert sent.status_code == 200
    assert sent.json() == {
        "ok": True,
        "errors": {},
        "redirect": reverse("projects:update_detail", args=[org_a.slug, project.pk, update.pk]),
        "repeated": False,
    }
    again = client.post(url, _update_post(project, idempotency_key=key), HTTP_ACCEPT="application/json")
    assert again.json()["repeated"] is True and again.json()["redirect"] == sent.json()["redirect"]
    assert ProgressUpdate.objects.count() == 1


def test_a_draft_for_a_project_no_longer_active_is_refused_with_the_reason(org_a, people, project):
    project.status = "completed"
    project.save()
    response = client_for(people["a_editor"]).post(
        reverse("projects:update_new", args=[org_a.slug, project.pk]),
        _update_post(project, idempotency_key=str(uuid.uuid4())),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"__all__": ["Progress is logged for active projects only."]}
    assert not ProgressUpdate.objects.exists()


def test_a_key_of_another_person_or_a_damaged_key_creates_nothing(org_a, people, project):
    url = reverse("projects:update_new", args=[org_a.slug, project.pk])
    key = str(uuid.uuid4())
    client_for(people["a_editor"]).post(url, _update_post(project, idempotency_key=key))
    response = client_for(people["a_admin"]).post(
        url, _update_post(project, idempotency_key=key), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"] == ["This sending key belongs to another form."]
    response = client_for(people["a_admin"]).post(
        url, _update_post(project, idempotency_key="not-a-key"), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert "damaged" in response.json()["errors"]["__all__"][0]
    assert ProgressUpdate.objects.count() == 1


def test_an_attendance_sheet_and_a_visit_sent_twice_are_recorded_once(org_a, people):
    trainer = people["trainer"]
    cohort = CohortFactory(organizations=[org_a])
    session = SessionFactory(cohort=cohort)
    wang = enrol(cohort, org_a, "王芳")
    client = client_for(trainer)
    url = reverse("trainings:attendance_take", args=[session.pk])
    key = str(uuid.uuid4())
    first = client.post(
        url, {f"status-{wang.pk}": "present", "idempotency_key": key}, HTTP_ACCEPT="application/json"
    )
    assert first.status_code == 200 and first.json()["ok"] is True
    # The second send carries another mark: it is the same draft, so it changes nothing.
    again = client.post(
        url, {f"status-{wang.pk}": "absent", "idempotency_key": key}, HTTP_ACCEPT="application/json"
    )
    assert again.json()["repeated"] is True
    assert list(Attendance.objects.values_list("status", flat=True)) == ["present"]
    refused = client.post(url, {"idempotency_key": str(uuid.uuid4())}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400 and "Choose a status" in refused.json()["errors"]["__all__"][0]

    MentorAssignment.objects.create(mentor=trainer, organization=org_a)
    url = reverse("trainings:visit_log", args=[org_a.pk])
    visit = {
        "date": timezone.localdate().isoformat(),
        "mode": "visit",
        "topics": "志愿者管理",
        "notes": "",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-0-text": "建立志愿者名册",
        "actions-0-owner": "李强",
        "actions-0-due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "idempotency_key": str(uuid.uuid4()),
    }
    assert client.post(url, visit).status_code == 302
    assert client.post(url, visit).status_code == 302
    assert MentoringVisit.objects.count() == 1
    bad = client.post(
        url, {**visit, "topics": "", "idempotency_key": str(uuid.uuid4())}, HTTP_ACCEPT="application/json"
    )
    assert bad.status_code == 400 and bad.json()["errors"]["topics"] == ["This field is required."]
    assert MentoringVisit.objects.count() == 1


# Two sends racing -----------------------------------------------------------------------------------


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_sends_racing_with_one_key_create_one_update(org_a, people, project):
    """Both threads pass the first lookup before either commits: the unique key makes the second wait
    for the first and then answer with its result."""
    editor = people["a_editor"]
    key = uuid.uuid4()
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def send():
        try:
            barrier.wait(timeout=10)

            def write():
                update = project_services.update_save(
                    project=project,
                    by=editor,
                    data={
                        "period_start": date(2025, 1, 1),
                        "period_end": date(2025, 1, 31),
                        "narrative": "Checked.",
                    },
                    values={},
                    people=[],
                )
                time.sleep(0.5)  # the other send arrives while this one holds its key uncommitted
                return update, f"/done/{update.pk}/"

            outcomes.append(submit_once(key=key, by=editor, kind="progress_update", write=write))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert ProgressUpdate.objects.count() == 1
    assert sorted(o.repeated for o in outcomes) == [False, True]
    assert {o.redirect for o in outcomes} == {f"/done/{ProgressUpdate.objects.get().pk}/"}
