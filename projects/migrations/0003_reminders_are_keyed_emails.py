"""Reminders are emails keyed by project, due date and recipient (empowerment.mail); the ReminderSent markers
go. Each reminder already sent is carried over as a sent email under the key the service now looks for, so no
organization is reminded twice for the same due date after the upgrade."""

from django.db import migrations


def carry_over(apps, schema_editor):
    ReminderSent = apps.get_model("projects", "ReminderSent")
    Membership = apps.get_model("organizations", "Membership")
    Email = apps.get_model("empowerment", "Email")
    rows = []
    for reminder in ReminderSent.objects.select_related("project__organization"):
        organization = reminder.project.organization
        recipients = set(
            Membership.objects.filter(organization=organization, role__in=["admin", "editor"]).values_list(
                "user__email", flat=True
            )
        )
        if organization.contact_email:
            recipients.add(organization.contact_email)
        for to in sorted(r for r in recipients if r):
            rows.append(
                Email(
                    key=f"project-reminder:{reminder.project_id}:{reminder.due_date.isoformat()}:{to}"[:255],
                    to=to,
                    subject="Progress update reminder (sent before the email outbox)",
                    body="",
                    status="sent",
                    attempts=1,
                    created_at=reminder.sent_at,
                    sent_at=reminder.sent_at,
                )
            )
    Email.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_scoring_criteria"),
        ("organizations", "0001_initial"),
        ("empowerment", "0003_outgoing_email"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="ReminderSent"),
    ]
