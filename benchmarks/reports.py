"""Report benchmark: for a project progress report and the programme's yearly transparency report, the time
to gather the data (the document kind's build_context), to fill the template, and to render the PDF through
the platform's pipeline (empowerment.documents.rendering.html_to_pdf: URL fetcher, fonts) against WeasyPrint
rendering the same HTML directly; then both reports requested through the pipeline and rendered by a real
Celery worker, with the worker's peak RSS. What it creates (the report row, the documents and their files) is
deleted again, so the database is left as found. Run as `python -m benchmarks.reports` (prints JSON)."""

import json
import resource
import statistics
import time
from types import SimpleNamespace


def _timed(func, repeat=3):
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return result, round(statistics.median(times), 3)


def measure(kind_name, subject, params, language="en"):
    from django.template.loader import render_to_string  # noqa: PLC0415
    from django.utils import translation  # noqa: PLC0415
    from weasyprint import HTML  # noqa: PLC0415

    from empowerment.documents import registry  # noqa: PLC0415
    from empowerment.documents.rendering import html_to_pdf  # noqa: PLC0415

    spec = registry.get(kind_name)
    # What the pipeline gives the template of a stored document (its title, language and code).
    document = SimpleNamespace(title=kind_name, language=language, verification_code="BENCHMARK")
    with translation.override(language):
        context, gather = _timed(lambda: spec.build_context(subject, params))
        html, fill = _timed(lambda: render_to_string(spec.template, {**context, "document": document}))
    # The process's first render loads the fonts (a tenth of a second or more, once per process): made once
    # untimed, so that neither side of the comparison carries it; then each side's median of five.
    html_to_pdf(html)
    pdf, pipeline = _timed(lambda: html_to_pdf(html), repeat=5)
    direct_pdf, direct = _timed(lambda: HTML(string=html).write_pdf(), repeat=5)
    return {
        "gather_s": gather,
        "template_s": fill,
        "pipeline_render_s": pipeline,
        "weasyprint_direct_s": direct,
        "pipeline_overhead": round(pipeline / direct, 2) if direct else None,
        "pdf_kb": round(len(pdf) / 1024, 1),
        "html_kb": round(len(html) / 1024, 1),
    }


def _group_peak_rss_mb(pgid: int) -> float:
    """The largest peak RSS (VmHWM) among the processes of a process group (a Celery worker and its pool)."""
    from .common import processes  # noqa: PLC0415

    peak = 0
    for pid, process in processes().items():
        if process.group != pgid:
            continue
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
        except (OSError, ValueError, IndexError):
            continue
    return round(peak / 1024, 1)


def worker_run(update, report, period) -> dict:
    """Both reports requested through the document pipeline and rendered by a real Celery worker (prefork,
    one child) on the configured broker: the time until each is ready and the worker's peak RSS."""
    import os  # noqa: PLC0415
    import signal  # noqa: PLC0415

    from empowerment.documents.services import document_request  # noqa: PLC0415
    from empowerment.models import Document  # noqa: PLC0415

    from .common import start_worker  # noqa: PLC0415

    worker = start_worker()
    out = {}
    made = []
    before = set(Document.objects.values_list("pk", flat=True))
    try:
        requests = {
            "project progress report": ("project_progress_report", update, {}),
            "yearly transparency report": ("transparency_report", report, {"period": period.key}),
        }
        for name, (kind, subject, params) in requests.items():
            started = time.perf_counter()
            document = document_request(kind=kind, subject=subject, language="zh-hans", params=params)
            if document.pk not in before:
                made.append(document)
            deadline = time.monotonic() + 900
            while time.monotonic() < deadline:
                document.refresh_from_db()
                if document.status in (Document.Status.READY, Document.Status.FAILED):
                    break
                time.sleep(0.25)
            out[name] = {"status": document.status, "seconds": round(time.perf_counter() - started, 1)}
        out["peak_rss_mb"] = _group_peak_rss_mb(worker.pid)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
        _forget(made)
    return out


def _forget(documents) -> None:
    """Delete the documents the benchmark requested, with their files, so the database is left as found."""
    for document in documents:
        document.refresh_from_db()
        if document.file:
            document.file.delete(save=False)
        document.delete()


def run() -> dict:
    import django  # noqa: PLC0415

    django.setup()
    from django.utils import timezone  # noqa: PLC0415

    from projects.models import ProgressUpdate  # noqa: PLC0415
    from transparency.models import TransparencyReport  # noqa: PLC0415
    from transparency.periods import Period  # noqa: PLC0415

    update = (
        ProgressUpdate.objects.filter(status="approved", project__expenditures__isnull=False)
        .select_related("project")
        .order_by("-pk")
        .first()
    )
    year = timezone.localdate().year - 1
    period = Period("year", timezone.datetime(year, 1, 1).date(), timezone.datetime(year, 12, 31).date())
    report, created = TransparencyReport.objects.get_or_create(
        scope=TransparencyReport.Scope.PROGRAMME,
        project=None,
        period_kind="year",
        period_start=period.start,
        language="en",
        defaults={"period_end": period.end},
    )
    out = {
        "project progress report": measure("project_progress_report", update, {}),
        "yearly transparency report": measure("transparency_report", report, {"period": period.key}),
    }
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    try:
        out["celery_worker"] = worker_run(update, report, period)
    finally:
        if created:  # the bench leaves the database as it found it
            report.delete()
    return out


if __name__ == "__main__":
    print(json.dumps(run()))
