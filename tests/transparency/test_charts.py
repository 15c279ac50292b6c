"""The SVG charts: accessible (title, desc, labels), escaped, no scripts or style attributes."""

import re
from decimal import Decimal

import pytest

from empowerment import charts
from empowerment.money import format_money

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def _all():
    return [
        charts.bar_chart(
            [(HOSTILE, Decimal("10.00")), ("b", Decimal("5.00"))], title=HOSTILE, fmt=format_money
        ),
        charts.stacked_bars([(HOSTILE, [1, 2])], [HOSTILE, "y"], title="t"),
        charts.line_chart(["2026-01", HOSTILE], [(HOSTILE, [Decimal(1), Decimal(3)])], title="t"),
        charts.sankey(
            [[("a", HOSTILE)], [("b", "B")]], [("a", "b", Decimal("7.00"))], title="t", fmt=format_money
        ),
    ]


def _svgs(markup: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", str(markup), flags=re.S)


def test_charts_escape_text_and_carry_no_script_or_style():
    for markup in _all():
        assert "<script" not in markup and "<img" not in markup
        assert not re.search(r"<[^<>]*\sonerror=", markup)
        assert "&lt;script&gt;" in markup
        assert "style=" not in markup
        for svg in _svgs(markup):
            assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
        ids = re.findall(r'<title id="([^"]+)"', markup)
        assert len(ids) == len(set(ids)), "the phone's and the wide drawing need their own ids"


def test_text_stays_readable_on_a_phone_and_in_a_pdf():
    """Text is at least 11 CSS px wherever a chart is shown: the phone drawing in a 375-px screen's content
    box (at least 320 px wide), the wide drawing in a PDF page's text width (charts.PDF_TEXT_WIDTH)."""
    from projects.charts import priority_matrix
    from trainings.charts import paired_bars, percent_columns

    drawn = [
        *_all(),
        paired_bars(
            [("沟通能力" * 5, Decimal("2.5"), Decimal("3.25"))],
            scale_max=5,
            title="t",
            before_label="a",
            after_label="b",
        ),
        percent_columns([(str(i), 80 + i) for i in range(1, 13)], title="t"),
        priority_matrix([]),
    ]
    for markup in drawn:
        for svg in _svgs(markup):
            width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
            sizes = [float(v) for v in re.findall(r'font-size="([\d.]+)"', svg)]
            assert sizes and min(sizes) >= charts.MIN_TEXT
            shown_at = 320 if width <= charts.NARROW else charts.PDF_TEXT_WIDTH
            assert (
                min(sizes) * min(shown_at / width, 1.0 if width <= charts.NARROW else shown_at / width) >= 11
            ), svg[:120]


def test_every_time_series_has_a_labelled_y_axis_with_round_ticks():
    svg = _svgs(
        charts.line_chart(
            ["2026-01", "2026-02", "2026-03"],
            [("Raised", [Decimal("120000.00"), Decimal("835281.50"), Decimal("0")])],
            title="t",
            y_label="Amount (¥)",
            width=640,
        )
    )[0]
    assert "Amount (¥)" in svg and 'transform="rotate(-90' in svg
    ticks = re.findall(r'text-anchor="end" fill="#5c636a" font-weight="normal">([^<]+)<', svg)
    assert ticks == ["0", "250k", "500k", "750k", "1M"]


def test_x_labels_never_touch_on_a_phone():
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    svg = _svgs(charts.line_chart(months, [("a", list(range(12)))], title="t", width=charts.NARROW))[0]
    xs = [
        float(x)
        for x in re.findall(r'<text x="([\d.]+)" y="[\d.]+" font-size="12" text-anchor="middle"', svg)
    ]
    assert 2 <= len(xs) < 12
    room = charts.text_width("2026-01", charts.MIN_TEXT)
    assert all(b - a >= room for a, b in zip(xs, xs[1:], strict=False))


def test_fund_flow_labels_never_overlap_whatever_the_names():
    """Geometry, not pixels: with many nodes and long Chinese and English names, no two label boxes meet,
    every label lies inside the picture, and every link between drawn nodes is drawn."""
    long_zh = "内蒙古自治区包头市昆都仑区少先路街道团结社区老年人健康服务项目"
    long_en = "Kundulun District Tuanjie Community elderly health check and home visits project"
    channels = [(f"c{i}", f"{long_zh[: 6 + i]} channel {i}") for i in range(6)]
    funds = [(f"f{i}", f"{long_en} fund {i}") for i in range(9)]
    projects = [(f"p{i}", f"{long_zh} {long_en} {i}") for i in range(30)]
    spent = [("s0", "Spent"), ("s1", "Balance")]
    links = [(f"c{i % 6}", f"f{i % 9}", Decimal(1000 + i * 37)) for i in range(40)]
    links += [(f"f{i % 9}", f"p{i}", Decimal(500 + i * 11)) for i in range(30)]
    links += [(f"p{i}", f"s{i % 2}", Decimal(100 + i)) for i in range(30)]
    columns = [channels, funds, projects, spent]
    svg = charts.sankey(columns, links, title="t", fmt=format_money)
    inflow, outflow = {}, {}
    for s, t, v in links:
        outflow[s] = outflow.get(s, 0) + v
        inflow[t] = inflow.get(t, 0) + v
    keys = {k for col in columns for k, _ in col}
    size = {k: max(inflow.get(k, 0), outflow.get(k, 0)) for k in keys}
    layout = charts.sankey_layout(
        [[(k, lab) for k, lab in col if size[k]] for col in columns],
        size,
        format_money,
        width=720,
        height=420,
    )
    boxes = [box for _name, _amount, box in layout.labels.values()]
    assert len(boxes) == 6 + 9 + 30 + 2
    for i, a in enumerate(boxes):
        assert 0 <= a.x and a.x + a.w <= layout.width + 0.5
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    assert svg.count("<path") == len(links)
    height = float(re.search(r'viewBox="0 0 720 ([\d.]+)"', svg).group(1))
    assert height >= 30 * 2 * charts.SANKEY_LINE  # grew to give 30 projects their two lines each


def test_bar_lengths_are_proportional_and_labelled():
    svg = charts.bar_chart([("a", Decimal("30.00")), ("b", Decimal("10.00"))], title="t", width=640)
    widths = [float(w) for w in re.findall(r'<rect x="8" y="\d+" width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(3 * widths[1], rel=0.01)
    assert ">30.00<" in svg or ">30<" in svg


def test_same_input_gives_identical_svg_for_stable_pdfs():
    a = charts.bar_chart([("a", 1)], title="t")
    assert a == charts.bar_chart([("a", 1)], title="t")


def test_empty_charts_say_so():
    assert "No data" in charts.bar_chart([], title="t", empty="No data here")
    assert "No money" in charts.sankey([], [], title="t", empty="No money")
