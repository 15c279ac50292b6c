"""Browser journeys of the training staff screens: a mentor logs a visit with two agreed actions on a
375-px phone, the organization answers one in its portal, and the mentor reads the answer and closes it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from empowerment.authz import TRAINER
from organizations.models import Role
from tests.e2e.conftest import login
from tests.factories.core import PASSWORD, OrganizationFactory, member, staff_user
from trainings.models import AgreedAction, MentorAssignment, MentoringVisit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_mentor_logs_a_visit_on_a_phone_and_the_organization_answers_an_action(browser, phone_page):
    page = phone_page
    org = OrganizationFactory(slug="xingfu")
    editor = member(org, Role.EDITOR, email="editor-mentoring@example.org")
    mentor = staff_user(TRAINER, email="mentor-e2e@example.org")
    MentorAssignment.objects.create(mentor=mentor, organization=org)
    due = timezone.localdate() + timedelta(days=14)

    login(page, mentor.email, PASSWORD)
    page.goto(f"{page.base}/staff/trainings/mentoring/")
    assert _fits(page)
    page.click(f"[data-mentored='{org.pk}'] >> text=Log a visit")
    page.wait_for_load_state("networkidle")
    assert _fits(page)
    page.select_option("select[name=mode]", "visit")
    page.fill("input[name=topics]", "志愿者管理与需求评估")
    page.fill("textarea[name=notes]", "走访了三个楼栋的志愿者。")
    page.fill("input[name=actions-0-text]", "建立志愿者名册")
    page.fill("input[name=actions-0-owner]", "李强")
    page.fill("input[name=actions-0-due_on]", due.isoformat())
    page.click("button[data-add-action]")  # a second row, added in place by static JS
    page.fill("input[name=actions-1-text]", "修订需求评估问卷")
    page.fill("input[name=actions-1-owner]", "王芳")
    page.fill("input[name=actions-1-due_on]", (due + timedelta(days=7)).isoformat())
    assert _fits(page)
    page.click("form.visit-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "The visit was logged with 2 agreed actions" in page.content()
    visit = MentoringVisit.objects.get()
    assert visit.expert == mentor
    assert set(visit.actions.values_list("text", "owner")) == {
        ("建立志愿者名册", "李强"),
        ("修订需求评估问卷", "王芳"),
    }
    action = visit.actions.get(text="建立志愿者名册")

    org_context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    org_page = org_context.new_page()
    org_page.set_default_timeout(15000)
    org_page.base = page.base
    login(org_page, editor.email, PASSWORD)
    org_page.goto(f"{page.base}/o/{org.slug}/trainings/mentoring/")
    assert _fits(org_page)
    item = org_page.locator(f"[data-open-action='{action.pk}']")
    item.locator("textarea").fill("名册已建立，共42人。")
    item.locator("button[type=submit]").click()
    org_page.wait_for_load_state("networkidle")
    assert "Your answer was sent to the mentor." in org_page.content()
    org_context.close()

    page.goto(f"{page.base}/staff/trainings/mentoring/actions/")
    assert "名册已建立，共42人。" in page.locator(f"[data-reply='{action.pk}']").inner_text()
    page.locator(f"[data-action='{action.pk}'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "The action was closed." in page.content()
    assert AgreedAction.objects.get(pk=action.pk).done_at is not None
    assert AgreedAction.objects.filter(done_at__isnull=True).count() == 1
