"""A public project page's parts that change with the project's content and not with its money, drawn once
and kept in the database, where an emptied cache does not lose them.

The project page (views.public.project_detail) shows its plan and progress, its record (disclosures,
reports), the answers to questions about it, its money's itemised lists (allocations, expenditures, gifts in
kind) and the tranches advanced to its organization (records, no sum). They change when the
programme's content changes (the "pages" and "projects" topics), not with each donation, and drawing them
is most of an uncached page's time. They are kept per project and language (models.ProjectParts) with what
they were drawn from: the drawing's format and the release's (empowerment.release), whether the project had a
fund, the hour, and the database versions of those topics (empowerment.freshness.durable_versions, which
outlive the cache). A page reads its row with the versions in one statement and shows it while the stamp matches;
otherwise (a change since, a new release, none stored yet) it draws the parts and stores them. The versions
are read before what the parts show, so a change committed while they are drawn leaves them stale, to be
drawn again by the next visit.
"""

import logging
from typing import NamedTuple

from django.db import DatabaseError, transaction
from django.db.models import QuerySet, Subquery
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from empowerment import freshness, release
from empowerment.models import TopicVersion
from empowerment.querysets import compiled_once
from fundraising.models import Fund
from projects.models import Project

from . import pages
from .models import ProjectParts
from .pagetopics import PROJECT_PAGE_TOPICS

logger = logging.getLogger(__name__)

# Bumped when the pieces drawn change their names or what they hold.
FORMAT = "v2"
_TOPICS = tuple(sorted(PROJECT_PAGE_TOPICS))


def draw(project: Project, fund: Fund | None) -> dict[str, str]:
    """The parts in the current language: "story" (plan and progress), "record" (disclosures and reports),
    "answers" (the questions answered and published) and, for a project with a fund, "items:<piece>"
    (pages.money_items) and "disbursements" (the tranches advanced to the organization)."""
    parts = {
        "story": render_to_string(
            "transparency/_project_story.html",
            {"project": project, **pages.project_plan(project), **pages.project_progress(project)},
        ),
        "record": render_to_string("transparency/_project_record.html", pages.project_record(project)),
    }
    parts["answers"] = render_to_string(
        "transparency/_answers.html", {"answers": pages.project_answers(project)}
    )
    if fund is not None:
        parts.update({f"items:{piece}": html for piece, html in pages.money_items(fund).items()})
        parts["disbursements"] = render_to_string(
            "transparency/_project_disbursements.html",
            {"disbursements": pages.project_disbursements(project)},
        )
    return {piece: str(html) for piece, html in parts.items()}


def stamp(fund: Fund | None, versions: dict[str, int]) -> str:
    """What a drawing is drawn from, as stored beside it. The hour too: a change that no topic names (a row
    written around the services) shows within the hour, each project page drawing its parts at most once an
    hour for it."""
    drawn_with = f"{FORMAT}:{release.fingerprint()}:{'fund' if fund is not None else 'nofund'}"
    return f"{drawn_with}:{_hour()}:{'-'.join(f'{t}{versions[t]}' for t in _TOPICS)}"


def _hour() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H")


class Reading(NamedTuple):
    """A project's stored drawing in the current language (None if none is stored) and the database
    versions of the topics its parts are drawn from, read together."""

    stored: ProjectParts | None
    versions: dict[str, int]


def read(project: Project) -> Reading:
    """The stored drawing and the topics' versions now, in one statement (the versions alone when no drawing
    is stored): read before anything the parts show, and before what else is kept under those versions
    (transparency.projectflow)."""
    stored = _stored(project.pk)
    versions = (
        {t: getattr(stored, f"version_{t}") or 0 for t in _TOPICS}
        if stored is not None
        else freshness.durable_versions(_TOPICS)
    )
    return Reading(stored, versions)


def shown(project: Project, fund: Fund | None, reading: Reading | None = None) -> dict[str, SafeString]:
    """The parts the project page shows: the stored drawing while it is current, else drawn now and
    stored. `reading`: what `read` gave, if the page has read it already."""
    stored, versions = reading or read(project)
    current = stamp(fund, versions)
    if stored is not None and stored.stamp == current:
        parts = stored.parts
    else:
        parts = draw(project, fund)
        _store(project.pk, translation.get_language(), current, parts)
    return {piece: mark_safe(html) for piece, html in parts.items()}  # noqa: S308 - our own templates, escaped there


def _stored(project_id: int) -> ProjectParts | None:
    """The stored drawing in the current language with the topics' database versions now (as
    `version_<topic>`), in one statement compiled once per language (empowerment.querysets.compiled_once):
    every project page whose cache was emptied reads it."""
    return next(
        iter(
            compiled_once(
                "project page parts", _parts_read, project=project_id, language=translation.get_language()
            )
        ),
        None,
    )


def _parts_read(project: int, language: str) -> QuerySet[ProjectParts]:
    versions = {
        f"version_{t}": Subquery(TopicVersion.objects.filter(topic=t).values("version")[:1]) for t in _TOPICS
    }
    return (
        ProjectParts.objects.filter(project=project, language=language)
        .annotate(**versions)
        .order_by("pk")[:1]
    )


def _store(project_id: int, language: str, current: str, parts: dict) -> None:
    """Keep a drawing (one statement, whoever stores one first). If the database refuses the write (read-only
    for maintenance, say), the page is still shown with the parts just drawn; the next visit tries again."""
    try:
        with transaction.atomic():
            _upsert(project_id, language, current, parts)
    except DatabaseError:
        logger.warning("the parts of project %s were drawn but not kept", project_id, exc_info=True)


def _upsert(project_id: int, language: str, current: str, parts: dict) -> None:
    ProjectParts.objects.bulk_create(
        [
            ProjectParts(
                project_id=project_id, language=language, stamp=current, parts=parts, drawn_at=timezone.now()
            )
        ],
        update_conflicts=True,
        unique_fields=["project", "language"],
        update_fields=["stamp", "parts", "drawn_at"],
    )
