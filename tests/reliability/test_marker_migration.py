"""The upgrade to keyed emails carries every reminder and notice already sent over as a sent email under the
key the services now look for: nobody is reminded or told twice after it (projects 0003, transparency 0004).

The upgrade is walked on a database of its own, made by the replaced migrations up to the state before it
(the test database is made by the squashed ones, which stand for that whole chain): the rows are written
with the models as they were then, then the two migrations run, then the database is dropped."""

from contextlib import contextmanager
from datetime import date

import pytest
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

BEFORE = [("projects", "0002_scoring_criteria"), ("transparency", "0003_dashboard_snapshot")]
AFTER = [
    ("projects", "0003_reminders_are_keyed_emails"),
    ("transparency", "0004_notices_and_reminders_are_keyed_emails"),
]


@contextmanager
def _own_database(tmp_path):
    """The default connection points at a new, empty database while the block runs (the migrations' data
    functions use the default connection); the test database's own connection is put back untouched."""
    settings_dict = {**connection.settings_dict}
    postgres = connection.vendor == "postgresql"
    if postgres:
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_upgrade"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    else:
        settings_dict["NAME"] = str(tmp_path / "upgrade.sqlite3")
    test_database = connections["default"]
    own = test_database.__class__(settings_dict, "default")
    connections["default"] = own
    try:
        yield own
    finally:
        own.close()
        connections["default"] = test_database
        if postgres:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')


def _migrate(targets):
    """Migrate by the replaced migrations (the chain the squashed ones stand for)."""
    executor = MigrationExecutor(connection)
    executor.loader = MigrationLoader(connection, replace_migrations=False)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_sent_reminders_and_notices_become_sent_keyed_emails(tmp_path):
    with _own_database(tmp_path):
        old = _migrate(BEFORE)
        now = timezone.now()
        area = old.get_model("organizations", "Area").objects.create(name="包头市", code="150200", level=1)
        theme = old.get_model("organizations", "Theme").objects.create(slug="elderly", name="Elderly care")
        org = old.get_model("organizations", "Organization").objects.create(
            name="甲社区服务中心", slug="org-a", legal_form="unregistered", area=area
        )
        for role in ("admin", "editor"):
            user = old.get_model("empowerment", "User").objects.create(
                email=f"a-{role}@example.org", password="!"
            )
            old.get_model("organizations", "Membership").objects.create(
                user=user, organization=org, role=role
            )
        p = old.get_model("projects", "Project").objects.create(
            title="Health checks", slug="health-checks", community=area, organization=org, theme=theme
        )
        old.get_model("projects", "ReminderSent").objects.create(project_id=p.pk, due_date=date(2026, 2, 10))
        follower = old.get_model("transparency", "Follower").objects.create(
            project_id=p.pk, email="fan@example.org", confirmed_at=now, token="t" * 40
        )
        old.get_model("transparency", "FollowNotice").objects.create(follower_id=follower.pk, key="update:7")
        old.get_model("transparency", "DisclosureReminder").objects.create(
            key=f"project:{p.pk}:progress:2026-03-31:overdue"
        )
        new = _migrate(AFTER)
        Email = new.get_model("empowerment", "Email")
        keys = set(Email.objects.filter(status="sent").values_list("key", flat=True))
    assert {
        f"project-reminder:{p.pk}:2026-02-10:a-admin@example.org",
        f"project-reminder:{p.pk}:2026-02-10:a-editor@example.org",
        f"follow-news:{follower.pk}:update:7",
        f"disclosure-reminder:project:{p.pk}:progress:2026-03-31:overdue:a-admin@example.org",
    } <= keys
