"""Requesting a report as staff or from the portal leads to the core document page, where the requester
follows its progress and downloads the PDF; another organization's member sees nothing of it."""

import io

import pypdf
import pytest

from transparency.models import TransparencyReport


def _status(response) -> str:
    html = response.content.decode()
    return html.split('data-status="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("who", "url", "data"),
    [
        ("programme_officer", "/staff/transparency/reports/", {"period_kind": "month", "period": "2026-03"}),
        ("a_viewer", "/o/org-a/reports/", {"period_kind": "quarter", "period": "2026-Q1", "project": "p1"}),
    ],
)
def test_requester_follows_the_report_to_ready_and_downloads_it(
    client, programme, people, who, url, data, django_capture_on_commit_callbacks
):
    data = {**data, "language": "en"}
    if data.get("project") == "p1":
        data["project"] = programme.p1.pk
    client.force_login(people[who])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, data)
    assert response.status_code == 302
    report = TransparencyReport.objects.get()
    document = report.document
    assert response["Location"] == f"/documents/{document.pk}/"
    assert document.requested_by == people[who]

    page = client.get(response["Location"])
    assert page.status_code == 200 and _status(page) == "queued"
    assert client.get(f"/documents/{document.pk}/download/").status_code == 404

    # Another organization's member (and the public) see nothing of a report that is not ready.
    client.force_login(people["b_admin"])
    for path in ("", "status/", "download/"):
        assert client.get(f"/documents/{document.pk}/{path}").status_code == 404
    client.logout()
    assert client.get(f"/documents/{document.pk}/").status_code == 404

    document.status = "rendering"
    document.save(update_fields=["status"])
    client.force_login(people[who])
    assert _status(client.get(f"/documents/{document.pk}/status/")) == "rendering"
    document.status = "queued"
    document.save(update_fields=["status"])

    for callback in callbacks:  # the worker renders it (eagerly in tests)
        callback()
    document.refresh_from_db()
    page = client.get(f"/documents/{document.pk}/")
    assert _status(page) == "ready"
    assert document.verification_code in page.content.decode()
    download = client.get(f"/documents/{document.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = pdf.pages[0].extract_text()
    assert ("Programme" in text) if who == "programme_officer" else (programme.p1.title in text)


def test_another_organizations_member_cannot_request_a_report_for_org_a(client, programme, people):
    client.force_login(people["b_admin"])
    response = client.post(
        "/o/org-a/reports/",
        {"period_kind": "month", "period": "2026-03", "language": "en", "project": programme.p1.pk},
    )
    assert response.status_code == 404
    assert not TransparencyReport.objects.exists()
