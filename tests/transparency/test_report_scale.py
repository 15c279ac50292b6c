"""Transparency reports of a large programme: the fund-flow picture names the largest projects and merges
the others into one node without changing any figure or breaking conservation at any node; the whole flow
travels as a CSV attached to the PDF; digits are drawn as text, not as bitmap emoji glyphs."""

import csv
import io
from collections import defaultdict
from decimal import Decimal

import pypdf
import pytest

from empowerment.models import Document
from transparency import selectors, services
from transparency.periods import quarter
from transparency.selectors import reports
from transparency.selectors.flow import UNPUBLISHED_NODE, FundFlow


def _balance(flow: FundFlow) -> dict[str, Decimal]:
    net: dict[str, Decimal] = defaultdict(Decimal)
    for source, target, amount in flow.links:
        net[source] -= amount
        net[target] += amount
    return net


def _flow(projects: int) -> FundFlow:
    links = [("src:individual", "ch:1", Decimal("0")), ("ch:1", "fk:project", Decimal("0"))]
    columns = [[("src:individual", "Individuals")], [("ch:1", "Bank")], [("fk:project", "Project funds")]]
    project_column = []
    total = Decimal("0")
    for n in range(1, projects + 1):
        amount = Decimal(n * 100)
        total += amount
        links += [
            ("fk:project", f"p:{n}", amount),
            (f"p:{n}", "cat:materials", amount / 2),
            (f"p:{n}", "bal:projects", amount / 2 - (30 if n == 1 else 0)),
        ]
        project_column.append((f"p:{n}", f"Project {n}"))
    # Money moved from one project to another (p:1 keeps 30 less, p:2 spends 30 more).
    links += [("p:1", "p:2", Decimal("30")), ("p:2", "cat:materials", Decimal("30"))]
    links += [
        ("fk:project", UNPUBLISHED_NODE, Decimal("5")),
        (UNPUBLISHED_NODE, "bal:projects", Decimal("5")),
    ]
    total += 5
    links[0] = ("src:individual", "ch:1", total)
    links[1] = ("ch:1", "fk:project", total)
    columns += [[*project_column, (UNPUBLISHED_NODE, "Not yet published (1)")]]
    columns += [[("cat:materials", "Materials"), ("bal:projects", "Held for projects")]]
    return FundFlow(columns=columns, links=links, income=total, expenses=total / 2, closing=total / 2)


def test_the_picture_names_the_largest_projects_and_merges_the_rest_keeping_every_figure():
    flow = _flow(40)
    assert all(net == 0 for key, net in _balance(flow).items() if key.startswith(("p:", "fk:", "ch:")))
    chart = reports.chart_flow(flow, label=lambda n: f"Other projects ({n})", keep=5)
    keys = [key for column in chart.columns for key, _label in column]
    assert [k for k in keys if k.startswith("p:")] == [
        "p:36",
        "p:37",
        "p:38",
        "p:39",
        "p:40",
        reports.OTHER_PROJECTS_NODE,
        UNPUBLISHED_NODE,
    ]
    assert "Other projects (35)" in [label for column in chart.columns for _k, label in column]
    # Every node still sends on what it receives; sources and uses are those of the whole flow.
    net = _balance(chart)
    for key in keys:
        if key.startswith(("p:", "fk:", "ch:")):
            assert net[key] == 0, key
    assert net["cat:materials"] == _balance(flow)["cat:materials"]
    assert net["bal:projects"] == _balance(flow)["bal:projects"]
    assert (chart.income, chart.expenses, chart.closing) == (flow.income, flow.expenses, flow.closing)
    assert not any(s == t for s, t, _v in chart.links)  # p:1 → p:2 became internal to the merged node
    small = _flow(6)
    assert reports.chart_flow(small, label=str, keep=5) is small  # at most keep + 1 projects: unchanged


def test_the_whole_flow_as_csv_has_every_link_by_name_and_neutralises_formulas():
    flow = _flow(3)
    flow.columns[3][0] = ("p:1", "=HYPERLINK(1)")
    text = reports.flow_csv(flow, header=("From", "To", "Amount"))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["From", "To", "Amount"] and len(rows) == len(flow.links) + 1
    assert ["Project funds", "'=HYPERLINK(1)", "100.00"] in rows


def _attachments(pdf: pypdf.PdfReader) -> dict[str, bytes]:
    found = {}
    for page in pdf.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/FileAttachment":
                spec = annot["/FS"].get_object()
                found[str(spec["/F"])] = spec["/EF"]["/F"].get_object().get_data()
    return found


@pytest.mark.parametrize("keep", [0, 12])
def test_a_report_pdf_attaches_the_whole_flow_when_its_picture_merges_projects(
    programme, django_capture_on_commit_callbacks, monkeypatch, keep
):
    monkeypatch.setattr(reports, "CHART_PROJECTS", keep)
    period = quarter(2026, 1)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(period=period, language="en", by=programme.officer)
    document = Document.objects.get(pk=report.document_id)
    assert document.status == Document.Status.READY, document.error
    pdf = pypdf.PdfReader(document.file.open("rb"))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    files = _attachments(pdf)
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in pdf.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert not any("Emoji" in name for name in fonts), fonts  # no emoji in the text: none drawn
    flow = selectors.fund_flow(period)
    if keep == 12:  # two public projects: the picture is the whole flow, nothing attached
        assert files == {} and "attached to this PDF" not in text
        return
    assert "attached to this PDF" in " ".join(text.split())
    ((name, data),) = files.items()
    assert name == f"fund-flow-programme-{report.period_label}.csv"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == len(flow.links) + 1
    assert any(row[0] == programme.p1.title or row[1] == programme.p1.title for row in rows)
