"""Every write to needs assessments, projects and progress updates.

Each service is atomic, checks the actor's permission (django-rules), validates with full_clean before
the database's own constraints, records history (django-simple-history, and explicit ProjectDecision rows
for the review workflow) and sends email only after commit."""

import csv
import io
from collections import Counter
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from empowerment import freshness
from empowerment.mail import email_queue, recipient_language
from empowerment.slugs import free_slug, save_with_unique_slug, slug_base
from organizations.models import Role

from .models import (
    AssessmentAttachment,
    Dimension,
    Indicator,
    IndicatorValue,
    IndicatorValuePart,
    Need,
    NeedsAssessment,
    NeedScore,
    PeopleReached,
    ProgressUpdate,
    Project,
    ProjectDecision,
    QualityScore,
    ScoringCriterion,
    SurveyImport,
    UpdateDocument,
    UpdatePhoto,
    category_label,
    dimension_categories,
)

S = Project.Status


def _require(user, perm: str, obj=None) -> None:
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied


def _org_recipients(organization) -> list[str]:
    emails = set(
        organization.memberships.filter(role__in=[Role.ADMIN, Role.EDITOR]).values_list(
            "user__email", flat=True
        )
    )
    if organization.contact_email:
        emails.add(organization.contact_email)
    return sorted(e for e in emails if e)


def _email_org(organization, *, subject, template: str, context: dict, key: str | None = None) -> int:
    """Queue one email per recipient (sent by a worker after commit, retried on SMTP errors), subject and
    body in the recipient's own language when they chose one, else in the language of the action's request
    (settings.LANGUAGE_CODE for scheduled jobs). `subject` is a
    function, called with that language active. With `key`, each recipient gets it once. Returns how many
    were queued."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    queued = 0
    for to in _org_recipients(organization):
        email = email_queue(
            to=to,
            subject=subject,
            template=template,
            context=context,
            language=recipient_language(to, language),
            key=f"{key}:{to}" if key else None,
        )
        queued += email is not None
    return queued


# Needs assessments -------------------------------------------------------------------------------


@transaction.atomic
def assessment_save(
    *, organization, by, data: dict, assessment: NeedsAssessment | None = None
) -> NeedsAssessment:
    """Create or change a needs assessment of the organization."""
    _require(by, "projects.edit_org_projects", organization)
    if assessment is None:
        assessment = NeedsAssessment(organization=organization, created_by=by)
    elif assessment.organization_id != organization.pk:
        raise PermissionDenied
    for key, value in data.items():
        setattr(assessment, key, value)
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def attachment_add(*, assessment, by, name: str, file) -> AssessmentAttachment:
    _require(by, "projects.edit_org_projects", assessment.organization)
    attachment = AssessmentAttachment(assessment=assessment, name=name or file.name, file=file)
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def need_save(
    *, assessment, by, title: str, description: str, scores: dict, need: Need | None = None
) -> Need:
    """Create or change a need and its scores: `scores` maps criterion key → score 1–5."""
    _require(by, "projects.edit_org_projects", assessment.organization)
    if need is None:
        need = Need(assessment=assessment)
    elif need.assessment_id != assessment.pk:
        raise PermissionDenied
    need.title, need.description = title, description
    need.full_clean()
    need.save()
    by_key = {c.key: c for c in ScoringCriterion.objects.all()}
    errors = {}
    for key, score in scores.items():
        if key not in by_key:
            continue
        if score is None:
            NeedScore.objects.filter(need=need, criterion=by_key[key]).delete()
            continue
        if not isinstance(score, int) or not 1 <= score <= 5:
            errors[key] = _("A score is a whole number from 1 to 5.")
            continue
        NeedScore.objects.update_or_create(need=need, criterion=by_key[key], defaults={"score": score})
    if errors:
        raise ValidationError(errors)
    return need


@transaction.atomic
def need_choose(*, need, by, reason: str) -> Need:
    """Record that the organization chose this need for a project, with its reason."""
    _require(by, "projects.edit_org_projects", need.assessment.organization)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this need was chosen.")})
    need.chosen, need.chosen_reason, need.chosen_by, need.chosen_at = True, reason.strip(), by, timezone.now()
    need.full_clean()
    need.save()
    return need


# Survey imports ------------------------------------------------------------------------------------

SURVEY_MAX_BYTES = 5 * 1024 * 1024
SURVEY_MAX_ROWS = 20000
SURVEY_MAX_COLUMNS = 300
# Columns a survey tool adds about the submission itself (KoboToolbox: _id, _uuid, start, end, ...).
SURVEY_META = {"start", "end", "today", "deviceid", "username", "simserial", "subscriberid", "phonenumber"}


def decode_survey(raw: bytes) -> tuple[str, str]:
    """Decode a CSV export: UTF-8 (with or without a byte-order mark), else GBK/GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding), "utf-8" if encoding == "utf-8-sig" else "gbk"
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": _("The file is neither UTF-8 nor GBK text. Export it again as CSV.")})


def parse_survey(text: str) -> tuple[list[str], list[list[str]]]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise ValidationError({"file": _("The file is empty.")}) from None
    if len(header) < 1 or not any(header):
        raise ValidationError({"file": _("The first row must name the columns.")})
    if len(header) > SURVEY_MAX_COLUMNS:
        raise ValidationError({"file": _("The file has too many columns.")})
    if len(set(header)) != len(header):
        raise ValidationError({"file": _("Two columns have the same name; every column needs its own name.")})
    rows = []
    try:
        for n, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                raise ValidationError(
                    {"file": _("Row %(n)s has more cells than there are columns.") % {"n": n}}
                )
            rows.append([c.strip() for c in row] + [""] * (len(header) - len(row)))
            if len(rows) > SURVEY_MAX_ROWS:
                raise ValidationError({"file": _("The file has too many rows.")})
    except csv.Error as exc:
        raise ValidationError({"file": _("The file is not valid CSV: %(error)s") % {"error": exc}}) from None
    if not rows:
        raise ValidationError({"file": _("The file has no answers.")})
    return header, rows


def default_mapping(columns: list[str]) -> dict:
    return {c: ("ignore" if c.startswith("_") or c.lower() in SURVEY_META else "single") for c in columns}


@transaction.atomic
def survey_import(*, assessment, by, file) -> SurveyImport:
    """Read a survey CSV export (step 1): store its columns and rows, waiting for the column mapping."""
    _require(by, "projects.edit_org_projects", assessment.organization)
    if file.size > SURVEY_MAX_BYTES:
        raise ValidationError({"file": _("The file is too large (limit 5 MB).")})
    text, encoding = decode_survey(file.read())
    columns, rows = parse_survey(text)
    survey = SurveyImport(
        assessment=assessment,
        filename=(file.name or "survey.csv")[:255],
        encoding=encoding,
        columns=columns,
        rows=rows,
        mapping=default_mapping(columns),
        respondents=len(rows),
    )
    survey.full_clean()
    survey.save()
    return survey


NO_ANSWER = "—"


def summarise(columns: list[str], rows: list[list[str]], mapping: dict) -> list[dict]:
    """Counts per answer option for each mapped question. "single": the cell is one option;
    "multiple": the cell lists options separated by spaces (KoboToolbox select_multiple)."""
    summary = []
    for i, column in enumerate(columns):
        kind = mapping.get(column, "ignore")
        if kind == "ignore":
            continue
        counts: Counter = Counter()
        for row in rows:
            cell = row[i] if i < len(row) else ""
            if not cell:
                counts[NO_ANSWER] += 1
            elif kind == "multiple":
                counts.update(set(cell.split()))
            else:
                counts[cell] += 1
        options = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        summary.append({"question": column, "kind": kind, "options": [[k, v] for k, v in options]})
    return summary


@transaction.atomic
def survey_map(*, survey: SurveyImport, by, mapping: dict) -> SurveyImport:
    """Apply the column mapping (step 2) and store the summary of answers per question."""
    _require(by, "projects.edit_org_projects", survey.assessment.organization)
    unknown = set(mapping) - set(survey.columns)
    bad = {v for v in mapping.values()} - {"ignore", "single", "multiple"}
    if unknown or bad:
        raise ValidationError(_("The mapping does not match the file's columns."))
    if all(v == "ignore" for v in mapping.values()):
        raise ValidationError(_("Choose at least one column as a question."))
    survey.mapping = {c: mapping.get(c, "ignore") for c in survey.columns}
    survey.summary = summarise(survey.columns, survey.rows, survey.mapping)
    survey.status = SurveyImport.Status.DONE
    survey.save()
    return survey


# Projects: the proposal --------------------------------------------------------------------------


def unique_project_slug(title: str) -> str:
    """A slug free now (a hint; project_create inserts through save_with_unique_slug)."""
    return free_slug(Project, slug_base(title, "project"))


def _check_editable(project: Project, by) -> None:
    _require(by, "projects.edit_org_projects", project.organization)
    if not project.is_editable:
        raise ValidationError(_("Only a draft or a returned proposal can be changed."))


def _title_for_slug(data: dict) -> str:
    """The title a new project's web address is made from: the English one when given (title_en, as the
    proposal form gives it), else the Chinese one or a title given without a language."""
    return data.get("title_en") or data.get("title_zh_hans") or data.get("title") or ""


@transaction.atomic
def project_create(*, organization, by, data: dict) -> Project:
    """Start a proposal (as a draft) with its basic facts."""
    _require(by, "projects.edit_org_projects", organization)
    project = Project(
        organization=organization, created_by=by, slug=unique_project_slug(_title_for_slug(data))
    )
    for key, value in data.items():
        setattr(project, key, value)
    project.full_clean(exclude=["slug"])  # the slug's uniqueness is settled at the insert
    # Two proposals with the same title at the same moment: the second takes the next free slug.
    save_with_unique_slug(project, base=slug_base(_title_for_slug(data), "project"))
    return project


@transaction.atomic
def project_update(*, project: Project, by, data: dict, needs=None) -> Project:
    """Save one step of the proposal wizard (the draft stays a draft)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _check_editable(project, by)
    for key, value in data.items():
        setattr(project, key, value)
    project.full_clean()
    project.save()
    if needs is not None:
        if any(n.assessment.organization_id != project.organization_id for n in needs):
            raise PermissionDenied
        project.needs.set(needs)
    return project


@transaction.atomic
def project_items_save(*, project: Project, by, formset) -> None:
    """Save a wizard step's rows (activities, milestones, budget lines or indicators) from a validated
    formset bound to this project."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _check_editable(project, by)
    if formset.instance.pk != project.pk:
        raise PermissionDenied
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        obj.delete()
    for obj in instances:
        obj.project = project
        obj.full_clean()
        obj.save()


def proposal_problems(project: Project) -> list[str]:
    """What a proposal still lacks before it can be submitted (empty when complete)."""
    problems = []
    for field in ("problem_statement", "target_group", "objectives"):
        if not getattr(project, field).strip():
            problems.append(_("%(part)s is missing.") % {"part": Project._meta.get_field(field).verbose_name})
    if not project.start_date or not project.end_date:
        problems.append(_("The project's start and end dates are missing."))
    if not project.needs.exists():
        problems.append(_("Choose at least one assessed need the project addresses."))
    if not project.activities.exists():
        problems.append(_("Add at least one activity."))
    if not project.budget_lines.exists():
        problems.append(_("Add at least one budget line."))
    if not project.indicators.exists():
        problems.append(_("Add at least one indicator."))
    return problems


# Projects: the review workflow -----------------------------------------------------------------

# action → (statuses it starts from, status it leads to, permission, comment required)
TRANSITIONS = {
    "submit": ((S.DRAFT, S.RETURNED), S.SUBMITTED, "projects.edit_org_projects", False),
    "return": ((S.SUBMITTED,), S.RETURNED, "projects.review_project", True),
    "approve": ((S.SUBMITTED,), S.APPROVED, "projects.review_project", False),
    "reject": ((S.SUBMITTED,), S.REJECTED, "projects.review_project", True),
    "activate": ((S.APPROVED,), S.ACTIVE, "projects.review_project", False),
    "complete": ((S.ACTIVE,), S.COMPLETED, "projects.review_project", False),
    "close": ((S.COMPLETED,), S.CLOSED, "projects.review_project", False),
}
STAFF_ACTIONS = ("return", "approve", "reject", "activate", "complete", "close")


def allowed_actions(project: Project, user) -> list[str]:
    """The workflow moves this user may make on the project now."""
    return [
        action
        for action, (sources, _to, perm, _c) in TRANSITIONS.items()
        if project.status in sources and user.has_perm(perm, project.organization)
    ]


@transaction.atomic
def project_transition(
    *, project: Project, action: str, by, comment: str = "", base_url: str = ""
) -> Project:
    """Move a project through the review workflow, record the decision row and email the organization.

    Refused with PermissionDenied when the user's role may not make this move (nothing changes), with
    ValidationError when the move does not start from the project's status or lacks a required comment
    or (for a submission) required parts of the proposal."""
    if action not in TRANSITIONS:
        raise ValidationError(_("Unknown action."))
    sources, target, perm, needs_comment = TRANSITIONS[action]
    project = Project.objects.select_for_update().select_related("organization").get(pk=project.pk)
    _require(by, perm, project.organization)
    if project.status not in sources:
        raise ValidationError(
            _("A project that is %(status)s cannot be moved this way.")
            % {"status": project.get_status_display()}
        )
    comment = (comment or "").strip()
    if needs_comment and not comment:
        raise ValidationError(
            {"comment": _("Write a comment for the organization explaining this decision.")}
        )
    if action == "submit":
        problems = proposal_problems(project)
        if problems:
            raise ValidationError(problems)
    decision = ProjectDecision.objects.create(
        project=project, from_status=project.status, to_status=target, by=by, comment=comment
    )
    project.status = target
    project.save(update_fields=["status", "updated_at"])
    transaction.on_commit(lambda: freshness.touch("projects"))
    link = base_url.rstrip("/") + reverse(
        "projects:portal_detail", args=[project.organization.slug, project.pk]
    )
    _email_org(
        project.organization,
        subject=lambda: (
            _("Project “%(title)s”: %(status)s")
            % {"title": project.title, "status": project.get_status_display()}
        ),
        template="projects/email/decision.txt",
        context={"project": project, "decision": decision, "link": link},
    )
    return project


# Progress updates ---------------------------------------------------------------------------------


def _check_period(project: Project, start: date, end: date, *, reported: bool = False) -> None:
    """The period lies within the project; a period being reported (submitted or approved) has also
    ended: it ends no later than today."""
    errors = {}
    if end < start:
        errors["period_end"] = _("The period ends before it starts.")
    if project.start_date and start < project.start_date:
        errors["period_start"] = _("The period starts before the project (%(d)s).") % {
            "d": project.start_date
        }
    if project.end_date and end > project.end_date:
        errors["period_end"] = _("The period ends after the project (%(d)s).") % {"d": project.end_date}
    elif reported and end > timezone.localdate():
        errors["period_end"] = period_not_ended_message()
    if errors:
        raise ValidationError(errors)


def period_not_ended_message() -> str:
    return _("A period is reported once it has ended: it must end today or earlier.")


def clean_indicator_value(indicator: Indicator, raw) -> Decimal | None:
    """Type-check a value for an indicator: counts are whole numbers, percentages 0–100, numbers ≥ 0
    with at most two decimals. Empty gives None."""
    if raw is None or str(raw).strip() == "":
        return None
    if isinstance(raw, float):
        raise TypeError("Indicator values must not be floats.")
    try:
        value = Decimal(str(raw).strip())
    except ArithmeticError:
        raise ValidationError(_("Enter a number.")) from None
    if not value.is_finite():
        raise ValidationError(_("Enter a number."))
    if value < 0:
        raise ValidationError(_("The value cannot be negative."))
    if indicator.value_type == Indicator.ValueType.COUNT and value != value.to_integral_value():
        raise ValidationError(_("This indicator counts: enter a whole number."))
    if indicator.value_type == Indicator.ValueType.PERCENTAGE and value > 100:
        raise ValidationError(_("A percentage is between 0 and 100."))
    # Size first: quantizing a number of more than 28 digits raises InvalidOperation.
    if value >= Decimal("1e12"):
        raise ValidationError(_("The value is too large."))
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("Use at most two decimal places."))
    return value


DIMENSION_CATEGORIES = dimension_categories()


def clean_breakdown(indicator: Indicator, value: Decimal | None, raw_parts: dict) -> dict:
    """Check the breakdowns of one reported value: {dimension → {category → Decimal}} for the dimensions
    the indicator asks for (empty parts left out). Refused with one message per problem: a part that is not
    a valid value, parts without a value, a breakdown missing, or parts that do not add up to the value."""
    wanted = indicator.dimensions
    messages, cleaned = [], {}
    for dim in wanted:
        categories = DIMENSION_CATEGORIES[dim].values
        given = raw_parts.get(dim) or {}
        dim_label = str(Dimension(dim).label).lower()
        unknown = set(given) - set(categories)
        if unknown:
            messages.append(
                _("The breakdown %(dimension)s has parts it does not know.") % {"dimension": dim_label}
            )
            continue
        amounts = {}
        for cat in categories:
            try:
                amount = clean_indicator_value(indicator, given.get(cat))
            except ValidationError as exc:
                messages.append(f"{category_label(dim, cat)}: {' '.join(exc.messages)}")
                continue
            if amount is not None:
                amounts[cat] = amount
        if value is None:
            if amounts:
                messages.append(_("Enter the total as well as its parts."))
            continue
        if not amounts:
            messages.append(
                _("Break the value down %(dimension)s: the parts must add up to %(total)s.")
                % {"dimension": dim_label, "total": value}
            )
            continue
        total = sum(amounts.values(), Decimal(0))
        if total != value:
            messages.append(
                _("The parts %(dimension)s add up to %(sum)s, not to the total %(total)s.")
                % {"dimension": dim_label, "sum": total, "total": value}
            )
            continue
        cleaned[dim] = amounts
    if messages:
        raise ValidationError(list(dict.fromkeys(messages)))
    return cleaned


@transaction.atomic
def update_save(
    *,
    project: Project,
    by,
    data: dict,
    values: dict,
    people: list[dict],
    photos=(),
    documents=(),
    update: ProgressUpdate | None = None,
    supersedes: ProgressUpdate | None = None,
    parts: dict | None = None,
) -> ProgressUpdate:
    """Create or change a draft (or returned) progress update with its indicator values (indicator id →
    raw value), people-reached counts (dicts of sex, age_band, special_group, count), and new photos
    (already cleaned by clean_image) and documents (cleaned by clean_document).

    `parts` gives the breakdowns of the values of indicators that ask for them (indicator id → {dimension
    → {category → raw value}}): each breakdown the indicator asks for is required with its value and its
    parts add up to the value. Any error refuses the whole update (nothing is saved)."""
    _require(by, "projects.edit_org_projects", project.organization)
    if project.status != S.ACTIVE:
        raise ValidationError(_("Progress is logged for active projects only."))
    if update is None:
        update = ProgressUpdate(project=project, created_by=by, supersedes=supersedes)
    else:
        update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
        if update.project_id != project.pk:
            raise PermissionDenied
        if not update.is_editable:
            raise ValidationError(_("A submitted or approved update cannot be changed."))
    for key in ("period_start", "period_end", "narrative", "volunteer_hours"):
        if key in data:
            setattr(update, key, data[key])
    _check_period(project, update.period_start, update.period_end)
    update.full_clean()
    update.save()
    errors = {}
    indicators = {i.pk: i for i in project.indicators.all()}
    for indicator_id, raw in values.items():
        indicator = indicators.get(int(indicator_id))
        if indicator is None:
            raise PermissionDenied
        try:
            value = clean_indicator_value(indicator, raw)
        except ValidationError as exc:
            errors[f"indicator_{indicator.pk}"] = exc.messages
            continue
        raw_parts = (parts or {}).get(indicator.pk) or (parts or {}).get(str(indicator.pk)) or {}
        try:
            cleaned_parts = clean_breakdown(indicator, value, raw_parts)
        except ValidationError as exc:
            errors[f"indicator_{indicator.pk}"] = exc.messages
            continue
        if value is None:
            IndicatorValue.objects.filter(update=update, indicator=indicator).delete()
        else:
            row, _created = IndicatorValue.objects.update_or_create(
                update=update, indicator=indicator, defaults={"value": value}
            )
            row.parts.all().delete()
            # One by one (not bulk_create), so that each part has its history row.
            for dim, cats in cleaned_parts.items():
                for cat, amount in cats.items():
                    IndicatorValuePart.objects.create(value=row, dimension=dim, category=cat, amount=amount)
    if errors:
        raise ValidationError(errors)
    update.people.all().delete()
    merged: Counter = Counter()
    for row in people:
        merged[(row["sex"], row["age_band"], row.get("special_group") or "none")] += int(row["count"])
    for (sex, age_band, group), count in merged.items():
        if count <= 0:
            continue
        item = PeopleReached(update=update, sex=sex, age_band=age_band, special_group=group, count=count)
        item.full_clean()
        item.save()
    for photo, caption in photos:
        UpdatePhoto.objects.create(update=update, image=photo, caption=caption[:200])
    for document in documents:
        UpdateDocument.objects.create(update=update, name=document.name[:200], file=document)
    return update


@transaction.atomic
def update_submit(*, update: ProgressUpdate, by) -> ProgressUpdate:
    update = (
        ProgressUpdate.objects.select_for_update().select_related("project__organization").get(pk=update.pk)
    )
    _require(by, "projects.edit_org_projects", update.project.organization)
    if not update.is_editable:
        raise ValidationError(_("This update has already been submitted."))
    if not update.narrative.strip():
        raise ValidationError({"narrative": _("Describe what happened in the period.")})
    _check_period(update.project, update.period_start, update.period_end, reported=True)
    update.status = ProgressUpdate.Status.SUBMITTED
    update.submitted_at = timezone.now()
    update.save()
    return update


@transaction.atomic
def update_review(
    *,
    update: ProgressUpdate,
    by,
    approve: bool,
    comment: str = "",
    base_url: str = "",
    score: int | None = None,
    feedback: str = "",
) -> ProgressUpdate:
    """Approve (it becomes public and counts for the indicators) or return a submitted update. An approval
    may carry the report's rating (`score` and `feedback`, as update_rate records it) in the same step."""
    update = (
        ProgressUpdate.objects.select_for_update().select_related("project__organization").get(pk=update.pk)
    )
    _require(by, "projects.review_project", update.project.organization)
    if update.status != ProgressUpdate.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted update can be reviewed."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Say what the organization should change.")})
    if approve:
        try:
            _check_period(update.project, update.period_start, update.period_end, reported=True)
        except ValidationError as exc:
            # Submitted before the rule (or the project's dates changed since): it can only be returned.
            raise ValidationError(
                _("This update cannot be approved: %(reason)s Return it for a corrected period.")
                % {"reason": " ".join(exc.messages)}
            ) from None
    rating = score is not None or bool((feedback or "").strip())
    if rating and not approve:
        raise ValidationError({"score": _("Only an approved report is rated.")})
    update.status = ProgressUpdate.Status.APPROVED if approve else ProgressUpdate.Status.RETURNED
    update.reviewed_by, update.reviewed_at, update.review_comment = by, timezone.now(), comment
    if rating:
        _set_rating(update, by=by, score=score, feedback=feedback)
    update.save()
    transaction.on_commit(lambda: freshness.touch("projects"))
    project = update.project
    link = base_url.rstrip("/") + reverse(
        "projects:update_detail", args=[project.organization.slug, project.pk, update.pk]
    )
    _email_org(
        project.organization,
        subject=lambda: (
            _("Progress update of “%(title)s”: %(status)s")
            % {"title": project.title, "status": update.get_status_display()}
        ),
        template="projects/email/update_reviewed.txt",
        context={"project": project, "update": update, "link": link},
    )
    return update


def _set_rating(update: ProgressUpdate, *, by, score, feedback: str) -> None:
    errors = {}
    if isinstance(score, bool) or not isinstance(score, int) or score not in QualityScore.values:
        errors["score"] = _("Choose a quality score from 1 to 5.")
    feedback = (feedback or "").strip()
    if not feedback:
        errors["feedback"] = _("Write feedback for the organization: what was good, what to improve.")
    if errors:
        raise ValidationError(errors)
    update.quality_score, update.rating_feedback = score, feedback
    update.rated_by, update.rated_at = by, timezone.now()


@transaction.atomic
def update_rate(
    *, update: ProgressUpdate, by, score: int, feedback: str, base_url: str = ""
) -> ProgressUpdate:
    """Rate an approved progress report: a quality score on the 1–5 scale (QualityScore) and written
    feedback, which the organization sees on its portal and is emailed about. A rating may be changed later;
    each version is kept in the update's history.

    Refused with PermissionDenied for anyone who may not review the project's updates, with ValidationError
    for a report that is not approved, a score off the scale or empty feedback (nothing changes)."""
    update = (
        ProgressUpdate.objects.select_for_update().select_related("project__organization").get(pk=update.pk)
    )
    _require(by, "projects.review_project", update.project.organization)
    if update.status != ProgressUpdate.Status.APPROVED:
        raise ValidationError(_("Only an approved report is rated."))
    _set_rating(update, by=by, score=score, feedback=feedback)
    update.full_clean()
    update.save(update_fields=["quality_score", "rating_feedback", "rated_by", "rated_at"])
    project = update.project
    link = base_url.rstrip("/") + reverse(
        "projects:update_detail", args=[project.organization.slug, project.pk, update.pk]
    )
    _email_org(
        project.organization,
        subject=lambda: _("Feedback on the progress update of “%(title)s”") % {"title": project.title},
        template="projects/email/update_rated.txt",
        context={"project": project, "update": update, "link": link},
    )
    return update


@transaction.atomic
def update_correct(*, update: ProgressUpdate, by) -> ProgressUpdate:
    """Start a correction of an approved update: a new draft copying its content, linked to it. The
    approved update stays as it was (and counts) until the correction is approved."""
    update = (
        ProgressUpdate.objects.select_for_update().select_related("project__organization").get(pk=update.pk)
    )
    _require(by, "projects.edit_org_projects", update.project.organization)
    if update.status != ProgressUpdate.Status.APPROVED:
        raise ValidationError(_("Only an approved update is corrected by a new version."))
    if ProgressUpdate.objects.filter(supersedes=update).exists():
        raise ValidationError(_("A correction of this update already exists."))
    new = ProgressUpdate.objects.create(
        project=update.project,
        period_start=update.period_start,
        period_end=update.period_end,
        narrative=update.narrative,
        volunteer_hours=update.volunteer_hours,
        supersedes=update,
        created_by=by,
    )
    for v in update.values.prefetch_related("parts"):
        copy = IndicatorValue.objects.create(update=new, indicator=v.indicator, value=v.value)
        for p in v.parts.all():
            IndicatorValuePart.objects.create(
                value=copy, dimension=p.dimension, category=p.category, amount=p.amount
            )
    for p in update.people.all():
        PeopleReached.objects.create(
            update=new, sex=p.sex, age_band=p.age_band, special_group=p.special_group, count=p.count
        )
    for photo in update.photos.all():
        UpdatePhoto.objects.create(update=new, image=photo.image.name, caption=photo.caption)
    return new


# Reminders -----------------------------------------------------------------------------------------


def reminders_send(*, today: date | None = None, base_url: str = "") -> int:
    """Email each active project's organization once per due date, when an update is due within
    REMINDER_DAYS_BEFORE days. Safe to run many times: each reminder is an email queued under a key of the
    project, the due date and the recipient, which is queued once and marked sent only once it was sent.
    Returns the number of projects reminded in this run."""
    from .selectors import REMINDER_DAYS_BEFORE, active_projects_with_schedule  # noqa: PLC0415

    today = today or timezone.localdate()
    sent = 0
    for project in active_projects_with_schedule():
        if not project.next_due or not 0 <= (project.next_due - today).days <= REMINDER_DAYS_BEFORE:
            continue
        link = base_url.rstrip("/") + reverse(
            "projects:update_new", args=[project.organization.slug, project.pk]
        )
        with transaction.atomic():
            queued = _email_org(
                project.organization,
                subject=lambda project=project: (
                    _("Progress update due on %(date)s: %(title)s")
                    % {"date": project.next_due, "title": project.title}
                ),
                template="projects/email/reminder.txt",
                context={"project": project, "link": link},
                key=f"project-reminder:{project.pk}:{project.next_due.isoformat()}",
            )
        sent += bool(queued)
    return sent
