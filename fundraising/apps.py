from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundraisingConfig(AppConfig):
    name = "fundraising"
    verbose_name = _("Fundraising")
    default_auto_field = "django.db.models.BigAutoField"
