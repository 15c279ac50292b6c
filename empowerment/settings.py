"""Settings for the whole platform, read from the environment (see .env.example).

Without any environment the site runs on the embedded default: SQLite, in-process tasks and a
local-memory cache. Production sets DEBUG=false, SECRET_KEY, DATABASE_URL and REDIS_URL.
"""

import sys
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)
TESTING = env.bool("TESTING", default="pytest" in sys.modules)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = "insecure-development-key-only-for-the-embedded-default"  # noqa: S105 - DEBUG only (see above)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "modeltranslation",  # before the admin: translated model fields and their admin classes
    "empowerment.admin_apps.PlatformAdminConfig",  # Django's admin, its navigation list kept a minute
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "csp",
    "empowerment",
    "organizations",
    "trainings",
    "projects",
    "fundraising",
    "transparency",
    "ninja",  # the public API's Swagger UI, served from static files
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fundraising.middleware.SignedNotificationMiddleware",  # signed notifications, before the rest of the stack
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "empowerment.pagecache.CachedPageMiddleware",  # a fresh stored public page, before the rest of the stack
    "transparency.middleware.StoredFileMiddleware",  # a stored open-data file, before the rest of the stack
    "api.middleware.PublicApiMiddleware",  # /api/v1/: CORS, rate limit, ETag/304, problem details
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "empowerment.middleware.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "empowerment.middleware.PrivilegedMFAMiddleware",
]

ROOT_URLCONF = "empowerment.urls"
WSGI_APPLICATION = "empowerment.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "empowerment.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that a connection busy serving requests does not pay for.
    DATABASES["default"]["ENGINE"] = "empowerment.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "empowerment.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "organizations:portal_home"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: login by email, verified addresses, rate limits held in the shared cache.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "empowerment.accounts.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/m/ip,5/5m/key",
    "reset_password": "5/m/ip,3/5m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Community Empowerment Programme"
# Staff groups whose members must have two-factor authentication before using the site.
MFA_REQUIRED_GROUPS = ["Administrator", "Finance officer"]
MFA_REQUIRED_FOR_PRIVILEGED = env.bool("MFA_REQUIRED_FOR_PRIVILEGED", default=not DEBUG)

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
# Each app keeps its own catalogue in <app>/locale; site-wide templates/ keep theirs in templates/locale.
LOCALE_PATHS = [BASE_DIR / "templates" / "locale"]
# Public texts (names, titles, descriptions) are stored in both languages by django-modeltranslation
# (<field>_en, <field>_zh_hans); the data is mostly entered in Chinese, so Chinese is the default (required
# in the admin where the text is required) and each language falls back to the other.
MODELTRANSLATION_DEFAULT_LANGUAGE = "zh-hans"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("zh-hans", "en")
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
WHITENOISE_USE_FINDERS = DEBUG or TESTING
FORMS_URLFIELD_ASSUME_HTTPS = True
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
if not MEDIA_ROOT.is_absolute():
    MEDIA_ROOT = BASE_DIR / MEDIA_ROOT
# Uploaded files are never served from a public path: every download goes through a view that checks
# permissions. MEDIA_URL exists only because Django requires it.
MEDIA_URL = "/files/"
_static_backend = (
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if not DEBUG and not TESTING
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _static_backend},
}
if env.str("S3_BUCKET", default=""):
    # Uploads and documents in an S3-compatible object store (django-storages), so that several web and
    # worker machines share them: every read and write goes through the storage API, none through a path.
    # Files stay private (each download passes through a view that checks permissions) and a name already
    # taken gets a suffix, as on the local disk, instead of replacing another upload of the same name.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            # Empty counts as unset (the compose file passes every variable): AWS's own address, the
            # machine's own credentials, the default region and addressing.
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("S3_SECRET_KEY", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "addressing_style": env.str("S3_ADDRESSING_STYLE", default="") or None,
            "location": env.str("S3_PREFIX", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# The object store's address as visitors' browsers reach it. Public files (the open-data downloads) are then
# fetched from the store itself at a short-lived signed address instead of passing through a web process.
# Unset: the store's own address when it is AWS's (S3_ENDPOINT_URL empty), else none (e.g. MinIO on the
# machines' own network), and the files pass through the web process.
S3_PUBLIC_ENDPOINT_URL = env.str("S3_PUBLIC_ENDPOINT_URL", default="")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
# Limits for uploaded images and documents (bytes and decoded pixels).
UPLOAD_MAX_IMAGE_BYTES = 5 * 1024 * 1024
UPLOAD_MAX_IMAGE_PIXELS = 40_000_000
UPLOAD_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "empowerment.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Public pages are stored whole for anonymous visitors (empowerment.pagecache) and rendered again after any
# change they show; this bounds how long the passing of time alone ("3 days left") can go unseen. 0: off.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=120)
# Each web process serves the fresh pages it served last from its own memory for this many seconds after it
# last read their versions from the cache (a change made elsewhere shows at most that much later). 0: off.
PUBLIC_PAGE_LOCAL_SECONDS = env.float("PUBLIC_PAGE_LOCAL_SECONDS", default=0.2)
# Each process keeps the channel it read for a signed notification (with the campaign or fund it named) this
# many seconds for the next ones (fundraising.notify); a change made elsewhere shows at most that much later.
NOTIFY_CHANNEL_KEEP_SECONDS = env.float("NOTIFY_CHANNEL_KEEP_SECONDS", default=0.2)
# Money figures (the pages and figures showing the ledger) are published at most once in this many seconds.
MONEY_PUBLISH_SECONDS = env.float("MONEY_PUBLISH_SECONDS", default=1.0)
# The public API (/api/v1/): requests per window per client address, counted in the shared cache.
API_RATE_LIMIT = env.int("API_RATE_LIMIT", default=120)
API_RATE_WINDOW = env.int("API_RATE_WINDOW", default=60)

# Celery: Redis in production; without a broker tasks run in-process (the embedded default).
# CELERY_BROKER_URL names a separate broker; empty or unset, the broker is REDIS_URL.
_BROKER = env.str("CELERY_BROKER_URL", default="") or REDIS_URL
CELERY_BROKER_URL = _BROKER or "memory://localhost/"
# CELERY_EAGER=true runs tasks in-process even with a broker (the test suite does, except the tests that
# start a real worker).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=not _BROKER)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600)}
# With the broker down a request must not hang: publishing gives up quickly (the document stays queued and
# the beat job re-dispatches it).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Periodic tasks are declared here, in code; apps add theirs in empowerment/celery.py.
CELERY_BEAT_SCHEDULE: dict = {}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="programme@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_NAME = _("Community Empowerment Programme")
# The public address of the site, for links printed in PDFs and emails sent by workers.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content-Security-Policy: everything is served by the site itself; no inline scripts or styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'"],  # the offline portal's service worker (/sw.js)
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Chromium used by the browser tests (Debian's package).
CHROMIUM_PATH = env.str("CHROMIUM_PATH", default="/usr/bin/chromium")

DOCUMENT_RENDER_TIMEOUT = env.int("DOCUMENT_RENDER_TIMEOUT", default=300)
DOCUMENT_RETRY_BACKOFF = env.float("DOCUMENT_RETRY_BACKOFF", default=5.0)
CELERY_BEAT_SCHEDULE["redispatch-stale-documents"] = {
    "task": "empowerment.tasks.redispatch_stale_documents",
    "schedule": 120.0,
}
# Email (empowerment.mail): retried after EMAIL_RETRY_BACKOFF seconds, doubled each time; emails left queued
# or stuck sending are dispatched again by beat.
EMAIL_RETRY_BACKOFF = env.float("EMAIL_RETRY_BACKOFF", default=5.0)
CELERY_BEAT_SCHEDULE["redispatch-stale-emails"] = {
    "task": "empowerment.tasks.redispatch_stale_emails",
    "schedule": 120.0,
}
# Stored files that no row refers to (an upload whose transaction rolled back), deleted once a day.
CELERY_BEAT_SCHEDULE["delete-unreferenced-files"] = {
    "task": "empowerment.tasks.delete_unreferenced_files",
    "schedule": crontab(hour=3, minute=40),
}
# Each app may declare periodic tasks in <app>/schedule.py as a plain BEAT_SCHEDULE dict.
for _app in ("organizations", "trainings", "projects", "fundraising", "transparency"):
    try:
        CELERY_BEAT_SCHEDULE.update(__import__(f"{_app}.schedule", fromlist=["BEAT_SCHEDULE"]).BEAT_SCHEDULE)
    except ModuleNotFoundError as _exc:
        if _exc.name != f"{_app}.schedule":
            raise

if TESTING:
    # Fast hashing keeps the suite quick; production uses Django's default PBKDF2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
