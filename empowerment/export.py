"""An organization's own data as one ZIP archive, for its administrators (/o/<org>/export/).

The archive holds one CSV file per table (cells that a spreadsheet would run as a formula are escaped), the
organization's stored files (logo, due-diligence documents) and manifest.json listing every file with its row
count and SHA-256. Apps add their data with an AppConfig method
``export_organization_data(self, organization) -> dict[str, list[dict]]``; the organizations part is here.
"""

import csv
import hashlib
import io
import json
import logging
import zipfile

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from organizations.portal import portal_view
from organizations.rules import is_org_admin

logger = logging.getLogger(__name__)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Text for a CSV cell; one starting like a formula is prefixed with a quote so it stays text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _rows(queryset, fields: list[str]) -> list[dict]:
    out = []
    for obj in queryset:
        row = {}
        for name in fields:
            value = obj
            for part in name.split("__"):
                value = getattr(value, part, None) if value is not None else None
            row[name] = value.name if hasattr(value, "url") and hasattr(value, "name") else value
        out.append(row)
    return out


def organizations_data(organization) -> dict[str, list[dict]]:
    """The organizations app's tables for one organization."""
    profile = {
        f.name: getattr(organization, f.attname)
        for f in organization._meta.concrete_fields
        if f.name not in ("logo",)
    }
    profile["area"] = str(organization.area) if organization.area_id else ""
    profile["themes"] = "; ".join(str(t) for t in organization.themes.all())
    profile["logo"] = organization.logo.name if organization.logo else ""
    return {
        "profile": [profile],
        "members": _rows(
            organization.memberships.select_related("user").order_by("user__email"),
            ["user__email", "user__full_name", "role", "created_at"],
        ),
        "invitations": _rows(
            organization.invitations.order_by("pk"),
            [
                f.name
                for f in organization.invitations.model._meta.concrete_fields
                if f.name not in ("token",)
            ],
        ),
        "due_diligence_documents": _rows(
            organization.documents.order_by("pk"),
            [f.name for f in organization.documents.model._meta.concrete_fields],
        ),
        "volunteer_teams": _rows(
            organization.volunteer_teams.order_by("pk"),
            [f.name for f in organization.volunteer_teams.model._meta.concrete_fields],
        ),
    }


def _csv(rows: list[dict]) -> bytes:
    columns = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(c)) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # with a BOM so spreadsheet programs read UTF-8


def build_archive(organization, *, by) -> bytes:
    """The ZIP archive of everything the organization holds on the platform."""
    tables: dict[str, list[dict]] = {
        f"organizations/{k}": v for k, v in organizations_data(organization).items()
    }
    for config in apps.get_app_configs():
        hook = getattr(config, "export_organization_data", None)
        if hook:
            for name, rows in (hook(organization) or {}).items():
                tables[f"{config.label}/{name}"] = list(rows)
    manifest = {
        "organization": {"name": organization.name, "slug": organization.slug},
        "generated_at": timezone.now().isoformat(),
        "generated_by": by.email,
        "files": [],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            data = _csv(rows)
            archive.writestr(f"{name}.csv", data)
            manifest["files"].append(
                {"name": f"{name}.csv", "rows": len(rows), "sha256": hashlib.sha256(data).hexdigest()}
            )
        stored = [organization.logo.name] if organization.logo else []
        stored += [d.file.name for d in organization.documents.all() if d.file]
        for stored_name in stored:
            try:
                with default_storage.open(stored_name, "rb") as fh:
                    data = fh.read()
            except OSError:
                logger.warning("export of %s: stored file %s is missing", organization.slug, stored_name)
                continue
            name = f"files/{stored_name}"
            archive.writestr(name, data)
            manifest["files"].append(
                {"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            )
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, default=str))
    return buffer.getvalue()


@portal_view()
@require_GET
def organization_export(request):
    organization = request.organization
    if not is_org_admin(request.user, organization):
        raise PermissionDenied
    data = build_archive(organization, by=request.user)
    response = HttpResponse(data, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{organization.slug}-export-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response
