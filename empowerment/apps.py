from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_staff_groups(sender, using, apps=None, **kwargs):
    # Keeps the staff groups' permissions in step with models added after the groups' migration. Runs once
    # per migrate, after the last installed app, when every app's permissions exist.
    # post_migrate is sent only for apps with a models module, so "last" is the last of those.
    from django.apps import apps as installed  # noqa: PLC0415

    from empowerment.roles import staff_groups_sync  # noqa: PLC0415

    with_models = [config for config in installed.get_app_configs() if config.models_module is not None]
    if sender.name != with_models[-1].name:
        return

    staff_groups_sync(using=using)


class EmpowermentConfig(AppConfig):
    name = "empowerment"
    verbose_name = _("Platform")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_sync_staff_groups, dispatch_uid="empowerment.sync_staff_groups")
        import os  # noqa: PLC0415

        import empowerment.deploy_checks  # noqa: F401, PLC0415 - registers the deploy checks

        if os.environ.get("EMPOWERMENT_TEST_DOCUMENT_KINDS") == "1":  # the fault tests' worker only
            import empowerment.documents.testing  # noqa: F401, PLC0415

    def staff_links(self, request):
        from django.urls import reverse  # noqa: PLC0415

        from empowerment.authz import is_administrator  # noqa: PLC0415

        links = [
            (_("Generated documents and their status"), reverse("admin:empowerment_document_changelist"))
        ]
        if is_administrator(request.user):
            links.append((_("Audit trail: who changed what"), reverse("staff_audit")))
        return links

    def portal_links(self, request):
        from django.urls import reverse  # noqa: PLC0415

        from organizations.rules import is_org_admin  # noqa: PLC0415

        if is_org_admin(request.user, request.organization):
            return [
                (
                    _("Export all of this organization's data (ZIP)"),
                    reverse("organization_export", args=[request.organization.slug]),
                )
            ]
        return []
