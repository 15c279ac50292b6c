"""Demo training: a cohort in Baotou and Hohhot with the five modules, ten sessions, 80+ participants
from the demo organizations, attendance, exercises and submissions, mentoring (some actions overdue),
baseline and follow-up capacity assessments, and certificates for those who met the rule (PDFs rendered
only for the flagship organization's participants, to keep seeding fast). Idempotent."""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from empowerment.demo import DemoContext
from organizations.models import Area, Organization

from . import services
from .models import (
    CapacityDimension,
    Cohort,
    Enrolment,
    Exercise,
    MentoringVisit,
    Module,
    Participant,
    Session,
    Submission,
)

COHORT_NAME = "2024年包头·呼和浩特社区赋能培训班（第一期）"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "芳",
    "强",
    "敏",
    "洋",
    "静",
    "帆",
    "磊",
    "丽",
    "军",
    "娜",
    "伟",
    "霞",
    "涛",
    "燕",
    "斌",
    "琳",
    "鑫",
    "婷",
]
TITLES = ["理事长", "项目主管", "社工", "志愿者协调员", "财务", "项目专员"]
VENUES = ["包头市昆都仑区社会组织孵化基地", "呼和浩特市赛罕区社区服务中心培训室"]
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def seed(ctx: DemoContext) -> None:
    if Cohort.objects.filter(name=COHORT_NAME).exists():
        return
    rng = random.Random(20240301)  # noqa: S311 - demo data
    trainer = get_user_model().objects.get(email="trainer@demo.example")
    officer = get_user_model().objects.filter(email="officer@demo.example").first() or trainer
    flagship = ctx.data["flagship"]
    orgs = [o for o in ctx.data["organizations"] if o.status == Organization.Status.ACTIVE][:42]
    if flagship not in orgs:
        orgs[-1] = flagship
    today = timezone.localdate()
    start = today - timedelta(days=210)
    cohort = Cohort.objects.create(
        name=COHORT_NAME,
        city=Area.objects.get(code="150200"),
        starts_on=start,
        ends_on=today - timedelta(days=14),
        min_attendance_percent=80,
        require_exercises=True,
        description="围绕社区工作理念、需求评估调研、项目方案设计、实务方法与可持续运营五个主题，"
        "以参与式练习和专家一对一督导相结合的方式，培养社会组织骨干。",
    )
    cohort.organizations.set(orgs)

    modules = list(Module.objects.order_by("position")[:5])
    tz = timezone.get_current_timezone()
    sessions = []
    for i in range(10):
        day = start + timedelta(days=3 + i * 19)
        starts = datetime.combine(day, time(9 if i % 2 == 0 else 14), tzinfo=tz)
        session = Session(
            cohort=cohort,
            module=modules[i // 2],
            title=f"第{i + 1}讲",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            venue=VENUES[(i // 2) % 2] if i != 7 else "",
            online_url="https://meeting.demo.example/community-empowerment" if i == 7 else "",
        )
        session.full_clean()
        session.save()
        session.trainers.set([trainer])
        sessions.append(session)

    enrolments = []
    n = 0
    for org in orgs:
        for k in range(3 if org == flagship else 2):
            name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)] + ("" if n < 200 else str(n))
            n += 1
            participant = Participant.objects.create(
                organization=org,
                name=name,
                title=TITLES[(n + k) % len(TITLES)],
                phone=f"139{rng.randint(10**7, 10**8 - 1)}",
            )
            enrolments.append(Enrolment.objects.create(cohort=cohort, participant=participant))

    # Attendance: most come; a few are often away. The flagship's participants never miss a session.
    reliability = {
        e.pk: 1.0 if e.participant.organization_id == flagship.pk else rng.choice([0.95, 0.9, 0.85, 0.6])
        for e in enrolments
    }
    for session in sessions[:9]:  # the last session's attendance has not been taken yet
        marks = {}
        for e in enrolments:
            r = rng.random()
            if r < reliability[e.pk]:
                marks[e.pk] = "late" if rng.random() < 0.08 else "present"
            else:
                marks[e.pk] = "excused" if rng.random() < 0.4 else "absent"
        services.attendance_take(session=session, marks=marks, by=trainer)
    services.attendance_take(session=sessions[9], marks={e.pk: "present" for e in enrolments}, by=trainer)

    exercises = [
        Exercise.objects.create(
            cohort=cohort,
            module=modules[1],
            title="社区需求评估报告（初稿）",
            instructions="选择一个服务社区，完成不少于20户的入户访谈或问卷，对发现的需求按严重性、覆盖面、紧迫性和可行性排序。",
            due_on=start + timedelta(days=60),
            required=True,
        ),
        Exercise.objects.create(
            cohort=cohort,
            module=modules[2],
            title="公益项目方案设计",
            instructions="基于已评估的首要需求，写出项目目标、活动、预算和指标（含基线与目标值）。",
            due_on=start + timedelta(days=120),
            required=True,
        ),
        Exercise.objects.create(
            cohort=cohort,
            module=modules[4],
            title="机构可持续运营反思",
            instructions="用一页纸说明机构未来一年的资金来源与志愿者队伍建设计划。",
            due_on=start + timedelta(days=180),
            required=False,
        ),
    ]
    now = timezone.now()
    for org in orgs:
        for j, exercise in enumerate(exercises):
            roll = rng.random()
            if org != flagship and roll < 0.08 + 0.05 * j:
                continue  # not submitted
            if org == flagship or roll < 0.8:
                status, feedback = Submission.Status.ACCEPTED, "结构清晰，证据充分。"
            elif roll < 0.9:
                status, feedback = Submission.Status.RETURNED, "请补充样本情况和需求排序的依据。"
            else:
                status, feedback = Submission.Status.SUBMITTED, ""
            Submission.objects.create(
                exercise=exercise,
                organization=org,
                file=ContentFile(PDF, name=f"exercise-{j + 1}.pdf"),
                note="请老师指正。",
                status=status,
                submitted_at=now - timedelta(days=rng.randint(10, 150)),
                feedback=feedback,
                reviewed_by=trainer if status != Submission.Status.SUBMITTED else None,
                reviewed_at=now - timedelta(days=rng.randint(1, 9))
                if status != Submission.Status.SUBMITTED
                else None,
            )

    topics = [
        "需求评估方法与问卷设计",
        "项目书逻辑框架",
        "志愿者招募与激励",
        "财务制度与票据管理",
        "社区资源链接",
    ]
    actions = [
        "完成20户入户访谈",
        "修改项目书预算表",
        "建立志愿者服务时长台账",
        "制定财务报销流程",
        "与街道办沟通场地支持",
    ]
    for i, org in enumerate(orgs[:24]):
        visit_day = start + timedelta(days=30 + i * 7)
        services.mentoring_visit_log(
            organization=org,
            expert=trainer if i % 3 else officer,
            by=trainer,
            cohort=cohort,
            topics=topics[i % len(topics)],
            mode=["visit", "call", "online"][i % 3],
            date=visit_day,
            notes="督导中与机构负责人逐项梳理了问题，约定了下一步行动。",
            actions=[
                (actions[i % len(actions)], visit_day + timedelta(days=21)),
                (actions[(i + 2) % len(actions)], today + timedelta(days=10 + i)),
            ],
        )
    for visit in MentoringVisit.objects.filter(cohort=cohort).prefetch_related("actions"):
        for action in visit.actions.all():
            if action.due_on < today and rng.random() < 0.7:
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
        if org == flagship or rng.random() < 0.9:
            services.assessment_record(
                organization=org,
                kind="follow_up",
                by=trainer,
                cohort=cohort,
                assessed_on=today - timedelta(days=10),
                scores={
                    d: (min(d.scale_max, s + rng.choice([0, 1, 1, 2])), "结业评估：项目书与督导记录")
                    for d, s in base.items()
                },
            )

    issued = 0
    for enrolment, progress in services.selectors.cohort_enrolments_progress(cohort):
        if progress.met:
            is_flagship = enrolment.participant.organization_id == flagship.pk
            services.certificate_issue(
                enrolment=enrolment, by=trainer, language="zh-hans", render=is_flagship
            )
            issued += 1
    ctx.stdout.write(f"  trainings: {len(enrolments)} participants in {cohort.name}, {issued} certificates")
