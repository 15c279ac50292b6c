from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from empowerment import verification  # noqa: PLC0415

        from . import documents  # noqa: F401, PLC0415 - registers the certificate PDF
        from .verification import verify_certificate  # noqa: PLC0415

        verification.register(verify_certificate)

    def portal_links(self, request):
        from django.urls import reverse  # noqa: PLC0415

        org = request.organization
        if not request.user.has_perm("trainings.view_org_training", org):
            return []
        return [
            (
                _("Training: participants, attendance and certificates"),
                reverse("trainings:portal_overview", args=[org.slug]),
            ),
            (_("Training exercises and feedback"), reverse("trainings:portal_exercises", args=[org.slug])),
            (
                _("Mentoring visits and agreed actions"),
                reverse("trainings:portal_mentoring", args=[org.slug]),
            ),
            (_("Capacity assessments"), reverse("trainings:portal_capacity", args=[org.slug])),
        ]

    def staff_links(self, request):
        from django.urls import reverse  # noqa: PLC0415

        if not request.user.has_perm("trainings.run_training"):
            return []
        assign = (
            [(_("Assign expert mentors to organizations"), reverse("trainings:mentor_assignments"))]
            if request.user.has_perm("trainings.assign_mentor")
            else []
        )
        return assign + [
            (_("Cohorts and their dashboards"), reverse("trainings:cohort_list")),
            (_("Set up a new cohort"), reverse("trainings:cohort_create")),
            (_("Exercise submissions to review"), reverse("trainings:review_queue")),
            (_("Overdue agreed actions from mentoring"), reverse("trainings:overdue_actions")),
            (_("Course modules"), reverse("admin:trainings_module_changelist")),
            (_("My organizations: expert mentoring visits"), reverse("trainings:mentor_home")),
            (_("Open agreed actions across my organizations"), reverse("trainings:mentor_actions")),
            (_("Capacity assessments: score organizations"), reverse("trainings:capacity_index")),
        ]

    def export_organization_data(self, organization):
        """This app's rows of one organization, for the organization data export (empowerment.export)."""
        from .selectors import organization_export_tables  # noqa: PLC0415

        return organization_export_tables(organization)
