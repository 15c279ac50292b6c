"""Demo organizations: about 90 social organizations in Hohhot, Baotou and Chifeng, with members."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from empowerment.demo import DemoContext

from . import credit_code
from .models import (
    Area,
    DueDiligenceDocument,
    LegalForm,
    Membership,
    Organization,
    Partner,
    PartnerResource,
    Role,
    Theme,
    Volunteer,
    VolunteerHourRate,
    VolunteerHours,
    VolunteerTeam,
)
from .reference import reference_data_load
from .services import unique_slug

# The organization behind the Baotou health-check service for older people, and the demo members' org.
FLAGSHIP = ("包头市昆都仑区乐龄社会工作服务中心", "Kundulun Joyful Ageing Social Work Service Centre")

KINDS = [
    ("社会工作服务中心", "Social Work Service Centre", LegalForm.SOCIAL_SERVICE, "52"),
    ("志愿者协会", "Volunteers' Association", LegalForm.SOCIAL_GROUP, "51"),
    ("公益发展中心", "Public Welfare Development Centre", LegalForm.SOCIAL_SERVICE, "52"),
    ("社区互助会", "Community Mutual Aid Group", LegalForm.UNREGISTERED, ""),
    ("儿童关爱服务站", "Child Care Service Station", LegalForm.SOCIAL_SERVICE, "52"),
    ("慈善基金会", "Charity Foundation", LegalForm.FOUNDATION, "53"),
]


def _org_specs():
    rng = random.Random(20240910)  # noqa: S311 - demo data
    towns = list(Area.objects.filter(level=Area.Level.TOWN).select_related("parent").order_by("code"))
    communities = {t.pk: list(t.children.order_by("code")) for t in towns}
    specs = [
        (FLAGSHIP[0], FLAGSHIP[1], LegalForm.SOCIAL_SERVICE, "52", Area.objects.get(code="150203001001"))
    ]
    seen = {FLAGSHIP[0]}
    i = 0
    while len(specs) < 92:
        town = towns[i % len(towns)]
        suffix, suffix_en, form, prefix = KINDS[(i * 7 + i // len(towns)) % len(KINDS)]
        i += 1
        place = town.name.removesuffix("街道")
        area = rng.choice(communities[town.pk]) if form == LegalForm.UNREGISTERED else town
        name = (
            f"{town.parent.name}{place}{suffix}"
            if form != LegalForm.UNREGISTERED
            else f"{area.name}{place}{suffix}"
        )
        if name in seen:
            continue
        seen.add(name)
        name_en = f"{town.name_en.removesuffix(' Sub-district')} {suffix_en}"
        specs.append((name, name_en, form, prefix, area))
    return specs, rng


def seed(ctx: DemoContext) -> None:
    reference_data_load()
    themes = list(Theme.objects.order_by("pk"))
    specs, rng = _org_specs()
    today = timezone.localdate()
    orgs = []
    for n, (name, name_en, form, prefix, area) in enumerate(specs):
        org = Organization.objects.filter(name_zh_hans=name).first()
        if org is None:
            org = Organization.objects.create(
                name_zh_hans=name,
                name_en=name_en,
                slug=unique_slug(name),
                legal_form=form,
                credit_code=credit_code.generate(prefix, area.code[:6]) if prefix else None,
                registration_date=date(2012 + n % 11, 1 + n % 12, 1 + n % 27) if prefix else None,
                area=area,
                address=f"{area.parent.name if area.parent else ''}{area.name}{10 + n}号",
                description_zh_hans="扎根社区，服务居民，关注老人、儿童与特殊困难群体。",
                description_en="Rooted in the community, serving residents: older people, children and people in hardship.",
                staff_count=rng.randint(1, 25),
                volunteer_count=rng.randint(5, 200),
                contact_name=rng.choice(["王芳", "李强", "张敏", "刘洋", "陈静", "杨帆", "赵磊", "黄丽"]),
                contact_phone=f"138{rng.randint(10000000, 99999999)}",
                contact_email=f"contact{n + 1}@org.demo.example",
                status=Organization.Status.ACTIVE if n < 86 else Organization.Status.APPLICANT,
                joined_on=date(2023, 3, 1) + timedelta(days=n),
            )
            org.themes.set(rng.sample(themes[:4], k=rng.randint(1, 2)))
        orgs.append(org)
        member = ctx.user(f"member{n + 1}@org.demo.example", org.contact_name)
        Membership.objects.get_or_create(organization=org, user=member, defaults={"role": Role.ADMIN})
    flagship = orgs[0]
    for email, name, role in [
        ("orgadmin@demo.example", "Sun Yue (organization admin)", Role.ADMIN),
        ("editor@demo.example", "Zhou Jie (organization editor)", Role.EDITOR),
        ("viewer@demo.example", "Wu Na (organization viewer)", Role.VIEWER),
    ]:
        user = ctx.user(email, name)
        Membership.objects.get_or_create(organization=flagship, user=user, defaults={"role": role})
        ctx.accounts.append((email, f"{Role(role).label} · {FLAGSHIP[1]}"))
    ctx.data["organizations"] = orgs
    ctx.data["flagship"] = flagship

    if not DueDiligenceDocument.objects.exists():
        from django.core.files.base import ContentFile  # noqa: PLC0415

        for k, org in enumerate(orgs[:12]):
            DueDiligenceDocument.objects.create(
                organization=org,
                kind=DueDiligenceDocument.Kind.ANNUAL_INSPECTION,
                title=f"{today.year - 1}年度检查结论",
                file=ContentFile(b"%PDF-1.4\n% demo annual inspection\n", name="annual-inspection.pdf"),
                issued_on=today - timedelta(days=300),
                expires_on=today + timedelta(days=-10 + k * 15),
                # Some verified, some waiting for the programme officer (the staff screen's queue).
                status="verified" if k % 3 else "submitted",
                reviewed_at=timezone.now() if k % 3 else None,
            )

    partners = [
        ("包头市民政局", Partner.Kind.GOVERNMENT, "150200"),
        ("内蒙古老牛慈善基金会", Partner.Kind.FOUNDATION, "150100"),
        ("深圳壹基金公益基金会", Partner.Kind.FOUNDATION, None),
        ("赤峰市某乳业有限公司", Partner.Kind.ENTERPRISE, "150400"),
        ("呼和浩特市赛罕区大学西路街道办事处", Partner.Kind.GOVERNMENT, "150105"),
    ]
    for pname, kind, code in partners:
        partner, created = Partner.objects.get_or_create(
            name=pname,
            defaults={"kind": kind, "area": Area.objects.filter(code=code).first() if code else None},
        )
        if created:
            partner.organizations.set(orgs[:5])
            PartnerResource.objects.create(
                partner=partner,
                kind=PartnerResource.Kind.VENUE
                if kind == Partner.Kind.GOVERNMENT
                else PartnerResource.Kind.GOODS,
                description="社区活动场地（每月两次）"
                if kind == Partner.Kind.GOVERNMENT
                else "爱心物资：牛奶与体检耗材",
                organization=flagship,
                provided_on=today - timedelta(days=60),
                estimated_value="3600.00",
                valuation_basis="参照市场租金/采购价",
            )

    # The valuation basis of volunteer hours that staff set (admin: volunteer hour valuations).
    VolunteerHourRate.objects.get_or_create(
        valid_from=today.replace(year=today.year - 2, month=1, day=1),
        defaults={"yuan_per_hour": Decimal("22.00"), "basis": "参照内蒙古自治区非全日制用工小时最低工资标准"},
    )
    team, created = VolunteerTeam.objects.get_or_create(
        organization=flagship,
        name="乐龄守护志愿服务队",
        defaults={"area": flagship.area, "leader_name": "孙悦"},
    )
    if created:
        for vname in ["马俊", "高红", "林晓", "郭强", "何丽", "罗敏"]:
            volunteer = Volunteer.objects.create(
                team=team, name=vname, skills="健康咨询、陪伴", joined_on=today - timedelta(days=400)
            )
            for week in range(4):
                VolunteerHours.objects.create(
                    volunteer=volunteer,
                    date=today - timedelta(days=7 * week + 1),
                    hours="3.5",
                    activity="老人健康筛查",
                )
