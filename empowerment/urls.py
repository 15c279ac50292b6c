from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from api import views as api_views
from api.v1 import api as api_v1
from empowerment import audit, export, pwa, views
from transparency.views import public as transparency_public

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("", transparency_public.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),  # stores a signed-in person's choice
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/logout/", pwa.logout, name="account_logout"),  # allauth's, clearing the cached pages
    path("accounts/", include("allauth.urls")),
    path("sw.js", pwa.service_worker, name="pwa_service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="pwa_manifest"),
    path("offline/", pwa.offline, name="pwa_offline"),
    path("offline/drafts/", pwa.drafts, name="pwa_drafts"),
    path("offline/kit.json", pwa.field_kit, name="pwa_field_kit"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify, name="verify_code"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/audit/", audit.audit_trail, name="staff_audit"),
    path("o/<slug:org_slug>/export/", export.organization_export, name="organization_export"),
    path("documents/<uuid:pk>/", views.document_detail, name="document_detail"),
    path("documents/<uuid:pk>/status/", views.document_status, name="document_status"),
    path("documents/<uuid:pk>/download/", views.document_download, name="document_download"),
    path("documents/<uuid:pk>/retry/", views.document_retry_view, name="document_retry"),
    path("documents/<uuid:pk>/discard/", views.document_discard_view, name="document_discard"),
    path("api/v1/docs", api_views.docs, name="api_docs"),
    path("api/v1/", api_v1.urls),
    path("", include("organizations.urls")),
    path("", include("trainings.urls")),
    path("", include("projects.urls")),
    path("", include("fundraising.urls")),
    path("", include("transparency.urls")),
]

handler404 = "empowerment.errors.not_found"
handler500 = "empowerment.errors.server_error"
handler403 = "empowerment.errors.forbidden"
handler400 = "empowerment.errors.bad_request"
