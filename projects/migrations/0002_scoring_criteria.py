from django.db import migrations

CRITERIA = [
    ("severity", "Severity", "How serious the problem is for the people who have it", 3, 1),
    ("people_affected", "People affected", "How many people in the community have the problem", 2, 2),
    ("urgency", "Urgency", "How soon harm follows if nothing is done", 2, 3),
    ("feasibility", "Feasibility", "Whether the organization can act on it with its means", 1, 4),
]


def create(apps, schema_editor):
    ScoringCriterion = apps.get_model("projects", "ScoringCriterion")
    for key, name, description, weight, position in CRITERIA:
        ScoringCriterion.objects.get_or_create(
            key=key, defaults={"name": name, "description": description, "weight": weight, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
