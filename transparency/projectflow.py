"""One project's fund flow as its public page shows it (the picture and its two tables), drawn once for each
state of what it is drawn from and kept in the process.

After the project's stored parts (transparency.projectparts), drawing its flow is the largest part of an
uncached project page: the funds and channels its sums name, their labels, the picture. What the drawing
shows is decided by:
- the books' sums for the period (fundraising.selectors.flow_money), read at every render: every amount
  of the flow comes from them, so a drawing is never shown for other sums than the ones just read;
- the period, the language, the page's address, the project's title and whether it is public;
- the programme's content (the names of channels, the kinds of funds, other projects' titles and whether
  they are public), which changes with the "pages" and "projects" topics: their database versions, read
  with the project's stored parts before the sums, and the rest of the parts' stamp (the release, the
  hour: projectparts.stamp).
The same inputs draw the same flow, so a drawing kept under them is the one that would be drawn now. Kept
per process (no write on a page view), at most KEPT drawings, the least recently shown let go first.
"""

import threading
from collections import OrderedDict

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from fundraising import selectors as books
from fundraising.models import Fund
from projects import selectors as project_selectors
from projects.models import Project

from . import labels, presentation, projectparts, selectors
from .periods import Period

KEPT = 500
_kept: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


def drawn(
    request,
    project: Project,
    period: Period,
    *,
    all_time: bool,
    fund: Fund | None,
    reading: projectparts.Reading,
    from_value: str = "",
    to_value: str = "",
) -> str:
    """The project's flow as transparency/_flow.html draws it (the period's form, the picture and its
    tables) for `period`; `reading`: the project's stored parts and content versions
    (projectparts.read), read before this."""
    sums = books.flow_money(period, project=project)
    key = (
        projectparts.stamp(fund, reading.versions),
        translation.get_language(),
        request.path,
        period,
        all_time,
        from_value,
        to_value,
        project.pk,
        project.title,
        project_selectors.is_public(project),
        repr(sums),
    )
    with _lock:
        html = _kept.get(key)
        if html is not None:
            _kept.move_to_end(key)
            return html
    html = _draw(request, project, period, all_time, sums, from_value, to_value)
    with _lock:
        _kept[key] = html
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return html


def _draw(request, project, period, all_time, sums, from_value, to_value) -> str:
    flow = selectors.fund_flow(period, project=project, labels=labels.flow_labels(), sums=sums)
    title = flow_title(project)
    context = {
        "request": request,
        "period": period,
        "all_time": all_time,
        "flow": flow,
        "flow_chart": presentation.flow_chart(flow, title=title),
        "flow_rows": presentation.flow_rows(flow),
        "from_value": from_value,
        "to_value": to_value,
    }
    return render_to_string("transparency/_flow.html", context)


def flow_title(project: Project) -> str:
    return _("Where the money of %(project)s came from and went") % {"project": project.title}


def forget() -> None:
    """Let go of every kept drawing (for tests that change rows without the topics moving)."""
    with _lock:
        _kept.clear()
