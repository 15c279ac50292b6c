"""Browser journey of due diligence: an organization's editor uploads a document in the portal on a phone,
a programme officer returns it with a reason, the editor reads the reason and uploads a corrected one, and
the officer verifies it."""

import io

import pypdf
import pytest

from empowerment.authz import PROGRAMME_OFFICER
from organizations.models import DueDiligenceDocument, Role
from tests.e2e.conftest import login
from tests.factories.core import PASSWORD, OrganizationFactory, member, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Someone private"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _upload(page, org, title: str) -> None:
    page.goto(f"{page.base}/o/{org.slug}/documents/")
    page.select_option("select[name=kind]", "registration")
    page.fill("input[name=title]", title)
    page.fill("input[name=expires_on]", "2099-06-30")
    page.set_input_files(
        "input[name=file]", files=[{"name": "登记证书.pdf", "mimeType": "application/pdf", "buffer": _pdf()}]
    )
    page.click("#document-upload [type=submit]")
    page.wait_for_load_state("networkidle")


def test_an_organization_uploads_a_document_on_a_phone_and_staff_return_then_verify_it(phone_page, page):
    org = OrganizationFactory(slug="dd-e2e")
    editor = member(org, Role.EDITOR, email="editor-dd@example.org")
    officer = staff_user(PROGRAMME_OFFICER, email="officer-dd@example.org")

    login(phone_page, editor.email, PASSWORD)
    _upload(phone_page, org, "社会团体法人登记证书")
    assert "The document was uploaded" in phone_page.content()
    # Nothing scrolls sideways on a 375-px phone.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    first = DueDiligenceDocument.objects.get()
    assert first.status == "submitted"

    login(page, officer.email, PASSWORD)
    page.goto(f"{page.base}/staff/")
    page.click("a[href='/staff/organizations/documents/']")
    page.click(f"#to-review [data-document='{first.pk}'] a")
    page.fill("textarea[name=reason]", "证书照片不清晰，请重新扫描。")
    page.click("#return-form [type=submit]")
    page.wait_for_load_state("networkidle")
    assert "The document was returned" in page.content()

    phone_page.goto(f"{phone_page.base}/o/{org.slug}/documents/")
    assert (
        "证书照片不清晰，请重新扫描。"
        in phone_page.locator(f"[data-document='{first.pk}'] [data-return-reason]").inner_text()
    )
    _upload(phone_page, org, "社会团体法人登记证书（重新扫描）")
    second = DueDiligenceDocument.objects.exclude(pk=first.pk).get()

    page.goto(f"{page.base}/staff/organizations/documents/{second.pk}/")
    page.click("#verify")
    page.wait_for_load_state("networkidle")
    assert "The document was verified" in page.content()
    second.refresh_from_db()
    assert second.status == "verified" and second.reviewed_by == officer
    assert b"Someone private" not in second.file.open("rb").read()

    phone_page.goto(f"{phone_page.base}/o/{org.slug}/documents/")
    assert "Verified" in phone_page.locator(f"[data-document='{second.pk}']").inner_text()
    assert page.csp_violations == []


def test_an_editor_records_a_volunteers_hours_on_a_phone(phone_page):
    from datetime import date
    from decimal import Decimal

    from organizations.models import Volunteer, VolunteerHourRate, VolunteerHours, VolunteerTeam

    org = OrganizationFactory(slug="vol-e2e")
    editor = member(org, Role.EDITOR, email="editor-vol@example.org")
    team = VolunteerTeam.objects.create(organization=org, name="乐龄守护志愿服务队")
    volunteer = Volunteer.objects.create(team=team, name="马俊", joined_on=date(2024, 1, 1))
    VolunteerHourRate.objects.create(
        valid_from=date(2024, 1, 1), yuan_per_hour=Decimal("20.00"), basis="最低工资"
    )

    login(phone_page, editor.email, PASSWORD)
    phone_page.goto(f"{phone_page.base}/o/{org.slug}/")
    phone_page.click(f"a[href='/o/{org.slug}/volunteers/']")
    phone_page.click(f"a[href='/o/{org.slug}/volunteers/teams/{team.pk}/']")
    phone_page.select_option("#hours-add select[name=volunteer]", str(volunteer.pk))
    phone_page.fill("#hours-add input[name=date]", "2025-03-02")
    phone_page.fill("#hours-add input[name=hours]", "3.5")
    phone_page.fill("#hours-add input[name=activity]", "老人健康筛查")
    phone_page.click("#hours-add [type=submit]")
    phone_page.wait_for_load_state("networkidle")
    assert "The hours were recorded." in phone_page.content()
    assert VolunteerHours.objects.get().hours == Decimal("3.5")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.goto(f"{phone_page.base}/o/{org.slug}/volunteers/")
    assert "¥70.00" in phone_page.locator("[data-figure=team_hours_value]").inner_text()
