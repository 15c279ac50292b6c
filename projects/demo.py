"""Demo needs assessments and the 14 incubated community projects (four themes), with indicators,
months of approved progress updates with small generated photos, and a few proposals in review.
Idempotent: a project that exists (by slug) is left as it is."""

import io
import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from empowerment.demo import DemoContext
from organizations.models import Area, Theme

from .models import (
    Activity,
    BudgetLine,
    Indicator,
    IndicatorValue,
    Milestone,
    Need,
    NeedsAssessment,
    NeedScore,
    PeopleReached,
    ProgressUpdate,
    Project,
    ProjectDecision,
    ScoringCriterion,
    UpdatePhoto,
)

# slug, title (zh), title (en, in summary), theme, needs (zh), indicators: (name, unit, type, baseline, target, agg)
PROJECTS = [
    (
        "baotou-elder-health-checks",
        "长者健康监测与风险预警服务",
        "Health checks for older people with health-risk alerts: timely detection, timely feedback, timely care",
        "older_people",
        ["独居老人慢性病发现不及时", "老人就医缺少陪伴"],
        [
            ("接受健康监测的老人", "人", "count", 0, 300, "cumulative"),
            ("发出并跟进的健康风险预警", "次", "count", 0, 120, "cumulative"),
            ("预警48小时内得到跟进的比例", "%", "percentage", 40, 90, "latest"),
        ],
    ),
    (
        "elder-meal-delivery",
        "高龄老人助餐送餐",
        "Meals for the oldest residents",
        "older_people",
        ["高龄老人做饭困难"],
        [("送餐人次", "人次", "count", 0, 4000, "cumulative")],
    ),
    (
        "elder-companions",
        "邻里守望·独居老人探访",
        "Neighbour visits to older people living alone",
        "older_people",
        ["独居老人孤独感强"],
        [("探访次数", "次", "count", 0, 1500, "cumulative")],
    ),
    (
        "elder-smart-phones",
        "银龄数字课堂",
        "Smartphone lessons for older people",
        "older_people",
        ["老人不会使用智能手机"],
        [("结业老人", "人", "count", 0, 150, "cumulative")],
    ),
    (
        "after-school-care",
        "四点半课堂",
        "After-school care for children of working parents",
        "children",
        ["放学后无人看护"],
        [("参与儿童", "人", "count", 0, 80, "cumulative")],
    ),
    (
        "left-behind-children",
        "留守儿童陪伴成长",
        "Companionship for left-behind children",
        "children",
        ["留守儿童缺少陪伴"],
        [("结对儿童", "人", "count", 0, 60, "cumulative")],
    ),
    (
        "child-reading",
        "社区亲子阅读角",
        "A parent–child reading corner",
        "children",
        ["儿童课外阅读资源少"],
        [("借阅册次", "册次", "count", 0, 3000, "cumulative")],
    ),
    (
        "disability-rehab",
        "残障人士社区康复",
        "Community rehabilitation for people with disabilities",
        "special_groups",
        ["残障人士康复服务远"],
        [("康复服务人次", "人次", "count", 0, 900, "cumulative")],
    ),
    (
        "low-income-support",
        "困难家庭帮扶",
        "Support for low-income households",
        "special_groups",
        ["困难家庭信息不通"],
        [("建档帮扶家庭", "户", "count", 0, 120, "cumulative")],
    ),
    (
        "migrant-workers",
        "新市民融入",
        "Helping newcomers settle in the community",
        "special_groups",
        ["新市民社区参与少"],
        [("参与活动的新市民", "人", "count", 0, 200, "cumulative")],
    ),
    (
        "fire-safety",
        "老旧小区消防安全",
        "Fire safety in old housing estates",
        "community_safety",
        ["楼道堆物火灾隐患"],
        [("排查隐患处", "处", "count", 0, 400, "cumulative")],
    ),
    (
        "safe-route-school",
        "平安上学路",
        "A safe route to school",
        "community_safety",
        ["上学路口交通危险"],
        [("护学岗志愿服务时长", "小时", "number", 0, 1200, "cumulative")],
    ),
    (
        "neighbourhood-patrol",
        "邻里守望巡逻队",
        "Neighbourhood watch patrols",
        "community_safety",
        ["夜间治安担忧"],
        [("居民安全感", "%", "percentage", 55, 85, "latest")],
    ),
    (
        "flood-preparedness",
        "社区防汛应急演练",
        "Flood preparedness drills",
        "community_safety",
        ["居民应急知识不足"],
        [("参与演练居民", "人", "count", 0, 600, "cumulative")],
    ),
]
# Three in review (submitted), one returned; the rest approved (incubated): active, one completed.
STATUS_BY_INDEX = {11: "submitted", 12: "submitted", 13: "returned", 10: "approved", 9: "completed"}
CRITERIA_SCORES = [(5, 4, 5, 4), (4, 3, 3, 4), (3, 4, 2, 5)]


def _photo(rng, label: str) -> ContentFile:
    """A small drawn picture (no camera, so no EXIF) standing for an activity photo."""
    image = Image.new("RGB", (480, 320), tuple(rng.randint(150, 230) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randint(0, 420), rng.randint(60, 260)
        draw.ellipse([x, y, x + 50, y + 50], fill=tuple(rng.randint(40, 160) for _ in range(3)))
    draw.rectangle([0, 0, 480, 40], fill=(11, 83, 148))
    draw.text((12, 12), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return ContentFile(out.getvalue(), name="demo.jpg")


def _assessment(org, community, needs, today, rng, criteria):
    assessment, _ = NeedsAssessment.objects.get_or_create(
        organization=org,
        community=community,
        title=f"{community.name}社区需求调研",
        defaults={
            "method": "survey",
            "started_on": today - timedelta(days=400),
            "ended_on": today - timedelta(days=380),
            "sample_size": rng.randint(60, 240),
            "findings": "入户问卷与居民座谈显示：" + "；".join(needs) + "。",
        },
    )
    found = []
    all_needs = [*needs, "社区活动场地不足"]
    for i, title in enumerate(all_needs):
        need, created = Need.objects.get_or_create(assessment=assessment, title=title)
        if created:
            for criterion, value in zip(criteria, CRITERIA_SCORES[min(i, 2)], strict=True):
                NeedScore.objects.create(need=need, criterion=criterion, score=value)
        if i < len(needs) and not need.chosen:
            need.chosen, need.chosen_reason, need.chosen_at = (
                True,
                "加权得分最高，且机构有能力回应。",
                timezone.now(),
            )
            need.save()
        found.append(need)
    return [n for n in found if n.chosen]


def seed(ctx: DemoContext) -> None:
    rng = random.Random(20250301)  # noqa: S311 - demo data
    today = timezone.localdate()
    orgs = ctx.data.get("organizations") or []
    flagship = ctx.data.get("flagship")
    officer = ctx.user("officer@demo.example", "Wang Li (programme officer)")
    criteria = list(ScoringCriterion.objects.order_by("position"))
    themes = {t.slug: t for t in Theme.objects.all()}
    communities = list(Area.objects.filter(level=Area.Level.COMMUNITY).order_by("code"))
    if not orgs or not flagship or not communities or not criteria:
        ctx.stdout.write("projects: no organizations or areas to seed projects for; skipped")
        return
    projects = []
    for i, (slug, title, summary, theme_slug, need_titles, indicators) in enumerate(PROJECTS):
        org = flagship if i == 0 else orgs[(i * 5) % len(orgs)]
        project = Project.objects.filter(slug=slug).first()
        if project is not None:
            projects.append(project)
            continue
        community = (
            Area.objects.get(code="150203001001") if i == 0 else communities[(i * 7) % len(communities)]
        )
        chosen = _assessment(org, community, need_titles, today, rng, criteria)
        status = STATUS_BY_INDEX.get(i, "active")
        months = 6 if status in ("active", "completed") else 0
        start = (today.replace(day=1) - relativedelta(months=months)) if months else today.replace(day=1)
        end = start + relativedelta(months=12) - timedelta(days=1)
        project = Project.objects.create(
            organization=org,
            title=title,
            slug=slug,
            theme=themes[theme_slug],
            community=community,
            summary=summary,
            status=status,
            problem_statement="；".join(need_titles) + "。需求调研显示这是社区居民最迫切的问题。",
            target_group=f"{community.name}的相关居民",
            objectives=f"一年内{indicators[0][0]}达到{indicators[0][4]}{indicators[0][1]}。",
            start_date=start,
            end_date=end,
            reporting_frequency="monthly" if i % 3 else "quarterly",
        )
        project.needs.set(chosen)
        activity = Activity.objects.create(
            project=project, title="筹备与招募志愿者", start_date=start, end_date=start + timedelta(days=40)
        )
        Activity.objects.create(
            project=project, title="常态化服务", start_date=start + timedelta(days=30), end_date=end
        )
        Milestone.objects.create(
            project=project,
            activity=activity,
            title="志愿者队伍组建完成",
            due_date=start + timedelta(days=40),
        )
        Milestone.objects.create(project=project, title="中期评估", due_date=start + relativedelta(months=6))
        for category, desc, amount in (
            ("personnel", "项目社工补贴", 18000),
            ("activities", "活动物资与服务", 24000 + 1000 * i),
            ("materials", "宣传与印刷", 3000),
            ("management", "管理费", 2500),
        ):
            BudgetLine.objects.create(
                project=project, category=category, description=desc, amount=Decimal(amount)
            )
        inds = [
            Indicator.objects.create(
                project=project,
                name=n,
                unit=u,
                value_type=t,
                baseline=Decimal(b),
                target=Decimal(tg),
                aggregation=agg,
                frequency=project.reporting_frequency,
                position=k,
            )
            for k, (n, u, t, b, tg, agg) in enumerate(indicators)
        ]
        if i == 0:
            inds[1].name = "发出并跟进的健康风险预警（及时发现、及时反馈、及时照护）"
            inds[1].save()
        path = [("draft", "submitted")]
        if status == "returned":
            path.append(("submitted", "returned"))
        elif status != "submitted":
            path += [("submitted", "approved")]
            if status in ("active", "completed"):
                path.append(("approved", "active"))
            if status == "completed":
                path.append(("active", "completed"))
        for k, (src, dst) in enumerate(path):
            comment = "请补充志愿者培训的安排和交通预算。" if dst == "returned" else ""
            decision = ProjectDecision.objects.create(
                project=project, from_status=src, to_status=dst, by=officer if k else None, comment=comment
            )
            ProjectDecision.objects.filter(pk=decision.pk).update(
                at=timezone.make_aware(datetime.combine(start, time(9))) - timedelta(days=30 - 5 * k)
            )
        for m in range(months - (1 if i % 2 else 0)):
            p_start = start + relativedelta(months=m)
            p_end = p_start + relativedelta(months=1) - timedelta(days=1)
            update = ProgressUpdate.objects.create(
                project=project,
                period_start=p_start,
                period_end=p_end,
                narrative=(
                    "本月开展入户健康监测，对血压、血糖异常的老人发出健康风险预警，并由社工和家庭医生跟进："
                    "及时发现、及时反馈、及时照护。"
                    if i == 0
                    else f"本月按计划开展{title}活动，志愿者参与服务，居民反馈良好。"
                ),
                volunteer_hours=Decimal(rng.randint(20, 90)),
                status="approved",
                submitted_at=timezone.now(),
                reviewed_by=officer,
                reviewed_at=timezone.now(),
            )
            for ind in inds:
                if ind.aggregation == "latest":
                    value = min(ind.target, ind.baseline + (ind.target - ind.baseline) * (m + 1) / 7)
                else:
                    value = (ind.target / 12) * Decimal(rng.randint(70, 120)) / 100
                value = value.quantize(Decimal("1") if ind.value_type == "count" else Decimal("0.01"))
                IndicatorValue.objects.create(update=update, indicator=ind, value=value)
            for sex in ("female", "male"):
                PeopleReached.objects.create(
                    update=update,
                    sex=sex,
                    age_band="60-79" if theme_slug == "older_people" else "18-59",
                    special_group="living_alone" if i == 0 else "none",
                    count=rng.randint(8, 40),
                )
            if m % 2 == 0:
                UpdatePhoto.objects.create(
                    update=update, image=_photo(rng, f"{slug} {p_end:%Y-%m}"), caption="活动现场"
                )
        projects.append(project)
    ctx.data["projects"] = projects
    ctx.stdout.write(f"projects: {len(projects)} community projects")
