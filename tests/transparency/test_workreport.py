"""The annual work report (年度工作报告) on the small programme of tests/transparency/conftest.py (2026), with
training and project decisions added here:

Training 2026: cohort C (2026-03-01 – 2026-10-31) with two sessions in 2026 and one on 2025-12-20 (cohort C0,
2025 only); org A's two participants attend the 2026 sessions (present, late), org B's is absent → 1 cohort,
2 sessions, 2 people trained, 1 organization; the two valid certificates are dated 2026-06-30, the revoked one
does not count → 2.
Projects: P1 approved for incubation 2026-01-05, P2 completed 2026-04-02 (decisions); both run in 2026, the
draft never counts → approved 1, completed 1, running 2; people reached 100, volunteer hours 21.5.
Money (conftest): raised 32,000 (government 15,000, foundation 10,000, platform anonymous 5,000, enterprise
2,000; the 700 reversed the same day nets to nothing), spent 8,500, balance 23,500.
Disclosures due in 2026: P1's progress Q1 (due 04-30), Q2 (07-30), Q3 (10-30) and P2's final (06-30); Q1 is
published on 2026-05-20, 20 days late → 4 due, 1 published late, 3 outstanding.
"""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from empowerment.authz import ADMINISTRATOR, FINANCE_OFFICER, TRAINER
from empowerment.models import Document
from empowerment.translated import pick
from fundraising import ledger
from fundraising import selectors as books
from fundraising import services as money_services
from fundraising.models import Channel, InKindGift
from fundraising.selectors import statements
from fundraising.statements.mapping import mapping_apply_defaults
from organizations.models import Organization, Theme
from projects.models import Project, ProjectDecision
from tests.factories import fundraising as ff
from tests.factories.core import staff_user
from tests.factories.trainings import CohortFactory, SessionFactory, enrol
from trainings.models import Attendance, Certificate
from transparency import disclosure_calendar, services, workreport
from transparency.models import Disclosure, WorkReport, WorkReportSection
from transparency.periods import year as year_period

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
ZH = {key: f"{key}：本年度中文叙述。" for key in WorkReportSection.Key.values}
EN = {key: f"{key}: the narrative of the year in English." for key in WorkReportSection.Key.values}


def at(moment: str):
    return freeze_time(f"{moment} 10:00:00+08:00")


@pytest.fixture
def year_2026(programme, org_a, org_b):
    """The conftest programme with 2026's training, project decisions and one late disclosure."""
    cohort = CohortFactory(
        name="2026年包头社区赋能培训班", starts_on=date(2026, 3, 1), ends_on=date(2026, 10, 31)
    )
    old = CohortFactory(name="2025年冬季班", starts_on=date(2025, 11, 1), ends_on=date(2025, 12, 31))
    s1 = SessionFactory(cohort=cohort, starts_at=datetime(2026, 3, 7, 9, tzinfo=TZ))
    s2 = SessionFactory(
        cohort=cohort, starts_at=datetime(2026, 1, 1, 0, 30, tzinfo=TZ)
    )  # first hour of the year
    s0 = SessionFactory(cohort=old, starts_at=datetime(2025, 12, 20, 9, tzinfo=TZ))
    a1, a2 = enrol(cohort, org_a, "学员一"), enrol(cohort, org_a, "学员二")
    b1 = enrol(cohort, org_b, "学员三")
    old_enrolment = enrol(old, org_b, "学员四")
    for session in (s1, s2):
        Attendance.objects.create(session=session, enrolment=a1, status="present")
        Attendance.objects.create(session=session, enrolment=a2, status="late")
        Attendance.objects.create(session=session, enrolment=b1, status="absent")
    Attendance.objects.create(session=s0, enrolment=old_enrolment, status="present")
    Certificate.objects.update(issued_at=datetime(2026, 6, 30, 12, tzinfo=TZ))
    for project, status, moment in (
        (programme.p1, "approved", datetime(2026, 1, 5, 9, tzinfo=TZ)),
        (programme.p2, "completed", datetime(2026, 4, 2, 9, tzinfo=TZ)),
        (programme.p1, "approved", datetime(2025, 12, 30, 9, tzinfo=TZ)),  # another year
    ):
        decision = ProjectDecision.objects.create(
            project=project, from_status="submitted", to_status=status, by=programme.officer
        )
        ProjectDecision.objects.filter(pk=decision.pk).update(at=moment)
    with at("2026-05-20"):
        services.disclosure_publish(
            kind="progress",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31),
            due_on=date(2026, 4, 30),
            narrative="第一季度进展。",
            project=programme.p1,
            by=programme.officer,
        )
    return programme


def _assemble(programme, moment="2026-12-15", year=2026, by=None):
    with at(moment):
        report, created = workreport.work_report_assemble(year=year, by=by or programme.finance)
    return report


def _figures(report) -> dict:
    return {s.key: s.figures_value for s in report.sections.all()}


def _write_all(report, by):
    for section in report.sections.all():
        workreport.work_report_section_edit(
            section=section, narrative=EN[section.key], narrative_zh=ZH[section.key], by=by
        )


def _pdf_text(document) -> str:
    with document.file.open("rb") as fh:
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(fh.read())).pages)


def test_assembly_takes_the_years_figures_from_the_books_and_the_apps(year_2026):
    # A gift in kind: income in the statements, never money raised.
    with at("2026-09-10"):
        money_services.in_kind_record(
            kind=InKindGift.Kind.VOLUNTEER,
            description="Home visits",
            value=Decimal("1200.00"),
            basis="40 hours × 30 yuan",
            hours=Decimal("40"),
            received_on=date(2026, 9, 10),
            fund=ledger.general_fund(),
            by=year_2026.finance,
        )
    mapping_apply_defaults(by=None)  # the chart of accounts mapped: the statements compute
    report = _assemble(year_2026)
    assert report.status == "draft" and report.created_by == year_2026.finance
    assert [s.key for s in report.sections.order_by("position")] == list(WorkReportSection.Key.values)
    assert all(s.is_empty for s in report.sections.all())
    figures = _figures(report)

    money = figures["money"]
    books_2026 = books.programme_money(year_period(2026))
    assert (money["raised"], money["spent"], money["balance"]) == (
        Decimal("32000.00"),
        Decimal("8500.00"),
        Decimal("23500.00"),
    )
    assert (money["raised"], money["spent"], money["balance"]) == (
        books_2026["raised"],
        books_2026["spent"],
        books_2026["balance"],
    )
    assert sorted((pick(name).text, amount) for name, amount in money["raised_by_channel"]) == sorted(
        books_2026["raised_by_channel"]
    )
    assert dict(money["raised_by_funder_kind"]) == {
        "government": Decimal("15000.00"),
        "foundation": Decimal("10000.00"),
        "anonymous": Decimal("5000.00"),
        "enterprise": Decimal("2000.00"),
    }
    # Income by kind is the statement of activities' (one definition), and adds up to what was raised.
    assert money["income_by_kind"] == statements.income_by_kind(2026)
    assert money["income_by_kind"] is not None
    assert money["in_kind_income"] == Decimal("1200.00")
    assert (
        sum(amount for _line, amount in money["income_by_kind"]) == money["raised"] + money["in_kind_income"]
    )
    assert money["spent_by_classification"] == books.spending_by_classification(2026)
    assert money["spent_by_classification"]["total"] == Decimal("8500.00")
    assert figures["ratios"] == books.ratios(2026)

    assert figures["training"]["cohorts"] == 1
    assert [row[0] for row in figures["training"]["cohort_list"]] == ["2026年包头社区赋能培训班"]
    assert (
        figures["training"]["sessions"],
        figures["training"]["participants"],
        figures["training"]["organizations"],
        figures["training"]["certificates"],
    ) == (2, 2, 1, 2)

    projects = figures["projects"]
    assert (projects["approved"], projects["completed"], projects["running"]) == (1, 1, 2)
    assert projects["people"] == 100 and projects["volunteer_hours"] == Decimal("21.50")
    assert {p["slug"]: p["people"] for p in projects["project_list"]} == {
        "health-checks": 90,
        "safe-stairs": 10,
    }

    disclosures = figures["disclosure"]
    assert (
        disclosures["due"],
        disclosures["published"],
        disclosures["late"],
        disclosures["outstanding"],
    ) == (
        4,
        1,
        1,
        3,
    )
    late = next(i for i in disclosures["items"] if i["published_on"])
    assert (late["due_on"], late["published_on"], late["days_late"]) == (
        date(2026, 4, 30),
        date(2026, 5, 20),
        20,
    )

    # Assembling the same year again returns the same draft.
    with at("2026-12-16"):
        again, created = workreport.work_report_assemble(year=2026, by=year_2026.officer)
    assert (again.pk, created) == (report.pk, False)
    assert WorkReportSection.objects.count() == len(WorkReportSection.Key.values)


def test_the_report_names_channels_projects_and_themes_in_the_readers_language(year_2026):
    """Names are kept in both languages when the figures are taken, so one report reads in English and in
    Chinese; a name given in one language only is shown with its language mark on the other's page."""
    Channel.objects.filter(code="bank-main").update(name_en="Bank account", name_zh_hans="银行账户")
    Channel.objects.filter(code="platform").update(name_en="Online platform", name_zh_hans="")
    Project.objects.filter(slug="health-checks").update(
        title_en="Health checks for older residents", title_zh_hans="老年居民健康检查"
    )
    Organization.objects.filter(pk=year_2026.p1.organization_id).update(
        name_en="Org A", name_zh_hans="甲机构"
    )
    Theme.objects.filter(pk=year_2026.p1.theme_id).update(name_en="Elderly care", name_zh_hans="为老服务")
    report = _assemble(year_2026)
    views = workreport.section_views(report)
    pages = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            pages[language] = render_to_string(
                "transparency/workreport/_sections.html", {"sections": views, "report": report}
            )
    english, chinese = pages["en"], pages["zh-hans"]
    assert "Bank account" in english and "银行账户" not in english
    assert "银行账户" in chinese and "Bank account" not in chinese
    assert "Health checks for older residents" in english and "老年居民健康检查" in chinese
    assert "Org A" in english and "甲机构" in chinese and "甲机构" not in english
    assert "Elderly care" in english and "为老服务" in chinese
    # Only in English: shown on the Chinese page with the mark that says so.
    assert 'Online platform</span> <abbr class="lang-mark" lang="en"' in chinese
    assert "Online platform</span> <abbr" not in english
    # Renaming a channel later does not change what the report says.
    Channel.objects.filter(code="bank-main").update(name_en="Main bank account")
    report.refresh_from_db()
    with translation.override("en"):
        again = render_to_string(
            "transparency/workreport/_sections.html",
            {"sections": workreport.section_views(report), "report": report},
        )
    assert "Bank account" in again and "Main bank account" not in again


def test_edits_keep_their_history_and_taking_the_figures_again_keeps_the_narrative(year_2026):
    report = _assemble(year_2026)
    section = report.sections.get(key="training")
    workreport.work_report_section_edit(
        section=section, narrative="First", narrative_zh="初稿", by=year_2026.finance
    )
    workreport.work_report_section_edit(
        section=section, narrative="Second", narrative_zh="二稿", by=year_2026.officer
    )
    section.refresh_from_db()
    assert (section.narrative, section.narrative_zh) == ("Second", "二稿")
    versions = list(section.history.order_by("history_id"))
    assert [(v.narrative_zh, v.history_user) for v in versions] == [
        ("", year_2026.finance),
        ("初稿", year_2026.finance),
        ("二稿", year_2026.officer),
    ]
    taken = section.figures_taken_at
    with at("2026-12-20"):
        ff.donate(fund=year_2026.general, amount="1000.00", channel=year_2026.bank, by=year_2026.finance)
        workreport.work_report_refresh(report=report, by=year_2026.officer)
    section.refresh_from_db()
    assert section.narrative_zh == "二稿" and section.figures_taken_at > taken
    assert report.sections.get(key="money").figures_value["raised"] == Decimal("33000.00")


def test_publishing_makes_the_public_page_the_pdfs_in_both_languages_and_the_annual_disclosure(
    year_2026, client, django_capture_on_commit_callbacks
):
    report = _assemble(year_2026)
    _write_all(report, year_2026.officer)
    with at("2027-01-04"):
        workreport.work_report_refresh(report=report, by=year_2026.officer)
    with django_capture_on_commit_callbacks(execute=True), at("2027-01-05"):
        workreport.work_report_publish(report=report, by=year_2026.finance)
    report.refresh_from_db()
    assert report.status == "published" and report.published_by == year_2026.finance

    disclosure = report.disclosure
    assert (disclosure.kind, disclosure.period_start, disclosure.period_end, disclosure.due_on) == (
        Disclosure.Kind.ANNUAL,
        date(2026, 1, 1),
        date(2026, 12, 31),
        date(2027, 5, 31),
    )
    assert disclosure.status == "published" and "/work-reports/2026/" in disclosure.narrative
    funds = disclosure_calendar.funds_for(start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert (disclosure.funds_received, disclosure.funds_spent) == (funds["received"], funds["spent"])
    item = disclosure_calendar.find("programme:annual:2026-12-31", today=date(2027, 1, 5))
    assert item.state == "done" and item.disclosure == disclosure

    documents = {d.language: d for d in Document.objects.filter(kind="work_report")}
    assert set(documents) == {"en", "zh-hans"}
    assert all(d.status == Document.Status.READY for d in documents.values()), [
        d.error for d in documents.values()
    ]
    english, chinese = _pdf_text(documents["en"]), _pdf_text(documents["zh-hans"])
    assert "Annual work report 2026" in english and "Spent by category" in english
    assert EN["money"] in english and ZH["money"] not in english
    assert "¥32,000.00" in english and "¥8,500.00" in english
    assert ZH["money"] in chinese and "按类别支出" in chinese and "Spent by category" not in chinese
    assert "¥32,000.00" in chinese

    page = client.get(reverse("transparency:workreport_detail", args=[2026]))
    assert page.status_code == 200
    html = page.content.decode()
    assert EN["ratios"] in html and "¥32,000.00" in html
    assert reverse("document_download", args=[documents["en"].pk]) in html
    listing = client.get(reverse("transparency:workreport_list")).content.decode()
    assert reverse("transparency:workreport_detail", args=[2026]) in listing
    zh_page = client.get(
        reverse("transparency:workreport_detail", args=[2026]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert ZH["ratios"] in zh_page.content.decode()

    # Corrected through the disclosure's dated notes, shown on the public page.
    services.disclosure_correct(disclosure=disclosure, note="培训人数应为 3 人。", by=year_2026.officer)
    # The page cache renews the page when the test's transaction would commit (empowerment.pagecache); this
    # test never commits, so it forgets the cached page itself.
    cache.clear()
    assert (
        "培训人数应为 3 人。"
        in client.get(reverse("transparency:workreport_detail", args=[2026])).content.decode()
    )


def test_refusals_leave_the_report_as_it_was(year_2026):
    with pytest.raises(ValidationError) as future:
        _assemble(year_2026, year=2027)
    assert "2027 has not begun" in " ".join(future.value.messages)
    assert not WorkReport.objects.exists()
    with pytest.raises(PermissionDenied):
        _assemble(year_2026, by=staff_user(TRAINER, email="wr-trainer@example.org"))

    report = _assemble(year_2026)
    with pytest.raises(ValidationError) as not_ended, at("2026-12-31"):
        workreport.work_report_publish(report=report, by=year_2026.officer)
    assert "has not ended yet" in " ".join(not_ended.value.messages)
    _write_all(report, year_2026.officer)
    with pytest.raises(ValidationError) as stale, at("2027-01-05"):
        workreport.work_report_publish(report=report, by=year_2026.officer)
    assert "before the year ended" in " ".join(stale.value.messages)
    with at("2027-01-05"):
        workreport.work_report_refresh(report=report, by=year_2026.officer)
    section = report.sections.get(key="disclosure")
    workreport.work_report_section_edit(
        section=section, narrative="  ", narrative_zh="", by=year_2026.officer
    )
    with pytest.raises(ValidationError) as empty, at("2027-01-05"):
        workreport.work_report_publish(report=report, by=year_2026.officer)
    assert "Still empty: Information disclosure." in " ".join(empty.value.messages)
    report.refresh_from_db()
    assert report.status == "draft" and not Disclosure.objects.filter(kind="annual").exists()

    workreport.work_report_section_edit(
        section=section, narrative="", narrative_zh="已按时披露。", by=year_2026.officer
    )
    admin = staff_user(ADMINISTRATOR, email="wr-admin@example.org")
    with at("2027-01-05"):
        workreport.work_report_publish(report=report, by=admin)
    with pytest.raises(ValidationError) as frozen:
        workreport.work_report_section_edit(
            section=section, narrative="Changed", narrative_zh="", by=year_2026.officer
        )
    assert "can no longer be changed" in " ".join(frozen.value.messages)
    with pytest.raises(ValidationError):
        workreport.work_report_refresh(report=report, by=year_2026.officer)
    with pytest.raises(ValidationError), at("2027-01-06"):
        workreport.work_report_publish(report=report, by=year_2026.officer)
    section.refresh_from_db()
    assert section.narrative_zh == "已按时披露。" and section.narrative == ""
    assert Disclosure.objects.filter(kind="annual").count() == 1


def test_the_filing_deadline_is_on_the_disclosure_calendar(year_2026, client):
    items = {i.key: i for i in disclosure_calendar.obligations(today=date(2026, 12, 15))}
    current = items["programme:annual:2026-12-31"]
    assert (current.due_on, current.state) == (date(2027, 5, 31), "upcoming")
    later = disclosure_calendar.find("programme:annual:2026-12-31", today=date(2027, 5, 25))
    assert later.state == "soon"
    # The calendar's "write and publish" of the annual report leads to the work report's pages.
    client.force_login(year_2026.officer)
    response = client.get(
        reverse("transparency:staff_disclosure_publish", args=["programme:annual:2026-12-31"])
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "transparency:workreport_staff_list"
    )


def test_staff_pages_assemble_write_and_refuse_by_role(year_2026, client):
    finance = staff_user(FINANCE_OFFICER, email="wr-finance@example.org")
    trainer = staff_user(TRAINER, email="wr-trainer2@example.org")
    # Logged in and working on 2026-12-10 (the year not ended yet).
    with at("2026-12-10"):
        client.force_login(finance)
        url = reverse("transparency:workreport_staff_list")
        bad = client.post(url, {"year": "twenty"})
        assert bad.status_code == 400 and "Enter a whole number." in bad.content.decode()
        future = client.post(url, {"year": "2027"})
        assert future.status_code == 400 and "2027 has not begun" in future.content.decode()
        response = client.post(url, {"year": "2026"})
        assert response.status_code == 302 and response["Location"] == reverse(
            "transparency:workreport_staff_detail", args=[2026]
        )
        detail = client.get(response["Location"]).content.decode()
        assert "Take the figures again" in detail and 'data-figure="raised">¥32,000.00' in detail
        edit_url = reverse("transparency:workreport_section_edit", args=[2026, "basic"])
        assert client.get(edit_url).status_code == 200
        saved = client.post(
            edit_url, {"narrative": "The programme in 2026.", "narrative_zh": "2026年的项目计划。"}
        )
        assert saved.status_code == 302
        assert WorkReportSection.objects.get(key="basic").narrative_zh == "2026年的项目计划。"
        assert "2026年的项目计划。" in client.get(edit_url).content.decode()  # in the history table
        too_long = client.post(edit_url, {"narrative": "x" * 20_001, "narrative_zh": ""})
        assert too_long.status_code == 400
        assert WorkReportSection.objects.get(key="basic").narrative == "The programme in 2026."
        assert (
            client.get(reverse("transparency:workreport_section_edit", args=[2026, "nonsense"])).status_code
            == 404
        )
        with at("2026-12-20"):
            client.force_login(finance)  # sessions last twelve hours
            published = client.post(reverse("transparency:workreport_publish", args=[2026]), follow=True)
        assert "2026 has not ended yet" in published.content.decode()
        assert WorkReport.objects.get().status == "draft"

    client.force_login(trainer)
    seen = client.get(reverse("transparency:workreport_staff_detail", args=[2026]))
    assert seen.status_code == 200 and "Write this section" not in seen.content.decode()
    assert client.post(url, {"year": "2025"}).status_code == 403
    assert client.post(edit_url, {"narrative": "x", "narrative_zh": ""}).status_code == 403
    assert not WorkReport.objects.filter(year=2025).exists()
    # A draft is never public.
    client.logout()
    assert client.get(reverse("transparency:workreport_detail", args=[2026])).status_code == 404
