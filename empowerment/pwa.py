"""The portal as an installable web app that works in the field without a connection.

- `manifest`: the web app manifest, in the visitor's language, with the icons in static/pwa/icons/.
- `service_worker`: static/pwa/sw.js served at /sw.js (so that it may control the whole site) with its
  version and the list of shell files written in front of it. The version is a hash of the shell files
  and of the worker itself (or settings.PWA_VERSION when set), so each deploy that changes them installs
  a new worker, which drops the old caches.
- `offline`: the page the worker shows for a page it has not kept (anonymous, no private data).
- `drafts`: the list of drafts kept on this device (drawn by static/pwa/drafts.js from IndexedDB).
- `field_kit`: what the forms used in the field need, for the signed-in person: their active projects
  with indicators and reporting periods, the sessions they teach with their enrolment lists, the
  organizations they mentor. Kept by the worker with the time it was fetched.
- `logout`: allauth's sign-out with `Clear-Site-Data: "cache"` on its answer.

The worker keeps a page only when its answer says so (offline_forms.OFFLINE_HEADER, set by `offline_page` on the three
field forms, the drafts page and the field kit, for signed-in people only), in a cache named after the
person, so nothing of /staff/ or /admin/ is kept except those forms, and nothing for anonymous visitors.
This module composes the apps' data (it imports their selectors), like the other composition modules."""

import hashlib
import json
from datetime import timedelta
from functools import lru_cache

from allauth.account.views import logout as allauth_logout
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db.models import Max, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from empowerment.offline_forms import offline_page

# Files every page of the field forms needs, kept by the worker when it installs.
SHELL_FILES = (
    "vendor/bootstrap/bootstrap.min.css",
    "css/site.css",
    "css/projects.css",
    "css/trainings.css",
    "vendor/htmx/htmx.min.js",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "js/site.js",
    "js/projects.js",
    "js/trainings.js",
    "pwa/store.js",
    "pwa/drafts.js",
    "favicon.svg",
    "pwa/icons/icon-192.png",
)
ICONS = (("pwa/icons/icon-192.png", "192x192", "any"), ("pwa/icons/icon-512.png", "512x512", "any"))
MASKABLE = ("pwa/icons/icon-maskable-512.png", "512x512", "maskable")
# At most this many form pages are fetched ahead for offline use from the field kit.
PREFETCH_LIMIT = 40


def _static_url(path: str) -> str | None:
    """The file's address (hashed in production); None for a file the static files do not hold."""
    try:
        return static(path)
    except ValueError:  # missing from the manifest of the hashed names
        return None


def _read_static(path: str) -> bytes:
    found = finders.find(path)
    if found:
        with open(found, "rb") as handle:
            return handle.read()
    return b""


def _compute_version() -> str:
    digest = hashlib.sha256()
    for path in ("pwa/sw.js", *SHELL_FILES):
        digest.update(path.encode())
        digest.update((_static_url(path) or "").encode())  # the hashed name in production
        digest.update(_read_static(path))
    return digest.hexdigest()[:16]


_cached_version = lru_cache(maxsize=1)(_compute_version)


def worker_version() -> str:
    """settings.PWA_VERSION when set (e.g. the deployed commit); otherwise a hash that changes whenever a
    shell file or the worker changes (recomputed on every call while debugging)."""
    if getattr(settings, "PWA_VERSION", ""):
        return str(settings.PWA_VERSION)
    return _compute_version() if settings.DEBUG else _cached_version()


@require_GET
def service_worker(request):
    config = {
        "version": worker_version(),
        "shell": [url for url in map(_static_url, SHELL_FILES) if url],
        "store": static("pwa/store.js"),
        "offline": reverse("pwa_offline"),
        "kit": reverse("pwa_field_kit"),
        "drafts": reverse("pwa_drafts"),
        "static": settings.STATIC_URL,
        "prefetchLimit": PREFETCH_LIMIT,
    }
    body = f"self.PWA = {json.dumps(config)};\n".encode() + _read_static("pwa/sw.js")
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    icons = [
        {"src": static(src), "sizes": sizes, "type": "image/png", "purpose": purpose}
        for src, sizes, purpose in (*ICONS, MASKABLE)
    ]
    data = {
        "id": "/",
        "name": str(settings.SITE_NAME),
        "short_name": _("Field portal"),
        "description": _("Report progress, attendance and mentoring visits, also without a connection."),
        "lang": "zh-Hans" if get_language() == "zh-hans" else "en",
        "start_url": reverse("organizations:portal_home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request):
    """What the worker shows for a page it has not kept. It is kept without cookies, so it shows nothing of
    anyone."""
    response = render(request, "pwa/offline.html")
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_GET
def drafts(request):
    return offline_page(render(request, "pwa/drafts.html"), request)


def _periods(project, covered_until):
    """The project's reporting periods from the first not yet reported, at most six."""
    from projects.selectors import next_report_period  # noqa: PLC0415

    periods, until = [], covered_until
    while len(periods) < 6:
        period = next_report_period(project, covered_until=until)
        if period is None:
            break
        periods.append({"start": period[0].isoformat(), "end": period[1].isoformat()})
        until = period[1]
    return periods


def _kit_projects(user) -> list[dict]:
    from organizations.selectors import organizations_for_user  # noqa: PLC0415
    from projects.models import ProgressUpdate, Project  # noqa: PLC0415

    org_ids = [
        org.pk for org in organizations_for_user(user) if user.has_perm("projects.edit_org_projects", org)
    ]
    reported = [ProgressUpdate.Status.SUBMITTED, ProgressUpdate.Status.APPROVED]
    projects = (
        Project.objects.filter(organization_id__in=org_ids, status=Project.Status.ACTIVE)
        .select_related("organization")
        .prefetch_related("indicators")
        .annotate(
            covered_until=Max("updates__period_end", filter=Q(updates__status__in=reported)),
        )
        .order_by("organization__name", "title")
    )
    return [
        {
            "id": p.pk,
            "title": p.title,
            "organization": p.organization.name,
            "form": reverse("projects:update_new", args=[p.organization.slug, p.pk]),
            "start": p.start_date.isoformat() if p.start_date else None,
            "end": p.end_date.isoformat() if p.end_date else None,
            "periods": _periods(p, p.covered_until),
            "indicators": [
                {
                    "field": f"indicator_{ind.pk}",
                    "name": ind.name,
                    "unit": ind.unit,
                    "type": ind.get_value_type_display(),
                }
                for ind in p.indicators.all()
            ],
        }
        for p in projects
    ]


def _kit_sessions(user) -> list[dict]:
    from trainings.models import Session  # noqa: PLC0415
    from trainings.selectors import attendance_sheet  # noqa: PLC0415

    if not user.has_perm("trainings.take_attendance"):
        return []
    now = timezone.now()
    sessions = (
        Session.objects.filter(
            trainers=user, starts_at__gte=now - timedelta(days=14), starts_at__lte=now + timedelta(days=30)
        )
        .select_related("cohort", "module")
        .order_by("starts_at")[:20]
    )
    return [
        {
            "id": s.pk,
            "title": str(s),
            "cohort": s.cohort.name,
            "starts_at": timezone.localtime(s.starts_at).isoformat(),
            "form": reverse("trainings:attendance_take", args=[s.pk]),
            "enrolled": [
                {"id": e.pk, "name": e.participant.name, "organization": e.participant.organization.name}
                for e, _status in attendance_sheet(s)
            ],
        }
        for s in sessions
    ]


def _kit_mentoring(user) -> list[dict]:
    from trainings.selectors import mentor_organizations  # noqa: PLC0415

    if not user.has_perm("trainings.log_mentoring"):
        return []
    return [
        {
            "id": org.pk,
            "name": org.name,
            "last_visit": org.last_visit.isoformat() if org.last_visit else None,
            "open_actions": org.n_open,
            "form": reverse("trainings:visit_log", args=[org.pk]),
        }
        for org in mentor_organizations(user)
        if user.has_perm("trainings.mentor_organization", org)
    ]


@login_required
@require_GET
def field_kit(request):
    user = request.user
    data = {
        "user": user.pk,
        "fetched_at": timezone.now().isoformat(),
        "projects": _kit_projects(user),
        "sessions": _kit_sessions(user),
        "organizations": _kit_mentoring(user),
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-cache"
    return offline_page(response, request)


def logout(request, *args, **kwargs):
    """allauth's sign-out; the answer tells the browser to drop what it cached of the signed-in pages."""
    response = allauth_logout(request, *args, **kwargs)
    if request.method == "POST":
        response["Clear-Site-Data"] = '"cache"'
    return response
