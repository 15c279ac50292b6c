"""Reference data (the area tree of Inner Mongolia, themes) and the demo seed: both idempotent."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from organizations.models import Area, Membership, Organization, Theme
from organizations.reference import reference_data_load

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


def test_seed_demo_loads_a_believable_programme_and_a_second_run_changes_nothing():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "officer@demo.example" in out.getvalue()
    assert 75 <= Organization.objects.count() <= 100
    assert Organization.objects.filter(status=Organization.Status.ACTIVE).count() >= 70
    assert Membership.objects.values("organization").distinct().count() == Organization.objects.count()
    assert set(Organization.objects.values_list("area__code", flat=True).distinct()) - {None}
    counts = _counts()

    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == counts
