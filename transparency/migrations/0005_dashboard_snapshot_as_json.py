"""The dashboard snapshot's figures are JSON (transparency.snapshot_codec), no longer pickle. The stored
snapshot is derived data: it is dropped and the next visit or beat run computes it again."""

from django.db import migrations, models


def drop_pickled_snapshots(apps, schema_editor):
    apps.get_model("transparency", "DashboardSnapshot").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("transparency", "0004_notices_and_reminders_are_keyed_emails"),
    ]

    operations = [
        migrations.RunPython(drop_pickled_snapshots, migrations.RunPython.noop),
        migrations.RemoveField(model_name="dashboardsnapshot", name="figures"),
        migrations.AddField(
            model_name="dashboardsnapshot",
            name="figures",
            field=models.JSONField(default=dict, verbose_name="figures"),
        ),
    ]
