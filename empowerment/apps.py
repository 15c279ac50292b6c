from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_staff_groups(sender, using, apps=None, **kwargs):
    # Keeps the staff groups' permissions in step with models added after the groups' migration. Runs once
    # per migrate, after the last installed app, when every app's permissions exist.
    from django.conf import settings  # noqa: PLC0415

    from empowerment.roles import staff_groups_sync  # noqa: PLC0415

    if sender.name != settings.INSTALLED_APPS[-1]:
        return

    staff_groups_sync(using=using)


class EmpowermentConfig(AppConfig):
    name = "empowerment"
    verbose_name = _("Platform")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_sync_staff_groups, dispatch_uid="empowerment.sync_staff_groups")
        import os  # noqa: PLC0415

        if os.environ.get("EMPOWERMENT_TEST_DOCUMENT_KINDS") == "1":  # the fault tests' worker only
            import empowerment.documents.testing  # noqa: F401, PLC0415
