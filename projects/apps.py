from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_criteria(sender, using, **kwargs):
    # Reference data, not business logic: a flush (transactional tests) empties the table.
    from .reference import criteria_ensure  # noqa: PLC0415

    criteria_ensure(using=using)


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_ensure_criteria, sender=self, dispatch_uid="projects.ensure_criteria")
        from . import documents  # noqa: F401 - registers the project progress report PDF

    def portal_links(self, request):
        from django.urls import reverse  # noqa: PLC0415

        org = request.organization
        return [
            (_("Needs assessments"), reverse("projects:assessment_list", args=[org.slug])),
            (_("Projects and progress updates"), reverse("projects:portal_list", args=[org.slug])),
        ]

    def staff_links(self, request):
        from django.urls import reverse  # noqa: PLC0415

        return [
            (_("Project proposals and progress updates to review"), reverse("projects:staff_review")),
            (_("Projects with overdue progress updates"), reverse("projects:staff_overdue")),
            (
                _("Results by theme: theme indicators added up across projects"),
                reverse("projects:staff_results"),
            ),
            (_("Theme indicators"), reverse("admin:projects_standardindicator_changelist")),
            (_("Scoring criteria and their weights"), reverse("admin:projects_scoringcriterion_changelist")),
        ]

    def export_organization_data(self, organization):
        """This app's rows of one organization, for the organization data export (empowerment.export)."""
        from .selectors import organization_export_tables  # noqa: PLC0415

        return organization_export_tables(organization)
