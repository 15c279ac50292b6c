from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Rows no public page shows, or written so often (progress, reminders) that they would only empty the cache.
PRIVATE_OR_BOOKKEEPING_MODELS = [
    "organizations.invitation",
    "organizations.programmeapplication",
    "fundraising.importbatch",
    "fundraising.notificationnonce",
    "fundraising.ledgerchain",
    "transparency.follower",
    "transparency.announcement",
    "transparency.dashboardsnapshot",  # derived from rows whose own changes already count
]


class TransparencyConfig(AppConfig):
    name = "transparency"
    verbose_name = _("Transparency")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from empowerment.pagecache import watch_public_content  # noqa: PLC0415

        from . import documents  # noqa: F401 - registers the transparency report PDFs

        # The public pages show these apps' rows: any change renders them again (empowerment.pagecache).
        watch_public_content(
            ["organizations", "trainings", "projects", "fundraising", "transparency", "empowerment.document"],
            except_models=PRIVATE_OR_BOOKKEEPING_MODELS,
        )

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
