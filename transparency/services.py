"""Every write of the transparency app: report requests (manual and scheduled), disclosures and their
corrections, public questions and answers, followers and the news sent to them.

Each service is atomic, checks permission where a user acts, records history (simple_history) and
sends email or dispatches tasks only after commit.
"""

import logging
import os
import time
from datetime import date, timedelta
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from empowerment import freshness, pagecache, ratelimit
from empowerment.authz import is_programme_officer, is_staff_member
from empowerment.dispatch import dispatch_once
from empowerment.documents.services import document_request
from empowerment.mail import email_queue, recipient_language
from empowerment.models import Document
from empowerment.querysets import compiled_once

from . import disclosure_calendar, presentation, selectors
from .models import (
    Announcement,
    DashboardSnapshot,
    Disclosure,
    DisclosureCorrection,
    Follower,
    Question,
    TransparencyReport,
)
from .periods import Period

logger = logging.getLogger(__name__)

REPORT_KIND = "transparency_report"
# Questions: at most this many per address (and per e-mail) per hour.
QUESTION_RATE_LIMIT = 5
QUESTION_RATE_WINDOW = 60 * 60
FOLLOW_RATE_LIMIT = 10


def _send(
    *, to: str, subject, template: str, context: dict, language: str, headers=None, key: str | None = None
) -> bool:
    """Queue one email (empowerment.mail: sent by a worker after commit, retried on SMTP errors, marked
    sent once it was), wholly in `language`: `subject` is a function called with that language active.
    With `key`, it is queued once. Returns whether it was queued now."""
    email = email_queue(
        to=to,
        subject=subject,
        template=template,
        context=context,
        language=language,
        headers=headers,
        key=key,
    )
    return email is not None


def site_url() -> str:
    """The public address for links in emails sent without a request (tasks): SITE_URL from the
    environment, or the local default."""
    return getattr(settings, "SITE_URL", "") or os.environ.get("SITE_URL", "") or "http://localhost:8000"


def _absolute(base_url: str, path: str) -> str:
    return (base_url or site_url()).rstrip("/") + path


# Reports ------------------------------------------------------------------------------------------


def can_request_report(user, project=None) -> bool:
    if is_staff_member(user):
        return True
    return project is not None and user.has_perm("transparency.request_project_report", project)


@transaction.atomic
def report_request(
    *, period: Period, language: str, project=None, by=None, scheduled: bool = False
) -> TransparencyReport:
    """The report for this scope, period and language, created if new, and its PDF queued unless one
    is already ready or on its way. Safe to call twice (the beat task does)."""
    if by is not None and not can_request_report(by, project):
        raise PermissionDenied
    if project is not None and not project.is_public:
        raise ValidationError(_("Reports are made only for approved projects."))
    if period.kind not in ("month", "quarter", "year"):
        raise ValidationError(_("Choose a month, a quarter or a year."))
    if period.start > timezone.localdate():
        raise ValidationError(_("This period has not started yet."))
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    scope = TransparencyReport.Scope.PROJECT if project else TransparencyReport.Scope.PROGRAMME
    lookup = {
        "scope": scope,
        "project": project,
        "period_kind": period.kind,
        "period_start": period.start,
        "language": language,
    }
    report = TransparencyReport.objects.select_for_update().filter(**lookup).first()
    if report is None:
        report = TransparencyReport(**lookup, period_end=period.end, scheduled=scheduled, requested_by=by)
        report.full_clean()
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:  # another worker created it a moment ago
            report = TransparencyReport.objects.select_for_update().get(**lookup)
    document = report.document
    if document is None or document.status == Document.Status.FAILED:
        if document is not None:
            # A failed render is replaced by a fresh request (the old one stays for the record).
            report.document = None
        document = document_request(
            kind=REPORT_KIND,
            subject=report,
            language=language,
            requested_by=by,
            params={"period": period.key},
        )
        report.document = document
        report.save(update_fields=["document"])
    return report


def reports_schedule(*, today: date | None = None) -> list[TransparencyReport]:
    """Render the programme's report of the last month, and of the last quarter, in every language.
    Beat runs it daily; a report already made is not made again."""
    from .periods import previous_month, previous_quarter  # noqa: PLC0415

    today = today or timezone.localdate()
    made = []
    for period in (previous_month(today), previous_quarter(today)):
        for language, _name in settings.LANGUAGES:
            made.append(report_request(period=period, language=language, scheduled=True))
    return made


# Disclosures --------------------------------------------------------------------------------------


def can_write_disclosure(user, *, project=None) -> bool:
    if is_programme_officer(user):
        return True
    return project is not None and user.has_perm("transparency.write_project_disclosure", project)


@transaction.atomic
def disclosure_publish(
    *,
    kind: str,
    period_start: date,
    period_end: date,
    due_on: date,
    narrative: str,
    by,
    project=None,
    campaign=None,
    leftover_explanation: str = "",
) -> Disclosure:
    """Publish a disclosure (frozen from now on). The money figures are computed from the ledger for the
    project's or campaign's fund and the period. A final disclosure with money left must explain it."""
    if not can_write_disclosure(by, project=project) or (
        campaign is not None and not is_programme_officer(by)
    ):
        raise PermissionDenied
    figures = disclosure_calendar.funds_for(
        project=project, campaign=campaign, start=period_start, end=period_end
    )
    if kind == Disclosure.Kind.FINAL and figures["balance"] > 0 and not leftover_explanation.strip():
        raise ValidationError(
            {
                "leftover_explanation": _("Explain what happens to the %(amount)s left over.")
                % {"amount": figures["balance"]}
            }
        )
    if not narrative.strip():
        raise ValidationError({"narrative": _("Describe the progress and the use of funds.")})
    now = timezone.now()
    disclosure = Disclosure(
        kind=kind,
        project=project,
        campaign=campaign,
        period_start=period_start,
        period_end=period_end,
        due_on=due_on,
        narrative=narrative.strip(),
        leftover_explanation=leftover_explanation.strip(),
        funds_received=figures["received"],
        funds_spent=figures["spent"],
        balance=figures["balance"],
        status=Disclosure.Status.PUBLISHED,
        created_by=by,
        published_by=by,
        published_at=now,
    )
    disclosure.full_clean()
    try:
        with transaction.atomic():
            disclosure.save()
    except IntegrityError:
        raise ValidationError(_("This disclosure has already been published.")) from None
    transaction.on_commit(lambda: _notify_later(disclosure=disclosure))
    selectors.figures_changed()
    return disclosure


def _notify_later(*, disclosure: Disclosure) -> None:
    from .tasks import notify_followers  # noqa: PLC0415

    if disclosure.project_id:
        notify_followers.delay("project", disclosure.project_id, f"disclosure:{disclosure.pk}")
    elif disclosure.campaign_id:
        notify_followers.delay("campaign", disclosure.campaign_id, f"disclosure:{disclosure.pk}")


@transaction.atomic
def disclosure_correct(*, disclosure: Disclosure, note: str, by) -> DisclosureCorrection:
    """Publish a dated correction note beside a published disclosure (which itself never changes)."""
    if not can_write_disclosure(by, project=disclosure.project) or (
        disclosure.campaign_id and not is_programme_officer(by)
    ):
        raise PermissionDenied
    locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    if not locked.is_published:
        raise ValidationError(_("Only a published disclosure takes correction notes."))
    if not note.strip():
        raise ValidationError({"note": _("Write the correction.")})
    correction = DisclosureCorrection(disclosure=locked, note=note.strip(), published_by=by)
    correction.full_clean()
    correction.save()
    return correction


def disclosure_reminders_send(*, today: date | None = None) -> int:
    """Email the people responsible for each disclosure that is soon due or overdue, once per stage.
    Organizations' admins and editors for their projects; programme officers for campaigns and the
    annual report. Returns the number of emails sent."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415

    from empowerment.authz import PROGRAMME_OFFICER  # noqa: PLC0415

    today = today or timezone.localdate()
    language = translation.get_language() or settings.LANGUAGE_CODE
    sent = 0
    officers = list(
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name=PROGRAMME_OFFICER)
        .values_list("email", flat=True)
    )
    for item in disclosure_calendar.obligations(today=today):
        if item.state not in ("soon", "overdue"):
            continue
        key = f"disclosure-reminder:{item.key}:{item.state}"
        with transaction.atomic():
            if item.project is not None:
                recipients = (
                    list(
                        item.project.organization.memberships.filter(
                            role__in=["admin", "editor"], user__is_active=True
                        ).values_list("user__email", flat=True)
                    )
                    or officers
                )
            else:
                recipients = officers
            for email in recipients:
                sent += _send(
                    to=email,
                    subject=lambda item=item: _("Disclosure due: %(title)s") % {"title": item.title},
                    template="transparency/email/disclosure_reminder.txt",
                    context={"item": item},
                    language=recipient_language(email, language),
                    key=f"{key}:{email}",
                )
    return sent


# Questions ----------------------------------------------------------------------------------------


def _rate_limited(key: str, limit: int) -> bool:
    return ratelimit.exceeded(f"transparency:{key}", limit, QUESTION_RATE_WINDOW)


@transaction.atomic
def question_ask(*, data: dict, client: str, project=None, campaign=None) -> Question:
    """Record a question or concern from the public about a public project or campaign. Refused (with
    nothing saved) beyond QUESTION_RATE_LIMIT per client address or email per hour."""
    if (project is None) == (campaign is None):
        raise ValidationError(_("A question is about one project or one campaign."))
    if _rate_limited(f"ip:{client}", QUESTION_RATE_LIMIT) or _rate_limited(
        f"email:{data.get('email', '').lower()}", QUESTION_RATE_LIMIT
    ):
        raise ValidationError(
            _("Too many messages were sent from here. Please try again in an hour."), code="rate"
        )
    question = Question(project=project, campaign=campaign, **data)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_answer(*, question: Question, answer: str, publish: bool, by, base_url: str = "") -> Question:
    """Answer a question (programme officers); publish the answer beside the project or campaign if
    asked to, and email the asker."""
    if not is_programme_officer(by):
        raise PermissionDenied
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    locked.answer = answer.strip()
    locked.status = Question.Status.ANSWERED
    locked.answered_at = timezone.now()
    locked.answered_by = by
    locked.published = publish
    locked.full_clean()
    locked.save()
    target = locked.target
    path = (
        reverse("transparency:project_detail", args=[target.slug])
        if locked.project_id
        else reverse("transparency:campaign_detail", args=[target.slug])
    )
    _send(
        to=locked.email,
        subject=lambda: _("Your question about %(title)s was answered") % {"title": target},
        template="transparency/email/question_answered.txt",
        context={"question": locked, "target": target, "link": _absolute(base_url, path)},
        language=recipient_language(locked.email, translation.get_language() or settings.LANGUAGE_CODE),
    )
    return locked


@transaction.atomic
def question_close(*, question: Question, by) -> bool:
    """Close a new question without an answer (spam, duplicates; programme officers). Answered or
    already closed questions are left as they are. Returns whether it was closed; history records who."""
    if not is_programme_officer(by):
        raise PermissionDenied
    locked = Question.objects.select_for_update().get(pk=question.pk)
    if locked.status != Question.Status.NEW:
        return False
    locked.status = Question.Status.CLOSED
    locked.full_clean()
    locked._history_user = by
    locked.save(update_fields=["status"])
    return True


# Followers ----------------------------------------------------------------------------------------


@transaction.atomic
def follow_request(
    *, email: str, client: str, base_url: str, language: str, project=None, campaign=None
) -> Follower:
    """Ask to follow a project or campaign: a confirmation link is emailed; nothing is sent before the
    address is confirmed. Asking again re-sends the link (and re-activates an unsubscribed address)."""
    if (project is None) == (campaign is None):
        raise ValidationError(_("Follow one project or one campaign."))
    if _rate_limited(f"follow:{client}", FOLLOW_RATE_LIMIT):
        raise ValidationError(
            _("Too many messages were sent from here. Please try again in an hour."), code="rate"
        )
    email = email.strip().lower()
    follower = (
        Follower.objects.select_for_update().filter(project=project, campaign=campaign, email=email).first()
    )
    if follower is None:
        follower = Follower(project=project, campaign=campaign, email=email, language=language)
        # The one-follower-per-address constraint is the database's to enforce: a check here could pass for
        # both of two requests at once, or refuse the second with a message about a constraint.
        follower.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                follower.save()
        except IntegrityError:  # the same address asked at the same moment: the first request sends the link
            return Follower.objects.get(project=project, campaign=campaign, email=email)
    elif follower.active:
        return follower
    else:
        follower.language = language
        follower.save(update_fields=["language"])
    link = _absolute(base_url, reverse("transparency:follow_confirm", args=[follower.token]))
    _send(
        to=email,
        subject=lambda: _("Confirm that you want news of %(title)s") % {"title": follower.target},
        template="transparency/email/follow_confirm.txt",
        context={"follower": follower, "link": link},
        language=language,
    )
    return follower


@transaction.atomic
def follow_confirm(*, token: str) -> Follower | None:
    follower = Follower.objects.select_for_update().filter(token=token).first()
    if follower is None:
        return None
    follower.confirmed_at = follower.confirmed_at or timezone.now()
    follower.unsubscribed_at = None
    follower.save(update_fields=["confirmed_at", "unsubscribed_at"])
    return follower


@transaction.atomic
def unfollow(*, token: str) -> Follower | None:
    follower = Follower.objects.select_for_update().filter(token=token).first()
    if follower is None:
        return None
    if follower.unsubscribed_at is None:
        follower.unsubscribed_at = timezone.now()
        follower.save(update_fields=["unsubscribed_at"])
    return follower


def _news(target_kind: str, target, key: str) -> dict | None:
    """What a news key means for followers, or None when it is not (or no longer) public."""
    kind, _sep, pk = key.partition(":")
    if kind == "update" and target_kind == "project":
        update = (
            selectors.effective_updates_all().filter(pk=pk, project=target).first() if pk.isdigit() else None
        )
        if update is None:
            return None
        return {
            "kind": "update",
            "item": update,
            "path": reverse("transparency:project_detail", args=[target.slug]),
        }
    if kind == "disclosure":
        qs = selectors.published_disclosures(**{target_kind: target})
        disclosure = qs.filter(pk=pk).first() if pk.isdigit() else None
        if disclosure is None:
            return None
        name = "project_detail" if target_kind == "project" else "campaign_detail"
        return {
            "kind": "disclosure",
            "item": disclosure,
            "path": reverse(f"transparency:{name}", args=[target.slug]),
        }
    return None


def followers_notify(*, target_kind: str, target_id: int, key: str, base_url: str = "") -> int:
    """Tell each confirmed follower of a project or campaign about one newly approved update
    (key "update:<id>") or published disclosure ("disclosure:<id>"). Each follower hears of each item
    once, however often this runs. Returns the number of emails sent."""
    if target_kind == "project":
        target = selectors.public_projects().filter(pk=target_id).first()
    elif target_kind == "campaign":
        target = selectors.public_campaigns().filter(pk=target_id).first()
    else:
        raise ValueError(f"Unknown target kind {target_kind!r}")
    if target is None:
        return 0
    news = _news(target_kind, target, key)
    if news is None:
        return 0
    sent = 0
    followers = Follower.objects.filter(
        **{target_kind: target}, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    )
    for follower in followers:
        with transaction.atomic():
            unsubscribe = _absolute(base_url, reverse("transparency:unfollow", args=[follower.token]))
            sent += _send(
                to=follower.email,
                subject=lambda: _("News of %(title)s") % {"title": target},
                template="transparency/email/follow_news.txt",
                context={
                    "target": target,
                    "news": news,
                    "link": _absolute(base_url, news["path"]),
                    "unsubscribe": unsubscribe,
                },
                language=follower.language,
                headers={
                    "List-Unsubscribe": f"<{unsubscribe}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
                key=f"follow-news:{follower.pk}:{key}",
            )
    return sent


# News found and announced by beat -----------------------------------------------------------------

# Events older than this are not announced (the first run after an outage, or after deployment, does not
# send old news).
ANNOUNCE_WITHIN_DAYS = 14


def pending_announcements(*, now=None) -> list[tuple[str, int, str]]:
    """(target kind, target id, key) of the recently approved progress updates (public projects, not
    replaced by a correction) and published project or campaign disclosures not yet announced."""
    since = (now or timezone.now()) - timedelta(days=ANNOUNCE_WITHIN_DAYS)
    updates = selectors.effective_updates_all().filter(reviewed_at__gte=since).values_list("pk", "project_id")
    disclosures = (
        Disclosure.objects.filter(status=Disclosure.Status.PUBLISHED, published_at__gte=since)
        .exclude(kind=Disclosure.Kind.ANNUAL)
        .values_list("pk", "project_id", "campaign_id")
    )
    events = [
        ("project", project_id, f"update:{pk}") for pk, project_id in updates.order_by("reviewed_at", "pk")
    ]
    events += [
        ("project", project_id, f"disclosure:{pk}")
        if project_id
        else ("campaign", campaign_id, f"disclosure:{pk}")
        for pk, project_id, campaign_id in disclosures.order_by("published_at", "pk")
    ]
    done = set(
        Announcement.objects.filter(key__in=[key for _k, _t, key in events]).values_list("key", flat=True)
    )
    return [event for event in events if event[2] not in done]


def announcements_send(*, base_url: str = "", now=None) -> int:
    """Email the followers of each newly approved update and newly published disclosure, once: each event
    is recorded as announced (a unique row) in the same transaction as its emails, which leave only after
    commit. Returns the number of emails sent."""
    sent = 0
    for target_kind, target_id, key in pending_announcements(now=now):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    Announcement.objects.create(key=key)
            except IntegrityError:  # another run announced it meanwhile
                continue
            sent += followers_notify(target_kind=target_kind, target_id=target_id, key=key, base_url=base_url)
    return sent


# The public dashboard -------------------------------------------------------------------------------------

DASHBOARD = "programme"
_REFRESH_QUEUED = "transparency:dashboard-refresh-queued"


# The shape of the dashboard's figures: a snapshot stored by an earlier shape is never read as current
# (2: money by channel kept by channel id, named when shown; 3: with the results by theme).
SNAPSHOT_FORMAT = "f3"


def dashboard_stamp() -> str:
    """What the dashboard's figures depend on: the figures' freshness versions, the "pages" topic's (the
    organizations by city and the volunteer teams' hours are rows of no other topic) and the day (the
    monthly series ends with the current month)."""
    versions = freshness.versions(*selectors.DASHBOARD_TOPICS)
    return f"{SNAPSHOT_FORMAT}:{versions}:{timezone.localdate().isoformat()}"


def dashboard_refresh() -> dict:
    """Compute the programme's figures and store them as the dashboard's snapshot; returns them.
    Idempotent. The stamp is read before computing, so a change committed meanwhile leaves the snapshot
    stale and the next visit asks for another refresh."""
    return _refresh_snapshot()[0]


def _refresh_snapshot() -> tuple[dict, DashboardSnapshot]:
    """`dashboard_refresh()`, also giving the snapshot it stored (figures and drawings)."""
    cache.delete(_REFRESH_QUEUED)
    stamp = dashboard_stamp()
    started = time.monotonic()
    figures = selectors.snapshot_figures()
    snapshot, _created = DashboardSnapshot.objects.update_or_create(
        name=DASHBOARD,
        defaults={
            "stamp": stamp,
            "figures": DashboardSnapshot.encode_figures(figures),
            "drawn": _draw_dashboard(figures),
            "computed_at": timezone.now(),
            "seconds": round(time.monotonic() - started, 3),
        },
    )
    return figures, snapshot


def _draw_dashboard(figures: dict) -> dict:
    """The dashboard drawn in every language, with the version of the names it is labelled with (theme,
    city and channel names: the "pages" topic), read before them."""
    pages = freshness.version(freshness.PAGES)
    html = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            html[translation.get_language()] = presentation.draw_dashboard(figures)
    return {"pages": pages, "html": html}


def _refresh_later() -> None:
    """Ask a worker for a refresh, once however many visitors see the stale figures meanwhile."""
    from .tasks import refresh_dashboard  # noqa: PLC0415

    dispatch_once(_REFRESH_QUEUED, refresh_dashboard, hold=120)


def dashboard_figures() -> dict:
    """The figures the public dashboard shows: from the cache, else from the stored snapshot when it
    reflects the current data; when it does not, the snapshot's figures are shown while a worker
    computes new ones (or, with in-process tasks or no snapshot yet, they are computed now)."""
    return dashboard_shown().figures


class ShownDashboard:
    """What the home page shows: the dashboard's figures, the stamp of the data they reflect (the stored
    snapshot's while its figures are shown stale), which names them, and, when the snapshot was read and
    its drawing can be shown as it is, that drawing in the current language (`drawn`, else None).
    `drawing`: the snapshot's drawing in the current language and the names' version it was drawn under."""

    def __init__(
        self,
        stamp: str,
        *,
        figures: dict | None = None,
        snapshot=None,
        drawing: tuple[str | None, object] | None = None,
        stale: bool = False,
    ):
        self.stamp = stamp
        self._figures = figures
        self._snapshot = snapshot
        self._drawing = drawing
        self._stale = stale

    @cached_property
    def figures(self) -> dict:
        return self._figures if self._figures is not None else self._snapshot.figures_value

    @cached_property
    def drawn(self) -> SafeString | None:
        if self._drawing is None:
            return None
        html, drawn_pages = self._drawing
        if html is None:
            return None
        # Stale, it is shown as it was drawn, with its figures, until the worker's refresh; else only while
        # the names it is labelled with keep the version it was drawn under.
        if not self._stale:
            topics = (freshness.PAGES,)
            pages = (pagecache.known_versions(topics) or freshness.current(topics))[freshness.PAGES]
            if drawn_pages != pages:
                return None
        return mark_safe(html)  # noqa: S308 - drawn by our own template (presentation.draw_dashboard), escaped there


def dashboard_shown() -> ShownDashboard:
    """`dashboard_figures()` as the home page shows them (see ShownDashboard)."""
    stamp = dashboard_stamp()
    key = f"transparency:dashboard:{stamp}"
    figures = cache.get(key)
    if figures is not None:
        return ShownDashboard(stamp, figures=figures)
    snapshot = _stored_snapshot()
    drawing = (snapshot.drawn_html, snapshot.drawn_pages) if snapshot is not None else None
    if snapshot is not None and snapshot.stamp == stamp:
        shown = ShownDashboard(stamp, snapshot=snapshot, drawing=drawing)
        cache.set(key, shown.figures, selectors.DASHBOARD_CACHE_SECONDS)
        return shown
    if (
        snapshot is not None
        and snapshot.stamp.startswith(f"{SNAPSHOT_FORMAT}:")  # a snapshot of an earlier shape is not shown
        and not settings.CELERY_TASK_ALWAYS_EAGER
    ):
        _refresh_later()
        # Not cached: the next visit looks again.
        return ShownDashboard(snapshot.stamp, snapshot=snapshot, drawing=drawing, stale=True)
    figures, snapshot = _refresh_snapshot()
    cache.set(key, figures, selectors.DASHBOARD_CACHE_SECONDS)
    drawn = snapshot.drawn
    drawing = (drawn["html"].get(translation.get_language()), drawn["pages"])
    return ShownDashboard(stamp, figures=figures, drawing=drawing)


def _stored_snapshot() -> DashboardSnapshot | None:
    """The stored snapshot with its drawing in the current language alone (`drawn_html`, and the names'
    version it was drawn under, `drawn_pages`): the drawings of every language together are twenty times
    the figures, and a visitor is shown one."""
    # Compiled once per language (empowerment.querysets.compiled_once): every uncached home page reads it.
    return next(iter(compiled_once("dashboard snapshot", _snapshot_read, name=DASHBOARD)), None)


def _snapshot_read(name: str) -> QuerySet[DashboardSnapshot]:
    return (
        DashboardSnapshot.objects.filter(name=name)
        .defer("drawn")
        .annotate(
            drawn_html=KeyTextTransform(translation.get_language(), KeyTransform("html", "drawn")),
            drawn_pages=KeyTransform("pages", "drawn"),
        )
        .order_by("pk")[:1]
    )
