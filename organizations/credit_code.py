"""The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters, the last a check
character computed from the first 17 with weights 3^i mod 31 over the 31-character alphabet."""

import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize(code: str) -> str:
    return (code or "").strip().upper().replace(" ", "")


def validate_credit_code(value: str) -> None:
    code = normalize(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="length",
            params={"count": len(code)},
        )
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        raise ValidationError(
            _(
                "The code contains characters that are not allowed: %(chars)s (I, O, S, V and Z are never used)."
            ),
            code="characters",
            params={"chars": ", ".join(bad)},
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("Characters 3 to 8 must be the six-digit area code."), code="area")
    if check_character(code[:17]) != code[17]:
        raise ValidationError(
            _(
                "The check character does not match: please look at the code on the registration certificate again."
            ),
            code="check",
        )


def generate(prefix: str = "51", area_code: str = "150000") -> str:
    """A valid code for demo and test data: registration authority and type, area, random body."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(9))
    first17 = f"{prefix}{area_code}{body}"
    return first17 + check_character(first17)
