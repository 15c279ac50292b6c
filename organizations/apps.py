from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import documents  # noqa: F401 - registers the organization profile PDF

    def portal_links(self, request):
        from django.urls import reverse  # noqa: PLC0415

        org = request.organization
        links = [
            (_("Members"), reverse("organizations:members", args=[org.slug])),
            (_("Due-diligence documents"), reverse("organizations:documents", args=[org.slug])),
            (_("Partners and the resources they bring"), reverse("organizations:partners", args=[org.slug])),
            (
                _("Volunteer teams, volunteers and hours"),
                reverse("organizations:volunteers", args=[org.slug]),
            ),
        ]
        if request.user.has_perm("organizations.change_profile", org):
            links.insert(0, (_("Edit the profile"), reverse("organizations:profile_edit", args=[org.slug])))
        return links

    def staff_links(self, request):
        from django.urls import reverse  # noqa: PLC0415

        links = [
            (
                _("Programme applications to review"),
                reverse("admin:organizations_programmeapplication_changelist") + "?status__exact=submitted",
            ),
        ]
        if request.user.has_perm("organizations.review_documents"):
            from . import selectors  # noqa: PLC0415

            counts = {
                "waiting": selectors.documents_to_review().count(),
                "lapsed": selectors.documents_lapsed().count(),
                "expiring": selectors.documents_expiring_soon(within_days=60).count(),
            }
            links.append(
                (
                    _(
                        "Due-diligence documents: %(waiting)s to verify, %(lapsed)s lapsed, "
                        "%(expiring)s expiring within 60 days"
                    )
                    % counts,
                    reverse("organizations:staff_documents"),
                )
            )
        return links
