"""Numbers as people write them, in both languages: counts and amounts with thousands separators, hours
without decimals unless fractional, scores with their real precision, percentages with one decimal, dates
in each language's usual form. The template filters in empowerment.templatetags.platform call these; money
itself is empowerment.money.format_money (two decimals, ¥, floats refused).

Chinese foundations write numbers the same way as English readers (2,547 人; ¥785,010.00), so only dates
differ by language here."""

import functools
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.translation import get_language

MISSING = "—"


def _decimal(value) -> Decimal | None:
    """A Decimal for an int, Decimal, float (a rate or an average, never money: format_money refuses
    floats) or numeric string; None for nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise TypeError("Refusing to format a boolean as a number.")
    try:
        number = Decimal(value) if isinstance(value, int | Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _grouped(number: Decimal, places: int) -> str:
    text = f"{abs(number):,.{places}f}"
    return f"-{text}" if number < 0 and any(c not in "0.," for c in text) else text


def format_count(value) -> str:
    """A whole number with thousands separators: 2,547. Nothing gives "—"."""
    number = _decimal(value)
    if number is None:
        return MISSING
    return _grouped(number.quantize(Decimal(1), rounding=ROUND_HALF_UP), 0)


def format_number(value, max_places: int = 2) -> str:
    """A quantity with thousands separators and only the decimals it has (at most max_places):
    3152.00 → 3,152; 12.50 → 12.5; 0.25 → 0.25. Used for hours, indicator values, scores."""
    number = _decimal(value)
    if number is None:
        return MISSING
    number = number.quantize(Decimal(1).scaleb(-max_places), rounding=ROUND_HALF_UP)
    places = max(0, -number.normalize().as_tuple().exponent) if number else 0
    return _grouped(number, min(places, max_places))


def format_hours(value) -> str:
    """Hours: no decimals unless fractional (3,152; 12.5)."""
    return format_number(value, max_places=2)


def format_score(value) -> str:
    """A score with its real precision (3.25 stays 3.25, 4.00 is 4)."""
    return format_number(value, max_places=2)


def format_percent(value, *, fraction: bool = False) -> str:
    """A percentage with one decimal: 85.3%. With fraction=True the value is a ratio (0.853 → 85.3%)."""
    number = _decimal(value)
    if number is None:
        return MISSING
    if fraction:
        number *= 100
    return _grouped(number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), 1) + "%"


def format_day(value) -> str:
    """A date in the active language's usual form (English: Dec. 1, 2026; Chinese: 2026年12月1日). An
    aware datetime is shown on its local day."""
    if value in (None, ""):
        return MISSING
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if not isinstance(value, date):
        return str(value)
    return _day(date(value.year, value.month, value.day), get_language())


@functools.lru_cache(maxsize=4096)
def _day(value: date, language: str | None) -> str:
    """A day in `language`'s usual form (the active language: the key only keeps the languages apart). A
    page shows the same few days many times (each expenditure's, each disclosure's)."""
    return formats.date_format(value, "DATE_FORMAT")


def format_moment(value) -> str:
    """A moment (an aware datetime, shown in the local time zone) as its day in the active language's usual
    form and the time of day: "Dec. 1, 2026 14:05", "2026年12月1日 14:05"."""
    if value in (None, ""):
        return MISSING
    if not isinstance(value, datetime):
        return format_day(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_day(local.date())} {local:%H:%M}"
