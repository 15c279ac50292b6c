"""Demo money: a programme year of the Community Empowerment Support Plan, all through the fundraising
services and the ledger, run in date order so the ledger reads like the year it records.

- Raised (over 800,000 yuan): government service contracts and foundation grants paid in tranches (one
  tranche still waiting for its milestone), enterprises' gifts designated to projects, residents'
  collections in the communities and two community funds, and internet fundraising (two campaigns on
  charity platforms, one with a partner foundation's matching gift).
- Moved: allocations from the general fund (and the community funds) to the project funds; disbursements to
  the organizations in quarterly tranches; expenditures against every budget category, receipted and
  submitted by the organization's member, approved by the finance officer, dated when the money was spent,
  month after month. A few wait for approval, one is rejected.
- Books kept: months are closed as the year goes (all but the last one or two), so a receipt from a closed
  month approved today and a collection counted late become prior-period adjustments; a donation entered
  twice and an expenditure reimbursed twice are reversed. In-kind gifts are recorded apart.

Projects that are not public yet get no money at all. Idempotent: a second run finds its marker donation (the
first tranche of the government contract) and changes nothing."""

import datetime
import io
import random
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import partial

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db.models import Sum
from django.utils import timezone
from pypdf import PdfWriter

from empowerment.uploads import clean_document
from organizations.models import Area, Membership, Role

from . import ledger, services
from .models import (
    Campaign,
    Channel,
    Donation,
    Expenditure,
    Fund,
    Funder,
    Grant,
    GrantTranche,
    InKindGift,
    LedgerEntry,
)

MARKER = "DEMO-GOV-001"
CENT = Decimal("0.01")
ONLINE_NAMES = [
    "爱心网友",
    "小雨",
    "一位母亲",
    "老郭",
    "阳光",
    "晓东",
    "青城志愿者",
    "包头市民",
    "鹿城人",
    "李女士",
]
ONLINE_AMOUNTS = [10, 20, 50, 50, 66, 88, 99, 100, 100, 200, 200, 500, 1000]
# Budget category → payee of the receipts (organizations and shops; people are named only as a role).
PAYEES = {
    "personnel": "项目社工（劳务补贴）",
    "activities": "社区综合服务中心",
    "materials": "鹿城印务有限公司",
    "management": "机构财务（管理费分摊）",
    "venue": "社区党群服务中心",
    "travel": "城市出租汽车公司",
    "equipment": "康健医疗器械有限公司",
    "other": "中国人寿保险公司",
}
# The enterprise that gives to the projects of each city (by area code prefix).
ENTERPRISES = {
    "1502": "包头市鹿城稀土材料有限公司",
    "1501": "呼和浩特市青城乳业有限公司",
    "1504": "赤峰市红山建设工程有限公司",
}


# English titles of the demo campaigns (their summaries and stories are in Chinese only, shown on English
# pages with a language mark).
CAMPAIGN_TITLES_EN = {
    "warm-winter-for-elders": "A warm winter: health care for older people living alone",
    "after-school-desks": "The children's half-past-four classroom",
}


def _yuan(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _receipt_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(420, 595)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class Year:
    """The year's events, each run through a service on its day, in date order (then by `order` within a
    day: money in before money out). Dates after today are dropped; the run is chronological, so a month
    is closed only after everything dated in it was posted."""

    def __init__(self, today: datetime.date):
        self.today = today
        self.events: list = []

    def on(self, day: datetime.date, fn, order: int = 5, **kwargs) -> None:
        if day <= self.today:
            self.events.append((day, order, len(self.events), partial(fn, day, **kwargs)))

    def run(self) -> None:
        for _day, _order, _n, fn in sorted(self.events, key=lambda e: e[:3]):
            fn()


def seed(ctx) -> None:
    if Donation.objects.filter(receipt_number=MARKER).exists():
        return
    Demo(ctx).seed()


class Demo:
    def __init__(self, ctx):
        self.ctx = ctx
        self.finance = get_user_model().objects.get(email="finance@demo.example")
        self.today = timezone.localdate()
        self.start = (self.today - relativedelta(months=11)).replace(day=1)
        self.year = Year(self.today)
        self.rng = random.Random(20260101)  # noqa: S311 - demo data
        self.pdf = _receipt_pdf()
        self.numbers = iter(range(1, 10**6))
        self.projects = [p for p in ctx.data.get("projects", []) if p.is_public]
        self.project_plan: dict = {}  # project id → (fund, budget lines by category, member)

    # Reference data -------------------------------------------------------------------------------------

    def _channels(self) -> None:
        self.channels = {}
        for code, name, name_zh, kind in [
            ("bank", "Foundation bank account", "基金会银行账户", Channel.Kind.BANK),
            ("gov-contract", "Government purchase of services", "政府购买服务", Channel.Kind.CONTRACT),
            ("grant", "Foundation grant agreements", "基金会资助协议", Channel.Kind.GRANT),
            ("tencent", "Tencent charity platform", "腾讯公益平台", Channel.Kind.ONLINE),
            ("alipay", "Alipay charity platform", "支付宝公益平台", Channel.Kind.ONLINE),
            ("community-box", "Community collection", "社区募捐", Channel.Kind.CASH),
        ]:
            channel = Channel.objects.get_or_create(
                code=code, defaults={"name_en": name, "name_zh_hans": name_zh, "kind": kind}
            )[0]
            if not channel.name_zh_hans:  # made earlier by another seeder in English only
                Channel.objects.filter(pk=channel.pk).update(name_zh_hans=name_zh)
                channel.name_zh_hans = name_zh
            self.channels[code] = channel

    def _funder(self, name: str, kind: str) -> Funder:
        return Funder.objects.get_or_create(name=name, kind=kind)[0]

    def _funds(self) -> None:
        self.general = ledger.general_fund()
        flagship_area = Area.objects.get(code="150203001001")
        hohhot = next(
            (p.community for p in self.projects if p.community.code.startswith("1501")),
            Area.objects.filter(code__startswith="1501", level=Area.Level.COMMUNITY).order_by("code").first(),
        )
        self.community_funds = []
        for code, area, description in [
            (
                "tuanjie-community",
                flagship_area,
                "居民、商户和驻区单位共同发起，用于社区内老人、儿童和困难家庭的互助。",
            ),
            ("hohhot-community", hohhot, "街道与居民共建的社区慈善基金，支持社区治理与邻里互助项目。"),
        ]:
            fund, _ = Fund.objects.get_or_create(
                code=code,
                defaults={
                    "name_zh_hans": f"{area.parent.name}{area.name}慈善基金",
                    "name_en": f"{area.name_en} Charity Fund",
                    "kind": Fund.Kind.COMMUNITY,
                    "restricted": True,
                    "area": area,
                    "description_zh_hans": description,
                },
            )
            self.community_funds.append(fund)

    # Services, one call per event --------------------------------------------------------------------------

    def _receipt(self) -> str:
        return f"DEMO-{next(self.numbers):05d}"

    def give(self, day, *, channel, amount, fund, funder=None, receipt=None, **kw) -> Donation:
        return services.donation_record(
            channel=self.channels[channel],
            amount=_yuan(amount),
            received_on=day,
            fund=fund,
            receipt_number=receipt or self._receipt(),
            by=self.finance,
            funder=funder,
            donor_name=kw.pop("donor_name", funder.name if funder else ""),
            show_name=kw.pop("show_name", funder is not None),
            **kw,
        )

    def tranche(self, day, *, tranche, receipt) -> None:
        services.tranche_receive(tranche=tranche, receipt_number=receipt, received_on=day, by=self.finance)

    def allocate(self, day, *, source, fund, amount, note="") -> None:
        services.allocation_create(
            from_fund=source, to_fund=fund, amount=_yuan(amount), allocated_on=day, by=self.finance, note=note
        )

    def disburse(self, day, *, project, amount, note="") -> None:
        # Never more than the project's fund holds in the bank on the day (whole thousands).
        cash = self._room(services.fund_for_project(project), ledger.cash_account())
        amount = min(_yuan(amount), (cash / 1000).to_integral_value(rounding=ROUND_FLOOR) * 1000)
        if amount > 0:
            services.disbursement_create(
                project=project, amount=amount, paid_on=day, by=self.finance, note=note
            )

    def spend(
        self,
        day,
        *,
        project,
        line,
        amount,
        member,
        approve=True,
        paid_from=None,
        note="",
        invoice=None,
        backdate=True,
    ):
        amount = _yuan(amount)
        paid_from = paid_from or Expenditure.PaidFrom.ADVANCE
        if approve is True:
            # The finance officer approves what the money on hand covers: the organization's advance, or
            # else the foundation pays from the project's bank money; otherwise the receipt waits.
            fund = services.fund_for_project(project)
            if (
                paid_from == Expenditure.PaidFrom.ADVANCE
                and self._room(fund, ledger.advances_account()) < amount
            ):
                paid_from = Expenditure.PaidFrom.BANK
            if paid_from == Expenditure.PaidFrom.BANK and self._room(fund, ledger.cash_account()) < amount:
                approve = False
        # A month's spending that goes past its line comes with the organization's reason (the budget rule).
        over = self._line_committed(line) + amount > line.amount
        expenditure = services.expenditure_submit(
            project=project,
            budget_line=line,
            amount=amount,
            over_budget_reason="本月活动参加人数超出计划，超出部分由其他预算线结余调剂。" if over else "",
            spent_on=day,
            description=f"{line.description}（{day:%Y年%m月}）"[:255],
            payee=PAYEES.get(line.category, "社区服务商户"),
            document=clean_document(ContentFile(self.pdf, name="receipt.pdf")),
            by=member,
            invoice_number=invoice or f"{day:%Y%m}{next(self.numbers):06d}",
            paid_from=paid_from,
        )
        if approve == "reject":
            services.expenditure_reject(expenditure=expenditure, by=self.finance, note=note)
        elif approve:
            services.expenditure_approve(expenditure=expenditure, by=self.finance, note=note)
        if approve and backdate and day < self.today - datetime.timedelta(days=12):
            # Decided a few days after the receipt came in (the service stamps the decision now).
            decided = timezone.make_aware(
                datetime.datetime.combine(day + datetime.timedelta(days=5), datetime.time(16))
            )
            Expenditure.objects.filter(pk=expenditure.pk).update(decided_at=decided)
        return expenditure

    def close(self, day, *, month) -> None:
        ledger.period_close(month=month, closed_by=self.finance, note="月末对账完成")

    # The year ------------------------------------------------------------------------------------------

    def seed(self) -> None:
        if not self.projects:
            self.ctx.stdout.write("  fundraising: no public projects to raise money for; skipped")
            return
        self._channels()
        self._funds()
        self._grants()
        self._community()
        members = {
            m.organization_id: m.user
            for m in Membership.objects.filter(
                organization__in=[p.organization_id for p in self.projects], role=Role.ADMIN
            ).order_by("pk")
        }
        for j, project in enumerate(self.projects):
            self._project(j, project, members[project.organization_id])
        self._campaigns()
        self._in_kind()
        self._closes()
        self.year.run()
        self._today(members)
        raised = Donation.objects.filter(status=Donation.Status.RECORDED).aggregate(s=Sum("amount"))["s"]
        self.ctx.stdout.write(
            f"  fundraising: {Donation.objects.count()} donations (¥{raised:,.2f} net), "
            f"{Expenditure.objects.count()} expenditures, {len(self.projects)} project funds"
        )

    def _grants(self) -> None:
        gov_bt = self._funder("包头市民政局", Funder.Kind.GOVERNMENT)
        gov_hh = self._funder("呼和浩特市赛罕区民政局", Funder.Kind.GOVERNMENT)
        laoniu = self._funder("内蒙古老牛慈善基金会", Funder.Kind.FOUNDATION)
        self.onefoundation = self._funder("深圳壹基金公益基金会", Funder.Kind.FOUNDATION)
        s = self.start
        plans = [
            # funder, kind, channel, title, reference, signed (days from the start of the year),
            # tranches: (amount, due day or milestone)
            (
                laoniu,
                Grant.Kind.GRANT,
                "grant",
                "内蒙古社区赋能支持计划资助协议",
                "LN-2026-017",
                3,
                [(100000, 10), (80000, 150), (60000, "中期评估报告通过")],
            ),
            (
                gov_bt,
                Grant.Kind.CONTRACT,
                "gov-contract",
                "包头市社区公益服务购买项目（年度）",
                "BTMZ-GM-2026-08",
                12,
                [(80000, 20), (70000, 180), (50000, "年度服务评估通过")],
            ),
            (
                self.onefoundation,
                Grant.Kind.GRANT,
                "grant",
                "社区公益项目联合资助",
                "OF-CE-2026-03",
                40,
                [(40000, 50), (40000, 230)],
            ),
            (
                gov_hh,
                Grant.Kind.CONTRACT,
                "gov-contract",
                "赛罕区社区治理创新服务项目",
                "SHMZ-2026-21",
                95,
                [(30000, 110), (30000, 290)],
            ),
        ]
        # A district bureau's contract whose second tranche is late: due three weeks ago, not paid yet (the
        # overdue view and the grant list show it).
        gov_cf = self._funder("赤峰市红山区民政局", Funder.Kind.GOVERNMENT)
        elapsed = (self.today - s).days
        plans.append(
            (
                gov_cf,
                Grant.Kind.CONTRACT,
                "gov-contract",
                "红山区社区养老服务购买项目",
                "HSMZ-2026-05",
                max(elapsed - 120, 0),
                [(25000, max(elapsed - 100, 1)), (25000, max(elapsed - 21, 2)), (20000, "项目结项验收通过")],
            )
        )
        unpaid = {("HSMZ-2026-05", 2), ("HSMZ-2026-05", 3)}  # late, and its milestone not reached
        for funder, kind, channel, title, reference, signed, tranches in plans:
            grant = Grant(
                funder=funder,
                kind=kind,
                title=title,
                reference=reference,
                total=_yuan(sum(a for a, _ in tranches)),
                signed_on=min(self.today, s + datetime.timedelta(days=signed)),
                fund=self.general,
                channel=self.channels[channel],
            )
            grant.full_clean()
            grant.save()
            for n, (amount, due) in enumerate(tranches, start=1):
                tranche = GrantTranche(
                    grant=grant,
                    number=n,
                    amount=_yuan(amount),
                    due_on=s + datetime.timedelta(days=due) if isinstance(due, int) else None,
                    milestone="" if isinstance(due, int) else due,
                )
                tranche.full_clean()
                tranche.save()
                receipt = MARKER if (reference, n) == ("BTMZ-GM-2026-08", 1) else f"{reference}-T{n}"
                if (reference, n) in unpaid:
                    continue
                if tranche.due_on is not None:
                    self.year.on(
                        tranche.due_on + datetime.timedelta(days=3),
                        self.tranche,
                        1,
                        tranche=tranche,
                        receipt=receipt,
                    )
                elif kind == Grant.Kind.CONTRACT:
                    # The year's evaluation passed last month; the foundation's mid-term milestone is
                    # not reached yet, so its last tranche stays due.
                    self.year.on(
                        self.today - datetime.timedelta(days=33),
                        self.tranche,
                        1,
                        tranche=tranche,
                        receipt=receipt,
                    )

    def _community(self) -> None:
        """The community funds: residents' collections through the year and an enterprise's gift."""
        tuanjie, hohhot = self.community_funds
        residents = self._funder(f"{tuanjie.area.name}居民", Funder.Kind.COMMUNITY)
        steel = self._funder("包钢集团社区公益基金", Funder.Kind.ENTERPRISE)
        hohhot_residents = self._funder(f"{hohhot.area.name}居民", Funder.Kind.COMMUNITY)
        for k, amount in enumerate(["12000.00", "8650.00", "9800.00", "7420.50"]):
            self.year.on(
                self.start + relativedelta(months=1 + 3 * k, days=14),
                self.give,
                1,
                channel="community-box",
                amount=amount,
                fund=tuanjie,
                funder=residents,
                note="社区慈善基金募捐",
            )
        self.year.on(
            self.start + relativedelta(months=2, days=5),
            self.give,
            1,
            channel="bank",
            amount=30000,
            fund=tuanjie,
            funder=steel,
        )
        # Two residents who gave by bank transfer and asked not to be named.
        for months, (name, amount) in ((5, ("张先生", "5000.00")), (9, ("刘女士", "2000.00"))):
            self.year.on(
                self.start + relativedelta(months=months, days=2),
                self.give,
                1,
                channel="bank",
                amount=amount,
                fund=tuanjie,
                funder=self._funder(name, Funder.Kind.INDIVIDUAL),
                show_name=False,
            )
        for k, amount in enumerate(["6800.00", "9230.00", "5150.00"]):
            self.year.on(
                self.start + relativedelta(months=4 + 3 * k, days=20),
                self.give,
                1,
                channel="community-box",
                amount=amount,
                fund=hohhot,
                funder=hohhot_residents,
                note="社区慈善基金募捐",
            )

    def _project(self, j: int, project, member) -> None:
        fund = services.fund_for_project(project)
        start = project.start_date
        lines = {line.category: line for line in project.budget_lines.order_by("pk")}
        if start > self.today:  # approved, starting next month: the first allocation is made
            self.year.on(
                self.today - datetime.timedelta(days=6),
                self.allocate,
                2,
                source=self.general,
                fund=fund,
                amount=10000,
                note="项目启动资金",
            )
            return
        completed = project.status == "completed"
        city = project.community.code[:4]
        enterprise = self._funder(ENTERPRISES.get(city, ENTERPRISES["1502"]), Funder.Kind.ENTERPRISE)
        residents = self._funder(
            f"{project.community.parent.name}{project.community.name}居民", Funder.Kind.COMMUNITY
        )
        rng = self.rng
        self.year.on(
            start - datetime.timedelta(days=9),
            self.give,
            1,
            channel="bank",
            amount=6000 + 1000 * (j % 7),
            fund=fund,
            funder=enterprise,
        )
        for k in range(0, 12, 3):
            if start + relativedelta(months=k) > project.end_date:
                break
            self.year.on(
                start + relativedelta(months=k, days=rng.randint(8, 25)),
                self.give,
                1,
                channel="community-box",
                amount=Decimal(rng.randint(80, 260) * 10) + Decimal(rng.choice(["0", "0.5"])),
                fund=fund,
                funder=residents,
                note="社区居民认捐",
            )
        # Allocations from the general fund: at the start, then after each quarter's review.
        amounts = (30000, 25000, 5000) if completed else (18000, 12000, 8000)
        for k, (amount, note) in enumerate(
            zip(amounts, ("项目启动资金", "第一季度评估后拨付", "中期评估后拨付"), strict=True)
        ):
            day = (
                start - datetime.timedelta(days=2) if k == 0 else start + relativedelta(months=3 * k, days=-5)
            )
            self.year.on(day, self.allocate, 1, source=self.general, fund=fund, amount=amount, note=note)

        # Spending: what each budget line costs month by month over the project's duration.
        duration = (project.end_date.year - start.year) * 12 + project.end_date.month - start.month + 1
        plan = []  # (day, line, amount, paid_from)
        pace = Decimal("0.9") if completed else Decimal("0.85")  # of the budget, spent evenly
        per_month = {c: line.amount * pace / duration for c, line in lines.items()}
        for m in range(duration):
            month = start + relativedelta(months=m)
            plan.append(
                (month + datetime.timedelta(days=24), lines["personnel"], per_month["personnel"], None)
            )
            plan.append(
                (
                    month + datetime.timedelta(days=rng.randint(4, 20)),
                    lines["activities"],
                    per_month["activities"] * Decimal(rng.randint(70, 130)) / 100,
                    None,
                )
            )
            if m % 3 == 0:
                plan.append(
                    (
                        month + datetime.timedelta(days=rng.randint(2, 12)),
                        lines["materials"],
                        per_month["materials"] * 3,
                        None,
                    )
                )
            if m % 3 == 2:
                plan.append(
                    (
                        month + datetime.timedelta(days=26),
                        lines["management"],
                        per_month["management"] * 3,
                        None,
                    )
                )
            for category in ("venue", "travel", "equipment", "other"):
                if category not in lines:
                    continue
                if category == "equipment" and m == 0:  # bought by the foundation directly
                    plan.append(
                        (
                            month + datetime.timedelta(days=10),
                            lines[category],
                            lines[category].amount * Decimal("0.92"),
                            Expenditure.PaidFrom.BANK,
                        )
                    )
                elif category == "other" and m == 0:
                    plan.append(
                        (
                            month + datetime.timedelta(days=5),
                            lines[category],
                            lines[category].amount * Decimal("0.8"),
                            None,
                        )
                    )
                elif category in ("venue", "travel") and m % 2 == 1:
                    plan.append(
                        (
                            month + datetime.timedelta(days=rng.randint(10, 22)),
                            lines[category],
                            per_month[category] * 2,
                            None,
                        )
                    )
        plan = [
            (day, line, _yuan(amount), paid_from)
            for day, line, amount, paid_from in plan
            if day <= self.today
        ]
        # Disbursements: each quarter's advance covers what the organization will pay in it.
        for q in range(0, duration, 3):
            q_start, q_end = start + relativedelta(months=q), start + relativedelta(months=q + 3)
            need = sum(a for d, _l, a, p in plan if q_start <= d < q_end and p is None)
            if need:
                amount = (need / 1000).to_integral_value(rounding=ROUND_CEILING) * 1000
                self.year.on(
                    q_start, self.disburse, 3, project=project, amount=amount, note=f"第{q // 3 + 1}季度拨付"
                )
        for day, line, amount, paid_from in plan:
            # Receipts of the last ten days wait for the finance officer.
            waiting = day > self.today - datetime.timedelta(days=10)
            self.year.on(
                day,
                self.spend,
                5,
                project=project,
                line=line,
                amount=amount,
                member=member,
                approve=not waiting,
                paid_from=paid_from,
            )
        if j == 2:  # alcohol for a volunteers' dinner is not an allowed cost
            self.year.on(
                start + relativedelta(months=1, days=12),
                self.spend,
                5,
                project=project,
                line=lines["activities"],
                amount="680.00",
                member=member,
                approve="reject",
                note="酒水不属于项目预算可支出范围，请自行承担。",
            )
        if j == 0:  # the Tuanjie community fund shares the cost of the health checks for older people
            self.year.on(
                start + relativedelta(months=2, days=3),
                self.allocate,
                1,
                source=self.community_funds[0],
                fund=fund,
                amount=15000,
                note="社区基金配套",
            )
        self.project_plan[project.pk] = (fund, lines, member)

    def _campaigns(self) -> None:
        tencent = self._funder("腾讯公益", Funder.Kind.PLATFORM)
        alipay = self._funder("支付宝公益", Funder.Kind.PLATFORM)
        flagship = self.projects[0]
        children = next((p for p in self.projects if p.slug == "after-school-care"), self.projects[-1])
        campaigns = [
            (
                "warm-winter-for-elders",
                "温暖过冬·独居老人健康守护",
                "为包头团结社区的独居老人提供健康监测、风险预警和入户探访。",
                "团结社区有两百多位独居老人。冬天来临，志愿者每周上门探访，健康监测及早发现风险，预警信息及时送到家属和家庭医生手中：及时发现、及时反馈、及时照护。",
                flagship,
                "tencent",
                tencent,
                self.today - datetime.timedelta(days=100),
                30,
                150,
                (Decimal("1.00"), Decimal("15000.00")),
            ),
            (
                "after-school-desks",
                "孩子们的四点半课堂",
                "为双职工家庭的孩子提供放学后的安全看护与课业辅导。",
                "放学后的两个小时，是很多双职工家庭最发愁的时候。社区四点半课堂由志愿者和大学生陪伴孩子写作业、读绘本，需要添置书桌、台灯和图书。",
                children,
                "alipay",
                alipay,
                max(children.start_date, self.today - datetime.timedelta(days=170)),
                20,
                70,
                None,
            ),
        ]
        for (
            slug,
            title,
            summary,
            story,
            project,
            channel,
            platform,
            starts,
            days,
            count,
            matching,
        ) in campaigns:
            fund = services.fund_for_project(project)
            campaign, _ = Campaign.objects.get_or_create(
                slug=slug,
                defaults={
                    "title_zh_hans": title,
                    "title_en": CAMPAIGN_TITLES_EN.get(slug),
                    "summary_zh_hans": summary,
                    "story_zh_hans": story,
                    "goal": Decimal("60000.00") if matching else Decimal("20000.00"),
                    "starts_on": starts,
                    "ends_on": starts + datetime.timedelta(days=days),
                    "fund": fund,
                    "channel": self.channels[channel],
                    "matching_partner": self.onefoundation if matching else None,
                    "matching_ratio": matching[0] if matching else Decimal("0"),
                    "matching_cap": matching[1] if matching else Decimal("0"),
                    "published": True,
                },
            )
            for i in range(count):
                self.year.on(
                    starts + datetime.timedelta(days=(i * days) // count),
                    self.give,
                    1,
                    channel=channel,
                    amount=self.rng.choice(ONLINE_AMOUNTS),
                    fund=fund,
                    funder=platform,
                    campaign=campaign,
                    donor_name=f"{self.rng.choice(ONLINE_NAMES)}{i + 1}",
                    show_name=i % 3 != 0,
                    external_id=f"{channel.upper()}-DEMO-{i:04d}",
                )
            if matching:
                self.year.on(starts + datetime.timedelta(days=days + 5), self.match, 2, campaign=campaign)
            if slug == "warm-winter-for-elders":
                self.ctx.data["campaign"] = campaign

    def match(self, day, *, campaign) -> None:
        services.campaign_record_matching(
            campaign=campaign, receipt_number=f"{campaign.slug}-matching", received_on=day, by=self.finance
        )

    def _in_kind(self) -> None:
        dairy = self._funder(ENTERPRISES["1501"], Funder.Kind.ENTERPRISE)
        flagship_fund = services.fund_for_project(self.projects[0])
        gifts = [
            (
                self.start + relativedelta(months=3),
                InKindGift.Kind.VOLUNTEER,
                "乐龄守护志愿服务队入户探访",
                "9600.00",
                "320小时 × 30元（当地最低小时工资）",
                self.community_funds[0],
                None,
                Decimal("320"),
            ),
            (
                self.start + relativedelta(months=1, days=8),
                InKindGift.Kind.VENUE,
                "培训期间使用社区礼堂",
                "4000.00",
                "8天 × 500元市场租金",
                self.general,
                None,
                None,
            ),
            (
                self.start + relativedelta(months=8, days=2),
                InKindGift.Kind.GOODS,
                "为独居老人捐赠的牛奶",
                "6240.00",
                "520箱 × 12元出厂价",
                flagship_fund,
                dairy,
                None,
            ),
        ]
        for day, kind, description, value, basis, fund, funder, hours in gifts:
            self.year.on(
                day,
                self.in_kind,
                6,
                kind=kind,
                description=description,
                value=value,
                basis=basis,
                fund=fund,
                funder=funder,
                hours=hours,
            )

    def in_kind(self, day, *, kind, description, value, basis, fund, funder, hours) -> None:
        services.in_kind_record(
            kind=kind,
            description=description,
            value=_yuan(value),
            basis=basis,
            received_on=day,
            fund=fund,
            by=self.finance,
            funder=funder,
            giver_name=funder.name if funder else "",
            hours=hours,
        )

    def _closes(self) -> None:
        """Each month is closed a week after it ends, once its books are reconciled."""
        month = self.start
        while month + relativedelta(months=1, days=7) <= self.today:
            self.year.on(month + relativedelta(months=1, days=7), self.close, 9, month=month)
            month += relativedelta(months=1)

    def _room(self, fund, account) -> Decimal:
        """What the fund holds on one of its balance accounts (bank, or advances with the organization)."""
        total = LedgerEntry.objects.filter(fund=fund, account=account).aggregate(s=Sum("amount"))["s"]
        return _yuan(total or 0)

    def _line_committed(self, line) -> Decimal:
        """What a budget line has approved and waiting (fundraising.selectors.budget)."""
        from .selectors.budget import budget_line_position  # noqa: PLC0415

        position = budget_line_position(line)
        return position["spent"] + position["waiting"]

    def _today(self, members) -> None:
        """What happened today: late paperwork from closed months, and two mistakes put right."""
        last_closed = ledger.closed_through()
        running = [
            p
            for p in self.projects
            if p.pk in self.project_plan
            and p.status == "active"
            and p.start_date < self.today - datetime.timedelta(days=90)
        ]
        if last_closed and running:
            project = running[0]
            fund, lines, member = self.project_plan[project.pk]
            day = last_closed + datetime.timedelta(days=14)
            if day >= project.start_date:
                # A taxi receipt from a closed month, handed in late and approved today: posted today, dated then.
                room = self._room(fund, ledger.advances_account()) >= Decimal("386.00")
                self.spend(
                    day,
                    project=project,
                    line=lines.get("travel", lines["activities"]),
                    amount="386.00",
                    member=member,
                    note="票据补交，计入以前月份",
                    paid_from=None if room else Expenditure.PaidFrom.BANK,
                    backdate=False,
                )
            # A collection box opened in a closed month but counted only now.
            community = project.community
            residents = self._funder(f"{community.parent.name}{community.name}居民", Funder.Kind.COMMUNITY)
            self.give(
                last_closed + datetime.timedelta(days=20),
                channel="community-box",
                amount="1268.50",
                fund=fund,
                funder=residents,
                note="募捐箱补记",
            )
        # A bank transfer entered twice: the second entry is reversed.
        gift = (
            Donation.objects.filter(channel=self.channels["bank"], funder__kind=Funder.Kind.ENTERPRISE)
            .order_by("-received_on", "-pk")
            .first()
        )
        if gift is not None:
            twice = self.give(
                gift.received_on,  # the same transfer: a closed month's makes a prior-period adjustment
                channel="bank",
                amount=gift.amount,
                fund=gift.fund,
                funder=gift.funder,
                note="同一笔银行到账",
            )
            services.donation_reverse(donation=twice, by=self.finance, reason="重复录入同一笔银行到账")
        # A receipt reimbursed twice: the duplicate approval is reversed.
        # An old receipt (from a closed month) handed in again: the duplicate is posted today as a
        # prior-period adjustment, and so is its reversal, so no month's spending goes below zero.
        candidates = Expenditure.objects.filter(
            status=Expenditure.Status.APPROVED,
            paid_from=Expenditure.PaidFrom.ADVANCE,
            spent_on__lt=last_closed + relativedelta(months=1) if last_closed else self.today,
        ).select_related("project", "budget_line")
        for spent in candidates.order_by("-spent_on", "-pk")[:20]:
            if self._room(services.fund_for_project(spent.project), ledger.advances_account()) < spent.amount:
                continue
            if self._line_committed(spent.budget_line) + spent.amount > spent.budget_line.amount:
                continue  # the duplicate would also need an over-budget reason; take another receipt
            duplicate = self.spend(
                spent.spent_on,
                project=spent.project,
                line=spent.budget_line,
                amount=spent.amount,
                member=members[spent.organization_id],
                invoice=spent.invoice_number,
                backdate=False,
            )
            services.expenditure_reverse(expenditure=duplicate, by=self.finance, reason="同一张发票重复报销")
            break
        # A claim over its budget line, with the organization's stated reason, waiting for the finance officer.
        for p in running[1:2]:
            fund, lines, member = self.project_plan[p.pk]
            line = lines.get("materials")
            if line is None:
                continue
            available = max(line.amount - self._line_committed(line), Decimal("0.00"))
            services.expenditure_submit(
                project=p,
                budget_line=line,
                amount=_yuan(available + Decimal("460.00")),
                spent_on=self.today - datetime.timedelta(days=2),
                description="宣传折页加印（超出物料预算）",
                payee=PAYEES["materials"],
                document=clean_document(ContentFile(self.pdf, name="receipt.pdf")),
                by=member,
                invoice_number=f"{self.today:%Y%m}{next(self.numbers):06d}",
                over_budget_reason="居民报名人数超出预期，折页需加印一批；活动经费结余可调剂，已与项目官员沟通。",
            )
