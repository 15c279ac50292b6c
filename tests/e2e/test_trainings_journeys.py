"""Browser journeys of the training app: attendance on a phone, a submission uploaded in the portal and
reviewed by a trainer, and a certificate verified at /verify/<code>/."""

import pytest

from empowerment.authz import TRAINER
from organizations.models import Role
from tests.e2e.conftest import login
from tests.factories.core import PASSWORD, OrganizationFactory, member, staff_user
from tests.factories.trainings import PDF_BYTES, CohortFactory, ExerciseFactory, SessionFactory, enrol
from trainings import services
from trainings.models import Attendance, Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainer_takes_attendance_for_a_session_on_a_phone(phone_page):
    page = phone_page
    org = OrganizationFactory()
    cohort = CohortFactory(organizations=[org])
    session = SessionFactory(cohort=cohort)
    wang, li, zhang = (enrol(cohort, org, name) for name in ("王芳", "李强", "张敏"))
    trainer = staff_user(TRAINER, email="trainer-e2e@example.org")
    login(page, trainer.email, PASSWORD)
    page.goto(f"{page.base}/staff/trainings/sessions/{session.pk}/attendance/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.click(f"label[for=s-{li.pk}-late]")
    page.click(f"label[for=s-{zhang.pk}-excused]")
    page.click("button[data-mark-all=present]")  # fills only the rows still unmarked (王芳)
    page.click("#attendance-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Attendance saved: 3 recorded" in page.content()
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {
        wang.pk: "present",
        li.pk: "late",
        zhang.pk: "excused",
    }
    # A correction on the same screen keeps the earlier value in the history.
    page.click(f"label[for=s-{zhang.pk}-absent]")
    page.click("#attendance-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "1 corrected" in page.content()
    record = Attendance.objects.get(enrolment=zhang)
    assert [h.status for h in record.history.order_by("history_date")] == ["excused", "absent"]


def test_an_organization_uploads_a_submission_and_the_trainer_returns_it_with_feedback(page):
    org = OrganizationFactory(slug="lele")
    editor = member(org, Role.EDITOR, email="editor-e2e@example.org")
    cohort = CohortFactory(organizations=[org])
    enrol(cohort, org, "王芳")
    exercise = ExerciseFactory(cohort=cohort, title="需求评估报告初稿")
    trainer = staff_user(TRAINER, email="trainer-e2e2@example.org")

    login(page, editor.email, PASSWORD)
    page.goto(f"{page.base}/o/{org.slug}/trainings/exercises/")
    page.click(f"[data-exercise='{exercise.pk}']")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "需求评估.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}],
    )
    page.fill("textarea[name=note]", "请老师指正")
    page.click("main form [type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-status=submitted]").is_visible()
    assert Submission.objects.get().status == "submitted"

    page.context.clear_cookies()
    login(page, trainer.email, PASSWORD)
    page.goto(f"{page.base}/staff/trainings/reviews/")
    page.click(f"[data-submission='{Submission.objects.get().pk}']")
    page.check("input[name=decision][value=returned]")
    page.fill("textarea[name=feedback]", "请补充样本量和需求排序依据。")
    page.click("main form [type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Nothing to review." in page.content()

    page.context.clear_cookies()
    login(page, editor.email, PASSWORD)
    page.goto(f"{page.base}/o/{org.slug}/trainings/exercises/{exercise.pk}/")
    assert page.locator("[data-status=returned]").is_visible()
    assert "请补充样本量和需求排序依据。" in page.locator("[data-feedback]").inner_text()
    assert page.csp_violations == []


def test_anyone_verifies_a_certificate_by_its_code(page):
    org = OrganizationFactory(name="包头市乐龄社会工作服务中心")
    cohort = CohortFactory(
        name="2024年包头第一期", min_attendance_percent=100, require_exercises=False, organizations=[org]
    )
    session = SessionFactory(cohort=cohort)
    wang = enrol(cohort, org, "王芳")
    trainer = staff_user(TRAINER, email="trainer-e2e3@example.org")
    services.attendance_take(session=session, marks={wang.pk: "present"}, by=trainer)
    certificate = services.certificate_issue(enrolment=wang, by=trainer, render=False)

    page.goto(f"{page.base}/verify/")
    page.fill("input[name=code]", certificate.verification_code.lower())
    page.click("main form [type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-verify=valid]").is_visible()
    assert page.locator("[data-field=holder]").inner_text() == "王芳"
    assert "包头市乐龄社会工作服务中心" in page.locator("[data-field=organization]").inner_text()
    assert page.locator("[data-field=cohort]").inner_text() == "2024年包头第一期"

    services.certificate_revoke(certificate=certificate, reason="信息有误", by=trainer)
    page.goto(f"{page.base}/verify/{certificate.verification_code}/")
    assert page.locator("[data-verify=revoked]").is_visible()
    assert "信息有误" in page.content()
    assert page.csp_violations == []


def test_attendance_of_85_people_is_comfortable_on_a_phone(phone_page):
    """85 people over five organizations: the save button and the counts stay on screen while scrolling, the
    sheet filters by organization and by name, the counts follow each choice, "mark the unmarked present"
    touches only the rows shown, and the page passes axe-core's contrast and label checks."""
    page = phone_page
    orgs = [OrganizationFactory(name=f"社会组织 {i}") for i in range(5)]
    cohort = CohortFactory(organizations=orgs)
    session = SessionFactory(cohort=cohort)
    people = [enrol(cohort, orgs[i % 5], f"参与者 {i:02d}") for i in range(85)]
    trainer = staff_user(TRAINER, email="trainer-e2e85@example.org")
    login(page, trainer.email, PASSWORD)
    page.goto(f"{page.base}/staff/trainings/sessions/{session.pk}/attendance/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    def save_button_on_screen() -> bool:
        box = page.locator("#attendance-form button[type=submit]").bounding_box()
        return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 740

    assert save_button_on_screen()
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(200)
    assert save_button_on_screen()
    assert page.locator("[data-count='']").inner_text() == "85"

    # One organization at a time: 17 rows shown; mark them present; the others stay unmarked.
    page.select_option("#attendance-org", str(orgs[2].pk))
    assert page.locator("fieldset.attendance-row:visible").count() == 17
    page.click("button[data-mark-all=present]")
    assert page.locator("[data-count=present]").inner_text() == "17"
    assert page.locator("[data-count='']").inner_text() == "68"

    # Search by name across organizations.
    page.select_option("#attendance-org", "")
    page.fill("#attendance-search", "参与者 08")
    assert page.locator("fieldset.attendance-row:visible").count() == 1
    page.click(f"label[for=s-{people[8].pk}-late]")
    assert page.locator("[data-count=late]").inner_text() == "1"
    page.fill("#attendance-search", "")
    assert page.locator("fieldset.attendance-row:visible").count() == 85

    # Saving with rows unmarked is refused and the unmarked rows are marked out; nothing is saved.
    page.evaluate("document.getElementById('attendance-form').noValidate = true")
    page.click("#attendance-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "67 left" in page.locator("[data-errors]").inner_text()
    assert page.locator("fieldset.is-unmarked").count() == 67
    assert not Attendance.objects.filter(session=session).exists()

    page.add_script_tag(url=f"{page.base}/static/vendor/axe/axe.min.js")
    violations = page.evaluate(
        """async () => (await axe.run()).violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => v.id + ': ' + v.nodes.length)"""
    )
    assert violations == []

    page.click("button[data-mark-all=present]")
    page.click("#attendance-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Attendance saved: 85 recorded" in page.content()
    assert Attendance.objects.filter(session=session, status="present").count() == 84
