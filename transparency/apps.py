from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "transparency"
    verbose_name = _("Transparency")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import documents  # noqa: F401 - registers the transparency report PDFs

    def portal_links(self, request):
        from django.urls import reverse  # noqa: PLC0415

        org = request.organization
        return [
            (_("Transparency reports"), reverse("transparency:portal_reports", args=[org.slug])),
            (_("Disclosure calendar"), reverse("transparency:portal_disclosures", args=[org.slug])),
        ]

    def staff_links(self, request):
        from django.urls import reverse  # noqa: PLC0415

        return [
            (_("Transparency reports: request and follow"), reverse("transparency:staff_reports")),
            (_("Disclosure calendar: due, soon due and overdue"), reverse("transparency:staff_disclosures")),
            (_("Public questions and concerns to answer"), reverse("admin:transparency_question_changelist")),
        ]
