"""Text limits held by the database: a text longer than its bound is refused by a CheckConstraint
whatever path writes it (one field per app here, on SQLite and PostgreSQL), the bound counts characters, not
bytes, and the admin shows a too long value as an error at the field instead of failing."""

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from empowerment.models import Document, Email
from empowerment.textlimits import LONG_TEXT, MACHINE_TEXT
from fundraising.models import Fund
from organizations.models import Organization
from projects.models import ProgressUpdate
from tests.factories.core import UserFactory
from tests.factories.fundraising import FundFactory
from tests.factories.projects import ProjectFactory, UpdateFactory
from trainings.models import Module
from transparency.models import Question

pytestmark = pytest.mark.django_db

APPS = ("organizations", "trainings", "projects", "fundraising", "transparency", "empowerment")


def _refused(queryset, **values):
    with pytest.raises(IntegrityError, match=r"(?i)_len|check constraint"), transaction.atomic():
        queryset.update(**values)


def test_every_text_field_of_the_apps_has_a_bound_and_a_constraint_that_holds_it():
    missing = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # history rows copy what the constrained row held
            names = {c.name for c in model._meta.constraints}
            for field in model._meta.get_fields():
                if isinstance(field, models.TextField) and not field.auto_created:
                    expected = f"{label}_{model._meta.model_name}_{field.name}_len"
                    if not field.max_length or expected not in names:
                        missing.append(f"{label}.{model.__name__}.{field.name}")
    assert not missing, f"TextFields without max_length and a length constraint: {missing}"


def test_organizations_description(org_a):
    rows = Organization.objects.filter(pk=org_a.pk)
    rows.update(description="长" * LONG_TEXT)  # characters, not bytes: 20,000 Chinese characters fit
    _refused(rows, description="x" * (LONG_TEXT + 1))
    org_a.refresh_from_db()
    assert len(org_a.description) == LONG_TEXT


def test_trainings_module_description():
    module = Module.objects.create(slug="limits", name="Limits")
    rows = Module.objects.filter(pk=module.pk)
    rows.update(description="x" * LONG_TEXT)
    _refused(rows, description="x" * (LONG_TEXT + 1))


def test_projects_progress_update_narrative(org_a):
    update = UpdateFactory(project=ProjectFactory(organization=org_a, status="active"))
    rows = ProgressUpdate.objects.filter(pk=update.pk)
    _refused(rows, narrative="x" * (LONG_TEXT + 1))
    update.refresh_from_db()
    assert len(update.narrative) <= LONG_TEXT


def test_fundraising_fund_description():
    fund = FundFactory()
    _refused(Fund.objects.filter(pk=fund.pk), description="x" * (LONG_TEXT + 1))


def test_transparency_question_body_and_answer(org_a):
    project = ProjectFactory(organization=org_a, status="active")
    question = Question.objects.create(project=project, email="a@example.org", body="Where did the money go?")
    rows = Question.objects.filter(pk=question.pk)
    _refused(rows, body="x" * 4001)  # the public form's bound, held by the database too
    _refused(rows, answer="x" * (LONG_TEXT + 1))
    # A new row is refused as well, not only a changed one.
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(project=project, email="b@example.org", body="x" * 4001)
    assert Question.objects.count() == 1


def test_empowerment_document_error_and_the_larger_bound_of_an_email_body(org_a):
    from django.contrib.contenttypes.models import ContentType  # noqa: PLC0415

    document = Document.objects.create(
        kind="organization_profile",
        subject_type=ContentType.objects.get_for_model(org_a),
        subject_id=str(org_a.pk),
        title="Profile",
    )
    _refused(Document.objects.filter(pk=document.pk), error="x" * (LONG_TEXT + 1))
    # An email body is written by the platform and may be longer than what people type, up to its own bound.
    email = Email.objects.create(to="a@example.org", subject="Report", body="x" * MACHINE_TEXT)
    _refused(Email.objects.filter(pk=email.pk), body="x" * (MACHINE_TEXT + 1))


def test_the_admin_shows_a_too_long_text_as_an_error_at_the_field(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    module = Module.objects.create(slug="limits", name="Limits", description="short")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("admin:trainings_module_change", args=[module.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f'maxlength="{LONG_TEXT}"' in page.content.decode()
    response = client.post(
        url,
        {
            "slug": "limits",
            "name": "Limits",
            "name_zh": "",
            "description": "x" * (LONG_TEXT + 1),
            "position": 0,
        },
    )
    assert response.status_code == 200  # the form again, not a redirect and not a 500
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["description"]
    assert "20000" in errors["description"][0] or "20,000" in errors["description"][0]
    module.refresh_from_db()
    assert module.description == "short"
