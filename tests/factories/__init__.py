"""Factories, one module per app: tests.factories.core (users, organizations, memberships), and each
app's own module (tests.factories.trainings, ...)."""
