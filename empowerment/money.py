"""Money is Decimal yuan with two places. Helpers to parse and format it; floats are refused."""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
MAX_DIGITS = 14
DECIMAL_PLACES = 2
MAX_AMOUNT = Decimal("999999999999.99")
# What a person types for an amount, once full-width characters are read as their ASCII forms and the
# thousands separators dropped: digits and at most one decimal point. Not "1e2", "1_000" or other scripts'
# digits, which Decimal() would also read.
PLAIN_AMOUNT_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


class MoneyFormField(forms.DecimalField):
    """A form's amount in yuan, read as `to_money` reads what a person types (plain digits, full-width ones
    too; not "1e2" or "1_000", which Decimal() alone would take)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.localize:
            value = formats.sanitize_separators(value)
        return to_money(value)


class MoneyColumn(models.DecimalField):
    """A yuan amount column, whose form field (the admin's) is MoneyFormField. It migrates as the plain
    DecimalField it is in the database."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MoneyFormField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


def MoneyField(verbose_name=None, **kwargs):  # noqa: N802 - reads like a field class
    """A yuan amount column: DecimalField(max_digits=14, decimal_places=2), entered as MoneyFormField."""
    kwargs.setdefault("max_digits", MAX_DIGITS)
    kwargs.setdefault("decimal_places", DECIMAL_PLACES)
    return MoneyColumn(verbose_name, **kwargs)


def to_money(value) -> Decimal:
    """Parse a user-supplied amount: at most two decimal places, finite, within the column's size."""
    if isinstance(value, float):
        raise TypeError("Money must not be a float.")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
        if not PLAIN_AMOUNT_TEXT.fullmatch(text):
            raise ValidationError(_("Enter an amount in yuan, such as 1250.50."), code="invalid")
        amount = Decimal(text)
    if not amount.is_finite():
        raise ValidationError(_("Enter an amount in yuan, such as 1250.50."), code="invalid")
    # Size first: quantizing a number of more than 28 digits raises InvalidOperation.
    if abs(amount) > MAX_AMOUNT:
        raise ValidationError(_("The amount is too large."), code="max_value")
    if amount != amount.quantize(CENT):
        raise ValidationError(_("Amounts have at most two decimal places (fen)."), code="decimal_places")
    return amount.quantize(CENT)


def format_money(value, symbol: str = "¥") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        raise TypeError("Refusing to format a float as money; use Decimal.")
    amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,.2f}"
