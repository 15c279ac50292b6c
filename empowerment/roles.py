"""The foundation's staff groups and their model permissions, declared in one table.

The groups are created by a migration (empowerment 0002) and their permissions are brought up to date
after every `migrate` (apps added later get their permissions too), by `staff_groups_sync`."""

from django.apps import apps as global_apps

from empowerment.authz import ADMINISTRATOR, FINANCE_OFFICER, PROGRAMME_OFFICER, TRAINER

ALL = ("view", "add", "change", "delete")
WORK = ("view", "add", "change")
READ = ("view",)

# group → {app_label: actions}
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    PROGRAMME_OFFICER: {
        "organizations": WORK,
        "trainings": WORK,
        "projects": WORK,
        "fundraising": READ,
        "empowerment": READ,
        "transparency": WORK,
    },
    FINANCE_OFFICER: {
        "organizations": READ,
        "projects": READ,
        "fundraising": WORK,
        "empowerment": READ,
        "transparency": READ,
    },
    TRAINER: {
        "organizations": READ,
        "trainings": WORK,
        "projects": READ,
        "empowerment": READ,
        "transparency": READ,
    },
    ADMINISTRATOR: {
        "organizations": ALL,
        "trainings": ALL,
        "projects": ALL,
        "fundraising": WORK,
        "transparency": WORK,
        "empowerment": ALL,
        "auth": ALL,
        "mfa": READ,
    },
}


def staff_groups_sync(apps=global_apps, using="default") -> None:
    """Create the staff groups and grant each exactly the permissions of the table."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        wanted = []
        for app_label, actions in grants.items():
            for perm in Permission.objects.using(using).filter(content_type__app_label=app_label):
                action = perm.codename.split("_", 1)[0]
                # Historical models have no permissions of their own; ledger entries are never changed.
                if action in actions and "historical" not in perm.codename:
                    wanted.append(perm)
        group.permissions.set(wanted)
