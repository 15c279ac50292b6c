"""The unified social credit code validator (GB 32100-2015)."""

import pytest
from django.core.exceptions import ValidationError

from organizations.credit_code import ALPHABET, WEIGHTS, check_character, generate, validate_credit_code

# Codes in the real format, printed on published registration certificates.
REAL_CODES = ["91350100M000100Y43", "91330100716105852F", "91110000802100433B", "53100000500021676K"]


def _code_of(exc: pytest.ExceptionInfo) -> str:
    return exc.value.error_list[0].code


def test_the_check_character_of_a_real_code_computed_by_hand():
    # 9 1 3 5 0 1 0 0 M(21) 0 0 0 1 0 0 Y(30) 4, weighted by 3^i mod 31:
    # 9·1 + 1·3 + 3·9 + 5·27 + 1·26 + 21·20 + 1·8 + 30·30 + 4·28 = 1640; 1640 mod 31 = 28; 31 − 28 = 3.
    first17 = "91350100M000100Y4"
    assert [ALPHABET.index(c) for c in first17] == [9, 1, 3, 5, 0, 1, 0, 0, 21, 0, 0, 0, 1, 0, 0, 30, 4]
    assert sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) == 1640
    assert check_character(first17) == "3"
    validate_credit_code("91350100M000100Y43")


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_accepted(code):
    validate_credit_code(code)


def test_lower_case_and_spaces_are_accepted_as_the_same_code():
    validate_credit_code(" 91350100m000100y43 ")


def test_generated_codes_are_valid():
    for _ in range(50):
        validate_credit_code(generate("52", "150203"))


@pytest.mark.parametrize("code", REAL_CODES)
def test_a_wrong_check_character_is_refused(code):
    wrong = ALPHABET[(ALPHABET.index(code[-1]) + 1) % len(ALPHABET)]
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code[:-1] + wrong)
    assert _code_of(exc) == "check"
    assert "check character" in exc.value.messages[0]


def test_a_single_mistyped_digit_is_caught_by_the_check_character():
    with pytest.raises(ValidationError) as exc:
        validate_credit_code("91350100M000200Y43")
    assert _code_of(exc) == "check"


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y433", "", "9135"])
def test_a_wrong_length_is_refused_with_the_count(code):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert _code_of(exc) == "length"
    assert f"this one has {len(code)}" in exc.value.messages[0]


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_the_letters_never_used_in_codes_are_refused(letter):
    code = "91350100M000100" + letter + "43"
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert _code_of(exc) == "characters"
    assert letter in exc.value.messages[0]


def test_the_area_part_must_be_digits():
    first17 = "9135A100M000100Y4"
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(first17 + check_character(first17))
    assert _code_of(exc) == "area"
