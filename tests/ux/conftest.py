"""Fixtures shared with other apps' tests: a training cohort and an enrolment (tests/trainings)."""

from tests.trainings.conftest import cohort, wang  # noqa: F401
