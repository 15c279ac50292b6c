"""Transparency report PDFs (rendered for real, both languages, scheduled once per period and language) and
open data (360Giving and IATI validated against the standards' own schemas; streamed with caching headers)."""

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from django.conf import settings

from empowerment.models import Document
from fundraising.models import Grant, GrantTranche
from transparency import services
from transparency.models import TransparencyReport
from transparency.periods import parse, quarter

STANDARDS = Path(settings.BASE_DIR) / "tests" / "data" / "standards"  # kept in the repository, with licences


def _text(document) -> str:
    reader = pypdf.PdfReader(document.file.open("rb"))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Sources and uses of funds"), ("zh-hans", "资金来源与使用")]
)
def test_project_report_pdf_has_the_figures_in_both_languages(
    programme, django_capture_on_commit_callbacks, language, words
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            period=quarter(2026, 1), language=language, project=programme.p1, by=programme.officer
        )
    document = Document.objects.get(pk=report.document_id)
    assert document.status == Document.Status.READY, document.error
    text = _text(document)
    assert words in text
    assert "¥8,500.00" in text  # balance at the end of the quarter
    assert "Enterprise E" in text or "2,000.00" in text
    assert "<script>" not in text


def test_scheduled_reports_are_made_once_per_period_and_language(
    programme, django_capture_on_commit_callbacks
):
    from freezegun import freeze_time

    with freeze_time("2026-04-02"), django_capture_on_commit_callbacks(execute=True):
        services.reports_schedule()
        services.reports_schedule()
    reports = TransparencyReport.objects.filter(scope="programme")
    assert reports.count() == 4  # March and Q1, each in English and Chinese
    assert {r.period_label for r in reports} == {"2026-03", "2026-Q1"}
    assert Document.objects.filter(kind="transparency_report").count() == 4
    ready = reports.get(period_kind="quarter", language="en").document
    page = __import__("django.test", fromlist=["Client"]).Client().get(f"/reports/{ready.verification_code}/")
    assert page.status_code == 200 and ready.sha256 in page.content.decode()


def test_reports_of_unpublished_projects_and_future_periods_are_refused(programme):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.report_request(
            period=parse("2026-03"), language="en", project=programme.draft, by=programme.officer
        )
    with pytest.raises(ValidationError):
        services.report_request(period=parse("2099"), language="en", by=programme.officer)
    assert not TransparencyReport.objects.exists()


def _grant(programme):
    from tests.factories import fundraising as ff

    funder = ff.FunderFactory(name="Bureau <b>G</b>", kind="government")
    grant = Grant.objects.create(
        funder=funder,
        kind="contract",
        title="Elderly care services",
        reference="BT-2026-01",
        total=Decimal("20000.00"),
        signed_on=date(2026, 1, 5),
        fund=programme.p1.fund,
        channel=programme.bank,
    )
    GrantTranche.objects.create(grant=grant, number=1, amount=Decimal("10000.00"), due_on=date(2026, 2, 1))
    return grant


def test_grants_json_is_a_valid_360giving_package(client, programme):
    import jsonschema
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    _grant(programme)
    package = json.loads(b"".join(client.get("/open-data/grants.json").streaming_content))
    folder = STANDARDS / "360giving-1.4"
    grant_schema = json.loads((folder / "360-giving-schema.json").read_text())
    package_schema = json.loads((folder / "360-giving-package-schema.json").read_text())
    # The schemas name their dialect with http://, which `referencing` does not know: say it explicitly.
    resource = DRAFT202012.create_resource(grant_schema)
    registry = Registry().with_resources(
        [(grant_schema["$id"], resource), (package_schema["properties"]["grants"]["items"]["$ref"], resource)]
    )
    jsonschema.Draft202012Validator(
        package_schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(package)
    grant = package["grants"][0]
    assert grant["amountAwarded"] == 20000 and grant["currency"] == "CNY"
    assert grant["recipientOrganization"][0]["name"] == programme.p1.organization.name


def test_iati_xml_validates_against_the_2_03_schema(client, programme):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(STANDARDS / "iati-2.03" / "iati-activities-schema.xsd")))
    response = client.get("/open-data/iati-activities.xml")
    doc = etree.fromstring(response.content)
    schema.assertValid(doc)
    assert doc.find("iati-activity/result/indicator") is not None


def test_downloads_stream_with_caching_headers_and_anonymise_donors(client, programme):
    response = client.get("/open-data/donations.csv")
    assert response.streaming
    assert response["Cache-Control"].startswith("public")
    assert response["ETag"] and response["Last-Modified"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    donors = {r["donor"] for r in rows}
    assert "Enterprise E" in donors
    assert "Civil Affairs Bureau G" not in donors and "Foundation F" not in donors
    assert len(rows) == 4  # the reversed donation is left out
    again = client.get("/open-data/donations.csv", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get("/open-data/nothing.csv").status_code == 404
    assert client.get("/open-data/donations.xls").status_code == 404


def test_projects_open_data_lists_only_public_projects_with_money(client, programme):
    data = json.loads(b"".join(client.get("/open-data/projects.json").streaming_content))
    by_slug = {r["slug"]: r for r in data["rows"]}
    assert set(by_slug) == {"health-checks", "safe-stairs"}
    assert by_slug["health-checks"]["balance"] == "8500.00"
    assert {f["name"] for f in data["fields"]} >= {"balance", "spent"}
