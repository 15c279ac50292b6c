"""Browser journey of cohort set-up: a trainer enrols a cohort from a spreadsheet, sees the rows with
problems, corrects the file and confirms; everyone is enrolled at once."""

import io

import openpyxl
import pytest

from empowerment.authz import TRAINER
from tests.e2e.conftest import login
from tests.factories.core import PASSWORD, OrganizationFactory, staff_user
from tests.factories.trainings import CohortFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_trainer_enrols_a_cohort_from_a_spreadsheet(page):
    jia = OrganizationFactory(name="甲社区服务中心", slug="jia")
    yi = OrganizationFactory(name="乙社区服务中心", slug="yi")
    cohort = CohortFactory(organizations=[jia, yi])
    trainer = staff_user(TRAINER, email="trainer-import@example.org")
    login(page, trainer.email, PASSWORD)
    page.goto(f"{page.base}/staff/trainings/cohorts/{cohort.pk}/")
    page.click("text=Participants: enrol, move, withdraw")
    page.click("text=Enrol from a spreadsheet")

    heading = ["机构", "姓名", "职务", "电话", "邮箱"]
    wrong = _xlsx(
        [
            heading,
            ["甲社区服务中心", "赵敏", "社工", "13800000001", ""],
            ["丙社区服务中心", "孙立", "", "", ""],
            ["乙社区服务中心", "钱进", "", "", "qian-at-example"],
        ]
    )
    page.set_input_files("input[name=file]", files=[{"name": "学员.xlsx", "mimeType": XLSX, "buffer": wrong}])
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-import-errors]").get_attribute("data-import-errors") == "2"
    assert (
        "丙社区服务中心 does not take part in this cohort." in page.locator("tr[data-line='3']").inner_text()
    )
    assert "qian-at-example is not an e-mail address." in page.locator("tr[data-line='4']").inner_text()
    assert page.locator("[data-confirm-import]").count() == 0
    assert cohort.enrolments.count() == 0

    right = _xlsx(
        [
            heading,
            ["甲社区服务中心", "赵敏", "社工", "13800000001", ""],
            ["乙社区服务中心", "孙立", "", "", ""],
            ["乙社区服务中心", "钱进", "", "", "qian@example.org"],
        ]
    )
    page.set_input_files("input[name=file]", files=[{"name": "学员.xlsx", "mimeType": XLSX, "buffer": right}])
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("table[data-import-preview] tbody tr").count() == 3
    assert cohort.enrolments.count() == 0  # a preview enrols nobody
    page.click("[data-confirm-import]")
    page.wait_for_load_state("networkidle")
    assert "3 participants were enrolled." in page.content()
    assert sorted(cohort.enrolments.values_list("participant__name", flat=True)) == ["孙立", "赵敏", "钱进"]
    assert page.csp_violations == []
