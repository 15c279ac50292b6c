"""The foundation's whole journey in a real browser: an organization applies, a programme officer approves it
in the admin, the applicant joins from the emailed link, edits the profile, switches to Chinese and downloads
the profile PDF. And the portal on a 375-px phone screen."""

import io
import re

import pytest
from django.core import mail
from PIL import Image

from empowerment.authz import PROGRAMME_OFFICER
from organizations.models import Organization, Role, Theme
from tests.e2e.conftest import login
from tests.factories.core import PASSWORD, OrganizationFactory, community_area, member, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORG_NAME = "包头市昆都仑区阳光社会工作服务中心"
CREDIT_CODE = "52150203MJ0000001C"
APPLICANT = "wangfang@example.org"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (160, 80), (20, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def _invitation_link(email: str) -> str:
    for message in reversed(mail.outbox):
        if email in message.to:
            found = re.search(r"https?://\S+/invitations/[\w-]+/", message.body)
            if found:
                return found.group(0)
    raise AssertionError(f"no invitation email to {email} in {[m.subject for m in mail.outbox]}")


def test_apply_approve_join_edit_switch_language_and_download_the_profile_pdf(page):
    community = community_area()
    theme = Theme.objects.create(slug="older-people", name_en="Older people", name_zh_hans="为老服务")
    officer = staff_user(PROGRAMME_OFFICER, email="officer@example.org")

    # 1. The organization applies from the public form.
    page.goto(page.base + "/apply/")
    page.fill("#id_name", ORG_NAME)
    page.select_option("#id_legal_form", "social_service")
    page.fill("#id_credit_code", CREDIT_CODE[:-1] + "D")  # a typo first: the field says what is wrong
    page.fill("#id_registration_date", "2019-05-20")
    page.select_option("#id_area", str(community.parent.pk))
    page.check(f"input[name=themes][value='{theme.pk}']")
    page.fill("#id_staff_count", "6")
    page.fill("#id_volunteer_count", "40")
    page.fill("#id_contact_name", "王芳")
    page.fill("#id_contact_email", APPLICANT)
    page.fill("#id_motivation", "我们希望提升为老服务的专业能力。")
    page.click("input[type=submit][name=submit]")
    assert "check character does not match" in page.locator("#div_id_credit_code").inner_text()
    page.fill("#id_credit_code", CREDIT_CODE)
    page.click("input[type=submit][name=submit]")
    page.wait_for_url("**/apply/thanks/")
    assert any(APPLICANT in m.to for m in mail.outbox)  # the acknowledgement

    # 2. A programme officer approves it in the admin with the "Approve and invite" action.
    login(page, officer.email, PASSWORD)
    page.goto(page.base + "/admin/organizations/programmeapplication/")
    row = page.locator("#result_list tbody tr", has_text=ORG_NAME)
    row.locator("input[name=_selected_action]").check()
    page.select_option("select[name=action]", "approve")
    page.click("button[name=index]")
    assert "an invitation was sent to " + APPLICANT in page.locator(".messagelist").inner_text()
    org = Organization.objects.get(name_zh_hans=ORG_NAME)  # the Chinese name, in its Chinese column
    assert org.status == Organization.Status.ACTIVE

    # 3. The applicant opens the emailed link (signed out), creates the account and lands in the portal.
    page.context.clear_cookies()
    page.goto(_invitation_link(APPLICANT))
    page.fill("#id_full_name", "王芳")
    page.fill("#id_password1", "Steppe-wind-2024!")
    page.fill("#id_password2", "Steppe-wind-2024!")
    page.click("input[type=submit][name=submit]")
    page.wait_for_url(f"**/o/{org.slug}/")
    assert f"Welcome to {ORG_NAME}" in page.content()
    assert org.memberships.get(user__email=APPLICANT).role == Role.ADMIN

    # 4. She edits the profile and uploads a logo.
    page.click("text=Edit the profile")
    page.fill("#id_address", "包头市昆都仑区少先路 12 号")
    page.fill("#id_name_en", "Sunshine Social Work Centre")
    page.set_input_files(
        "input[name=logo_upload]", files=[{"name": "logo.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.click("input[type=submit][name=submit]")
    page.wait_for_url(f"**/o/{org.slug}/")
    assert "The profile was saved." in page.content()
    logo = page.locator("img.org-logo")
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 160
    org.refresh_from_db()
    assert org.address == "包头市昆都仑区少先路 12 号"

    # 5. She switches to Chinese: the page is in Chinese.
    page.click("button[name=language][value=zh-hans]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("button", name="生成组织简介 PDF").is_visible()
    assert "统一社会信用代码" in page.content()

    # 6. She requests the profile PDF, waits for the download link and downloads it.
    page.get_by_role("button", name="生成组织简介 PDF").click()
    download_link = page.get_by_role("link", name="下载 PDF")
    download_link.wait_for(timeout=60000)
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    with open(download.path(), "rb") as fh:
        pdf = fh.read()
    assert pdf.startswith(b"%PDF")
    assert download.suggested_filename.endswith(".pdf")
    assert page.csp_violations == []


def test_the_portal_fits_a_phone_screen_without_horizontal_scrolling(phone_page):
    org = OrganizationFactory(
        name="包头市昆都仑区乐龄社会工作服务中心",
        name_en="Kundulun Joyful Ageing Social Work Service Centre with a rather long English name",
        description="扎根社区，服务居民，关注老人、儿童与特殊困难群体。" * 5,
    )
    user = member(org, Role.ADMIN, email="phone-admin@example.org")
    for n in range(3):
        member(org, Role.VIEWER, email=f"a-rather-long-address-for-member-{n}@example.org")
    login(phone_page, user.email, PASSWORD)
    for path in [f"/o/{org.slug}/", f"/o/{org.slug}/members/", f"/o/{org.slug}/profile/", "/apply/"]:
        phone_page.goto(phone_page.base + path)
        phone_page.wait_for_load_state("networkidle")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} px wide"
