"""Django's admin with the platform's site (empowerment.admin_site); apart, as the admin's site module
must not be imported while the applications load."""

from django.contrib.admin.apps import AdminConfig


class PlatformAdminConfig(AdminConfig):
    default_site = "empowerment.admin_site.PlatformAdminSite"
