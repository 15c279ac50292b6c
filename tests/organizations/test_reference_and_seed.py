"""Reference data (the area tree of Inner Mongolia, themes) and the demo seed: both idempotent."""

import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from fundraising.ledger import ledger_verify
from fundraising.models import (
    Donation,
    Expenditure,
    Fund,
    Funder,
    GrantTranche,
    LedgerTransaction,
    PeriodClose,
)
from organizations.models import Area, Membership, Organization, Theme
from organizations.reference import reference_data_load
from projects.models import BudgetLine, Project
from trainings.models import Certificate
from trainings.selectors import enrolment_progress
from transparency.selectors import programme_figures

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    """Rows of every model of the project (history tables included)."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if not model._meta.label.startswith(("sessions.", "admin.", "contenttypes.", "auth.Permission"))
    }


def test_the_area_tree_holds_the_twelve_league_level_divisions_with_their_levels():
    reference_data_load()
    cities = Area.objects.filter(level=Area.Level.CITY)
    assert cities.count() == 12
    assert {"呼和浩特市", "包头市", "赤峰市", "兴安盟", "锡林郭勒盟", "阿拉善盟"} <= set(
        cities.values_list("name", flat=True)
    )
    assert all(
        code.startswith("15") and code.endswith("00") for code in cities.values_list("code", flat=True)
    )
    # Every lower division hangs under the division one level up whose code it extends.
    for area in Area.objects.filter(level__gt=1).select_related("parent"):
        assert area.parent.level == area.level - 1
        assert area.code.startswith(area.parent.code[: 4 if area.level == 2 else len(area.parent.code)])
    baotou = Area.objects.get(code="150200")
    assert baotou.children.filter(name="昆都仑区").exists()
    assert Area.objects.filter(level=Area.Level.COMMUNITY, parent__parent__parent=baotou).exists()
    assert Theme.objects.exists()


def test_loading_the_reference_data_twice_changes_nothing():
    first = reference_data_load()
    assert first["areas"] > 12 and first["themes"] > 0
    counts = _counts()
    assert reference_data_load() == {"areas": 0, "themes": 0}
    assert _counts() == counts


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo programme, seeded once for this module's tests (about half a minute) in a transaction
    rolled back after them; each test runs in a savepoint of it. Returns what seed_demo printed."""
    out = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_seed_demo_loads_a_believable_programme_and_a_second_run_changes_nothing(seeded):
    assert "officer@demo.example" in seeded
    assert 75 <= Organization.objects.count() <= 100
    assert Organization.objects.filter(status=Organization.Status.ACTIVE).count() >= 70
    assert Membership.objects.values("organization").distinct().count() == Organization.objects.count()
    assert set(Organization.objects.values_list("area__code", flat=True).distinct()) - {None}
    counts = _counts()

    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == counts


def test_seed_demo_shows_the_programme_the_article_describes_on_the_dashboard(seeded):
    """80+ organizations trained, 14 incubated projects over the four themes, over 800,000 yuan raised from
    every kind of funder, spending dated across the year: all through the services, with books that
    verify."""
    figures = programme_figures()

    assert figures["organizations_trained"] >= 80
    # Trained means the completion rule was met, for every certificate issued.
    for certificate in Certificate.objects.filter(revoked_at__isnull=True).select_related("enrolment"):
        assert enrolment_progress(certificate.enrolment).met

    assert figures["projects_incubated"] == 14
    themes = dict(Theme.objects.values_list("pk", "slug"))
    by_theme = {themes[pk]: row["projects"] for pk, row in figures["by_theme"].items() if row["projects"]}
    assert set(by_theme) == {"older_people", "children", "special_groups", "community_safety"}
    assert sum(by_theme.values()) == 14
    # Proposals not public yet exist, and have no money (so no public trace in any money figure).
    hidden = Project.objects.exclude(status__in=Project.PUBLIC_STATUSES)
    assert hidden.count() >= 3
    assert not Fund.objects.filter(project__in=hidden).exists()

    assert figures["raised"] > Decimal("800000")
    kinds = set(
        Donation.objects.filter(status=Donation.Status.RECORDED).values_list("funder__kind", flat=True)
    )
    assert {
        Funder.Kind.GOVERNMENT,
        Funder.Kind.FOUNDATION,
        Funder.Kind.ENTERPRISE,
        Funder.Kind.COMMUNITY,
        Funder.Kind.INDIVIDUAL,
        Funder.Kind.PLATFORM,
    } <= kinds
    assert GrantTranche.objects.filter(donation__isnull=False).count() >= 6  # grants paid in tranches
    assert GrantTranche.objects.filter(donation__isnull=True).exists()  # one still waiting for its milestone

    spending_months = [month for month, _raised, spent in figures["monthly"] if spent > 0]
    assert len(spending_months) >= 6
    spent_categories = set(
        Expenditure.objects.filter(status=Expenditure.Status.APPROVED).values_list(
            "budget_line__category", flat=True
        )
    )
    assert spent_categories == set(BudgetLine.Category.values)
    assert PeriodClose.objects.count() >= 6
    assert LedgerTransaction.objects.filter(occurred_on__isnull=False).exists()  # prior-period adjustments
    assert LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.REVERSAL).count() >= 2
    assert ledger_verify() == []
