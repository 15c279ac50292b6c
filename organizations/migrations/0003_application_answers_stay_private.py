"""Organizations approved before the answers stayed private carry their application's "why we want to join"
as their public description: empty it (the organization publishes its own description)."""

from django.db import migrations


def unpublish_application_answers(apps, schema_editor):
    Application = apps.get_model("organizations", "ProgrammeApplication")
    Organization = apps.get_model("organizations", "Organization")
    for org_id, motivation in Application.objects.filter(organization__isnull=False).values_list(
        "organization_id", "motivation"
    ):
        if motivation.strip():
            Organization.objects.filter(pk=org_id, description__in=[motivation, motivation.strip()]).update(
                description=""
            )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_due_diligence_review_and_volunteer_rate")]

    operations = [migrations.RunPython(unpublish_application_answers, migrations.RunPython.noop)]
