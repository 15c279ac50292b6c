import pytest

from tests.factories.trainings import CohortFactory, ExerciseFactory, SessionFactory, enrol


@pytest.fixture
def cohort(org_a, org_b):
    """A cohort of org A and org B with four sessions and one required exercise."""
    c = CohortFactory(name="2024年包头第一期", min_attendance_percent=75, organizations=[org_a, org_b])
    for _ in range(4):
        SessionFactory(cohort=c)
    ExerciseFactory(cohort=c, title="需求评估报告初稿", required=True)
    return c


@pytest.fixture
def wang(cohort, org_a):
    return enrol(cohort, org_a, "王芳")


@pytest.fixture
def li(cohort, org_b):
    return enrol(cohort, org_b, "李强")
