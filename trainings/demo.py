"""Demo training: three cohorts across the year, one per city (Baotou, Hohhot, Chifeng), each running the
five modules in ten sessions for the active demo organizations of its city, two participants each (three
for the flagship organization). Everything goes through the training services: sessions, enrolments,
attendance, exercises submitted by each organization's member and reviewed by the trainer (some returned
and submitted again), mentoring with agreed actions (some overdue), baseline and follow-up capacity
assessments, and certificates for every participant who met the completion rule. A few organizations
do not complete (an exercise never accepted, or too many sessions missed), so the rule is really applied.
Certificate PDFs are rendered only for the flagship organization's participants, to keep seeding fast.

Idempotent: a cohort that exists (by name) is left as it is."""

import io
import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfWriter

from empowerment.demo import DemoContext
from organizations.models import Area, Membership, Organization, Role

from . import services
from .models import (
    CapacityDimension,
    Certificate,
    Cohort,
    Exercise,
    MentorAssignment,
    MentoringVisit,
    Module,
    Submission,
)

# name, city code, days before today the cohort starts, venues (two alternating)
COHORTS = [
    (
        "包头市社区赋能培训班（第一期）",
        "150200",
        335,
        ["包头市昆都仑区社会组织孵化基地", "包头市青山区社区服务中心培训室"],
    ),
    (
        "呼和浩特市社区赋能培训班（第二期）",
        "150100",
        250,
        ["呼和浩特市赛罕区社区服务中心培训室", "呼和浩特市新城区社会组织服务中心"],
    ),
    (
        "赤峰市社区赋能培训班（第三期）",
        "150400",
        170,
        ["赤峰市红山区社会组织孵化基地", "赤峰市松山区社区服务中心培训室"],
    ),
]
SESSIONS = 10
SESSION_GAP = 9  # days between sessions: a cohort runs about three months
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = "芳强敏洋静帆磊丽军娜伟霞涛燕斌琳鑫婷晨悦佳明欣宇浩然雪梅慧晶"
TITLES = ["理事长", "项目主管", "社工", "志愿者协调员", "财务", "项目专员"]
# Per cohort, positions (in the cohort's organization list) of organizations that do not complete:
# "missing" never handed in the second required exercise; "returned" had it returned and did not revise it.
NOT_COMPLETING = {0: {7: "returned"}, 1: {5: "missing", 19: "returned"}, 2: {11: "missing"}}
TOPICS = [
    "需求评估方法与问卷设计",
    "项目书逻辑框架",
    "志愿者招募与激励",
    "财务制度与票据管理",
    "社区资源链接",
]
ACTIONS = [
    "完成20户入户访谈",
    "修改项目书预算表",
    "建立志愿者服务时长台账",
    "制定财务报销流程",
    "与街道办沟通场地支持",
]
EXERCISES = [
    (
        1,
        "社区需求评估报告（初稿）",
        "选择一个服务社区，完成不少于20户的入户访谈或问卷，对发现的需求按严重性、覆盖面、紧迫性和可行性排序。",
        True,
    ),
    (2, "公益项目方案设计", "基于已评估的首要需求，写出项目目标、活动、预算和指标（含基线与目标值）。", True),
    (4, "机构可持续运营反思", "用一页纸说明机构未来一年的资金来源与志愿者队伍建设计划。", False),
]


def _pdf() -> bytes:
    """A real one-page PDF standing for a participant's written exercise."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def seed(ctx: DemoContext) -> None:
    User = get_user_model()
    trainer = User.objects.get(email="trainer@demo.example")
    officer = User.objects.filter(email="officer@demo.example").first() or trainer
    flagship = ctx.data["flagship"]
    active = [o for o in ctx.data["organizations"] if o.status == Organization.Status.ACTIVE]
    members = {
        m.organization_id: m.user
        for m in Membership.objects.filter(organization__in=active, role=Role.ADMIN)
        .select_related("user")
        .order_by("pk")
    }
    today = timezone.localdate()
    pdf = _pdf()
    total_participants = total_certificates = 0
    for index, (name, city_code, days_before, venues) in enumerate(COHORTS):
        if Cohort.objects.filter(name=name).exists():
            continue
        orgs = [o for o in active if o.area.code[:4] == city_code[:4]]
        rng = random.Random(20260301 + index)  # noqa: S311 - demo data
        enrolments, certificates = _cohort(
            ctx,
            index=index,
            name=name,
            city=Area.objects.get(code=city_code),
            start=today - timedelta(days=days_before),
            venues=venues,
            orgs=orgs,
            flagship=flagship,
            members=members,
            trainer=trainer,
            officer=officer,
            rng=rng,
            pdf=pdf,
            today=today,
        )
        total_participants += enrolments
        total_certificates += certificates
    # Mentors' own lists (each visited organization's expert mentors it) and one self-assessment.
    for expert_id, org_id in MentoringVisit.objects.values_list("expert", "organization").distinct():
        MentorAssignment.objects.get_or_create(mentor_id=expert_id, organization_id=org_id)
    own = members.get(flagship.pk)
    if own and not flagship.capacity_assessments.filter(source="self").exists():
        dims = CapacityDimension.objects.filter(active=True)
        services.self_assessment_record(
            organization=flagship, kind="follow_up", by=own, scores={d: (4, "机构自评") for d in dims}
        )
    # Projects are incubated from organizations that completed the training.
    ctx.data["trained_organizations"] = set(
        Certificate.objects.filter(revoked_at__isnull=True).values_list(
            "enrolment__participant__organization", flat=True
        )
    )
    if total_participants:
        ctx.stdout.write(
            f"  trainings: {total_participants} participants in {len(COHORTS)} cohorts, "
            f"{total_certificates} certificates"
        )


def _cohort(
    ctx, *, index, name, city, start, venues, orgs, flagship, members, trainer, officer, rng, pdf, today
):
    tz = timezone.get_current_timezone()
    ends_on = start + timedelta(days=3 + SESSION_GAP * (SESSIONS - 1))
    cohort = Cohort(
        name=name,
        city=city,
        starts_on=start,
        ends_on=ends_on,
        min_attendance_percent=80,
        require_exercises=True,
        description="围绕社区工作理念、需求评估调研、项目方案设计、实务方法与可持续运营五个主题，"
        "以参与式练习和专家一对一督导相结合的方式，培养社会组织骨干。",
    )
    cohort._history_user = trainer
    cohort.full_clean()
    cohort.save()
    cohort.organizations.set(orgs)

    modules = list(Module.objects.order_by("position")[:5])
    sessions = []
    for i in range(SESSIONS):
        starts = datetime.combine(
            start + timedelta(days=3 + i * SESSION_GAP), time(9 if i % 2 == 0 else 14), tzinfo=tz
        )
        online = i == 7
        sessions.append(
            services.session_schedule(
                cohort=cohort,
                by=trainer,
                trainers=[trainer],
                module=modules[i // 2],
                title=f"第{i + 1}讲",
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                venue="" if online else venues[(i // 2) % 2],
                online_url="https://meeting.demo.example/community-empowerment" if online else "",
            )
        )

    # Two participants per organization (three for the flagship). One participant in twelve misses too
    # many sessions; the organization still completes through its other participant.
    enrolments, weak = [], set()
    for position, org in enumerate(orgs):
        for k in range(3 if org == flagship else 2):
            n = len(enrolments) + 97 * index
            enrolment = services.participant_enrol(
                cohort=cohort,
                by=trainer,
                organization=org,
                name=SURNAMES[(n * 5 + k) % len(SURNAMES)] + GIVEN[(n * 7 + position) % len(GIVEN)],
                title=TITLES[(n + k) % len(TITLES)],
                phone=f"139{rng.randint(10**7, 10**8 - 1)}",
            )
            if k == 1 and org != flagship and position % 12 == 3:
                weak.add(enrolment.pk)
            enrolments.append(enrolment)
    # Attendance: a good participant misses at most one session (80% is the rule); a weak one attends six.
    missed = {e.pk: {rng.randrange(SESSIONS)} if rng.random() < 0.45 else set() for e in enrolments}
    for pk in weak:
        missed[pk] = set(rng.sample(range(SESSIONS), 4))
    for s, session in enumerate(sessions):
        marks = {}
        for e in enrolments:
            if s in missed[e.pk]:
                marks[e.pk] = "excused" if rng.random() < 0.4 else "absent"
            else:
                marks[e.pk] = "late" if rng.random() < 0.06 else "present"
        services.attendance_take(session=session, marks=marks, by=trainer)

    exercises = [
        services.exercise_set(
            cohort=cohort,
            by=trainer,
            module=modules[module],
            title=title,
            instructions=instructions,
            due_on=start + timedelta(days=25 + 25 * n),
            required=required,
        )
        for n, (module, title, instructions, required) in enumerate(EXERCISES)
    ]
    failing = NOT_COMPLETING.get(index, {})
    for position, org in enumerate(orgs):
        member = members[org.pk]
        for j, exercise in enumerate(exercises):
            fate = failing.get(position) if j == 1 else None
            if fate == "missing" or (not exercise.required and rng.random() < 0.35 and org != flagship):
                continue
            _submit(exercise, org, member, pdf, j)
            submission = Submission.objects.get(exercise=exercise, organization=org)
            if fate == "returned" or (org != flagship and rng.random() < 0.15):
                services.submission_review(
                    submission=submission,
                    accept=False,
                    feedback="请补充样本情况和需求排序的依据。"
                    if j == 0
                    else "预算与活动需要一一对应，请修改后再提交。",
                    by=trainer,
                )
                if fate == "returned":
                    continue
                _submit(exercise, org, member, pdf, j)
            services.submission_review(
                submission=submission, accept=True, feedback="结构清晰，证据充分。", by=trainer
            )
            # The review happened during the cohort, not today: date the submission's timestamps so.
            handed_in = timezone.make_aware(
                datetime.combine(exercise.due_on - timedelta(days=rng.randint(1, 6)), time(20))
            )
            Submission.objects.filter(pk=submission.pk).update(
                submitted_at=handed_in, reviewed_at=handed_in + timedelta(days=rng.randint(2, 5))
            )

    for i, org in enumerate(orgs[:10]):
        visit_day = start + timedelta(days=20 + i * 7)
        services.mentoring_visit_log(
            organization=org,
            expert=trainer if i % 3 else officer,
            by=trainer,
            cohort=cohort,
            topics=TOPICS[i % len(TOPICS)],
            mode=["visit", "call", "online"][i % 3],
            date=visit_day,
            notes="督导中与机构负责人逐项梳理了问题，约定了下一步行动。",
            actions=[
                (ACTIONS[i % len(ACTIONS)], visit_day + timedelta(days=21)),
                (ACTIONS[(i + 2) % len(ACTIONS)], visit_day + timedelta(days=60 + 30 * index)),
            ],
        )
    for visit in MentoringVisit.objects.filter(cohort=cohort).prefetch_related("actions"):
        for action in visit.actions.all():
            if action.due_on < today and rng.random() < 0.75:
                services.agreed_action_complete(action=action, by=trainer)

    dimensions = list(CapacityDimension.objects.filter(active=True))
    for org in orgs:
        base = {d: rng.randint(1, 3) for d in dimensions}
        services.assessment_record(
            organization=org,
            kind="baseline",
            by=trainer,
            cohort=cohort,
            assessed_on=start - timedelta(days=5),
            scores={d: (s, "基线访谈与材料查阅") for d, s in base.items()},
        )
        services.assessment_record(
            organization=org,
            kind="follow_up",
            by=trainer,
            cohort=cohort,
            assessed_on=min(today, ends_on + timedelta(days=10)),
            scores={
                d: (min(d.scale_max, s + rng.choice([0, 1, 1, 2])), "结业评估：项目书与督导记录")
                for d, s in base.items()
            },
        )

    issued = []
    for enrolment, progress in services.selectors.cohort_enrolments_progress(cohort):
        if progress.met:
            is_flagship = enrolment.participant.organization_id == flagship.pk
            certificate = services.certificate_issue(
                enrolment=enrolment, by=trainer, language="zh-hans", render=is_flagship
            )
            issued.append(certificate.pk)
    # Certificates were handed out at the closing ceremony, a week after the last session.
    ceremony = timezone.make_aware(datetime.combine(min(today, ends_on + timedelta(days=7)), time(10)))
    Certificate.objects.filter(pk__in=issued).update(issued_at=ceremony)
    return len(enrolments), len(issued)


def _submit(exercise: Exercise, org, member, pdf: bytes, j: int) -> None:
    services.submission_submit(
        exercise=exercise,
        organization=org,
        file=ContentFile(pdf, name=f"exercise-{j + 1}.pdf"),
        note="请老师指正。",
        by=member,
    )
