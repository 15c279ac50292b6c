"""Demo needs assessments and community projects, all through the projects services: 14 incubated
projects over the four themes (older people, child care, special groups, community safety) started by
organizations that completed the training, in three waves after their cohorts (Baotou, Hohhot, Chifeng),
each with its assessed and chosen needs, activities, milestones, budget lines in every category and
indicators; proposals submitted by the organization and approved by the programme officer; monthly or
quarterly progress updates with indicator values, people reached and small generated photos, submitted
and approved (the latest of a few still waiting for review); one project completed, one approved and
not yet started. Three more proposals stay out of public view (a draft, one in review, one returned).

Workflow decisions and reviews are dated when they happened (the services stamp them now).
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
from organizations.models import Area, Membership, Organization, Role, Theme

from . import services
from .models import (
    Activity,
    BudgetLine,
    Indicator,
    Milestone,
    ProgressUpdate,
    Project,
    ProjectDecision,
    ScoringCriterion,
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
    # Proposals not public yet: no page, no money, no trace on the public side.
    (
        "child-water-safety",
        "儿童防溺水安全教育",
        "Water safety lessons for children",
        "children",
        ["夏季儿童私自下河游泳"],
        [("参加安全课的儿童", "人", "count", 0, 400, "cumulative")],
    ),
    (
        "young-disabled-jobs",
        "残障青年就业辅导",
        "Job coaching for young people with disabilities",
        "special_groups",
        ["残障青年就业难"],
        [("实现就业的残障青年", "人", "count", 0, 20, "cumulative")],
    ),
    (
        "elder-anti-fraud",
        "老年人防诈骗宣传",
        "Helping older people recognise scams",
        "older_people",
        ["老人屡遭电信诈骗"],
        [("参加防骗讲座的老人", "人", "count", 0, 500, "cumulative")],
    ),
]

# Waves of incubation, one per cohort: (city code prefix, days before today the projects started).
WAVES = [("1502", 225), ("1501", 140), ("1504", 60)]
# Project index → (wave, status). Public ones from approval on; the last three are not public.
PLAN = {
    0: (0, "active"),
    1: (1, "active"),
    2: (2, "active"),
    3: (0, "active"),
    4: (0, "active"),
    5: (1, "active"),
    6: (2, "active"),
    7: (1, "active"),
    8: (2, "active"),
    9: (0, "completed"),
    10: (1, "active"),
    11: (0, "active"),
    12: (1, "active"),
    13: (2, "approved"),
    14: (2, "submitted"),
    15: (1, "returned"),
    16: (0, "draft"),
}
# The budget's fifth line rotates over the remaining categories, so every category is budgeted somewhere.
EXTRA_LINES = [
    ("venue", "活动场地租用", 4800),
    ("travel", "入户交通补贴", 3600),
    ("equipment", "服务设备购置", 6500),
    ("other", "保险与不可预见费", 2000),
]
PEOPLE = {
    "older_people": [("female", "60-79"), ("male", "60-79"), ("female", "80+")],
    "children": [("female", "0-17"), ("male", "0-17"), ("female", "18-59")],
    "special_groups": [("female", "18-59"), ("male", "18-59"), ("male", "60-79")],
    "community_safety": [("female", "18-59"), ("male", "18-59"), ("female", "60-79")],
}
SPECIAL = {
    "baotou-elder-health-checks": "living_alone",
    "elder-companions": "living_alone",
    "left-behind-children": "left_behind",
    "disability-rehab": "disability",
    "low-income-support": "low_income",
}
CRITERIA_SCORES = [(5, 4, 5, 4), (4, 3, 3, 4), (3, 4, 2, 5)]

# Theme indicators: code, theme, name (en), name (zh), unit (en), unit (zh), value type, level.
STANDARD_INDICATORS = [
    (
        "op-people-served",
        "older_people",
        "Older people served",
        "接受服务的老人",
        "people",
        "人",
        "count",
        "output",
    ),
    (
        "op-home-services",
        "older_people",
        "Home services to older people",
        "为老上门服务",
        "times",
        "人次",
        "count",
        "output",
    ),
    (
        "ch-children",
        "children",
        "Children in regular activities",
        "参与常态化活动的儿童",
        "children",
        "人",
        "count",
        "output",
    ),
    (
        "sg-sessions",
        "special_groups",
        "Service sessions for special groups",
        "特殊群体服务",
        "sessions",
        "人次",
        "count",
        "output",
    ),
    (
        "sg-people",
        "special_groups",
        "People of special groups supported",
        "得到支持的特殊群体成员",
        "people",
        "人",
        "count",
        "output",
    ),
    (
        "sg-households",
        "special_groups",
        "Households supported",
        "得到帮扶的家庭",
        "households",
        "户",
        "count",
        "output",
    ),
    (
        "cs-hazards",
        "community_safety",
        "Safety hazards found",
        "排查安全隐患",
        "places",
        "处",
        "count",
        "output",
    ),
    (
        "cs-residents-trained",
        "community_safety",
        "Residents trained for emergencies",
        "参加应急演练的居民",
        "people",
        "人",
        "count",
        "output",
    ),
    (
        "cs-volunteer-hours",
        "community_safety",
        "Volunteer hours on safety duty",
        "安全志愿服务时长",
        "hours",
        "小时",
        "number",
        "output",
    ),
]
# (project slug, indicator position) → theme indicator code; outcome-level indicators; breakdowns asked for.
RESULT_MAP = {
    ("baotou-elder-health-checks", 0): "op-people-served",
    ("elder-smart-phones", 0): "op-people-served",
    ("elder-anti-fraud", 0): "op-people-served",
    ("elder-meal-delivery", 0): "op-home-services",
    ("elder-companions", 0): "op-home-services",
    ("after-school-care", 0): "ch-children",
    ("left-behind-children", 0): "ch-children",
    ("child-water-safety", 0): "ch-children",
    ("disability-rehab", 0): "sg-sessions",
    ("migrant-workers", 0): "sg-people",
    ("young-disabled-jobs", 0): "sg-people",
    ("low-income-support", 0): "sg-households",
    ("fire-safety", 0): "cs-hazards",
    ("flood-preparedness", 0): "cs-residents-trained",
    ("safe-route-school", 0): "cs-volunteer-hours",
}
OUTCOMES = {("baotou-elder-health-checks", 2), ("neighbourhood-patrol", 0)}
BREAKDOWNS = {
    ("baotou-elder-health-checks", 0): ("sex", "age_band"),
    ("after-school-care", 0): ("sex",),
    ("left-behind-children", 0): ("sex",),
    ("disability-rehab", 0): ("sex", "special_group"),
}
RATING_FEEDBACK = [
    (5, "报告清晰完整，指标数值有签到表和照片佐证，并总结了下期改进做法。"),
    (4, "成果与指标对应清楚，证据充分；建议补充居民反馈的具体例子。"),
    (3, "活动和成果都有报告，但部分数值缺少佐证材料，请下期附上签到表。"),
    (4, "服务记录规范，分性别数据完整；请说明未达计划的原因。"),
]


def _seed_results(themes) -> None:
    """The theme indicators (created once, by code) and the demo indicators that count towards them and
    their level (set where not set yet, so an older demo database gets them too)."""
    from .models import StandardIndicator  # noqa: PLC0415

    standards = {}
    for k, (code, theme, name, name_zh, unit, unit_zh, kind, level) in enumerate(STANDARD_INDICATORS):
        if theme not in themes:
            continue
        standards[code] = StandardIndicator.objects.get_or_create(
            code=code,
            defaults={
                "theme": themes[theme],
                "name": name,
                "name_zh": name_zh,
                "unit": unit,
                "unit_zh": unit_zh,
                "value_type": kind,
                "level": level,
                "aggregation": "cumulative",
                "position": k,
            },
        )[0]
    for (slug, position), code in RESULT_MAP.items():
        if code in standards:
            Indicator.objects.filter(project__slug=slug, position=position, standard__isnull=True).update(
                standard=standards[code]
            )
    for slug, position in OUTCOMES:
        Indicator.objects.filter(project__slug=slug, position=position).update(level="outcome")


def _parts(indicator, value: str, rng) -> dict:
    """A demo breakdown of `value` for each breakdown the indicator asks for (parts add up to it)."""
    total = Decimal(value)
    parts = {}
    for dim in indicator.dimensions:
        if dim == "sex":
            women = (total * Decimal(rng.randint(50, 62)) / 100).quantize(Decimal("1"))
            parts[dim] = {"female": women, "male": total - women}
        elif dim == "age_band":
            older = (total * Decimal(rng.randint(60, 75)) / 100).quantize(Decimal("1"))
            parts[dim] = {"60-79": older, "80+": total - older}
        elif dim == "special_group":
            group = (total * Decimal(rng.randint(70, 85)) / 100).quantize(Decimal("1"))
            parts[dim] = {"disability": group, "none": total - group}
    return parts


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


def _at(day, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _needs(org, member, community, titles, start, rng, criteria) -> list:
    """A needs assessment in the project's community, its needs scored, the project's needs chosen."""
    assessment = services.assessment_save(
        organization=org,
        by=member,
        data={
            "community": community,
            "title": f"{community.name}居民需求调研",
            "method": "survey",
            "started_on": start - timedelta(days=110),
            "ended_on": start - timedelta(days=85),
            "sample_size": rng.randint(60, 240),
            "findings": "入户问卷与居民座谈显示：" + "；".join(titles) + "。",
        },
    )
    chosen = []
    for i, title in enumerate([*titles, "社区活动场地不足"]):
        scores = {c.key: v for c, v in zip(criteria, CRITERIA_SCORES[min(i, 2)], strict=False)}
        need = services.need_save(
            assessment=assessment, by=member, title=title, description="", scores=scores
        )
        if i < len(titles):
            chosen.append(
                services.need_choose(need=need, by=member, reason="加权得分最高，且机构有能力回应。")
            )
    return chosen


def _community(org, rng) -> Area:
    if org.area.level == Area.Level.COMMUNITY:
        return org.area
    children = list(org.area.children.order_by("code"))
    return rng.choice(children) if children else org.area


def _pick_organizations(ctx) -> dict[int, Organization]:
    """Project index → organization: the flagship for the first, then trained organizations of each
    wave's city, one project each."""
    flagship = ctx.data["flagship"]
    trained = ctx.data.get("trained_organizations")
    pool = [
        o
        for o in ctx.data["organizations"]
        if o.status == Organization.Status.ACTIVE and o != flagship and (trained is None or o.pk in trained)
    ]
    by_city = {prefix: [o for o in pool if o.area.code.startswith(prefix)] for prefix, _ in WAVES}
    taken = {0: flagship}
    for index, (wave, _status) in sorted(PLAN.items()):
        if index == 0:
            continue
        candidates = by_city[WAVES[wave][0]]
        taken[index] = candidates[(index * 3) % len(candidates)]
        candidates.remove(taken[index])
    return taken


def _decide(project, steps, officer, member, when) -> None:
    """Move the project through the workflow with the services, then date each decision when it was made."""
    for action, day, comment in steps:
        by = member if action == "submit" else officer
        services.project_transition(project=project, action=action, by=by, comment=comment)
        decision = ProjectDecision.objects.filter(project=project).order_by("-pk").first()
        ProjectDecision.objects.filter(pk=decision.pk).update(at=_at(min(day, when)))


def seed(ctx: DemoContext) -> None:
    rng = random.Random(20250301)  # noqa: S311 - demo data
    today = timezone.localdate()
    officer = ctx.user("officer@demo.example", "Wang Li (programme officer)")
    criteria = list(ScoringCriterion.objects.order_by("position"))
    themes = {t.slug: t for t in Theme.objects.all()}
    if not ctx.data.get("organizations") or not criteria:
        ctx.stdout.write("projects: no organizations or scoring criteria to seed projects for; skipped")
        return
    if all(Project.objects.filter(slug=entry[0]).exists() for entry in PROJECTS):
        ctx.data["projects"] = list(Project.objects.filter(slug__in=[p[0] for p in PROJECTS]).order_by("pk"))
        _seed_results(themes)
        return
    orgs = _pick_organizations(ctx)
    members = {
        m.organization_id: m.user
        for m in Membership.objects.filter(
            organization__in=orgs.values(), role__in=[Role.ADMIN, Role.EDITOR]
        ).order_by("-role", "pk")
    }
    projects = []
    for i, (slug, title, summary, theme_slug, need_titles, indicators) in enumerate(PROJECTS):
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            wave, status = PLAN[i]
            org = orgs[i]
            project = _project(
                i,
                slug=slug,
                title=title,
                summary=summary,
                theme=themes[theme_slug],
                need_titles=need_titles,
                indicators=indicators,
                status=status,
                org=org,
                member=members[org.pk],
                officer=officer,
                start=(today - timedelta(days=WAVES[wave][1])).replace(day=1),
                today=today,
                rng=rng,
                criteria=criteria,
            )
            # The title in both languages; the summary line is the English title (no Chinese summary).
            Project.objects.filter(pk=project.pk).update(
                title_zh_hans=title, title_en=summary, summary_en=summary, summary_zh_hans=None
            )
            project.refresh_from_db()
        projects.append(project)
    ctx.data["projects"] = projects
    _seed_results(themes)
    public = sum(p.is_public for p in projects)
    ctx.stdout.write(
        f"  projects: {public} incubated projects, {len(projects) - public} proposals not public"
    )


def _project(
    i,
    *,
    slug,
    title,
    summary,
    theme,
    need_titles,
    indicators,
    status,
    org,
    member,
    officer,
    start,
    today,
    rng,
    criteria,
):
    if status == "approved":
        start = today.replace(day=1) + relativedelta(months=1)  # approved, starts next month
    months = 6 if status == "completed" else 12
    end = start + relativedelta(months=months) - timedelta(days=1)
    community = Area.objects.get(code="150203001001") if i == 0 else _community(org, rng)
    chosen = _needs(org, member, community, need_titles, min(start, today), rng, criteria)
    frequency = "quarterly" if i % 3 == 0 and i else "monthly"
    project = services.project_create(
        organization=org,
        by=member,
        data={
            "title": title,
            "theme": theme,
            "community": community,
            "summary": summary,
            "problem_statement": "；".join(need_titles) + "。需求调研显示这是社区居民最迫切的问题。",
            "target_group": f"{community.name}的相关居民",
            "objectives": f"{months}个月内{indicators[0][0]}达到{indicators[0][4]}{indicators[0][1]}。",
            "start_date": start,
            "end_date": end,
            "reporting_frequency": frequency,
        },
    )
    # The demo's projects keep stable web addresses (the service derives one from the title).
    project = services.project_update(project=project, by=member, data={"slug": slug}, needs=chosen)
    _plan(project, i, start, end, indicators)
    if status == "draft":
        return project
    submitted = min(today, start - timedelta(days=40))
    steps = [("submit", submitted, "")]
    if status == "returned":
        steps.append(("return", submitted + timedelta(days=6), "请补充志愿者培训的安排和交通预算。"))
    elif status != "submitted":
        steps.append(("approve", submitted + timedelta(days=12), ""))
        if status in ("active", "completed"):
            steps.append(("activate", start, ""))
    _decide(project, steps, officer, member, today)
    project.refresh_from_db()
    if status in ("active", "completed"):
        _updates(project, i, member, officer, today, rng)
    if status == "completed":
        _decide(project, [("complete", end + timedelta(days=5), "")], officer, member, today)
    project.refresh_from_db()
    return project


def _plan(project, i, start, end, indicators) -> None:
    """The proposal's activities, milestones, budget lines and indicators (the wizard's rows)."""
    rows = []
    activity = Activity(
        project=project, title="筹备与招募志愿者", start_date=start, end_date=start + timedelta(days=40)
    )
    rows.append(activity)
    rows.append(
        Activity(project=project, title="常态化服务", start_date=start + timedelta(days=30), end_date=end)
    )
    for row in rows:
        row.full_clean()
        row.save()
    rows = [
        Milestone(
            project=project,
            activity=activity,
            title="志愿者队伍组建完成",
            due_date=start + timedelta(days=40),
        ),
        Milestone(project=project, title="中期评估", due_date=start + (end - start) / 2),
    ]
    extra = EXTRA_LINES[i % len(EXTRA_LINES)]
    for category, desc, amount in (
        ("personnel", "项目社工补贴", 18000 + 600 * (i % 4)),
        ("activities", "活动物资与服务", 24000 + 1000 * i),
        ("materials", "宣传与印刷", 3000 + 200 * (i % 3)),
        ("management", "管理费", 2500),
        extra,
    ):
        rows.append(BudgetLine(project=project, category=category, description=desc, amount=Decimal(amount)))
    for k, (n, u, t, b, tg, agg) in enumerate(indicators):
        rows.append(
            Indicator(
                project=project,
                name=n if (i, k) != (0, 1) else "发出并跟进的健康风险预警（及时发现、及时反馈、及时照护）",
                unit=u,
                value_type=t,
                baseline=Decimal(b),
                target=Decimal(tg),
                aggregation=agg,
                frequency=project.reporting_frequency,
                position=k,
                by_sex="sex" in BREAKDOWNS.get((project.slug, k), ()),
                by_age_band="age_band" in BREAKDOWNS.get((project.slug, k), ()),
                by_special_group="special_group" in BREAKDOWNS.get((project.slug, k), ()),
            )
        )
    for row in rows:
        row.full_clean()
        row.save()


def _periods(project, today):
    step = 3 if project.reporting_frequency == "quarterly" else 1
    p_start = project.start_date
    while True:
        p_end = min(project.end_date, p_start + relativedelta(months=step) - timedelta(days=1))
        if p_end >= today:
            return
        yield p_start, p_end
        if p_end == project.end_date:
            return
        p_start = p_end + timedelta(days=1)


def _updates(project, i, member, officer, today, rng) -> None:
    """Progress updates written by the organization and approved by the officer; for every fourth project
    the latest one still waits for review."""
    indicators = list(project.indicators.order_by("position"))
    periods = list(_periods(project, today))
    slug, theme = project.slug, project.theme.slug
    months_in_period = 3 if project.reporting_frequency == "quarterly" else 1
    parts_rng = random.Random(20250302 + i)  # noqa: S311 - demo data; its own, so the other figures stay
    for m, (p_start, p_end) in enumerate(periods):
        values = {}
        for ind in indicators:
            if ind.aggregation == "latest":
                value = min(
                    ind.target, ind.baseline + (ind.target - ind.baseline) * (m + 1) / (len(periods) + 1)
                )
            else:
                value = (ind.target / 12) * months_in_period * Decimal(rng.randint(70, 120)) / 100
            values[ind.pk] = str(
                value.quantize(Decimal("1") if ind.value_type == "count" else Decimal("0.01"))
            )
        people = [
            {
                "sex": sex,
                "age_band": band,
                "special_group": SPECIAL.get(slug, "none"),
                "count": rng.randint(5, 40),
            }
            for sex, band in PEOPLE[theme]
        ]
        narrative = (
            "本期开展入户健康监测，对血压、血糖异常的老人发出健康风险预警，并由社工和家庭医生跟进："
            "及时发现、及时反馈、及时照护。"
            if i == 0
            else f"本期按计划开展{project.title}活动，志愿者参与服务，居民反馈良好。"
        )
        photos = [(_photo(rng, f"{slug} {p_end:%Y-%m}"), "活动现场")] if m % 2 == 0 else []
        update = services.update_save(
            project=project,
            by=member,
            data={
                "period_start": p_start,
                "period_end": p_end,
                "narrative": narrative,
                "volunteer_hours": Decimal(rng.randint(20, 90) * months_in_period),
            },
            values=values,
            people=people,
            photos=photos,
            parts={ind.pk: _parts(ind, values[ind.pk], parts_rng) for ind in indicators if ind.dimensions},
        )
        update = services.update_submit(update=update, by=member)
        submitted_at = _at(min(today, p_end + timedelta(days=3)), 20)
        if m == len(periods) - 1 and i % 4 == 1:
            ProgressUpdate.objects.filter(pk=update.pk).update(submitted_at=submitted_at)
            continue  # waits for the officer's review
        services.update_review(update=update, by=officer, approve=True)
        ProgressUpdate.objects.filter(pk=update.pk).update(
            submitted_at=submitted_at, reviewed_at=submitted_at + timedelta(days=2)
        )
        if m < len(periods) - 2:  # the latest approved reports wait for the officer's rating
            score, feedback = RATING_FEEDBACK[(i + m) % len(RATING_FEEDBACK)]
            services.update_rate(update=update, by=officer, score=score, feedback=feedback)
            ProgressUpdate.objects.filter(pk=update.pk).update(rated_at=submitted_at + timedelta(days=5))
