"""Due-diligence documents: organizations upload them in the portal, programme officers verify or return
them, and the organization is reminded by email 60, 30 and 7 days before one lapses."""

import io
from datetime import date, timedelta

import pypdf
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from empowerment.models import Email
from organizations import diligence_services, selectors
from organizations.models import DueDiligenceDocument


def _pdf(author: str = "") -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if author:
        writer.add_metadata({"/Author": author})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _upload(name="charter.pdf", content=None):
    return SimpleUploadedFile(
        name, content if content is not None else _pdf(), content_type="application/pdf"
    )


def _doc(org, *, kind="registration", expires_on=None, status="submitted", title="Certificate", **kwargs):
    document = DueDiligenceDocument(
        organization=org, kind=kind, title=title, expires_on=expires_on, status=status, **kwargs
    )
    if status != "submitted":
        document.reviewed_at = timezone.now()
    if status == "returned":
        document.return_reason = "Blurred"
    document.file.save("doc.pdf", ContentFile(_pdf()), save=False)
    document.save()
    return document


def _client(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


# Services -------------------------------------------------------------------------------------------------


def test_an_editor_uploads_a_document_stored_without_its_metadata(org_a, people):
    document = diligence_services.due_diligence_upload(
        organization=org_a,
        by=people["a_editor"],
        kind="bank_account",
        title="Bank account proof",
        file=_upload(content=_pdf(author="Wang Fang, Kundulun")),
        expires_on=timezone.localdate() + timedelta(days=365),
    )
    assert document.status == DueDiligenceDocument.Status.SUBMITTED
    assert document.uploaded_by == people["a_editor"]
    with document.file.open("rb") as f:
        stored = f.read()
    assert b"Wang Fang" not in stored
    assert len(pypdf.PdfReader(io.BytesIO(stored)).pages) == 1
    assert document.history.first().history_user == people["a_editor"]


def test_a_viewer_or_another_organization_cannot_upload(org_a, people):
    for user in (people["a_viewer"], people["b_admin"], people["programme_officer"]):
        with pytest.raises(PermissionDenied):
            diligence_services.due_diligence_upload(
                organization=org_a, by=user, kind="charter", title="Charter", file=_upload()
            )
    assert not DueDiligenceDocument.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf at all")}, "file"),
        ({"expires_on": timezone.localdate() - timedelta(days=1)}, "expires_on"),
        (
            {
                "issued_on": timezone.localdate(),
                "expires_on": timezone.localdate() + timedelta(days=1),
                "kind": "nope",
            },
            "kind",
        ),
        ({"issued_on": timezone.localdate() + timedelta(days=3)}, "issued_on"),
    ],
)
def test_bad_uploads_are_refused_at_the_field_and_nothing_is_saved(org_a, people, kwargs, field):
    args = {"kind": "charter", "title": "Charter", "file": _upload(), **kwargs}
    with pytest.raises(ValidationError) as exc:
        diligence_services.due_diligence_upload(organization=org_a, by=people["a_admin"], **args)
    assert field in exc.value.error_dict
    assert not DueDiligenceDocument.objects.exists()


def test_a_programme_officer_verifies_once(org_a, people):
    document = _doc(org_a)
    diligence_services.due_diligence_verify(document=document, by=people["programme_officer"])
    document.refresh_from_db()
    assert document.status == "verified" and document.reviewed_by == people["programme_officer"]
    with pytest.raises(ValidationError):
        diligence_services.due_diligence_verify(document=document, by=people["programme_officer"])
    with pytest.raises(ValidationError):
        diligence_services.due_diligence_return(document=document, by=people["programme_officer"], reason="x")
    document.refresh_from_db()
    assert document.status == "verified" and document.return_reason == ""


def test_only_programme_officers_review(org_a, people):
    document = _doc(org_a)
    for user in (people["a_admin"], people["finance_officer"], people["trainer"]):
        with pytest.raises(PermissionDenied):
            diligence_services.due_diligence_verify(document=document, by=user)
        with pytest.raises(PermissionDenied):
            diligence_services.due_diligence_return(document=document, by=user, reason="No")
    document.refresh_from_db()
    assert document.status == "submitted" and document.reviewed_at is None


def test_returning_needs_a_reason_the_organization_reads_and_emails_it(
    org_a, people, django_capture_on_commit_callbacks
):
    document = _doc(org_a)
    with pytest.raises(ValidationError) as exc:
        diligence_services.due_diligence_return(
            document=document, by=people["programme_officer"], reason="  "
        )
    assert "reason" in exc.value.error_dict
    document.refresh_from_db()
    assert document.status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):
        diligence_services.due_diligence_return(
            document=document, by=people["programme_officer"], reason="The stamp is not legible."
        )
    document.refresh_from_db()
    assert document.status == "returned" and document.return_reason == "The stamp is not legible."
    assert sorted(m.to[0] for m in mail.outbox) == ["a-admin@example.org", "a-editor@example.org"]
    assert all("The stamp is not legible." in m.body for m in mail.outbox)


# The reminder job ---------------------------------------------------------------------------------------


def test_reminders_go_at_60_30_and_7_days_once_each(org_a, people, django_capture_on_commit_callbacks):
    document = _doc(org_a, status="verified", expires_on=date(2026, 6, 30))
    sent_on = {}
    with django_capture_on_commit_callbacks(execute=True):
        day = date(2026, 4, 20)
        while day <= date(2026, 7, 5):
            with freeze_time(day):
                # Twice a day: the second run sends nothing.
                first = diligence_services.expiry_reminders_send()
                assert diligence_services.expiry_reminders_send() == 0
            if first:
                sent_on[day] = first
            day += timedelta(days=1)
    # Two recipients (the admin and the editor), on the day each threshold is reached.
    assert sent_on == {date(2026, 5, 1): 2, date(2026, 5, 31): 2, date(2026, 6, 23): 2}
    keys = sorted(Email.objects.filter(key__startswith="dd-expiry:").values_list("key", flat=True))
    assert len(keys) == 6 and len(set(keys)) == 6
    assert all(k.startswith(f"dd-expiry:{document.pk}:2026-06-30:") for k in keys)
    assert len(mail.outbox) == 6
    # The expiry date in the recipient's language's usual form.
    assert "June 30, 2026" in mail.outbox[0].body or "2026年6月30日" in mail.outbox[0].body


def test_a_document_reached_late_gets_only_the_threshold_it_is_at(org_a, people):
    _doc(org_a, expires_on=date(2026, 1, 20))
    with freeze_time(date(2026, 1, 1)):  # 19 days left: the 30-day reminder, not the 60-day one
        assert diligence_services.expiry_reminders_send() == 2
    assert all(":30:" in k for k in Email.objects.values_list("key", flat=True))


def test_renewed_returned_and_lapsed_documents_are_not_reminded(org_a, people):
    old = _doc(org_a, kind="charter", status="verified", expires_on=date(2026, 2, 1))
    _doc(org_a, kind="charter", expires_on=date(2031, 2, 1))  # the renewal, uploaded later
    _doc(org_a, kind="registration", status="returned", expires_on=date(2026, 2, 1))
    _doc(org_a, kind="bank_account", expires_on=date(2025, 12, 1))  # already lapsed
    with freeze_time(date(2026, 1, 10)):
        assert diligence_services.expiry_reminders_send() == 0
        assert [d.pk for d in selectors.documents_lapsed()] == [
            DueDiligenceDocument.objects.get(kind="bank_account").pk
        ]
    assert old.pk not in [d.pk for d in selectors.documents_current()]


def test_the_beat_task_is_declared_and_runs(org_a, people):
    from django.conf import settings

    from organizations.tasks import send_document_expiry_reminders

    _doc(org_a, expires_on=timezone.localdate() + timedelta(days=5))
    assert send_document_expiry_reminders.apply().get() == 2
    assert send_document_expiry_reminders.apply().get() == 0
    entry = settings.CELERY_BEAT_SCHEDULE["organizations-document-expiry-reminders"]
    assert entry["task"] == "organizations.tasks.send_document_expiry_reminders"


# Views per role -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "can_upload"),
    [
        ("a_admin", 200, True),
        ("a_editor", 200, True),
        ("a_viewer", 200, False),
        ("b_admin", 404, False),
        ("programme_officer", 200, False),
    ],
)
def test_the_portal_page_per_role(org_a, people, role, status, can_upload):
    _doc(org_a, status="returned", title="Old charter")
    response = _client(people[role]).get(reverse("organizations:documents", args=[org_a.slug]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Old charter" in page and "Blurred" in page  # the return reason is shown
        assert ('id="document-upload"' in page) is can_upload


def test_anonymous_is_sent_to_sign_in(org_a):
    response = Client().get(reverse("organizations:documents", args=[org_a.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("role", "status"), [("a_viewer", 403), ("b_admin", 404), ("programme_officer", 403)]
)
def test_only_admins_and_editors_post_an_upload(org_a, people, role, status):
    response = _client(people[role]).post(
        reverse("organizations:documents", args=[org_a.slug]),
        {"kind": "charter", "title": "Charter", "file": _upload()},
    )
    assert response.status_code == status
    assert not DueDiligenceDocument.objects.exists()


def test_an_editor_uploads_in_the_portal_and_a_bad_file_gets_a_message(org_a, people):
    client = _client(people["a_editor"])
    url = reverse("organizations:documents", args=[org_a.slug])
    response = client.post(
        url, {"kind": "charter", "title": "Charter", "file": _upload("x.exe", b"MZ\x90\x00")}
    )
    assert response.status_code == 200
    assert "This type of file is not accepted" in response.content.decode()
    assert not DueDiligenceDocument.objects.exists()
    response = client.post(
        url, {"kind": "charter", "title": "Charter 2024", "file": _upload(), "expires_on": "2099-01-01"}
    )
    assert response.status_code == 302
    assert DueDiligenceDocument.objects.get().title == "Charter 2024"


@pytest.mark.parametrize(
    ("role", "status"),
    [("programme_officer", 200), ("administrator", 200), ("finance_officer", 403), ("a_admin", 404)],
)
def test_the_staff_screen_per_role(org_a, people, role, status):
    _doc(org_a, title="Waiting one")
    _doc(
        org_a,
        kind="charter",
        title="Lapsed one",
        status="verified",
        expires_on=timezone.localdate() - timedelta(days=3),
    )
    response = _client(people[role]).get(reverse("organizations:staff_documents"))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Waiting one" in page and "Lapsed one" in page


def test_staff_verify_and_return_on_the_staff_screen(org_a, people):
    client = _client(people["programme_officer"])
    first, second = _doc(org_a, title="One"), _doc(org_a, kind="charter", title="Two")
    url = reverse("organizations:staff_document", args=[first.pk])
    assert client.post(url, {"action": "verify"}).status_code == 302
    first.refresh_from_db()
    assert first.status == "verified"
    url = reverse("organizations:staff_document", args=[second.pk])
    response = client.post(url, {"action": "return", "reason": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    second.refresh_from_db()
    assert second.status == "submitted"
    assert client.post(url, {"action": "return", "reason": "Out of date"}).status_code == 302
    second.refresh_from_db()
    assert second.status == "returned" and second.return_reason == "Out of date"


def test_the_staff_home_and_the_portal_link_to_the_screens(org_a, people):
    _doc(org_a)
    _doc(org_a, kind="charter", status="verified", expires_on=timezone.localdate() - timedelta(days=1))
    staff_page = _client(people["programme_officer"]).get(reverse("staff_home")).content.decode()
    assert reverse("organizations:staff_documents") in staff_page
    assert "1 to verify, 1 lapsed, 0 expiring within 60 days" in staff_page
    portal = _client(people["a_viewer"]).get(reverse("organizations:portal_dashboard", args=[org_a.slug]))
    assert reverse("organizations:documents", args=[org_a.slug]) in portal.content.decode()
