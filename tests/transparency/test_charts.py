"""The SVG charts: accessible (title, desc, labels), escaped, no scripts or style attributes."""

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


def test_charts_escape_text_and_carry_no_script_or_style():
    for svg in _all():
        assert "<script" not in svg
        assert "onerror" not in svg.replace("onerror=&quot;", "")
        assert "&lt;script&gt;" in svg
        assert "style=" not in svg
        assert svg.startswith("<svg") and 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg


def test_bar_lengths_are_proportional_and_labelled():
    svg = charts.bar_chart([("a", Decimal("30.00")), ("b", Decimal("10.00"))], title="t", width=640)
    import re

    widths = [float(w) for w in re.findall(r'<rect x="8" y="\d+" width="([\d.]+)"', svg)]
    assert widths[0] == pytest.approx(3 * widths[1], rel=0.01)
    assert ">30.00<" in svg or ">30<" in svg


def test_same_input_gives_identical_svg_for_stable_pdfs():
    a = charts.bar_chart([("a", 1)], title="t")
    assert a == charts.bar_chart([("a", 1)], title="t")


def test_empty_charts_say_so():
    assert "No data" in charts.bar_chart([], title="t", empty="No data here")
    assert "No money" in charts.sankey([], [], title="t", empty="No money")
