"""Followers' news and disclosure reminders are emails keyed by what they announce and to whom
(empowerment.mail); the FollowNotice and DisclosureReminder markers go. Each one already sent is carried
over as a sent email under the key the services now look for, so nobody hears of the same thing twice after
the upgrade."""

from django.db import migrations

PROGRAMME_OFFICER = "Programme officer"


def carry_over(apps, schema_editor):
    FollowNotice = apps.get_model("transparency", "FollowNotice")
    DisclosureReminder = apps.get_model("transparency", "DisclosureReminder")
    Email = apps.get_model("empowerment", "Email")
    Project = apps.get_model("projects", "Project")
    Membership = apps.get_model("organizations", "Membership")
    User = apps.get_model("empowerment", "User")
    rows = []

    def sent(key, to, subject, when):
        rows.append(
            Email(
                key=key[:255],
                to=to,
                subject=subject,
                body="",
                status="sent",
                attempts=1,
                created_at=when,
                sent_at=when,
            )
        )

    for notice in FollowNotice.objects.select_related("follower"):
        sent(
            f"follow-news:{notice.follower_id}:{notice.key}",
            notice.follower.email,
            "News (sent before the email outbox)",
            notice.sent_at,
        )
    officers = list(
        User.objects.filter(is_active=True, is_staff=True, groups__name=PROGRAMME_OFFICER).values_list(
            "email", flat=True
        )
    )
    for reminder in DisclosureReminder.objects.all():
        # Keys were "<obligation key>:<stage>"; project obligations start "project:<pk>:".
        recipients = officers
        parts = reminder.key.split(":")
        if parts[0] == "project" and len(parts) > 1 and parts[1].isdigit():
            project = Project.objects.filter(pk=int(parts[1])).first()
            if project is not None:
                members = list(
                    Membership.objects.filter(
                        organization_id=project.organization_id,
                        role__in=["admin", "editor"],
                        user__is_active=True,
                    ).values_list("user__email", flat=True)
                )
                recipients = members or officers
        for to in recipients:
            sent(
                f"disclosure-reminder:{reminder.key}:{to}",
                to,
                "Disclosure reminder (sent before the email outbox)",
                reminder.sent_at,
            )
    Email.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("transparency", "0003_dashboard_snapshot"),
        ("projects", "0002_scoring_criteria"),
        ("organizations", "0001_initial"),
        ("empowerment", "0003_outgoing_email"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="DisclosureReminder"),
        migrations.DeleteModel(name="FollowNotice"),
    ]
