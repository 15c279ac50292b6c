"""Factories of the training app."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import factory

from tests.factories.core import AreaFactory, OrganizationFactory
from trainings.models import Cohort, Enrolment, Exercise, Module, Participant, Session


def module(slug: str = "needs-assessment") -> Module:
    """One of the five modules seeded by the migration (created again if a transactional test flushed it)."""
    return Module.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ").capitalize()})[0]


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"2024年包头第{n}期社区赋能培训班")
    city = factory.LazyFunction(AreaFactory)
    starts_on = date(2024, 3, 1)
    ends_on = date(2024, 9, 30)
    min_attendance_percent = 80
    require_exercises = True

    @factory.post_generation
    def organizations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.organizations.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    module = factory.LazyFunction(module)
    starts_at = factory.Sequence(
        lambda n: datetime(2024, 3, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai")) + timedelta(days=7 * n)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    venue = "包头市昆都仑区社会组织孵化基地"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"学员{n}")
    title = "项目主管"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    participant = factory.SubFactory(ParticipantFactory)


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Draft needs assessment {n}")
    instructions = "Survey twenty households and rank the needs you find."
    due_on = date(2024, 5, 1)
    required = True


def enrol(cohort: Cohort, organization, name: str) -> Enrolment:
    cohort.organizations.add(organization)
    return EnrolmentFactory(
        cohort=cohort, participant=ParticipantFactory(organization=organization, name=name)
    )


PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
