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
    "transparency.opendatafile",  # a download's stored copy: rebuilt from rows that already count
    "transparency.projectparts",  # a project page's stored drawing: drawn from rows that already count
]


def _nothing(row):
    return ()


def _donation_topics(row):
    from empowerment.freshness import fund_topic  # noqa: PLC0415

    return (fund_topic(row.fund_id),) if row.fund_id else ()


def _dashboard_topics(row):
    return ("dashboard",)


# Rows whose change shows only on some pages (empowerment.pagecache): a stored notification is not money
# yet; the ledger publishes its own postings by fund (fundraising.ledger); a donation row shows on the
# pages of its fund; a new dashboard snapshot on the pages showing the programme's figures.
ROW_TOPICS = {
    "fundraising.donationnotification": _nothing,
    "fundraising.notificationconflict": _nothing,
    "fundraising.ledgertransaction": _nothing,
    "fundraising.ledgerentry": _nothing,
    "fundraising.ledgermonthtotal": _nothing,
    "fundraising.donation": _donation_topics,
    "transparency.dashboardsnapshot": _dashboard_topics,
}


class TransparencyConfig(AppConfig):
    name = "transparency"
    verbose_name = _("Transparency")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from empowerment.pagecache import watch_public_content  # noqa: PLC0415

        from . import (
            documents,  # noqa: F401 - registers the transparency report PDFs
            workreport,  # noqa: F401 - registers the annual work report PDFs
        )

        # The public pages show these apps' rows: any change renders them again (empowerment.pagecache).
        watch_public_content(
            ["organizations", "trainings", "projects", "fundraising", "transparency", "empowerment.document"],
            except_models=PRIVATE_OR_BOOKKEEPING_MODELS,
            topics_of=ROW_TOPICS,
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
            (
                _("Annual work report: assemble, write and publish"),
                reverse("transparency:workreport_staff_list"),
            ),
            (_("Public questions and concerns to answer"), reverse("admin:transparency_question_changelist")),
        ]
