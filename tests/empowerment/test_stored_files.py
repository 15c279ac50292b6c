"""Stored files through the storage API only: the local folder and an S3-compatible store (moto, in this
process) serve the same downloads, PDFs and backups; a backup's files restore into an empty storage only."""

import io
import tarfile

import pypdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.test import Client
from PIL import Image

from empowerment import storage as stored_files
from empowerment.documents.rendering import html_to_pdf
from projects.models import UpdatePhoto
from tests.factories.projects import ProjectFactory, UpdateFactory, jpeg_bytes

BUCKET = "media-test"


@pytest.fixture
def s3(settings):
    """The default storage is an S3 bucket (moto's in-process S3) for this test; yields the boto3 client."""
    moto = pytest.importorskip("moto")
    pytest.importorskip("storages")
    import boto3

    with moto.mock_aws():
        client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "access_key": "k",
                    "secret_key": "s",
                    "default_acl": "private",
                    "file_overwrite": False,
                },
            },
        }
        yield client


def _keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def _store(files: dict[str, bytes], storage=None) -> None:
    for name, data in files.items():
        assert (storage or default_storage).save(name, ContentFile(data)) == name


FILES = {"logos/a.png": b"\x89PNG logo", "documents/2026/12/r.pdf": b"%PDF-1.7 report", "top.txt": b"x"}


def test_a_backup_of_the_local_folder_restores_every_file_into_an_empty_one(settings, tmp_path):
    _store(FILES)
    written = stored_files.archive(tmp_path / "media.tar.gz")
    assert written == {"count": 3, "bytes": sum(len(v) for v in FILES.values())}
    target = FileSystemStorage(location=tmp_path / "restored")
    assert stored_files.restore_archive(tmp_path / "media.tar.gz", target) == written
    assert sorted(stored_files.stored_names(target)) == sorted(FILES)
    for name, data in FILES.items():
        assert target.open(name).read() == data


def test_a_restore_into_a_storage_that_holds_one_of_the_names_writes_nothing(tmp_path):
    _store(FILES)
    stored_files.archive(tmp_path / "media.tar.gz")
    target = FileSystemStorage(location=tmp_path / "restored")
    _store({"top.txt": b"already here"}, target)
    with pytest.raises(stored_files.RestoreError, match="already holds top.txt"):
        stored_files.restore_archive(tmp_path / "media.tar.gz", target)
    assert list(stored_files.stored_names(target)) == ["top.txt"]
    assert target.open("top.txt").read() == b"already here"


@pytest.mark.parametrize(
    "member",
    [
        ("../outside.txt", tarfile.REGTYPE),
        ("/etc/cron.d/x", tarfile.REGTYPE),
        ("logos/link", tarfile.SYMTYPE),
    ],
)
def test_a_backup_with_a_name_outside_the_storage_or_a_link_is_refused_before_anything_is_written(
    tmp_path, member
):
    name, kind = member
    archive = tmp_path / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        good = tarfile.TarInfo("logos/good.png")
        good.size = 3
        tar.addfile(good, io.BytesIO(b"abc"))
        bad = tarfile.TarInfo(name)
        bad.type = kind
        bad.linkname = "/etc/passwd" if kind == tarfile.SYMTYPE else ""
        bad.size = 0 if kind == tarfile.SYMTYPE else 1
        tar.addfile(bad, None if kind == tarfile.SYMTYPE else io.BytesIO(b"x"))
    target = FileSystemStorage(location=tmp_path / "restored")
    with pytest.raises(stored_files.RestoreError):
        stored_files.restore_archive(archive, target)
    assert list(stored_files.stored_names(target)) == []


def test_a_backup_of_the_earlier_layout_a_tar_of_the_media_folder_restores(tmp_path):
    folder = tmp_path / "old-media"
    (folder / "logos").mkdir(parents=True)
    (folder / "logos" / "a.png").write_bytes(b"\x89PNG old")
    with tarfile.open(tmp_path / "media.tar.gz", "w:gz") as tar:
        tar.add(folder, arcname=".")
    target = FileSystemStorage(location=tmp_path / "restored")
    assert stored_files.restore_archive(tmp_path / "media.tar.gz", target)["count"] == 1
    assert target.open("logos/a.png").read() == b"\x89PNG old"


@pytest.mark.django_db
def test_a_public_photo_is_served_from_the_object_store(s3, settings):
    project = ProjectFactory(status="active")
    update = UpdateFactory(project=project, status="approved")
    photo = UpdatePhoto.objects.create(update=update, image=ContentFile(jpeg_bytes(), name="p.jpg"))
    assert photo.image.name in _keys(s3)
    assert not (settings.MEDIA_ROOT / photo.image.name).exists()
    response = Client().get(f"/projects/photos/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    body = b"".join(response.streaming_content)
    assert body == s3.get_object(Bucket=BUCKET, Key=photo.image.name)["Body"].read()
    assert int(response["Content-Length"]) == len(body)


def test_a_pdf_embeds_a_photo_read_from_the_object_store(s3):
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (10, 120, 60)).save(out, format="PNG")
    name = default_storage.save("photos/field.png", ContentFile(out.getvalue()))
    pdf = html_to_pdf(f'<p>Field visit</p><img src="media:{name}" alt="">')
    sizes = [image.image.size for page in pypdf.PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    assert (120, 80) in sizes


def test_a_missing_stored_photo_stops_the_pdf_instead_of_leaving_it_out(s3):
    from empowerment.documents.rendering import BrokenResource

    with pytest.raises(BrokenResource, match="photos/gone.png"):
        html_to_pdf('<img src="media:photos/gone.png" alt="">')


def test_the_object_store_is_backed_up_and_restored_to_another_store_by_name(s3, tmp_path):
    _store(FILES)
    second = default_storage.save("logos/a.png", ContentFile(b"a second upload of the same name"))
    assert second != "logos/a.png" and default_storage.open("logos/a.png").read() == FILES["logos/a.png"]
    names = list(stored_files.stored_names())
    assert sorted(names) == sorted([*FILES, second])
    written = stored_files.archive(tmp_path / "media.tar.gz")
    assert written["count"] == 4
    target = FileSystemStorage(location=tmp_path / "restored")
    stored_files.restore_archive(tmp_path / "media.tar.gz", target)
    assert sorted(stored_files.stored_names(target)) == sorted(names)
    for name in names:
        assert target.open(name).read() == default_storage.open(name).read()


def _pdf_upload(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


@pytest.mark.django_db(transaction=True)
def test_a_file_whose_upload_rolled_back_is_deleted_a_day_later_and_referenced_files_stay(org_a, people):
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from organizations import diligence_services
    from organizations.models import DueDiligenceDocument

    def upload(title):
        return diligence_services.due_diligence_upload(
            organization=org_a,
            by=people["a_editor"],
            kind="registration",
            title=title,
            file=_pdf_upload("c.pdf"),
        )

    kept = upload("Kept")
    # A document replaced by another file: its earlier file is still named by its history.
    earlier = kept.file.name
    kept.file.save("c2.pdf", _pdf_upload("c2.pdf"), save=False)
    kept.save()
    assert DueDiligenceDocument.history.filter(file=earlier).exists()

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        lost = upload("Rolled back")
        raise Refused
    assert not DueDiligenceDocument.objects.filter(title="Rolled back").exists()
    assert default_storage.exists(lost.file.name)

    # Younger than a day: it may belong to a transaction not committed yet, so it stays.
    assert stored_files.delete_unreferenced() == []
    assert stored_files.delete_unreferenced(now=timezone.now() + timedelta(days=2)) == [lost.file.name]
    assert not default_storage.exists(lost.file.name)
    assert default_storage.exists(kept.file.name) and default_storage.exists(earlier)
    assert stored_files.delete_unreferenced(now=timezone.now() + timedelta(days=2)) == []


@pytest.mark.django_db
def test_the_object_store_keeps_a_photo_a_row_names_and_loses_a_file_no_row_names(s3):
    from datetime import timedelta

    from django.utils import timezone

    project = ProjectFactory(status="active")
    update = UpdateFactory(project=project, status="approved")
    photo = UpdatePhoto.objects.create(update=update, image=ContentFile(jpeg_bytes(), name="p.jpg"))
    orphan = default_storage.save("photos/orphan.jpg", ContentFile(jpeg_bytes()))
    assert stored_files.delete_unreferenced() == []
    assert stored_files.delete_unreferenced(now=timezone.now() + timedelta(days=2)) == [orphan]
    assert _keys(s3) == [photo.image.name]
