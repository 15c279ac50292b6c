from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Public API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Build the API (its pydantic schemas) when Django starts, with the real date and datetime classes:
        # built lazily on a first request made under a frozen clock (tests), the schemas would see
        # freezegun's stand-in classes and fail.
        from api import v1  # noqa: F401, PLC0415
