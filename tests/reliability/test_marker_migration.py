"""The upgrade to keyed emails carries every reminder and notice already sent over as a sent email under the
key the services now look for: nobody is reminded or told twice after it (projects 0003, transparency 0004)."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("projects", "0002_scoring_criteria"), ("transparency", "0003_dashboard_snapshot")]
AFTER = [
    ("projects", "0003_reminders_are_keyed_emails"),
    ("transparency", "0004_notices_and_reminders_are_keyed_emails"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_sent_reminders_and_notices_become_sent_keyed_emails(org_a, people):
    from tests.factories.fundraising import project

    p = project(org_a, slug="health-checks")
    old = _migrate(BEFORE)
    try:
        now = timezone.now()
        old.get_model("projects", "ReminderSent").objects.create(project_id=p.pk, due_date=date(2026, 2, 10))
        follower = old.get_model("transparency", "Follower").objects.create(
            project_id=p.pk, email="fan@example.org", confirmed_at=now, token="t" * 40
        )
        old.get_model("transparency", "FollowNotice").objects.create(follower_id=follower.pk, key="update:7")
        old.get_model("transparency", "DisclosureReminder").objects.create(
            key=f"project:{p.pk}:progress:2026-03-31:overdue"
        )
        new = _migrate(AFTER)
    finally:
        _migrate(_migrate_latest_targets())
    Email = new.get_model("empowerment", "Email")
    keys = set(Email.objects.filter(status="sent").values_list("key", flat=True))
    assert {
        f"project-reminder:{p.pk}:2026-02-10:a-admin@example.org",
        f"project-reminder:{p.pk}:2026-02-10:a-editor@example.org",
        f"follow-news:{follower.pk}:update:7",
        f"disclosure-reminder:project:{p.pk}:progress:2026-03-31:overdue:a-admin@example.org",
    } <= keys


def _migrate_latest_targets():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
