from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundraisingConfig(AppConfig):
    name = "fundraising"
    verbose_name = _("Fundraising")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import documents  # noqa: F401 - registers the donation receipt PDF and its verifier
        from .receipts import documents as _statements  # noqa: F401 - registers the donor statement PDF
        from .statements import documents as _annual  # noqa: F401 - registers the annual statements PDF

    def portal_links(self, request):
        from django.urls import reverse  # noqa: PLC0415

        if not request.user.has_perm("fundraising.view_org_finance", request.organization):
            return []
        return [
            (
                _("Money: disbursements and expenditures"),
                reverse("fundraising:portal_finance", args=[request.organization.slug]),
            )
        ]

    def staff_links(self, request):
        from django.urls import reverse  # noqa: PLC0415

        links = []
        if request.user.has_perm("fundraising.view_dashboard"):
            links.append((_("Finance dashboard"), reverse("fundraising:dashboard")))
            links.append((_("Financial statements"), reverse("fundraising:statements")))
        if request.user.has_perm("fundraising.manage_money"):
            links += [
                (_("Record a donation"), reverse("fundraising:donation_new")),
                (_("Grants and government service contracts"), reverse("fundraising:grant_list")),
                (_("Overdue grant tranches"), reverse("fundraising:grant_overdue")),
                (_("In-kind gifts"), reverse("fundraising:in_kind_list")),
                (_("Expenditures waiting for approval"), reverse("fundraising:expenditure_list")),
                (_("Import a donation export"), reverse("fundraising:import_new")),
                (_("Official donation receipts"), reverse("fundraising:receipt_list")),
                (_("Donors and year-end statements"), reverse("fundraising:donor_list")),
                (_("Chart of accounts"), reverse("fundraising:chart_of_accounts")),
                (_("Close a month"), reverse("fundraising:period_close")),
            ]
        return links

    def export_organization_data(self, organization):
        """This app's rows of one organization, for the organization data export (empowerment.export)."""
        from .selectors import organization_export_tables  # noqa: PLC0415

        return organization_export_tables(organization)
