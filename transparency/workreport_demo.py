"""Demo annual work reports: last year's assembled, written and published (its PDFs rendered by the worker, or
in-process when there is no broker), this year's assembled as a draft with one section written. Idempotent: a
year that has its report is left as it is."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from empowerment.demo import DemoContext

from . import workreport
from .workreport_models import WorkReport

OFFICER = "officer@demo.example"
FINANCE = "finance@demo.example"

NARRATIVES = {
    "basic": (
        "Over the year the programme supported the social organizations of the region in community needs "
        "assessment, project design and sustainable operation, with the partner foundation and the civil "
        "affairs departments.",
        "本年度，项目计划联合合作基金会与民政部门，支持全区社会组织开展社区需求评估、项目设计与可持续运营。",
    ),
    "training": (
        "Backbone staff attended courses on community work, needs research, project plan design and practical "
        "methods, taught through participatory exercises and followed by one-to-one mentoring.",
        "社会组织骨干参加了社区工作理念、需求调研、项目方案设计与实务方法等课程，采用参与式教学，并由专家团队一对一陪伴督导。",
    ),
    "projects": (
        "Incubated community projects served older people, children and special groups and improved community "
        "safety; their approved progress reports give the people reached and the indicators below.",
        "孵化的社区公益项目服务老年人、儿童和特殊群体，改善社区安全；服务人数与指标见经审核的进展报告。",
    ),
    "money": (
        "Funds came from foundations, enterprises, government purchase of services, residents and online "
        "fundraising; every yuan is recorded in the public ledger.",
        "资金来自基金会、企业、政府购买服务、社区居民和互联网募捐；每一笔收入与支出均记入公开账本。",
    ),
    "ratios": (
        "The charitable-spending and management-cost ratios are computed from the ledger and compared with the "
        "legal limits.",
        "年度慈善活动支出比例和管理费用比例均依据账本计算，并与法定标准对照。",
    ),
    "disclosure": (
        "Progress, funds and final disclosures were published on the public pages; late ones are listed with "
        "the days they were late.",
        "项目进展、资金使用和结项信息均在公开页面披露；逾期披露的事项列明逾期天数。",
    ),
}


def seed(ctx: DemoContext) -> None:
    User = get_user_model()
    officer = User.objects.filter(email=OFFICER).first()
    finance = User.objects.filter(email=FINANCE).first() or officer
    if officer is None:
        return
    this_year = timezone.localdate().year
    last_year = this_year - 1
    report, _created = workreport.work_report_assemble(year=last_year, by=finance)
    if not report.is_published:
        for section in report.sections.all():
            english, chinese = NARRATIVES[section.key]
            workreport.work_report_section_edit(
                section=section, narrative=english, narrative_zh=chinese, by=officer
            )
        workreport.work_report_refresh(report=report, by=finance)
        workreport.work_report_publish(report=report, by=officer)
    draft, created = workreport.work_report_assemble(year=this_year, by=finance)
    if created:
        section = draft.sections.get(key="basic")
        english, chinese = NARRATIVES["basic"]
        workreport.work_report_section_edit(
            section=section, narrative=english, narrative_zh=chinese, by=officer
        )
    ctx.stdout.write(
        f"  work reports: {last_year} published, {this_year} "
        f"{'draft' if not WorkReport.objects.get(year=this_year).is_published else 'published'}"
    )
