from datetime import date
from decimal import Decimal

import factory

from organizations.models import Theme
from projects.models import (
    Activity,
    BudgetLine,
    Indicator,
    Need,
    NeedsAssessment,
    NeedScore,
    ProgressUpdate,
    Project,
    ScoringCriterion,
)
from tests.factories.core import OrganizationFactory, community_area


def theme(slug="older_people") -> Theme:
    return Theme.objects.get_or_create(
        slug=slug, defaults={"name_en": "Services for older people", "name_zh_hans": "为老服务"}
    )[0]


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedsAssessment

    organization = factory.SubFactory(OrganizationFactory)
    community = factory.LazyFunction(community_area)
    title = factory.Sequence(lambda n: f"Needs assessment {n}")
    method = "survey"
    started_on = date(2025, 3, 1)
    ended_on = date(2025, 3, 31)
    sample_size = 120


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    assessment = factory.SubFactory(AssessmentFactory)
    title = factory.Sequence(lambda n: f"Need {n}")


def score(need, **scores):
    for key, value in scores.items():
        NeedScore.objects.create(need=need, criterion=ScoringCriterion.objects.get(key=key), score=value)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    theme = factory.LazyFunction(theme)
    community = factory.LazyFunction(community_area)
    status = Project.Status.DRAFT
    problem_statement = "Older people living alone miss early signs of illness."
    target_group = "Residents over 60 living alone in Tuanjie community."
    objectives = "Monthly health checks with follow-up for 200 older residents."
    start_date = date(2025, 1, 1)
    end_date = date(2025, 12, 31)


def complete_proposal(project: Project) -> Project:
    """Give a project every part a submission needs."""
    need = NeedFactory(
        assessment=AssessmentFactory(organization=project.organization),
        chosen=True,
        chosen_reason="Most severe",
    )
    project.needs.add(need)
    Activity.objects.create(
        project=project, title="Health checks", start_date=date(2025, 1, 1), end_date=date(2025, 12, 31)
    )
    BudgetLine.objects.create(
        project=project,
        category="activities",
        description="Blood pressure monitors",
        amount=Decimal("1200.00"),
    )
    IndicatorFactory(project=project)
    return project


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    project = factory.SubFactory(ProjectFactory)
    name = "Older people checked"
    unit = "people"
    value_type = "count"
    baseline = Decimal("0")
    target = Decimal("200")
    aggregation = "cumulative"


class UpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    project = factory.SubFactory(ProjectFactory, status="active")
    period_start = date(2025, 1, 1)
    period_end = date(2025, 1, 31)
    narrative = "Two health-check days were held."
    status = ProgressUpdate.Status.DRAFT


def jpeg_bytes(*, gps: bool = False, size=(64, 48), colour=(200, 80, 40)) -> bytes:
    """A real JPEG drawn with Pillow; with `gps`, its EXIF carries a camera model and GPS coordinates
    (Baotou: 40°39'N 109°50'E)."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, colour)
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x0110] = "PhoneCam 12"  # Model
        exif[0x8825] = {  # GPS IFD
            1: "N",
            2: (40.0, 39.0, 30.0),
            3: "E",
            4: (109.0, 50.0, 15.0),
        }
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()
