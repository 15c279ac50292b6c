"""No upload is stored with its metadata, on any path: a real JPEG carrying a camera model and GPS coordinates
goes in through each form that takes a file (exercise submissions, expenditure receipts, need-assessment
attachments, progress-update photos and documents, logos, due-diligence documents and campaign images in the
admin) and what is stored has neither; PDFs keep their pages and text but lose their author and XMP metadata;
Office files lose their document properties."""

import io
import zipfile

import pypdf
import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from PIL import Image

from empowerment.uploads import clean_document
from fundraising.models import Campaign, CampaignImage, Expenditure
from organizations.models import DueDiligenceDocument
from projects.models import AssessmentAttachment, ProgressUpdate
from tests.factories.fundraising import FundFactory, campaign, project
from tests.factories.projects import AssessmentFactory, IndicatorFactory, ProjectFactory, jpeg_bytes
from tests.trainings.conftest import cohort  # noqa: F401 - fixture
from trainings.models import Submission

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def _gps_jpeg(name="IMG_0001.jpg"):
    data = jpeg_bytes(gps=True, size=(320, 240))
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test photo does carry a position
    assert b"PhoneCam" in data
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _assert_clean_jpeg(stored: bytes):
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert image.size == (320, 240)  # the picture itself is kept
    exif = image.getexif()
    assert not exif.get_ifd(GPS_IFD)
    assert 0x0110 not in exif  # camera model
    assert b"PhoneCam" not in stored


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pdf_with_metadata() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Wang Fang", "/Creator": "SpyScanner", "/Title": "Receipt"})
    xmp = pypdf.generic.StreamObject()
    xmp._data = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="40,39.5N"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    xmp.update({pypdf.generic.NameObject("/Type"): pypdf.generic.NameObject("/Metadata")})
    writer.root_object[pypdf.generic.NameObject("/Metadata")] = writer._add_object(xmp)
    out = io.BytesIO()
    writer.write(out)
    data = out.getvalue()
    assert b"Wang Fang" in data and b"GPSLatitude" in data
    return data


# The portal paths ---------------------------------------------------------------------------------------


def test_an_exercise_submission_photo_is_stored_without_gps(cohort, org_a, people):  # noqa: F811
    exercise = cohort.exercises.get()
    url = reverse("trainings:portal_exercise", args=[org_a.slug, exercise.pk])
    response = _client(people["a_editor"]).post(url, {"file": _gps_jpeg(), "note": ""})
    assert response.status_code == 302
    _assert_clean_jpeg(Submission.objects.get().file.read())


def test_an_expenditure_receipt_photo_is_stored_without_gps(
    org_a, people, django_capture_on_commit_callbacks
):
    p = project(org_a)
    line = p.budget_lines.first()
    url = reverse("fundraising:portal_expenditure_new", args=[org_a.slug])
    data = {
        "project": p.pk,
        "budget_line": line.pk,
        "description": "Blood pressure monitors",
        "payee": "Baotou Medical Supplies",
        "amount": "350.00",
        "spent_on": "2025-01-10",
        "invoice_number": "",
        "classification": "programme",
        "paid_from": Expenditure.PaidFrom.ADVANCE,
        "document": _gps_jpeg("receipt.jpg"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(people["a_admin"]).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    _assert_clean_jpeg(Expenditure.objects.get().document.read())


def test_a_need_assessment_attachment_photo_is_stored_without_gps(org_a, people):
    assessment = AssessmentFactory(organization=org_a)
    url = reverse("projects:attachment_add", args=[org_a.slug, assessment.pk])
    response = _client(people["a_editor"]).post(url, {"name": "Survey sheet", "file": _gps_jpeg()})
    assert response.status_code == 302
    _assert_clean_jpeg(AssessmentAttachment.objects.get().file.read())


def test_a_progress_update_photo_and_document_are_stored_without_gps(org_a, people):
    p = ProjectFactory(organization=org_a, status="active")
    indicator = IndicatorFactory(project=p, value_type="count")
    data = {
        "period_start": "2025-01-01",
        "period_end": "2025-01-31",
        "narrative": "Checked 30 residents.",
        "volunteer_hours": "1",
        f"indicator_{indicator.pk}": "30",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
        "photo": _gps_jpeg(),
        "photo_caption": "Checks",
        "document": _gps_jpeg("scan.jpg"),
    }
    url = reverse("projects:update_new", args=[org_a.slug, p.pk])
    response = _client(people["a_editor"]).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    update = ProgressUpdate.objects.get()
    _assert_clean_jpeg(update.photos.get().image.read())
    _assert_clean_jpeg(update.documents.get().file.read())


def test_a_logo_is_stored_without_gps(org_a, people):
    from tests.organizations.test_profile import _form_data

    data = _form_data(org_a)
    data["logo_upload"] = _gps_jpeg("logo.jpg")
    response = _client(people["a_editor"]).post(f"/o/{org_a.slug}/profile/", data)
    assert response.status_code == 302
    org_a.refresh_from_db()
    stored = org_a.logo.read()
    assert b"PhoneCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif().get_ifd(GPS_IFD)


# The admin paths ----------------------------------------------------------------------------------------


def test_a_due_diligence_document_added_in_the_admin_is_stored_without_gps(org_a, people):
    response = _client(people["administrator"]).post(
        reverse("admin:organizations_duediligencedocument_add"),
        {
            "organization": org_a.pk,
            "kind": DueDiligenceDocument.Kind.REGISTRATION,
            "title": "Registration certificate",
            "file": _gps_jpeg("certificate.jpg"),
            "issued_on": "2024-01-01",
            "expires_on": "2029-01-01",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    _assert_clean_jpeg(DueDiligenceDocument.objects.get().file.read())


def test_a_due_diligence_document_refused_in_the_admin_is_reported_at_the_field(org_a, people):
    response = _client(people["administrator"]).post(
        reverse("admin:organizations_duediligencedocument_add"),
        {
            "organization": org_a.pk,
            "kind": DueDiligenceDocument.Kind.REGISTRATION,
            "title": "Registration certificate",
            "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert response.status_code == 200
    assert "This type of file is not accepted" in response.content.decode()
    assert not DueDiligenceDocument.objects.exists()


def test_a_campaign_image_added_through_the_admin_inline_is_stored_without_gps(people):
    c = campaign(FundFactory())
    inline = next(
        i for i in admin.site._registry[Campaign].get_inline_instances(None) if i.model is CampaignImage
    )
    request = RequestFactory().post("/")
    request.user = people["administrator"]
    formset_class = inline.get_formset(request, c)
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-caption": "Home visit",
        f"{prefix}-0-position": "0",
    }
    formset = formset_class(data, {f"{prefix}-0-image": _gps_jpeg()}, instance=c, prefix=prefix)
    assert formset.is_valid(), formset.errors
    formset.save()
    _assert_clean_jpeg(CampaignImage.objects.get().image.read())

    refused = formset_class(
        data, {f"{prefix}-0-image": SimpleUploadedFile("a.jpg", b"<svg/>")}, instance=c, prefix=prefix
    )
    assert not refused.is_valid()
    assert "image" in refused.errors[0]


# PDFs and Office files ----------------------------------------------------------------------------------


def test_a_pdf_keeps_its_pages_and_loses_its_author_and_xmp_metadata(cohort, org_a, people):  # noqa: F811
    original = _pdf_with_metadata()
    exercise = cohort.exercises.get()
    url = reverse("trainings:portal_exercise", args=[org_a.slug, exercise.pk])
    upload = SimpleUploadedFile("plan.pdf", original, content_type="application/pdf")
    response = _client(people["a_editor"]).post(url, {"file": upload, "note": ""})
    assert response.status_code == 302
    stored = Submission.objects.get().file.read()
    reader = pypdf.PdfReader(io.BytesIO(stored))
    assert len(reader.pages) == 2
    assert not (reader.metadata or {}).get("/Author")
    assert "/Metadata" not in reader.trailer["/Root"]
    assert b"Wang Fang" not in stored and b"SpyScanner" not in stored and b"GPSLatitude" not in stored


def test_a_pdf_pypdf_cannot_rewrite_is_kept_as_it_was():
    damaged = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    cleaned = clean_document(SimpleUploadedFile("x.pdf", damaged))
    assert cleaned.read() == damaged


def test_an_office_file_loses_its_author_and_company():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>Plan body</w:document>")
        z.writestr(
            "docProps/core.xml",
            '<cp:coreProperties xmlns:cp="x" xmlns:dc="y"><dc:creator>Wang Fang</dc:creator></cp:coreProperties>',
        )
        z.writestr("docProps/app.xml", "<Properties><Company>Baotou Centre</Company></Properties>")
    cleaned = clean_document(SimpleUploadedFile("plan.docx", out.getvalue()))
    with zipfile.ZipFile(io.BytesIO(cleaned.read())) as z:
        assert z.read("word/document.xml") == b"<w:document>Plan body</w:document>"
        assert b"Wang Fang" not in z.read("docProps/core.xml")
        assert b"Baotou Centre" not in z.read("docProps/app.xml")
