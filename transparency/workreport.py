"""The annual work report (年度工作报告): every write (assemble a year's draft, take its figures again, edit a
section's narrative, publish), the report as people read it (labels added to the figures, in the active
language) and its PDF kind.

Staff who write it: programme officers, finance officers and administrators
(`transparency.write_work_report`). Each service is atomic, records who changed what (simple_history) and
dispatches the PDFs only after commit. A published report is frozen: publishing records it as the year's
annual Disclosure (due 31 May of the next year on the disclosure calendar), and later fixes are the
disclosure's dated correction notes."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from empowerment.documents.registry import DocumentKind, register
from empowerment.documents.services import document_request

from . import disclosure_calendar, labels
from .models import Disclosure
from .selectors import cache as figures_cache
from .selectors import workreport as selectors
from .snapshot_codec import encode
from .workreport_models import EARLIEST_YEAR, WorkReport, WorkReportSection

KIND = "work_report"
ZERO = Decimal("0.00")
WRITE = "transparency.write_work_report"


def can_write(user) -> bool:
    return user is not None and user.has_perm(WRITE)


def _require(user) -> None:
    if not can_write(user):
        raise PermissionDenied


def annual_due_on(year: int) -> date:
    """The civil affairs bureau's deadline for a year's annual work report: 31 May of the next year."""
    return date(year + 1, 5, 31)


def _save(obj, by) -> None:
    obj._history_user = by
    obj.save()


def _published_refusal(report: WorkReport) -> ValidationError:
    return ValidationError(
        _(
            "The %(year)s work report is published and can no longer be changed. Add a dated correction "
            "to it on the disclosure calendar instead."
        )
        % {"year": report.year}
    )


@transaction.atomic
def work_report_assemble(*, year: int, by, today: date | None = None) -> tuple[WorkReport, bool]:
    """The draft of the year's work report with every section's figures taken now from the year's data
    (and empty narratives). A year that already has a report returns it as it is. Returns (report,
    created)."""
    _require(by)
    today = today or timezone.localdate()
    if year > today.year:
        raise ValidationError(
            {
                "year": _("%(year)s has not begun: assemble the report of this year or an earlier one.")
                % {"year": year}
            }
        )
    if year < EARLIEST_YEAR:
        raise ValidationError({"year": _("The year must be %(year)s or later.") % {"year": EARLIEST_YEAR}})
    existing = WorkReport.objects.select_for_update().filter(year=year).first()
    if existing is not None:
        return existing, False
    figures = selectors.year_figures(year)
    now = timezone.now()
    report = WorkReport(year=year, figures_taken_at=now, created_by=by)
    report.full_clean()
    try:
        with transaction.atomic():
            _save(report, by)
    except IntegrityError:  # assembled by someone else a moment ago
        return WorkReport.objects.get(year=year), False
    for position, (key, values) in enumerate(figures.items()):
        section = WorkReportSection(
            report=report,
            key=key,
            position=position,
            figures=encode(values),
            figures_taken_at=now,
            updated_by=by,
        )
        section.full_clean()
        _save(section, by)
    return report, True


@transaction.atomic
def work_report_refresh(*, report: WorkReport, by) -> WorkReport:
    """Take every section's figures again from the year's data (narratives are kept)."""
    _require(by)
    locked = WorkReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_published:
        raise _published_refusal(locked)
    figures = selectors.year_figures(locked.year)
    now = timezone.now()
    for section in locked.sections.select_for_update().order_by("position"):
        section.figures = encode(figures[section.key])
        section.figures_taken_at = now
        section.updated_by = by
        _save(section, by)
    locked.figures_taken_at = now
    _save(locked, by)
    return locked


@transaction.atomic
def work_report_section_edit(
    *, section: WorkReportSection, narrative: str, narrative_zh: str, by
) -> WorkReportSection:
    """Write a section's narrative in English and Chinese (the earlier text stays in its history)."""
    _require(by)
    report = WorkReport.objects.select_for_update().get(pk=section.report_id)
    if report.is_published:
        raise _published_refusal(report)
    locked = WorkReportSection.objects.select_for_update().get(pk=section.pk)
    locked.narrative = (narrative or "").strip()
    locked.narrative_zh = (narrative_zh or "").strip()
    locked.updated_by = by
    locked.full_clean()
    _save(locked, by)
    return locked


def public_path(year: int) -> str:
    return reverse("transparency:workreport_detail", args=[year])


@transaction.atomic
def work_report_publish(*, report: WorkReport, by, today: date | None = None) -> WorkReport:
    """Publish a finished year's report: from now on frozen, public (page and PDFs in every language,
    rendered by a worker after commit) and recorded as the year's annual Disclosure with the year's money
    (the disclosure calendar's figures). Refused before the year has ended, when the figures were taken
    before it ended, and while a section has no narrative."""
    _require(by)
    today = today or timezone.localdate()
    locked = WorkReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_published:
        raise ValidationError(_("The %(year)s work report is already published.") % {"year": locked.year})
    year_end = date(locked.year, 12, 31)
    if today <= year_end:
        raise ValidationError(
            _("%(year)s has not ended yet: its work report can be published from 1 January %(next)s.")
            % {"year": locked.year, "next": locked.year + 1}
        )
    sections = list(locked.sections.order_by("position"))
    taken = min((s.figures_taken_at for s in sections), default=locked.figures_taken_at)
    if timezone.localdate(taken) <= year_end:
        raise ValidationError(
            _("The figures were taken on %(date)s, before the year ended: take them again before publishing.")
            % {"date": timezone.localdate(taken).isoformat()}
        )
    empty = [str(s.get_key_display()) for s in sections if s.is_empty]
    if empty:
        raise ValidationError(
            _("Write every section before publishing. Still empty: %(sections)s.")
            % {"sections": ", ".join(empty)}
        )
    start = date(locked.year, 1, 1)
    funds = disclosure_calendar.funds_for(start=start, end=year_end)
    url = settings.SITE_URL.rstrip("/") + public_path(locked.year)
    lines = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            lines.append(_("Annual work report %(year)s: %(url)s") % {"year": locked.year, "url": url})
    now = timezone.now()
    disclosure = Disclosure(
        kind=Disclosure.Kind.ANNUAL,
        period_start=start,
        period_end=year_end,
        due_on=annual_due_on(locked.year),
        narrative="\n".join(lines),
        funds_received=funds["received"],
        funds_spent=funds["spent"],
        balance=funds["balance"],
        status=Disclosure.Status.PUBLISHED,
        created_by=by,
        published_by=by,
        published_at=now,
    )
    already = ValidationError(
        _("The annual report of %(year)s was already published as a disclosure.") % {"year": locked.year}
    )
    if Disclosure.objects.filter(kind=Disclosure.Kind.ANNUAL, period_end=year_end).exists():
        raise already
    disclosure.full_clean()
    try:
        with transaction.atomic():
            _save(disclosure, by)
    except IntegrityError:  # published by someone else a moment ago
        raise already from None
    locked.status = WorkReport.Status.PUBLISHED
    locked.published_at = now
    locked.published_by = by
    locked.disclosure = disclosure
    locked.full_clean()
    _save(locked, by)
    for language, _name in settings.LANGUAGES:
        document_request(kind=KIND, subject=locked, language=language, requested_by=by)
    figures_cache.figures_changed()
    return locked


# The report as people read it ------------------------------------------------------------------------------


@dataclass
class SectionView:
    section: WorkReportSection
    key: str
    title: str
    narrative: str
    figures: dict
    taken_at: object
    history: list = field(default_factory=list)


def _pairs(rows, names: dict) -> list[tuple[str, object]]:
    return [(names.get(code, code or "—"), value) for code, value in rows]


def _labelled(key: str, figures: dict) -> dict:
    """The figures with display names (in the active language) beside the codes."""
    from fundraising.models import Account  # noqa: PLC0415
    from projects.models import AgeBand, Sex, SpecialGroup  # noqa: PLC0415

    out = dict(figures)
    if key == WorkReportSection.Key.PROJECTS:
        out["people_by_sex"] = _pairs(figures["people_by_sex"], dict(Sex.choices))
        out["people_by_age"] = _pairs(figures["people_by_age"], dict(AgeBand.choices))
        out["people_by_group"] = _pairs(figures["people_by_group"], dict(SpecialGroup.choices))
        statuses = labels.project_statuses()
        out["project_list"] = [
            {**p, "status_label": statuses.get(p["status"], p["status"])} for p in figures["project_list"]
        ]
    elif key == WorkReportSection.Key.MONEY:
        out["raised_by_funder_kind"] = _pairs(figures["raised_by_funder_kind"], labels.funder_kinds())
        by_kind = figures.get("income_by_kind")  # absent from reports assembled before it was kept
        if by_kind is not None:
            from fundraising.statements.lines import StatementLine  # noqa: PLC0415

            names = {str(line.value): str(line.label) for line in StatementLine}
            out["income_by_kind"] = [(names.get(code, code), amount) for code, amount in by_kind]
            out["income_by_kind_total"] = sum((amount for _code, amount in by_kind), ZERO)
        out["spent_by_category"] = [
            (labels.category(code), amount) for code, amount in figures["spent_by_category"]
        ]
        by_class = figures["spent_by_classification"]
        out["spent_by_classification"] = [
            (str(name), by_class.get(code)) for code, name in Account.Classification.choices
        ]
        out["spent_total"] = by_class.get("total")
    elif key == WorkReportSection.Key.DISCLOSURE:
        kinds = dict(Disclosure.Kind.choices)
        states = {
            "done": _("Published"),
            "upcoming": _("Period not ended"),
            "due": _("Due"),
            "soon": _("Due soon"),
            "overdue": _("Overdue"),
        }
        out["items"] = [
            {
                **i,
                "kind_label": kinds.get(i["kind"], i["kind"]),
                "state_label": states.get(i["state"], i["state"]),
            }
            for i in figures["items"]
        ]
    return out


def section_views(report: WorkReport, *, with_history: bool = False) -> list[SectionView]:
    views = []
    for section in report.sections.all():
        views.append(
            SectionView(
                section=section,
                key=section.key,
                title=str(section.get_key_display()),
                narrative=section.narrative_for(),
                figures=_labelled(section.key, section.figures_value),
                taken_at=section.figures_taken_at,
                history=selectors.section_history(section) if with_history else [],
            )
        )
    return views


def statements_url() -> str:
    """The financial statements' page, when the platform has one."""
    from django.urls import NoReverseMatch  # noqa: PLC0415

    try:
        return reverse("fundraising:statements")
    except NoReverseMatch:
        return ""


# The PDF --------------------------------------------------------------------------------------------------


def _pdf_context(report: WorkReport, params: dict) -> dict:
    return {
        "report": report,
        "sections": section_views(report),
        "site_name": settings.SITE_NAME,
        "due_on": annual_due_on(report.year),
        "corrections": list(report.disclosure.corrections.all()) if report.disclosure_id else [],
    }


def _title(report: WorkReport, params: dict) -> str:
    return _("Annual work report %(year)s") % {"year": report.year}


register(
    DocumentKind(
        name=KIND,
        template="transparency/workreport/pdf.html",
        build_context=_pdf_context,
        title=_title,
        can_request=lambda user, report: can_write(user),
        public=True,
        filename=lambda report, params: f"work-report-{report.year}",
    )
)
