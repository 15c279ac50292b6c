"""The organization data export carries the training, projects and money rows of the organization that asks,
through each app's `export_organization_data` hook, and never a row of another organization."""

import csv
import io
import json
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fundraising import services as money
from fundraising.models import Account
from projects.models import (
    BudgetLine,
    IndicatorValue,
    PeopleReached,
    ProgressUpdate,
    ProjectDecision,
    UpdatePhoto,
)
from tests.factories.fundraising import FunderFactory, donate, receipt_file
from tests.factories.projects import AssessmentFactory, IndicatorFactory, NeedFactory, ProjectFactory, score
from tests.factories.trainings import CohortFactory, ExerciseFactory, SessionFactory, enrol
from trainings.models import (
    AgreedAction,
    Attendance,
    CapacityAssessment,
    CapacityDimension,
    CapacityScore,
    Certificate,
    MentoringVisit,
    Submission,
)

pytestmark = pytest.mark.django_db

TABLES = {
    "trainings": [
        "participants",
        "enrolments",
        "attendance",
        "submissions",
        "mentoring_visits",
        "agreed_actions",
        "capacity_assessments",
        "capacity_scores",
        "certificates",
    ],
    "projects": [
        "needs_assessments",
        "needs",
        "need_scores",
        "projects",
        "budget_lines",
        "indicators",
        "decisions",
        "progress_updates",
        "indicator_values",
        "people_reached",
        "update_photos",
    ],
    "fundraising": ["donations", "disbursements", "expenditures"],
}


def _populate(org, mark: str, people) -> None:
    """One row or more in every exported table for `org`, each text carrying `mark`."""
    trainer = people["trainer"]
    cohort = CohortFactory(name=f"Cohort {mark}")
    enrolment = enrol(cohort, org, f"Participant {mark}")
    session = SessionFactory(cohort=cohort, title=f"Session {mark}")
    Attendance.objects.create(session=session, enrolment=enrolment, status="present")
    exercise = ExerciseFactory(cohort=cohort, title=f"Exercise {mark}")
    Submission.objects.create(
        exercise=exercise, organization=org, file=f"trainings/submissions/{mark}.pdf", note=f"Note {mark}"
    )
    visit = MentoringVisit.objects.create(
        organization=org, expert=trainer, topics=f"Topics {mark}", notes=f"Visit notes {mark}"
    )
    AgreedAction.objects.create(visit=visit, text=f"Action {mark}", due_on=date(2025, 6, 1))
    dimension, _ = CapacityDimension.objects.get_or_create(slug="governance", defaults={"name": "Governance"})
    assessment = CapacityAssessment.objects.create(organization=org, kind="baseline", notes=f"Notes {mark}")
    capacity = CapacityScore(assessment=assessment, dimension=dimension, score=3, evidence=f"Evidence {mark}")
    capacity.full_clean()
    capacity.save()
    Certificate.objects.create(enrolment=enrolment)

    need = NeedFactory(
        assessment=AssessmentFactory(organization=org, findings=f"Findings {mark}"), title=f"Need {mark}"
    )
    project = ProjectFactory(organization=org, title=f"Project {mark}", status="active")
    project.needs.add(need)
    score(need, severity=4, urgency=3)
    line = BudgetLine.objects.create(
        project=project, category="activities", description=f"Line {mark}", amount=Decimal("5000.00")
    )
    indicator = IndicatorFactory(project=project, name=f"Indicator {mark}")
    ProjectDecision.objects.create(project=project, from_status="draft", to_status="submitted", comment=mark)
    update = ProgressUpdate.objects.create(
        project=project,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 1, 31),
        narrative=f"Narrative {mark}",
    )
    IndicatorValue.objects.create(update=update, indicator=indicator, value=Decimal("12"))
    PeopleReached.objects.create(update=update, sex="female", age_band="60-79", count=7)
    UpdatePhoto.objects.create(update=update, image=f"projects/updates/{mark}.jpg", caption=f"Photo {mark}")

    fund = money.fund_for_project(project)
    yesterday = timezone.localdate() - timedelta(days=1)
    donate(fund=fund, amount="3000.00", donor_name=f"Named donor {mark}", show_name=True)
    donate(fund=fund, amount="2000.00", funder=FunderFactory(name=f"Private funder {mark}"), show_name=False)
    money.disbursement_create(project=project, amount="4000.00", paid_on=yesterday, by=None, note=mark)
    money.expenditure_submit(
        project=project,
        budget_line=line,
        amount="800.00",
        spent_on=yesterday,
        description=f"Chairs {mark}",
        payee=f"Payee {mark}",
        document=receipt_file(),
        by=people["a_editor"] if mark.startswith("Alpha") else people["b_admin"],
        classification=Account.Classification.PROGRAMME,
    )


def _csv(archive, name) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_the_export_holds_every_apps_rows_of_the_organization_and_none_of_another(
    client, people, org_a, org_b, django_assert_max_num_queries
):
    _populate(org_a, "Alpha", people)
    _populate(org_b, "Bravo", people)

    from django.apps import apps

    other = {
        f"{app}/{table}.csv": {str(row["id"]) for row in rows}
        for app in TABLES
        for table, rows in apps.get_app_config(app).export_organization_data(org_b).items()
    }
    client.force_login(people["a_admin"])
    response = client.get(reverse("organization_export", args=[org_a.slug]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))

    for app, tables in TABLES.items():
        for table in tables:
            name = f"{app}/{table}.csv"
            assert name in names, name
            rows = _csv(archive, name)
            assert rows, f"{name} has no rows of the organization"
            text = archive.read(name).decode("utf-8-sig")
            assert "Bravo" not in text and "org-b" not in text, f"{name} holds another organization's rows"
            entry = next(f for f in manifest["files"] if f["name"] == name)
            assert entry["rows"] == len(rows)
            assert not {row["id"] for row in rows} & other[name], f"{name} holds another organization's rows"

    assert [p["name"] for p in _csv(archive, "trainings/participants.csv")] == ["Participant Alpha"]
    assert _csv(archive, "trainings/attendance.csv")[0]["status"] == "present"
    assert _csv(archive, "trainings/submissions.csv")[0]["note"] == "Note Alpha"
    assert _csv(archive, "trainings/mentoring_visits.csv")[0]["notes"] == "Visit notes Alpha"
    assert _csv(archive, "trainings/agreed_actions.csv")[0]["text"] == "Action Alpha"
    assert _csv(archive, "trainings/capacity_scores.csv")[0]["evidence"] == "Evidence Alpha"
    assert (
        _csv(archive, "trainings/certificates.csv")[0]["enrolment__participant__name"] == "Participant Alpha"
    )

    assert _csv(archive, "projects/needs_assessments.csv")[0]["findings"] == "Findings Alpha"
    assert [p["title"] for p in _csv(archive, "projects/projects.csv")] == ["Project Alpha"]
    assert _csv(archive, "projects/budget_lines.csv")[0]["amount"] == "5000.00"
    assert _csv(archive, "projects/indicators.csv")[0]["name"] == "Indicator Alpha"
    assert _csv(archive, "projects/decisions.csv")[0]["to_status"] == "submitted"
    assert _csv(archive, "projects/progress_updates.csv")[0]["narrative"] == "Narrative Alpha"
    assert _csv(archive, "projects/indicator_values.csv")[0]["value"] == "12.00"
    assert _csv(archive, "projects/people_reached.csv")[0]["count"] == "7"

    donations = _csv(archive, "fundraising/donations.csv")
    assert sorted(d["amount"] for d in donations) == ["2000.00", "3000.00"]
    assert {d["donor"] for d in donations} == {"Named donor Alpha", "Anonymous"}
    donations_text = archive.read("fundraising/donations.csv").decode("utf-8-sig")
    assert "Private funder" not in donations_text  # the donor did not agree to show the name
    assert "receipt" not in donations_text.lower()
    assert _csv(archive, "fundraising/disbursements.csv")[0]["amount"] == "4000.00"
    expenditure = _csv(archive, "fundraising/expenditures.csv")[0]
    assert (expenditure["description"], expenditure["payee"]) == ("Chairs Alpha", "Payee Alpha")

    # The export costs a fixed number of queries, whatever the number of rows.
    _populate(org_a, "Alpha2", people)
    with django_assert_max_num_queries(60):
        assert client.get(reverse("organization_export", args=[org_a.slug])).status_code == 200


def test_each_apps_hook_returns_only_the_given_organizations_rows(people, org_a, org_b):
    from django.apps import apps

    _populate(org_b, "Bravo", people)
    for app in TABLES:
        data = apps.get_app_config(app).export_organization_data(org_a)
        assert set(data) == set(TABLES[app])
        assert all(rows == [] for rows in data.values()), app
