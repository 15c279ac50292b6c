"""Create the staff groups (Programme officer, Finance officer, Trainer, Administrator) with their model
permissions. Permissions of models added later are granted after each migrate (empowerment.apps)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_groups(apps, schema_editor):
    from empowerment.roles import staff_groups_sync

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    staff_groups_sync(apps=apps, using=schema_editor.connection.alias)


def remove_groups(apps, schema_editor):
    from empowerment.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("empowerment", "0001_initial"),
        ("organizations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
