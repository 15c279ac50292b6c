"""The programme's five course themes and the seven capacity dimensions (both editable in the admin)."""

from django.db import migrations

MODULES = [
    ("community-work-concepts", "Community work concepts", "社区工作理念", 1),
    ("needs-assessment", "Needs-assessment research", "需求评估调研", 2),
    ("project-plan-design", "Project plan design", "项目方案设计", 3),
    ("practical-methods", "Practical methods", "实务方法", 4),
    ("sustainable-operation", "Sustainable operation", "可持续运营", 5),
]

DIMENSIONS = [
    ("needs-identification", "Needs identification", "需求识别", 1),
    ("problem-definition", "Problem definition", "问题界定", 2),
    ("methods-countermeasures", "Methods and countermeasures", "方法与对策", 3),
    ("sustainability", "Sustainability", "可持续性", 4),
    ("governance", "Governance", "内部治理", 5),
    ("finance", "Finance", "财务管理", 6),
    ("volunteers", "Volunteers", "志愿者管理", 7),
]


def seed(apps, schema_editor):
    Module = apps.get_model("trainings", "Module")
    Dimension = apps.get_model("trainings", "CapacityDimension")
    for slug, name, name_zh, position in MODULES:
        Module.objects.get_or_create(slug=slug, defaults={"name": name, "name_zh": name_zh, "position": position})
    for slug, name, name_zh, position in DIMENSIONS:
        Dimension.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "name_zh": name_zh, "position": position, "scale_min": 1, "scale_max": 5},
        )


class Migration(migrations.Migration):
    dependencies = [("trainings", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
