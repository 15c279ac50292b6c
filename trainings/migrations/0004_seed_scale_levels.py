"""A description for each score of the seeded five-point capacity scales (editable in the admin)."""

from django.db import migrations

LEVELS = [
    (1, "Not in place: no practice or document yet", "尚未具备：没有相应的做法或文件"),
    (2, "Beginning: done now and then, depends on one person", "起步：偶尔开展，依赖个别人"),
    (
        3,
        "Developing: a regular practice, not yet written down or reviewed",
        "发展中：已成常规，但未成文或复盘",
    ),
    (4, "Established: a written practice followed by the team", "较完善：有成文做法，团队普遍遵循"),
    (
        5,
        "Strong: reviewed and improved with evidence, could teach others",
        "成熟：依据证据复盘改进，可带动他人",
    ),
]


def seed(apps, schema_editor):
    Dimension = apps.get_model("trainings", "CapacityDimension")
    ScaleLevel = apps.get_model("trainings", "ScaleLevel")
    for dimension in Dimension.objects.filter(scale_min=1, scale_max=5):
        for score, text, text_zh in LEVELS:
            ScaleLevel.objects.get_or_create(
                dimension=dimension, score=score, defaults={"description": text, "description_zh": text_zh}
            )


class Migration(migrations.Migration):
    dependencies = [("trainings", "0003_staff_screens_mentoring_capacity_enrolment")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
