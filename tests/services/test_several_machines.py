"""The platform on several machines: two gunicorn processes and a Celery worker that share nothing but
PostgreSQL, Redis and an S3-compatible object store (moto's server), each with a media folder of its own
that must stay empty. A member uploads a progress-update photo through one process, the worker renders the
progress report that embeds it, and both are downloaded through the other process."""

import io
from urllib.parse import urlsplit

import pypdf
import pytest
from PIL import Image

from empowerment.authz import PROGRAMME_OFFICER
from empowerment.models import Document
from organizations.models import Role
from projects import services
from projects.models import ProgressUpdate
from tests.factories.core import PASSWORD, OrganizationFactory, member, staff_user
from tests.factories.projects import IndicatorFactory, ProjectFactory, jpeg_bytes

from .conftest import Browser, cluster_env, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

requests = pytest.importorskip("requests")
pytest.importorskip("moto")
pytest.importorskip("storages")

GPS_IFD = 0x8825


@pytest.fixture
def cluster(real_broker):
    from benchmarks.cluster import Cluster  # noqa: PLC0415 - the bench's own helper, shared with this test

    running = Cluster(
        web=2, workers=1, gunicorn_workers=1, threads=2, pool="solo", queue=real_broker, env=cluster_env()
    ).start()
    yield running
    running.stop()


def _pdf_images(data: bytes) -> list[tuple[int, int]]:
    sizes = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        sizes += [image.image.size for image in page.images]
    return sizes


def test_a_photo_uploaded_on_one_machine_and_its_report_rendered_by_a_worker_download_on_another(cluster):
    s3 = cluster.s3
    first, second = cluster.urls
    org = OrganizationFactory(name="包头市乐龄社会工作服务中心")
    editor = member(org, Role.EDITOR, email="editor@example.org")
    officer = staff_user(PROGRAMME_OFFICER, email="officer@example.org")
    project = ProjectFactory(organization=org, status="active", title="长者健康检查")
    indicator = IndicatorFactory(project=project, value_type="count")

    # Signed in and uploading on the first machine.
    on_first = Browser(first)
    on_first.sign_in(editor.email, PASSWORD)
    new_update = f"/o/{org.slug}/projects/{project.pk}/updates/new/"
    on_first.form_token(new_update)
    original = jpeg_bytes(gps=True, size=(96, 64))
    response = on_first.post(
        new_update,
        {
            "period_start": "2025-01-01",
            "period_end": "2025-01-31",
            "narrative": "Checked the blood pressure of 30 residents.",
            "volunteer_hours": "12.5",
            f"indicator_{indicator.pk}": "30",
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-0-sex": "female",
            "people-0-age_band": "80+",
            "people-0-special_group": "living_alone",
            "people-0-count": "12",
            "photo_caption": "Blood pressure checks",
            "submit": "1",
        },
        files={"photo": ("IMG_0001.jpg", original, "image/jpeg")},
    )
    assert response.status_code == 302, response.text[:2000]
    update = ProgressUpdate.objects.get(project=project)
    assert update.status == "submitted"
    photo = update.photos.get()
    assert photo.image.name in s3.keys()
    stored = s3.read(photo.image.name)
    assert Image.open(io.BytesIO(stored)).size == (96, 64)
    assert not Image.open(io.BytesIO(stored)).getexif().get_ifd(GPS_IFD)  # metadata stripped on the way

    services.update_review(update=update, by=officer, approve=True)

    # The report is asked for on the first machine and rendered by the worker.
    response = on_first.post(f"/o/{org.slug}/projects/{project.pk}/report/", {"update": update.pk})
    assert response.status_code == 302, response.text[:500]
    document_path = urlsplit(response.headers["Location"]).path
    document = Document.objects.get(pk=document_path.strip("/").split("/")[-1])
    finished = wait_for(lambda: Document.objects.get(pk=document.pk).status in ("ready", "failed"), 120)
    document.refresh_from_db()
    assert finished and document.status == "ready", document.error
    assert document.file.name in s3.keys()

    # Both downloaded through the second machine, with the session the first one opened.
    on_second = Browser(second, on_first.cookies)
    page = on_second.get(document_path)
    assert page.status_code == 200 and document.verification_code in page.text
    response = on_second.get(f"{document_path}download/")
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf == s3.read(document.file.name)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Checked the blood pressure of 30 residents." in text
    assert "Blood pressure checks" in text
    assert (96, 64) in _pdf_images(pdf)  # the photo, read from the object store by the worker

    response = on_second.get(f"/projects/photos/{photo.pk}/")
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/jpeg"
    assert response.content == stored

    # A person signed in to no organization gets the same 404 on the second machine as for no document.
    assert Browser(second).get(f"{document_path}download/").status_code == 404
    # Nothing was kept on any process's own disk, and every process is still up.
    assert cluster.local_files() == []
    cluster.check()
