"""The scale data set: a whole province's programme on top of the demo data.

`build(scale)` adds, with bulk inserts (COPY on PostgreSQL):
  areas: counties, towns and ~1,500 communities spread over all 12 league-level divisions;
  organizations (~2,000) with themes; cohorts (200) with their organizations, 10,000 participants,
  enrolments, 2,000 sessions and 100,000 attendance rows;
  projects (3,000) with budget lines, indicators, 12 approved progress updates each (36,000) and their
  indicator values and people reached;
  money, all posted through the ledger: 1,000,000 donations over every channel (bank, online platform with
  its campaign, cash, government contract, grant), an allocation and a disbursement per project, and
  100,000 approved expenditures.

The ledger rows are written exactly as `fundraising.ledger.ledger_post_many` writes them: one balanced
transaction per event, its entries chained with `ledger.entry_hash` from the chain head, the funds' running
balances and the chain head updated in the same database transaction (one per chunk), so every commit leaves
a ledger that `manage.py verify_ledger` accepts. The build is additive: running it twice adds a second set.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from organizations.credit_code import ALPHABET, check_character

from .bulk import Progress, Table


@dataclass(frozen=True)
class Scale:
    name: str
    organizations: int
    communities: int
    cohorts: int
    participants_per_cohort: int
    sessions_per_cohort: int
    projects: int
    updates_per_project: int
    donations: int
    expenditures: int

    @property
    def total_work(self) -> int:
        return (
            self.organizations
            + self.communities
            + self.cohorts * self.participants_per_cohort * (1 + self.sessions_per_cohort)
            + self.projects * self.updates_per_project * 4
            + self.donations * 4
            + self.expenditures * 4
        )


SCALES = {
    "province": Scale("province", 2000, 1500, 200, 50, 10, 3000, 12, 1_000_000, 100_000),
    "tenth": Scale("tenth", 200, 150, 20, 50, 10, 300, 12, 100_000, 10_000),
    "tiny": Scale("tiny", 12, 12, 2, 10, 4, 12, 3, 400, 48),
}
POSTGRES_ONLY = {"province", "tenth"}
CHUNK = 50_000
START = date(2023, 1, 1)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红梅鑫波斌宇浩凯健俊帆帅旭宁龙林欣佳琳"
KINDS = ["社会工作服务中心", "志愿者协会", "社区服务社", "公益发展中心", "互助会"]
THEMES_ZH = ["养老", "儿童", "助残", "平安", "环境"]
CATEGORIES = ["personnel", "activities", "materials", "venue", "travel"]


class ScaleError(Exception):
    pass


def _name(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")


def _credit_code(rng, area_code: str) -> str:
    first = "52" + area_code[:6] + "".join(rng.choice(ALPHABET) for _ in range(9))
    return first + check_character(first)


def _days(rng, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max((end - start).days, 1)))


class LedgerWriter:
    """Writes ledger transactions and entries the way `ledger_post_many` does, for many events at once."""

    def __init__(self):
        from fundraising import ledger  # noqa: PLC0415
        from fundraising.models import Account, LedgerChain, LedgerEntry, LedgerTransaction  # noqa: PLC0415

        self.ledger = ledger
        self.tx = Table(LedgerTransaction)
        self.entries = Table(LedgerEntry)
        self.LedgerChain = LedgerChain
        chain = ledger._lock_chain()
        self.seq, self.prev = chain.last_seq, chain.last_hash
        self.balance_accounts = set(
            Account.objects.filter(type=Account.Type.ASSET, in_kind=False).values_list("pk", flat=True)
        )
        self.fund_delta: dict[int, Decimal] = {}
        self.now = timezone.now()

    def post(
        self, *, on: date, memo: str, kind: str, lines, source_type_id=None, source_id="", created_by_id=None
    ):
        """lines: (account, fund_id, amount). Returns the new transaction's id."""
        if sum(amount for _a, _f, amount in lines) != 0:
            raise ScaleError(f"unbalanced posting: {memo}")
        memo = memo[:255]
        tx_id = self.tx.add(
            date=on,
            memo=memo,
            kind=kind,
            source_type_id=source_type_id,
            source_id=str(source_id),
            created_by_id=created_by_id,
            created_at=self.now,
        )
        tx = SimpleNamespace(
            pk=tx_id,
            date=on,
            kind=kind,
            memo=memo,
            reverses_id=None,
            source_type_id=source_type_id,
            source_id=str(source_id),
            occurred_on=None,  # never a prior-period adjustment: the scale's dates lie in open months
        )
        for account, fund_id, amount in lines:
            self.seq += 1
            digest = self.ledger.entry_hash(
                seq=self.seq,
                tx=tx,
                account_code=account.code,
                fund_id=fund_id,
                amount=amount,
                prev_hash=self.prev,
            )
            self.entries.add(
                transaction_id=tx_id,
                account_id=account.pk,
                fund_id=fund_id,
                amount=amount,
                seq=self.seq,
                prev_hash=self.prev,
                hash=digest,
            )
            self.prev = digest
            if account.pk in self.balance_accounts:
                self.fund_delta[fund_id] = self.fund_delta.get(fund_id, Decimal(0)) + amount
        return tx_id

    def flush(self) -> None:
        """Write what was posted, the funds' running totals and the chain head (call inside the chunk's
        database transaction, before its domain rows)."""
        from fundraising.models import FundBalance  # noqa: PLC0415

        self.tx.flush()
        self.entries.flush()
        for fund_id, delta in sorted(self.fund_delta.items()):
            if delta and not FundBalance.objects.filter(fund_id=fund_id).update(amount=F("amount") + delta):
                FundBalance.objects.create(fund_id=fund_id, amount=delta)
        self.fund_delta = {}
        self.LedgerChain.objects.filter(pk=1).update(last_seq=self.seq, last_hash=self.prev)

    def finish(self) -> None:
        self.flush()
        self.tx.finish()
        self.entries.finish()


class Builder:
    def __init__(self, scale: Scale, *, seed: int = 7, progress: Progress | None = None):
        self.scale = scale
        self.rng = random.Random(seed)
        self.progress = progress or Progress(scale.total_work)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.end = self.today - timedelta(days=1)

    # Helpers -----------------------------------------------------------------------------------------------

    def tick(self, amount: int, label: str | None = None) -> None:
        self.progress.advance(amount, label)

    # Steps ---------------------------------------------------------------------------------------------------

    def run(self) -> dict:
        from organizations.models import Theme  # noqa: PLC0415
        from trainings.models import Module  # noqa: PLC0415

        self.user_model = get_user_model()
        self.staff = self.user_model.objects.filter(is_staff=True).order_by("pk").first()
        self.finance = self.user_model.objects.filter(email="finance@demo.example").first() or self.staff
        self.themes = list(Theme.objects.order_by("pk"))
        self.modules = list(Module.objects.order_by("pk"))
        if not (self.staff and self.themes and self.modules):
            raise ScaleError("Load the demo data first (manage.py seed_demo).")
        self.tag = f"{self.scale.name}-{self.now:%H%M%S}-{self.rng.randrange(10**6):06d}"
        with transaction.atomic():
            self.areas()
            self.organizations()
        with transaction.atomic():
            self.trainings()
        with transaction.atomic():
            self.projects()
        self.money()
        # The entries went in by COPY; the monthly totals the posting service keeps are summed from them.
        from fundraising.ledger import rebuild_month_totals  # noqa: PLC0415

        rebuild_month_totals()
        self.progress.close()
        return {"tag": self.tag, "organizations": len(self.org_ids), "projects": len(self.project_rows)}

    def areas(self) -> None:
        from organizations.models import Area  # noqa: PLC0415

        table = Table(Area)
        cities = list(Area.objects.filter(level=Area.Level.CITY).order_by("code"))
        used = set(Area.objects.values_list("code", flat=True))
        towns_needed = max(len(cities), -(-self.scale.communities // 10))
        counties_needed = max(len(cities), -(-towns_needed // 5))
        counties = []
        for n in range(counties_needed):
            city = cities[n % len(cities)]
            suffix = next(s for s in range(50, 100) if f"{city.code[:4]}{s:02d}" not in used)
            code = f"{city.code[:4]}{suffix:02d}"
            used.add(code)
            name = f"{city.name}第{suffix - 49}区"
            pk = table.add(
                code=code,
                name=name,
                name_en=f"{city.name_en} district {suffix - 49}",
                level=2,
                parent_id=city.pk,
            )
            counties.append((pk, code, name))
        towns = []
        for n in range(towns_needed):
            county_pk, county_code, county_name = counties[n % len(counties)]
            number = n // len(counties) + 501
            code = f"{county_code}{number:03d}"
            name = f"{county_name}{number - 500}街道"
            pk = table.add(code=code, name=name, name_en="", level=3, parent_id=county_pk)
            towns.append((pk, code, name))
        self.communities = []
        for n in range(self.scale.communities):
            town_pk, town_code, town_name = towns[n % len(towns)]
            number = n // len(towns) + 1
            code = f"{town_code}{number:03d}"
            pk = table.add(code=code, name=f"{town_name}{number}社区", name_en="", level=4, parent_id=town_pk)
            self.communities.append((pk, code))
        table.finish()
        self.tick(self.scale.communities, "areas")

    def organizations(self) -> None:
        from organizations.models import Organization  # noqa: PLC0415

        rng, table = self.rng, Table(Organization)
        themes_table = Table(Organization.themes.through)
        self.org_ids = []
        self.org_area = {}
        first = table.next_id
        for n in range(self.scale.organizations):
            area_pk, area_code = self.communities[n % len(self.communities)]
            kind = KINDS[n % len(KINDS)]
            number = first + n
            registered = n % 4 != 3
            pk = table.add(
                name=f"{THEMES_ZH[n % 5]}{kind}（{number}号）",
                name_en=f"Community organization {number}",
                slug=f"org-{number}-{self.tag}"[:80],
                legal_form="social_service" if registered else "unregistered",
                credit_code=_credit_code(rng, area_code) if registered else None,
                registration_date=_days(rng, date(2010, 1, 1), date(2022, 12, 31)) if registered else None,
                area_id=area_pk,
                address=f"{area_code}号",
                description="社区服务与居民互助。",
                staff_count=rng.randrange(0, 20),
                volunteer_count=rng.randrange(5, 200),
                contact_name=_name(rng),
                status="active" if n % 10 else "graduated",
                joined_on=_days(rng, date(2021, 1, 1), date(2023, 6, 30)),
                created_at=self.now,
            )
            self.org_ids.append(pk)
            self.org_area[pk] = area_pk
            for theme in {self.themes[n % len(self.themes)], self.themes[(n * 7 + 1) % len(self.themes)]}:
                themes_table.add(organization_id=pk, theme_id=theme.pk)
        table.finish()
        themes_table.finish()
        self.tick(self.scale.organizations, "organizations")

    def trainings(self) -> None:
        from organizations.models import Area  # noqa: PLC0415
        from trainings.models import Attendance, Cohort, Enrolment, Participant, Session  # noqa: PLC0415

        rng, scale = self.rng, self.scale
        cities = list(
            Area.objects.filter(level=Area.Level.CITY).order_by("code").values_list("pk", flat=True)
        )
        cohorts, cohort_orgs = Table(Cohort), Table(Cohort.organizations.through)
        participants, enrolments = Table(Participant), Table(Enrolment)
        sessions, attendance = Table(Session), Table(Attendance)
        per_cohort_orgs = max(1, len(self.org_ids) // scale.cohorts)
        for c in range(scale.cohorts):
            starts = _days(rng, date(2023, 1, 1), date(2025, 6, 1))
            cohort = cohorts.add(
                name=f"赋能培训第{cohorts.next_id}期 {self.tag}",
                city_id=cities[c % len(cities)],
                starts_on=starts,
                ends_on=starts + timedelta(days=120),
                min_attendance_percent=80,
                require_exercises=False,
                created_at=self.now,
            )
            orgs = self.org_ids[c * per_cohort_orgs : (c + 1) * per_cohort_orgs] or self.org_ids[:1]
            for org in orgs:
                cohort_orgs.add(cohort_id=cohort, organization_id=org)
            session_ids = []
            for s in range(scale.sessions_per_cohort):
                begins = timezone.make_aware(
                    datetime.combine(starts + timedelta(days=7 * s), datetime.min.time())
                )
                begins += timedelta(hours=9)
                session_ids.append(
                    sessions.add(
                        cohort_id=cohort,
                        module_id=self.modules[s % len(self.modules)].pk,
                        title=f"第{s + 1}讲",
                        starts_at=begins,
                        ends_at=begins + timedelta(hours=3),
                        venue="社区活动中心",
                    )
                )
            for p in range(scale.participants_per_cohort):
                participant = participants.add(
                    organization_id=orgs[p % len(orgs)], name=_name(rng), title="社工"
                )
                enrolment = enrolments.add(cohort_id=cohort, participant_id=participant, enrolled_at=self.now)
                for session in session_ids:
                    attendance.add(
                        session_id=session,
                        enrolment_id=enrolment,
                        status="present"
                        if rng.random() < 0.85
                        else rng.choice(["late", "absent", "excused"]),
                        recorded_by_id=None,
                        recorded_at=self.now,
                    )
            self.tick(scale.participants_per_cohort * (1 + scale.sessions_per_cohort), "training attendance")
        for table in (cohorts, cohort_orgs, sessions, participants, enrolments, attendance):
            table.finish()

    def projects(self) -> None:
        from fundraising.models import Fund  # noqa: PLC0415
        from projects.models import (  # noqa: PLC0415
            BudgetLine,
            Indicator,
            IndicatorValue,
            PeopleReached,
            ProgressUpdate,
            Project,
        )

        rng, scale = self.rng, self.scale
        projects, lines, indicators = Table(Project), Table(BudgetLine), Table(Indicator)
        updates, values, people = Table(ProgressUpdate), Table(IndicatorValue), Table(PeopleReached)
        funds = Table(Fund)
        self.project_rows = []  # (project id, org id, fund id, [budget line (id, category)])
        for n in range(scale.projects):
            org = self.org_ids[n % len(self.org_ids)]
            theme = self.themes[n % len(self.themes)]
            start = _days(rng, date(2023, 1, 1), date(2024, 1, 1))
            number = projects.next_id
            title = f"{THEMES_ZH[n % 5]}关爱行动 {number}"
            status = "active" if n % 3 else "completed"
            project = projects.add(
                organization_id=org,
                title=title,
                slug=f"project-{number}-{self.tag}"[:80],
                theme_id=theme.pk,
                community_id=self.org_area[org],
                status=status,
                summary="为社区居民提供上门探访、健康讲座和互助活动。",
                problem_statement="社区独居老人缺少日常照料。",
                target_group="独居和空巢老人",
                objectives="每月探访，建立互助小组。",
                start_date=start,
                end_date=start + timedelta(days=730),
                created_at=self.now,
                updated_at=self.now,
            )
            fund = funds.add(
                code=f"project-{project}",
                name=title,
                kind="project",
                restricted=True,
                project_id=project,
                created_at=self.now,
            )
            budget = [
                (
                    lines.add(
                        project_id=project, category=cat, description=f"{cat} budget", amount=Decimal(20000)
                    ),
                    cat,
                )
                for cat in CATEGORIES[: 2 + n % 3]
            ]
            self.project_rows.append((project, org, fund, budget))
            indicator_ids = [
                indicators.add(
                    project_id=project,
                    name="服务人次",
                    unit="人次",
                    value_type="count",
                    target=Decimal(1200),
                    position=0,
                ),
                indicators.add(
                    project_id=project,
                    name="活动场次",
                    unit="场",
                    value_type="count",
                    target=Decimal(60),
                    position=1,
                ),
            ]
            for u in range(scale.updates_per_project):
                period_start = start + timedelta(days=30 * u)
                update = updates.add(
                    project_id=project,
                    period_start=period_start,
                    period_end=period_start + timedelta(days=29),
                    narrative="本月开展探访和健康讲座，居民参与积极。",
                    volunteer_hours=Decimal(rng.randrange(10, 120)),
                    status="approved",
                    created_at=self.now,
                    submitted_at=self.now,
                    reviewed_by_id=self.staff.pk,
                    reviewed_at=self.now,
                )
                values.add(
                    update_id=update, indicator_id=indicator_ids[0], value=Decimal(rng.randrange(20, 150))
                )
                values.add(
                    update_id=update, indicator_id=indicator_ids[1], value=Decimal(rng.randrange(1, 8))
                )
                people.add(
                    update_id=update,
                    sex="female",
                    age_band="60-79",
                    special_group="none",
                    count=rng.randrange(5, 60),
                )
            self.tick(scale.updates_per_project * 4, "projects and progress updates")
        for table in (projects, funds, lines, indicators, updates, values, people):
            table.finish()

    def money(self) -> None:
        from fundraising import ledger  # noqa: PLC0415
        from fundraising.models import (  # noqa: PLC0415
            Allocation,
            Campaign,
            Channel,
            Disbursement,
            Donation,
            Expenditure,
            Fund,
        )

        rng, scale = self.rng, self.scale
        Channel.objects.get_or_create(
            code="grant-agreements", defaults={"name": "Grant agreements", "kind": Channel.Kind.GRANT}
        )
        channels = list(Channel.objects.order_by("pk"))
        general = ledger.general_fund()
        community = list(Fund.objects.filter(kind=Fund.Kind.COMMUNITY).values_list("pk", flat=True))
        campaign = Campaign.objects.filter(published=True).order_by("pk").first()
        cash, advances = ledger.cash_account(), ledger.advances_account()
        income = {c.pk: ledger.income_account(c) for c in channels}
        donation_ct = ContentType.objects.get_for_model(Donation).pk
        sources = {
            "allocation": ContentType.objects.get_for_model(Allocation).pk,
            "disbursement": ContentType.objects.get_for_model(Disbursement).pk,
            "expenditure": ContentType.objects.get_for_model(Expenditure).pk,
        }
        expense = {cat: ledger.expense_account(cat, "programme") for cat in CATEGORIES}
        start = START
        # Donations, in chunks of one database transaction each.
        made = 0
        tag = self.tag
        while made < scale.donations:
            with transaction.atomic():
                writer = LedgerWriter()
                donations = Table(Donation)
                for _ in range(min(CHUNK, scale.donations - made)):
                    channel = channels[made % len(channels)]
                    number = donations.next_id
                    on = _days(rng, start, self.end)
                    amount = (
                        Decimal(rng.choice([10, 20, 50, 66, 88, 100, 200, 500, 1000]))
                        + Decimal(rng.randrange(100)) / 100
                    )
                    fund, campaign_id = general.pk, None
                    if campaign is not None and channel.pk == campaign.channel_id and made % 5 == 0:
                        fund, campaign_id = campaign.fund_id, campaign.pk
                    elif community and made % 11 == 0:
                        fund = community[made % len(community)]
                    receipt = f"S{number:08d}-{tag}"[:64]
                    tx = writer.post(
                        on=on,
                        memo=f"Donation {receipt} via {channel.name}",
                        kind="donation",
                        lines=[(cash, fund, amount), (income[channel.pk], fund, -amount)],
                        source_type_id=donation_ct,
                        source_id=number,
                    )
                    show = rng.random() < 0.3
                    donations.add(
                        channel_id=channel.pk,
                        receipt_number=receipt,
                        external_id=f"ext-{number}-{tag}"[:100],
                        donor_name=_name(rng) if show else "",
                        show_name=show,
                        amount=amount,
                        received_on=on,
                        fund_id=fund,
                        campaign_id=campaign_id,
                        status="recorded",
                        ledger_transaction_id=tx,
                        created_at=self.now,
                    )
                    made += 1
                writer.finish()
                donations.finish()
            self.tick(CHUNK * 4 if made < scale.donations else (made % CHUNK or CHUNK) * 4, "donations")

        # Each project: an allocation from the general fund and a disbursement to its organization, then
        # its expenditures, approved and paid from the advance.
        per_project = max(1, -(-scale.expenditures // max(len(self.project_rows), 1)))
        made = 0
        with transaction.atomic():
            writer = LedgerWriter()
            allocations, disbursements = Table(Allocation), Table(Disbursement)
            expenditures = Table(Expenditure)
            plan = []
            for project, org, fund, budget in self.project_rows:
                count = min(per_project, scale.expenditures - made)
                amounts = [Decimal(rng.randrange(5000, 60000)) / 100 for _ in range(count)]
                made += count
                total = sum(amounts, Decimal(0)) + Decimal(1000)
                on = date(2024, 1, 15)
                allocation = allocations.next_id
                tx = writer.post(
                    on=on,
                    memo=f"Allocation from {general.code} to project-{project}",
                    kind="allocation",
                    lines=[(cash, fund, total), (cash, general.pk, -total)],
                    source_type_id=sources["allocation"],
                    source_id=allocation,
                    created_by_id=self.finance.pk,
                )
                allocations.add(
                    from_fund_id=general.pk,
                    to_fund_id=fund,
                    amount=total,
                    allocated_on=on,
                    ledger_transaction_id=tx,
                    created_by_id=self.finance.pk,
                )
                disbursement = disbursements.next_id
                tx = writer.post(
                    on=on,
                    memo=f"Disbursement 1 to organization {org}",
                    kind="disbursement",
                    lines=[(advances, fund, total), (cash, fund, -total)],
                    source_type_id=sources["disbursement"],
                    source_id=disbursement,
                    created_by_id=self.finance.pk,
                )
                disbursements.add(
                    fund_id=fund,
                    project_id=project,
                    organization_id=org,
                    tranche=1,
                    amount=total,
                    paid_on=on,
                    ledger_transaction_id=tx,
                    created_by_id=self.finance.pk,
                )
                plan.append((project, org, fund, budget, amounts))
            writer.flush()
            allocations.finish()
            disbursements.finish()
            for project, org, fund, budget, amounts in plan:
                for i, amount in enumerate(amounts):
                    line_id, category = budget[i % len(budget)]
                    number = expenditures.next_id
                    description = f"{category} {i + 1}"
                    on = _days(rng, date(2024, 1, 15), self.end)
                    tx = writer.post(
                        on=on,
                        memo=f"Expenditure {number}: {description}",
                        kind="expenditure",
                        lines=[(expense[category], fund, amount), (advances, fund, -amount)],
                        source_type_id=sources["expenditure"],
                        source_id=number,
                        created_by_id=self.finance.pk,
                    )
                    expenditures.add(
                        project_id=project,
                        budget_line_id=line_id,
                        organization_id=org,
                        description=description,
                        payee=f"{_name(rng)}商店",
                        amount=amount,
                        spent_on=on,
                        classification="programme",
                        paid_from="advance",
                        invoice_number=f"INV{number:08d}",
                        document="expenditures/scale/receipt.pdf",
                        status="approved",
                        submitted_by_id=self.staff.pk,
                        submitted_at=self.now,
                        decided_by_id=self.finance.pk,
                        decided_at=self.now,
                        ledger_transaction_id=tx,
                    )
                    if len(expenditures.rows) >= CHUNK:
                        writer.flush()
                        expenditures.flush()
                self.tick(len(amounts) * 4, "expenditures")
            writer.finish()
            expenditures.finish()


def build(scale_name: str, *, stream=None, quiet: bool = False, seed: int = 7) -> dict:
    if scale_name not in SCALES:
        raise ScaleError(f"Unknown scale {scale_name!r}: choose one of {', '.join(SCALES)}.")
    if scale_name in POSTGRES_ONLY and connection.vendor != "postgresql":
        raise ScaleError(
            f"The {scale_name} scale needs PostgreSQL (bulk COPY and its planner are what is measured): "
            "set DATABASE_URL=postgres://... ; only --scale tiny runs on SQLite."
        )
    scale = SCALES[scale_name]
    progress = Progress(scale.total_work, stream=stream)
    progress.quiet = quiet
    result = Builder(scale, seed=seed, progress=progress).run()
    if connection.vendor == "postgresql":
        settle(connection)
    return result


def settle(conn, tables: tuple[str, ...] = ()) -> None:
    """The database (or only `tables`) as a running server keeps it once its autovacuum has passed over bulk
    inserts: its statistics gathered and its tables vacuumed, so that their pages are marked all-visible and
    an index holding every column a read needs answers it without the table (an index-only scan). A server
    whose autovacuum is off never marks them, and every read of such a table reads its rows from the heap.
    Inside a transaction (a test's) VACUUM cannot run: there only the statistics are gathered."""
    named = ", ".join(conn.ops.quote_name(table) for table in tables)
    with conn.cursor() as cursor:
        cursor.execute(f"{'ANALYZE' if conn.in_atomic_block else 'VACUUM (ANALYZE)'} {named}".strip())
