"""Cross-cutting views: health check, generated documents (status, download, retry, discard)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from empowerment.documents import registry
from empowerment.documents.services import document_discard, document_retry
from empowerment.mail import remember_language
from empowerment.models import Document

logger = logging.getLogger(__name__)


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_cache() -> str:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return what was stored")
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_BROKER_URL.startswith("memory://"):
        return "in-process"
    from empowerment.celery import app  # noqa: PLC0415

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """Report the database, cache and broker; 503 when any of them is down."""
    checks = {}
    healthy = True
    for name, check in (("database", _check_database), ("cache", _check_cache), ("broker", _check_broker)):
        try:
            checks[name] = check()
        except Exception as exc:
            healthy = False
            checks[name] = f"down: {type(exc).__name__}"
            logger.warning("health check %s failed: %s", name, exc)
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "checks": checks}, status=200 if healthy else 503
    )


def _visible_document(request, pk) -> Document:
    """The document if the user may read it; otherwise the same 404 as for one that does not exist."""
    document = get_object_or_404(Document.objects.select_related("subject_type"), pk=pk)
    spec = registry.get(document.kind)
    subject = document.subject
    if subject is None:
        raise Http404
    # The person who asked for a document always follows its progress and downloads it.
    requested_it = request.user.is_authenticated and document.requested_by_id == request.user.pk
    public = spec.public and document.status == Document.Status.READY
    if not (public or requested_it or spec.can_view(request.user, subject)):
        raise Http404
    return document


def _can_retry(request, document) -> bool:
    return (
        document.status == Document.Status.FAILED
        and request.user.is_authenticated
        and registry.get(document.kind).can_request(request.user, document.subject)
    )


@never_cache
@require_GET
def document_detail(request, pk):
    document = _visible_document(request, pk)
    return render(
        request,
        "empowerment/document_detail.html",
        {"document": document, "can_retry": _can_retry(request, document)},
    )


@never_cache
@require_GET
def document_status(request, pk):
    """The status fragment that the detail page polls (htmx) until the document is ready or failed."""
    document = _visible_document(request, pk)
    return render(
        request,
        "empowerment/_document_status.html",
        {"document": document, "can_retry": _can_retry(request, document)},
    )


@require_GET
def document_download(request, pk):
    document = _visible_document(request, pk)
    if document.status != Document.Status.READY or not document.file:
        raise Http404
    filename = registry.get(document.kind).filename(document.subject, document.params)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{filename}-{document.verification_code}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def document_retry_view(request, pk):
    document = _visible_document(request, pk)
    if not _can_retry(request, document):
        raise Http404
    document_retry(document=document, user=request.user)
    messages.info(request, _("The document was queued again."))
    return redirect("document_detail", pk=document.pk)


@require_POST
def document_discard_view(request, pk):
    """Delete a failed document (whoever may retry it may discard it instead), then go back where the user
    came from: the safe `next` address, else the document's subject, else the home page."""
    document = _visible_document(request, pk)
    if not _can_retry(request, document):
        raise Http404
    subject = document.subject
    document_discard(document=document, user=request.user)
    messages.info(request, _("The failed document was discarded."))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    get_url = getattr(subject, "get_absolute_url", None)
    return redirect(get_url() if get_url else "home")


@require_GET
def verify(request, code=None):
    """Check a verification code from a certificate, report or receipt. Unknown codes get a clear 404."""
    from empowerment import verification  # noqa: PLC0415

    code = (code or request.GET.get("code", "")).strip()
    if not code:
        return render(request, "empowerment/verify.html", {"code": ""})
    if len(code) > 64:
        return render(request, "empowerment/verify.html", {"code": code[:64], "unknown": True}, status=404)
    for verifier in verification.verifiers():
        found = verifier(code)
        if found:
            return render(request, found["template"], {"code": code, **found["context"]})
    document = Document.objects.filter(verification_code=code.upper(), status=Document.Status.READY).first()
    if document is None:
        return render(request, "empowerment/verify.html", {"code": code, "unknown": True}, status=404)
    return render(request, "empowerment/verify.html", {"code": code, "document": document})


@require_GET
def staff_home(request):
    """Staff pages that the admin is a poor fit for (review queues, dashboards), collected from the apps."""
    from django.apps import apps  # noqa: PLC0415

    from empowerment.authz import is_staff_member  # noqa: PLC0415

    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login  # noqa: PLC0415

        return redirect_to_login(request.get_full_path())
    if not is_staff_member(request.user):
        raise Http404
    sections = []
    for config in apps.get_app_configs():
        links = getattr(config, "staff_links", None)
        if links:
            items = links(request)
            if items:
                sections.append((config.verbose_name, items))
    return render(request, "empowerment/staff_home.html", {"sections": sections})


def set_language(request):
    """Django's language switch; a signed-in person's choice is also stored on their account, so the emails
    written to them later (by other people's actions, by scheduled jobs) are in the language they chose."""
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        remember_language(request.user, request.POST.get("language"))
    return response
