"""The audit trail for Administrators and the organization data export for organization admins."""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from organizations.models import Membership
from organizations.services import membership_remove

pytestmark = pytest.mark.django_db


def test_the_audit_trail_shows_who_changed_what_before_and_after(client, people, org_a):
    client.force_login(people["a_admin"])
    client.post(reverse("organizations:profile_edit", args=[org_a.slug]))  # may be invalid: no matter
    org_a.description = "Before"
    org_a.save()
    org_a.refresh_from_db()
    org_a._history_user = people["programme_officer"]
    org_a.description = "After the visit"
    org_a.save()
    membership_remove(membership=Membership.objects.get(user=people["a_viewer"]), by=people["a_admin"])

    client.force_login(people["administrator"])
    page = client.get(reverse("staff_audit")).content.decode()
    assert "After the visit" in page and "Before" in page
    assert "officer@example.org" in page
    assert "deleted" in page  # the removed membership

    filtered = client.get(reverse("staff_audit"), {"model": "organizations.membership"}).content.decode()
    assert "After the visit" not in filtered and "deleted" in filtered
    by_user = client.get(reverse("staff_audit"), {"user": people["programme_officer"].pk}).content.decode()
    assert "After the visit" in by_user and "deleted" not in by_user


def test_the_audit_trail_answers_malformed_filters_and_pages_without_errors(client, people):
    client.force_login(people["administrator"])
    for query in ({"page": "x"}, {"user": "abc"}, {"model": "no.such"}, {"page": "999999"}, {"page": "-3"}):
        assert client.get(reverse("staff_audit"), query).status_code == 200, query


def test_the_audit_trail_pages_the_changes(client, people, org_a):
    for i in range(35):
        org_a.description = f"version {i}"
        org_a.save()
    client.force_login(people["administrator"])
    first = client.get(reverse("staff_audit")).content.decode()
    assert "version 34" in first and "Older" in first
    second = client.get(reverse("staff_audit"), {"page": 2}).content.decode()
    assert "version 34" not in second and "Newer" in second


def test_the_audit_trail_is_not_linked_from_public_pages(client, db):
    assert "/staff/audit/" not in client.get("/").content.decode()


def _archive(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(response.content))


def _csv(archive, name) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_an_organization_admin_exports_all_its_data_as_one_archive(client, people, org_a, org_b):
    org_a.description = '=HYPERLINK("http://evil.example","click")'
    org_a.save()
    client.force_login(people["a_admin"])
    archive = _archive(client.get(reverse("organization_export", args=[org_a.slug])))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["organization"]["slug"] == org_a.slug
    names = {f["name"] for f in manifest["files"]}
    assert {"organizations/profile.csv", "organizations/members.csv"} <= names
    assert set(archive.namelist()) == names | {"manifest.json"}
    members = _csv(archive, "organizations/members.csv")
    assert sorted(m["user__email"] for m in members) == [
        "a-admin@example.org",
        "a-editor@example.org",
        "a-viewer@example.org",
    ]
    assert "b-admin@example.org" not in archive.read("organizations/members.csv").decode("utf-8-sig")
    profile = _csv(archive, "organizations/profile.csv")[0]
    assert profile["name"] == org_a.name
    assert profile["description"].startswith("'=")  # a formula stays text in a spreadsheet
    for entry in manifest["files"]:
        if "rows" in entry:
            assert entry["rows"] == len(_csv(archive, entry["name"]))


def test_apps_add_their_data_to_the_export_through_the_app_config_hook(client, people, org_a, monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("trainings")
    monkeypatch.setattr(
        config,
        "export_organization_data",
        lambda organization: {"enrolments": [{"organization": organization.slug, "note": "@SUM(A1)"}]},
        raising=False,
    )
    client.force_login(people["a_admin"])
    archive = _archive(client.get(reverse("organization_export", args=[org_a.slug])))
    assert _csv(archive, "trainings/enrolments.csv") == [{"organization": org_a.slug, "note": "'@SUM(A1)"}]
