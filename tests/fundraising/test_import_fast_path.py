"""The importer's fast reading of a common row (RowParser._plain) must read every row it accepts exactly as the
full reading (RowParser._parse) does, and leave every other row to it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundraising import importing
from fundraising.models import Fund
from tests.factories.fundraising import ChannelFactory

pytestmark = pytest.mark.django_db

HEADER = ["id", "receipt", "amount", "day", "donor", "public", "designation", "note"]
FULL = {
    "external_id": "id",
    "receipt_number": "receipt",
    "amount": "amount",
    "date": "day",
    "donor_name": "donor",
    "show_name": "public",
    "designation": "designation",
    "note": "note",
}
# Only the required columns mapped, in another order of the file.
REQUIRED_ONLY = {"external_id": "id", "amount": "amount", "date": "day"}


def _parser(mapping):
    ChannelFactory(code="fast-path")
    Fund.objects.get_or_create(code="tuanjie", defaults={"name": "团结", "kind": Fund.Kind.COMMUNITY})
    return importing.RowParser(ChannelFactory(code="fast-path-2"), HEADER, mapping, track_seen=True)


def _same_reading(parser, number, cells):
    """The fast reading, when it accepts the row, equals the full reading; returns whether it accepted."""
    fast = parser._plain(number, list(cells))
    if fast is None:
        return False
    parser.seen.discard(fast.values["external_id"])  # the full reading tracks the id itself
    full = parser._parse(number, list(cells))
    assert full.errors == []
    assert {k: full.values.get(k) for k in fast.values} == fast.values
    assert fast.number == full.number
    return True


def _day(offset=1):
    return (timezone.localdate() - timedelta(days=offset)).isoformat()


@pytest.mark.parametrize(
    "cells, accepted",
    [
        (["T1", "R1", "100", _day(), "张三", "是", "tuanjie", ""], True),
        (["T2", "", "88.8", _day(), "", "", "", "备注"], True),
        (["T3", "R3", "0.01", _day(), "", "否", "", ""], True),
        # Everything below goes to the full reading (which may accept it, or refuse it with a message).
        ([" T4", "R4", "100", _day(), "", "", "", ""], False),  # white space at an edge
        (["T5", "R5", "=1+1", _day(), "", "", "", ""], False),  # what a spreadsheet would run
        (["T6", "R6", "1,200.00", _day(), "", "", "", ""], False),  # a thousands separator
        (["T7", "R7", "１００", _day(), "", "", "", ""], True),  # full-width digits: 100 either way
        (["T8", "R8", "100", _day().replace("-", "/"), "", "", "", ""], False),  # not an ISO date
        (["T9", "R9", "100", _day(-2), "", "", "", ""], False),  # a day to come
        (["T10", "R10", "100", _day(), "a\x00b", "", "", ""], False),  # a control character
        (["T11", "R11", "100", _day(), "", "yes ", "", ""], False),
        (["T12", "R12", "100", _day(), "", "", "unknown", ""], False),  # an unknown designation
        (["T13", "R13", "0", _day(), "", "", "", ""], False),
        (["T14", "R14", "100", _day()], False),  # a short row
        (["T15", "R15", 100, _day(), "", "", "", ""], False),  # an Excel number
        (["", "R16", "100", _day(), "", "", "", ""], False),
    ],
)
def test_the_fast_reading_agrees_with_the_full_one(cells, accepted):
    parser = _parser(FULL)
    assert _same_reading(parser, 2, cells) is accepted


def test_only_the_required_columns_mapped():
    parser = _parser(REQUIRED_ONLY)
    assert _same_reading(parser, 2, ["T1", "", "5.5", _day(), "", "", "", ""])
    assert not _same_reading(parser, 3, ["T2", "", "5.5 ", _day(), "", "", "", ""])


def test_an_id_met_earlier_in_the_file_goes_to_the_full_reading():
    parser = _parser(FULL)
    assert parser._plain(2, ["T1", "R1", "100", _day(), "", "", "", ""]) is not None
    assert parser._plain(3, ["T1", "R2", "100", _day(), "", "", "", ""]) is None


CELL = st.one_of(
    st.sampled_from(
        ["", "是", "否", "tuanjie", "100", "0.5", "12.345", "2025-13-01", " x", "x ", "@a", "-1"]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.tuples(
        st.text(alphabet="T0123456789-", min_size=0, max_size=8),
        CELL,
        st.one_of(st.sampled_from(["100", "99.99", "1e3", "0.001", "+5"]), CELL),
        st.one_of(st.sampled_from([_day(), _day(40), "2026-02-30"]), CELL),
        CELL,
        CELL,
        CELL,
        CELL,
    )
)
def test_any_row_the_fast_reading_accepts_reads_the_same_in_full(cells):
    parser = _parser(FULL)
    _same_reading(parser, 2, cells)
