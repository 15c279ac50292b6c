"""Reporting periods (month, quarter, year) and their parsing from query strings and report parameters.
Anything a visitor can type is parsed here; a bad value raises BadPeriod (the views answer 400)."""

import re
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
YEAR_RE = re.compile(r"^(\d{4})$")
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


class BadPeriod(ValueError):
    """A period that cannot be understood; its message is shown to the visitor."""


@dataclass(frozen=True)
class Period:
    kind: str  # "month", "quarter", "year" or "range"
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.start.year}"
        return f"{self.start:%Y-%m} – {self.end:%Y-%m}"

    @property
    def key(self) -> str:
        """The compact form used in URLs and report parameters: 2025-03, 2025-Q1, 2025."""
        return self.label if self.kind != "range" else f"{self.start:%Y-%m}..{self.end:%Y-%m}"

    def months(self) -> list[date]:
        out, current = [], self.start.replace(day=1)
        while current <= self.end:
            out.append(current)
            current += relativedelta(months=1)
        return out


def _year(text: str) -> int:
    year = int(text)
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise BadPeriod(
            _("The year must be between %(a)s and %(b)s.") % {"a": EARLIEST_YEAR, "b": LATEST_YEAR}
        )
    return year


def month_start(text: str) -> date:
    match = MONTH_RE.match(text or "")
    if not match:
        raise BadPeriod(_("Write months as YYYY-MM, for example 2025-03."))
    year, month = _year(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise BadPeriod(_("The month must be between 01 and 12."))
    return date(year, month, 1)


def month(year: int, month_number: int) -> Period:
    start = date(year, month_number, 1)
    return Period("month", start, start + relativedelta(months=1, days=-1))


def quarter(year: int, number: int) -> Period:
    start = date(year, 3 * (number - 1) + 1, 1)
    return Period("quarter", start, start + relativedelta(months=3, days=-1))


def year(year_number: int) -> Period:
    return Period("year", date(year_number, 1, 1), date(year_number, 12, 31))


def parse(text: str) -> Period:
    """A period key: 2025-03 (month), 2025-Q1 (quarter) or 2025 (year)."""
    text = (text or "").strip()
    if MONTH_RE.match(text):
        start = month_start(text)
        return month(start.year, start.month)
    if match := QUARTER_RE.match(text):
        return quarter(_year(match.group(1)), int(match.group(2)))
    if YEAR_RE.match(text):
        return year(_year(text))
    raise BadPeriod(_("Write the period as 2025-03 (a month), 2025-Q1 (a quarter) or 2025 (a year)."))


def from_query(params, *, default: Period | None = None) -> Period | None:
    """A range from ?from=YYYY-MM&to=YYYY-MM (either may be missing). Returns `default` when neither is
    given."""
    raw_from, raw_to = params.get("from", "").strip(), params.get("to", "").strip()
    if not raw_from and not raw_to:
        return default
    start = month_start(raw_from) if raw_from else date(EARLIEST_YEAR, 1, 1)
    end = month_start(raw_to) + relativedelta(months=1, days=-1) if raw_to else date(LATEST_YEAR, 12, 31)
    if end < start:
        raise BadPeriod(_("The end of the period is before its start."))
    return Period("range", start, end)


def previous_month(today: date) -> Period:
    first = today.replace(day=1) - relativedelta(months=1)
    return month(first.year, first.month)


def previous_quarter(today: date) -> Period:
    current = (today.month - 1) // 3 + 1
    if current == 1:
        return quarter(today.year - 1, 4)
    return quarter(today.year, current - 1)
