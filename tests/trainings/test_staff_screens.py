"""Purpose-built training staff screens: expert mentors' organizations, visits and
agreed actions answered by the organization; capacity scored per dimension beside the self-assessment;
cohort set-up and enrolment. Services with their refusals first, then the pages per role."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from empowerment.authz import TRAINER
from tests.factories.core import staff_user
from trainings import selectors, services
from trainings.models import (
    AgreedAction,
    CapacityAssessment,
    CapacityDimension,
    MentorAssignment,
    MentoringVisit,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def client_for(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


@pytest.fixture
def mentor(people, org_a):
    """The matrix trainer, assigned as org A's mentor."""
    MentorAssignment.objects.create(mentor=people["trainer"], organization=org_a)
    return people["trainer"]


@pytest.fixture
def other_mentor(org_b):
    """A trainer who mentors org B only."""
    user = staff_user(TRAINER, email="other-mentor@example.org")
    MentorAssignment.objects.create(mentor=user, organization=org_b)
    return user


def _visit(org, mentor, **kw):
    return services.mentoring_visit_record(
        organization=org,
        by=mentor,
        topics="需求评估方法",
        actions=kw.pop(
            "actions", [{"text": "完成入户访谈", "owner": "王芳", "due_on": TODAY() + timedelta(days=14)}]
        ),
        **kw,
    )


# Mentor assignment ------------------------------------------------------------------------------------


def test_programme_officer_assigns_a_mentor_once(people, org_a):
    services.mentor_assign(mentor=people["trainer"], organization=org_a, by=people["programme_officer"])
    with pytest.raises(ValidationError) as exc:
        services.mentor_assign(mentor=people["trainer"], organization=org_a, by=people["programme_officer"])
    assert "mentor" in exc.value.error_dict
    assert MentorAssignment.objects.count() == 1


def test_assigning_is_refused_to_trainers_and_to_non_mentors(people, org_a):
    with pytest.raises(PermissionDenied):
        services.mentor_assign(mentor=people["trainer"], organization=org_a, by=people["trainer"])
    with pytest.raises(ValidationError) as exc:
        services.mentor_assign(
            mentor=people["finance_officer"], organization=org_a, by=people["programme_officer"]
        )
    assert "mentor" in exc.value.error_dict


# Visits -----------------------------------------------------------------------------------------------


def test_mentor_logs_a_visit_with_actions_owners_and_due_dates(mentor, org_a):
    visit = _visit(
        org_a,
        mentor,
        mode=MentoringVisit.Mode.CALL,
        actions=[
            {"text": "完成入户访谈", "owner": "王芳", "due_on": TODAY() + timedelta(days=7)},
            {"text": "修订项目书", "owner": "理事会", "due_on": TODAY() + timedelta(days=30)},
        ],
    )
    assert visit.expert == mentor and visit.mode == "call"
    assert [(a.text, a.owner) for a in visit.actions.order_by("due_on")] == [
        ("完成入户访谈", "王芳"),
        ("修订项目书", "理事会"),
    ]
    assert visit.history.first().history_user == mentor


def test_visit_refused_for_an_organization_not_mentored(mentor, other_mentor, org_a, org_b):
    with pytest.raises(PermissionDenied):
        _visit(org_a, other_mentor)
    with pytest.raises(PermissionDenied):
        _visit(org_b, mentor)
    assert not MentoringVisit.objects.exists()


def test_programme_officer_may_log_a_visit_for_any_organization(people, org_b):
    assert _visit(org_b, people["programme_officer"]).expert == people["programme_officer"]


def test_a_bad_action_refuses_the_whole_visit(mentor, org_a):
    with pytest.raises(ValidationError) as exc:
        _visit(
            org_a,
            mentor,
            actions=[
                {"text": "完成入户访谈", "owner": "", "due_on": TODAY() + timedelta(days=3)},
                {"text": "", "owner": "", "due_on": TODAY() - timedelta(days=3)},
            ],
        )
    messages = exc.value.message_dict["actions"]
    assert "Action 2: say what was agreed." in messages
    assert "Action 2: it cannot be due before the visit." in messages
    assert not MentoringVisit.objects.exists() and not AgreedAction.objects.exists()


def test_visit_in_the_future_or_for_a_foreign_cohort_is_refused(mentor, org_a, cohort):
    with pytest.raises(ValidationError) as exc:
        _visit(org_a, mentor, date=TODAY() + timedelta(days=1))
    assert "date" in exc.value.error_dict
    cohort.organizations.remove(org_a)
    with pytest.raises(ValidationError) as exc:
        _visit(org_a, mentor, cohort=cohort)
    assert "cohort" in exc.value.error_dict


# Closing and answering actions ----------------------------------------------------------------------


def test_mentor_closes_an_action_once_and_another_mentor_cannot(mentor, other_mentor, org_a):
    action = _visit(org_a, mentor).actions.get()
    with pytest.raises(PermissionDenied):
        services.agreed_action_close(action=action, by=other_mentor)
    services.agreed_action_close(action=action, by=mentor)
    action.refresh_from_db()
    assert action.done_at is not None
    with pytest.raises(ValidationError):
        services.agreed_action_close(action=action, by=mentor)


def test_organization_answers_an_action_and_may_revise_until_closed(mentor, people, org_a):
    action = _visit(org_a, mentor).actions.get()
    services.agreed_action_answer(
        action=action, organization=org_a, reply="已完成12户访谈", by=people["a_editor"]
    )
    services.agreed_action_answer(
        action=action, organization=org_a, reply="已完成20户访谈", by=people["a_admin"]
    )
    action.refresh_from_db()
    assert action.reply == "已完成20户访谈" and action.replied_by == people["a_admin"]
    assert [h.reply for h in action.history.order_by("history_id")][-2:] == [
        "已完成12户访谈",
        "已完成20户访谈",
    ]
    services.agreed_action_close(action=action, by=mentor)
    with pytest.raises(ValidationError):
        services.agreed_action_answer(action=action, organization=org_a, reply="补充", by=people["a_admin"])


def test_answer_refused_to_viewers_other_organizations_and_empty_text(mentor, people, org_a, org_b):
    action = _visit(org_a, mentor).actions.get()
    with pytest.raises(PermissionDenied):
        services.agreed_action_answer(action=action, organization=org_a, reply="x", by=people["a_viewer"])
    with pytest.raises(PermissionDenied):  # org B's admin answering through its own organization
        services.agreed_action_answer(action=action, organization=org_b, reply="x", by=people["b_admin"])
    with pytest.raises(ValidationError) as exc:
        services.agreed_action_answer(action=action, organization=org_a, reply="  ", by=people["a_admin"])
    assert "reply" in exc.value.error_dict


def test_mentor_lists_cover_only_assigned_organizations(mentor, other_mentor, people, org_a, org_b):
    _visit(org_a, mentor)
    _visit(org_b, other_mentor)
    assert [o.pk for o in selectors.mentor_organizations(mentor)] == [org_a.pk]
    org = selectors.mentor_organizations(mentor).get()
    assert (org.n_open, org.n_overdue, org.last_visit) == (1, 0, TODAY())
    assert {a.visit.organization_id for a in selectors.mentor_open_actions(mentor)} == {org_a.pk}


# Capacity -------------------------------------------------------------------------------------------


def _all_scores(value=3):
    return {d: (value, "访谈记录") for d in CapacityDimension.objects.filter(active=True)}


def test_self_assessment_is_kept_apart_from_staff_growth(people, org_a):
    services.assessment_record(
        organization=org_a, kind="baseline", by=people["trainer"], scores=_all_scores(2)
    )
    services.assessment_record(
        organization=org_a, kind="follow_up", by=people["trainer"], scores=_all_scores(3)
    )
    services.self_assessment_record(
        organization=org_a, kind="follow_up", by=people["a_editor"], scores=_all_scores(5)
    )
    growth = selectors.capacity_growth(organization=org_a)
    assert {r["after"] for r in growth["dimensions"]} == {3}
    sheet = selectors.capacity_sheet(org_a)
    assert {(r["staff"].score, r["self"].score, r["gap"]) for r in sheet} == {(3, 5, 2)}
    assert sheet[0]["levels"][1].startswith("Not in place")


def test_self_assessment_refusals(people, org_a):
    with pytest.raises(PermissionDenied):
        services.self_assessment_record(
            organization=org_a, kind="baseline", by=people["a_viewer"], scores=_all_scores()
        )
    with pytest.raises(PermissionDenied):
        services.self_assessment_record(
            organization=org_a, kind="baseline", by=people["trainer"], scores=_all_scores()
        )
    scores = _all_scores()
    scores.pop(next(iter(scores)))
    with pytest.raises(ValidationError):
        services.self_assessment_record(
            organization=org_a, kind="baseline", by=people["a_admin"], scores=scores
        )
    scores = _all_scores()
    first = next(iter(scores))
    scores[first] = (9, "")
    with pytest.raises(ValidationError) as exc:
        services.self_assessment_record(
            organization=org_a, kind="baseline", by=people["a_admin"], scores=scores
        )
    assert f"score_{first.pk}" in exc.value.error_dict
    assert not CapacityAssessment.objects.exists()


# Pages per role ---------------------------------------------------------------------------------------


def _visit_post(org_a, **extra):
    data = {
        "date": TODAY().isoformat(),
        "mode": "visit",
        "topics": "志愿者管理",
        "notes": "",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
        "actions-0-text": "建立志愿者名册",
        "actions-0-owner": "李强",
        "actions-0-due_on": (TODAY() + timedelta(days=10)).isoformat(),
        "actions-1-text": "",
        "actions-1-owner": "",
        "actions-1-due_on": "",
    }
    data.update(extra)
    return data


def test_mentor_logs_a_visit_through_the_page(mentor, org_a):
    client = client_for(mentor)
    url = reverse("trainings:visit_log", args=[org_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _visit_post(org_a))
    assert response.status_code == 302
    action = AgreedAction.objects.get()
    assert (action.text, action.owner) == ("建立志愿者名册", "李强")


def test_visit_page_shows_row_errors_and_saves_nothing(mentor, org_a):
    response = client_for(mentor).post(
        reverse("trainings:visit_log", args=[org_a.pk]),
        _visit_post(org_a, **{"actions-1-owner": "李强", "topics": ""}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html
    assert not MentoringVisit.objects.exists()


def test_pages_per_role_for_mentoring(mentor, other_mentor, people, org_a):
    _visit(org_a, mentor)
    org_page = reverse("trainings:mentor_organization", args=[org_a.pk])
    assert client_for(mentor).get(org_page).status_code == 200
    assert client_for(other_mentor).get(org_page).status_code == 403
    assert client_for(people["programme_officer"]).get(org_page).status_code == 200
    assert client_for(people["a_admin"]).get(org_page).status_code == 404
    assert Client().get(org_page).status_code == 302
    home = client_for(other_mentor).get(reverse("trainings:mentor_home")).content.decode()
    assert org_a.name not in home
    assert org_a.name in client_for(mentor).get(reverse("trainings:mentor_home")).content.decode()


def test_organization_answers_in_the_portal_and_the_mentor_sees_it(mentor, people, org_a):
    action = _visit(org_a, mentor).actions.get()
    portal = reverse("trainings:portal_mentoring", args=[org_a.slug])
    assert "Answer the mentor" in client_for(people["a_editor"]).get(portal).content.decode()
    assert "Answer the mentor" not in client_for(people["a_viewer"]).get(portal).content.decode()
    url = reverse("trainings:portal_action_answer", args=[org_a.slug, action.pk])
    empty = client_for(people["a_editor"]).post(url, {f"a{action.pk}-reply": ""})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    assert client_for(people["a_editor"]).post(url, {f"a{action.pk}-reply": "名册已建立"}).status_code == 302
    assert client_for(people["b_admin"]).post(url, {f"a{action.pk}-reply": "x"}).status_code == 404
    page = client_for(mentor).get(reverse("trainings:mentor_actions")).content.decode()
    assert "名册已建立" in page


def test_staff_scores_an_assessment_beside_the_previous_score(people, org_a):
    dims = list(CapacityDimension.objects.filter(active=True))
    services.assessment_record(
        organization=org_a, kind="baseline", by=people["trainer"], scores=_all_scores(2)
    )
    client = client_for(people["trainer"])
    url = reverse("trainings:capacity_assess", args=[org_a.pk])
    page = client.get(url).content.decode()
    assert "Previous staff score" in page and "Not in place" in page
    data = {"kind": "follow_up", "assessed_on": TODAY().isoformat(), "notes": ""}
    for d in dims:
        data[f"score_{d.pk}"] = "4"
        data[f"evidence_{d.pk}"] = "章程与会议记录"
    data[f"score_{dims[0].pk}"] = "7"
    bad = client.post(url, data)
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()
    data[f"score_{dims[0].pk}"] = "4"
    assert client.post(url, data).status_code == 302
    assert {r["staff"].score for r in selectors.capacity_sheet(org_a)} == {4}
    assert client_for(people["finance_officer"]).get(url).status_code == 403


def test_portal_self_assessment_shown_beside_staff_scores(people, org_a):
    services.assessment_record(
        organization=org_a, kind="baseline", by=people["trainer"], scores=_all_scores(2)
    )
    url = reverse("trainings:portal_self_assessment", args=[org_a.slug])
    data = {"kind": "baseline", "assessed_on": TODAY().isoformat(), "notes": ""}
    for d in CapacityDimension.objects.filter(active=True):
        data[f"score_{d.pk}"] = "3"
    assert client_for(people["a_viewer"]).get(url).status_code == 403
    assert client_for(people["a_editor"]).post(url, data).status_code == 302
    page = (
        client_for(people["a_viewer"])
        .get(reverse("trainings:portal_capacity", args=[org_a.slug]))
        .content.decode()
    )
    assert "Foundation scores and your self-assessment" in page
    staff_page = client_for(people["trainer"]).get(
        reverse("trainings:capacity_organization", args=[org_a.pk])
    )
    assert "Self-assessment" in staff_page.content.decode()
    assert {(r["staff"].score, r["self"].score) for r in selectors.capacity_sheet(org_a)} == {(2, 3)}


# Cohort set-up ----------------------------------------------------------------------------------------


def _cohort_fields(**kw):
    from datetime import date

    from tests.factories.core import AreaFactory

    return {
        "name": "2025年包头第二期",
        "city": AreaFactory(),
        "starts_on": date(2025, 3, 1),
        "ends_on": date(2025, 9, 30),
        "min_attendance_percent": 80,
        "require_exercises": True,
        "description": "",
        **kw,
    }


def test_cohort_created_and_edited_through_the_service(people, org_a, org_b):
    from tests.factories.trainings import module

    cohort = services.cohort_save(
        by=people["trainer"], organizations=[org_a], modules=[module()], **_cohort_fields()
    )
    assert list(cohort.organizations.all()) == [org_a] and cohort.modules.count() == 1
    services.cohort_save(
        by=people["programme_officer"],
        cohort=cohort,
        organizations=[org_a, org_b],
        **_cohort_fields(name="改名"),
    )
    cohort.refresh_from_db()
    assert cohort.name == "改名" and cohort.organizations.count() == 2
    assert cohort.history.count() == 2


def test_cohort_refusals(people, org_a, cohort, wang):
    with pytest.raises(PermissionDenied):
        services.cohort_save(by=people["finance_officer"], organizations=[], **_cohort_fields())
    from datetime import date

    with pytest.raises(ValidationError) as exc:
        services.cohort_save(by=people["trainer"], **_cohort_fields(ends_on=date(2025, 1, 1)))
    assert "ends_on" in exc.value.error_dict
    fields = {f: getattr(cohort, f) for f in services.COHORT_FIELDS}
    with pytest.raises(ValidationError) as exc:  # org A still has 王芳 enrolled
        services.cohort_save(by=people["trainer"], cohort=cohort, organizations=[], **fields)
    assert "organizations" in exc.value.error_dict
    assert cohort.organizations.filter(pk=org_a.pk).exists()


def _rows(*rows):
    return [{"line": n, **r} for n, r in enumerate(rows, start=2)]


def test_spreadsheet_import_is_all_or_nothing(people, cohort, org_a, org_b):
    good = _rows(
        {"organization": org_a.name, "name": "赵敏", "title": "社工", "phone": "13800000000", "email": ""},
        {"organization": "org-b", "name": "钱进", "title": "", "phone": "", "email": "qian@example.org"},
    )
    assert services.enrolment_import_check(cohort=cohort, rows=good) == {}
    bad = good + _rows(
        {"organization": "不存在的机构", "name": "孙立"},
        {"organization": org_a.name, "name": "赵敏"},
        {"organization": org_a.name, "name": "", "email": "not-an-email"},
    )
    bad = [dict(r, line=n) for n, r in enumerate(bad, start=2)]
    errors = services.enrolment_import_check(cohort=cohort, rows=bad)
    assert sorted(errors) == [4, 5, 6]
    assert "不存在的机构 does not take part in this cohort." in errors[4]
    assert "赵敏 appears twice in the file." in errors[5]
    assert "The name is missing." in errors[6] and "not-an-email is not an e-mail address." in errors[6]
    with pytest.raises(ValidationError):
        services.enrolment_import(cohort=cohort, rows=bad, by=people["trainer"])
    assert cohort.enrolments.count() == 0
    enrolments = services.enrolment_import(cohort=cohort, rows=good, by=people["trainer"])
    assert {e.participant.name for e in enrolments} == {"赵敏", "钱进"}
    again = services.enrolment_import_check(cohort=cohort, rows=good)
    assert sorted(again) == [2, 3]


def test_reading_csv_and_xlsx_spreadsheets(org_a):
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    from trainings import imports

    csv_file = SimpleUploadedFile(
        "p.csv", "机构,姓名,职务\n甲社区服务中心,赵敏,社工\n\n,钱进,\n".encode("gb18030")
    )
    rows = imports.read_rows(csv_file)
    assert rows == [
        {"line": 2, "organization": "甲社区服务中心", "name": "赵敏", "title": "社工"},
        {"line": 4, "organization": "", "name": "钱进", "title": ""},
    ]
    book = openpyxl.Workbook()
    book.active.append(["Name", "Organization", "Phone"])
    book.active.append(["赵敏", "Org A", 13800000000])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = imports.read_rows(SimpleUploadedFile("p.xlsx", buffer.getvalue()))
    assert rows == [{"line": 2, "name": "赵敏", "organization": "Org A", "phone": "13800000000"}]
    with pytest.raises(ValidationError):
        imports.read_rows(SimpleUploadedFile("p.csv", "姓名\n赵敏\n".encode()))
    with pytest.raises(ValidationError):
        imports.read_rows(SimpleUploadedFile("p.txt", b"x"))
    with pytest.raises(ValidationError):
        imports.read_rows(SimpleUploadedFile("p.xlsx", b"not a workbook"))


def test_members_enrolled_from_the_member_list(people, cohort, org_a):
    enrolments = services.members_enrol(
        cohort=cohort,
        organization=org_a,
        users=[people["a_editor"], people["a_viewer"]],
        by=people["trainer"],
    )
    assert {e.participant.email for e in enrolments} == {"a-editor@example.org", "a-viewer@example.org"}
    marked = dict((u.email, enrolled) for u, enrolled in selectors.cohort_members_to_enrol(cohort, org_a))
    assert marked["a-editor@example.org"] and not marked["a-admin@example.org"]
    with pytest.raises(ValidationError):  # b_admin is not a member of org A: nobody is enrolled
        services.members_enrol(
            cohort=cohort,
            organization=org_a,
            users=[people["a_admin"], people["b_admin"]],
            by=people["trainer"],
        )
    with pytest.raises(ValidationError):  # already enrolled
        services.members_enrol(
            cohort=cohort, organization=org_a, users=[people["a_editor"]], by=people["trainer"]
        )
    assert cohort.enrolments.count() == 2


def test_withdraw_and_move_keep_the_history(people, cohort, org_a, wang):
    from tests.factories.trainings import CohortFactory

    other = CohortFactory(organizations=[org_a])
    with pytest.raises(ValidationError) as exc:
        services.enrolment_withdraw(enrolment=wang, reason=" ", by=people["trainer"])
    assert "reason" in exc.value.error_dict
    moved = services.enrolment_move(enrolment=wang, to_cohort=other, by=people["trainer"])
    wang.refresh_from_db()
    assert moved.cohort == other and moved.participant == wang.participant
    assert wang.withdrawn_at is not None and other.name in wang.withdrawn_reason
    assert [h.withdrawn_at is None for h in wang.history.order_by("history_id")] == [True, False]
    assert [e for e, _p in selectors.cohort_enrolments_progress(cohort)] == []
    with pytest.raises(ValidationError):
        services.enrolment_withdraw(enrolment=wang, reason="再次", by=people["trainer"])
    foreign = CohortFactory(organizations=[])
    with pytest.raises(ValidationError) as exc:
        services.enrolment_move(enrolment=moved, to_cohort=foreign, by=people["trainer"])
    assert "to_cohort" in exc.value.error_dict
    moved.refresh_from_db()
    assert moved.withdrawn_at is None


def test_cohort_pages_create_schedule_and_import(people, org_a, cohort):
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories.trainings import module

    client = client_for(people["trainer"])
    fields = _cohort_fields()
    response = client.post(
        reverse("trainings:cohort_create"),
        {
            **{k: v for k, v in fields.items() if k != "city"},
            "city": fields["city"].pk,
            "organizations": [org_a.pk],
            "modules": [module().pk],
            "ends_on": "2025-01-01",
        },
    )
    assert (
        response.status_code == 400 and "The cohort cannot end before it starts." in response.content.decode()
    )
    session_url = reverse("trainings:session_create", args=[cohort.pk])
    bad = client.post(
        session_url, {"module": module().pk, "day": "2025-04-01", "start": "14:00", "end": "13:00"}
    )
    html = bad.content.decode()
    assert (
        bad.status_code == 400
        and "Give a venue or an online link." in html
        and "must end after it starts" in html
    )
    n = cohort.sessions.count()
    ok = client.post(
        session_url,
        {
            "module": module().pk,
            "day": "2025-04-01",
            "start": "14:00",
            "end": "17:00",
            "online_url": "https://meeting.example.org/x",
            "trainers": [people["trainer"].pk],
        },
    )
    assert ok.status_code == 302 and cohort.sessions.count() == n + 1
    assert list(cohort.sessions.latest("pk").trainers.all()) == [people["trainer"]]

    book = openpyxl.Workbook()
    book.active.append(["机构", "姓名", "职务"])
    book.active.append([org_a.name, "赵敏", "社工"])
    book.active.append(["乙社区服务中心", "钱进", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    url = reverse("trainings:enrol_import", args=[cohort.pk])
    preview = client.post(url, {"file": SimpleUploadedFile("p.xlsx", buffer.getvalue())})
    assert preview.status_code == 200 and "data-confirm-import" in preview.content.decode()
    payload = preview.context["payload"]
    assert client.post(url, {"payload": payload + "x"}).status_code == 302  # tampered: back to upload
    assert cohort.enrolments.count() == 0
    assert client_for(people["programme_officer"]).post(url, {"payload": payload}).status_code == 302
    assert cohort.enrolments.count() == 0  # signed for another user
    assert client.post(url, {"payload": payload}).status_code == 302
    assert sorted(cohort.enrolments.values_list("participant__name", flat=True)) == ["赵敏", "钱进"]
    assert client_for(people["finance_officer"]).get(url).status_code == 403
    assert client_for(people["a_admin"]).get(url).status_code == 404


def test_a_withdrawn_participant_is_off_the_attendance_sheet(people, cohort, wang, li):
    services.enrolment_withdraw(enrolment=wang, reason="工作调动", by=people["trainer"])
    session = cohort.sessions.first()
    assert [e for e, _s in selectors.attendance_sheet(session)] == [li]
    with pytest.raises(ValidationError):
        services.attendance_take(session=session, marks={wang.pk: "present"}, by=people["trainer"])


def test_programme_officer_assigns_and_ends_mentors_on_the_page(people, org_a):
    url = reverse("trainings:mentor_assignments")
    client = client_for(people["programme_officer"])
    assert client_for(people["trainer"]).get(url).status_code == 403
    refused = client.post(
        url, {"assign": "1", "organization": org_a.pk, "mentor": people["finance_officer"].pk}
    )
    assert refused.status_code == 400 and not MentorAssignment.objects.exists()
    assert (
        client.post(
            url, {"assign": "1", "organization": org_a.pk, "mentor": people["trainer"].pk}
        ).status_code
        == 302
    )
    assignment = MentorAssignment.objects.get()
    assert assignment.mentor == people["trainer"]
    assert client.post(url, {"end": "x"}).status_code == 404
    assert client_for(people["trainer"]).post(url, {"end": assignment.pk}).status_code == 403
    assert client.post(url, {"end": assignment.pk}).status_code == 302
    assert not MentorAssignment.objects.exists()
    assert assignment.history.count() == 2
    with pytest.raises(PermissionDenied):
        services.mentor_unassign(assignment=assignment, by=people["trainer"])


def test_the_scoring_screens_speak_chinese(people, org_a):
    url = reverse("trainings:capacity_assess", args=[org_a.pk])
    page = client_for(people["trainer"]).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "需求识别" in page  # the dimension's Chinese name
    assert "尚未具备" in page  # its scale level's Chinese description
    portal = client_for(people["a_editor"]).get(
        reverse("trainings:portal_self_assessment", args=[org_a.slug]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert portal.status_code == 200 and "尚未具备" in portal.content.decode()


def test_a_session_is_rescheduled_and_keeps_its_history(people, cohort):
    from tests.factories.trainings import module

    session = cohort.sessions.first()
    url = reverse("trainings:session_edit", args=[session.pk])
    client = client_for(people["trainer"])
    page = client.get(url).content.decode()
    assert session.venue in page
    data = {
        "module": module().pk,
        "day": "2024-05-06",
        "start": "09:30",
        "end": "12:00",
        "venue": "",
        "online_url": "",
    }
    bad = client.post(url, data)
    assert bad.status_code == 400 and "Give a venue or an online link." in bad.content.decode()
    data["venue"] = "青山区社区活动中心"
    assert client.post(url, {**data, "trainers": [people["trainer"].pk]}).status_code == 302
    session.refresh_from_db()
    assert session.venue == "青山区社区活动中心"
    assert timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M") == "2024-05-06 09:30"
    assert session.history.count() == 2
    with pytest.raises(PermissionDenied):
        services.session_update(session=session, by=people["finance_officer"], venue="x")
