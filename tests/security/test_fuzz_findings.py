"""Regression tests for the server errors the fuzzing suite (test_fuzz.py) found, one per cause."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from empowerment.authz import ADMINISTRATOR
from empowerment.money import to_money
from tests.factories.core import staff_user


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    ["/verify/?code=a%00b", "/verify/a%00b/", "/projects/?q=%00", "/verify/?code=ok&code=%00"],
)
def test_an_address_holding_nul_is_refused_with_a_400_that_says_why(address):
    # On PostgreSQL the NUL reached the verification lookup and ended in a DataError (500).
    response = Client().get(address)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.django_db
def test_an_api_address_holding_nul_is_refused_in_json():
    response = Client().post(
        "/api/donations/notify/some-platform/?x=%00", data=b"{}", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "nul_character"


@pytest.mark.django_db
def test_an_address_without_nul_is_not_refused():
    assert Client().get("/verify/?code=NOSUCHCODE").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["9" * 40, "9223372036854775808", "-5"])
def test_audit_trail_treats_a_user_id_no_database_can_hold_as_no_filter(user):
    # SQLite raised OverflowError for an id past 64 bits (a 500).
    client = Client()
    client.force_login(staff_user(ADMINISTRATOR), backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/staff/audit/", {"user": user, "page": "9" * 40})
    assert response.status_code == 200
    assert response.context["user_id"] is None


@pytest.mark.parametrize("raw", ["9" * 40, "-" + "9" * 30, Decimal("1e30")])
def test_an_amount_of_more_than_28_digits_is_refused_as_too_large(raw):
    # quantize() of such a number raised InvalidOperation before the size was checked (a 500 on the
    # proposal's budget step, whose amount field has no maximum length).
    with pytest.raises(ValidationError) as caught:
        to_money(raw)
    assert caught.value.code == "max_value"


def test_an_amount_within_the_column_is_still_read():
    assert to_money("1,250.50") == Decimal("1250.50")


@pytest.mark.parametrize(
    ("raw", "read"),
    [
        ("１２５０．５", Decimal("1250.50")),  # typed with a Chinese input method's full-width characters
        ("１，２５０", Decimal("1250.00")),
        (" 7. ", Decimal("7.00")),
        (".5", Decimal("0.50")),
        ("-3", Decimal("-3.00")),
        (12, Decimal("12.00")),
        (Decimal("12.5"), Decimal("12.50")),
    ],
)
def test_an_amount_in_plain_digits_is_read_whatever_their_width(raw, read):
    assert to_money(raw) == read


@pytest.mark.parametrize(
    "raw", ["1e2", "1E+2", "1_000", "١٢٣", "0x10", "Infinity", "NaN", "1.2.3", "", "+", True]
)
def test_an_amount_that_is_not_plain_digits_is_refused_as_invalid(raw):
    # Decimal() reads all of these but "1.2.3", "" and "+" (a number in exponent notation, with
    # underscores, in Arabic-Indic digits...): a person who types them has not typed an amount.
    with pytest.raises(ValidationError) as caught:
        to_money(raw)
    assert caught.value.code == "invalid"


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["1e2", "1_000"])
def test_the_donation_form_says_at_the_amount_that_an_exponent_is_not_an_amount(raw):
    from fundraising.forms import MoneyField

    field = MoneyField(label="Amount")
    with pytest.raises(ValidationError) as caught:
        field.clean(raw)
    assert caught.value.messages == ["Enter an amount in yuan, such as 1250.50."]


@pytest.mark.django_db
def test_budget_line_form_refuses_a_forty_digit_amount_at_the_field():
    from projects.forms import BudgetLineForm

    form = BudgetLineForm(data={"category": "personnel", "description": "Nurse", "amount": "9" * 40})
    assert not form.is_valid()
    assert form.errors["amount"] == ["The amount is too large."]


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["9" * 40, "1e40"])
def test_an_indicator_value_of_more_than_28_digits_is_refused_as_too_large(raw):
    from projects.services import clean_indicator_value
    from tests.factories.projects import IndicatorFactory

    indicator = IndicatorFactory(value_type="number")
    with pytest.raises(ValidationError) as caught:
        clean_indicator_value(indicator, raw)
    assert caught.value.messages == ["The value is too large."]


@pytest.mark.django_db
@pytest.mark.parametrize("chosen", [["9" * 40], ["1", "-9223372036854775809"], ["9223372036854775808"]])
def test_a_choice_of_ids_refuses_an_id_no_column_can_hold(chosen):
    # SQLite's driver raised OverflowError in the IN query of ModelMultipleChoiceField (the proposal's needs
    # step, a session's trainers, an organization's themes).
    from organizations.forms import ProfileForm
    from organizations.models import Theme

    Theme.objects.create(slug="older-people", name="Older people")
    field = ProfileForm.base_fields["themes"]
    with pytest.raises(ValidationError) as caught:
        field.clean(chosen)
    assert caught.value.code == "invalid_choice"


@pytest.mark.django_db
def test_a_choice_of_ids_still_accepts_real_ids_and_refuses_words():
    from organizations.forms import ProfileForm
    from organizations.models import Theme

    theme = Theme.objects.create(slug="older-people", name="Older people")
    field = ProfileForm.base_fields["themes"]
    assert list(field.clean([str(theme.pk)])) == [theme]
    with pytest.raises(ValidationError) as caught:
        field.clean(["１２３x"])
    assert caught.value.code == "invalid_pk_value"


@pytest.mark.django_db
def test_cohort_form_refuses_module_and_organization_ids_past_64_bits_at_the_field():
    from trainings.staff_forms import CohortForm

    form = CohortForm(
        data={"name": "Spring", "modules": ["9" * 40], "organizations": ["9223372036854775808"]}
    )
    assert not form.is_valid()
    assert "modules" in form.errors and "organizations" in form.errors


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["1e2", "1_000"])
def test_the_admins_donation_form_refuses_an_exponent_at_the_amount_and_records_nothing(client, raw):
    from django.utils import timezone

    from empowerment.authz import FINANCE_OFFICER
    from fundraising import ledger
    from fundraising.models import Donation
    from tests.factories.fundraising import ChannelFactory

    channel = ChannelFactory(code="bank-main", name="Bank account")
    client.force_login(staff_user(FINANCE_OFFICER))
    response = client.post(
        "/admin/fundraising/donation/add/",
        {
            "channel": channel.pk,
            "receipt_number": "R-1",
            "amount": raw,
            "received_on": timezone.localdate().isoformat(),
            "fund": ledger.general_fund().pk,
            "show_name": "",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["amount"] == [
        "Enter an amount in yuan, such as 1250.50."
    ]
    assert not Donation.objects.exists()


@pytest.mark.django_db
def test_every_money_column_is_entered_through_the_money_form_field():
    from django.apps import apps

    from empowerment.money import MoneyColumn, MoneyFormField

    columns = [f for m in apps.get_models() for f in m._meta.get_fields() if isinstance(f, MoneyColumn)]
    assert len(columns) > 20
    assert all(isinstance(f.formfield(), MoneyFormField) for f in columns)
    assert MoneyColumn(max_digits=14, decimal_places=2).deconstruct()[1] == "django.db.models.DecimalField"
