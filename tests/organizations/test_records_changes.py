"""Organizations change and delete their partners, partner resources, volunteer teams, volunteers and hours
in the portal, with history: services with their refusals (nothing changed when refused), then the pages
per role."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organizations import community_services as cs
from organizations import records_services as rs
from organizations.models import Partner, PartnerResource, Volunteer, VolunteerHours, VolunteerTeam

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def team(org_a, people):
    return cs.team_create(organization=org_a, by=people["a_editor"], name="Sunshine visitors")


@pytest.fixture
def volunteer(team, people):
    return cs.volunteer_add(team=team, by=people["a_editor"], name="Zhang Wei", joined_on=date(2025, 1, 1))


@pytest.fixture
def partner(org_a, people):
    return cs.partner_add(organization=org_a, by=people["a_editor"], name="Hope Pharmacy", kind="enterprise")


def _resource(org_a, people, partner, **kw):
    data = {
        "kind": "venue",
        "description": "Meeting room",
        "provided_on": date(2025, 3, 1),
        "estimated_value": Decimal("600"),
        "valuation_basis": "Market rent, 3 hours",
    }
    return cs.resource_record(organization=org_a, by=people["a_editor"], partner=partner, **{**data, **kw})


def _partner_data(**kw):
    return {"name": "Hope Pharmacy Ltd", "kind": "enterprise", "contact_name": "Ms Li", **kw}


# Partners and resources ----------------------------------------------------------------------------------


def test_a_partner_only_this_organization_works_with_is_changed_with_history(org_a, people, partner):
    rs.partner_change(organization=org_a, by=people["a_editor"], partner=partner, **_partner_data())
    partner.refresh_from_db()
    assert (partner.name, partner.contact_name) == ("Hope Pharmacy Ltd", "Ms Li")
    assert partner.history.latest("history_date").history_user == people["a_editor"]


def test_a_shared_partner_or_a_taken_name_is_refused_and_nothing_changes(org_a, org_b, people, partner):
    Partner.objects.create(name="Other Shop", kind="enterprise")
    with pytest.raises(ValidationError) as taken:
        rs.partner_change(
            organization=org_a, by=people["a_editor"], partner=partner, **_partner_data(name="other shop")
        )
    assert "name" in taken.value.error_dict
    cs.partner_add(organization=org_b, by=people["b_admin"], name="Hope Pharmacy", kind="enterprise")
    with pytest.raises(ValidationError, match="Other organizations work with"):
        rs.partner_change(organization=org_a, by=people["a_editor"], partner=partner, **_partner_data())
    with pytest.raises(PermissionDenied):
        rs.partner_change(organization=org_a, by=people["a_viewer"], partner=partner, **_partner_data())
    partner.refresh_from_db()
    assert partner.name == "Hope Pharmacy" and partner.contact_name == ""


def test_a_resource_is_corrected_and_refused_at_the_field_when_wrong(org_a, people, partner):
    resource = _resource(org_a, people, partner)
    fields = {
        "partner": partner,
        "kind": "goods",
        "description": "Leaflets",
        "provided_on": date(2025, 3, 2),
        "estimated_value": Decimal("80"),
        "valuation_basis": "",
    }
    with pytest.raises(ValidationError) as no_basis:
        rs.resource_change(organization=org_a, by=people["a_editor"], resource=resource, **fields)
    assert "valuation_basis" in no_basis.value.error_dict
    future = {
        **fields,
        "valuation_basis": "Printer's invoice",
        "provided_on": timezone.localdate() + timedelta(1),
    }
    with pytest.raises(ValidationError) as in_future:
        rs.resource_change(organization=org_a, by=people["a_editor"], resource=resource, **future)
    assert "provided_on" in in_future.value.error_dict
    resource.refresh_from_db()
    assert resource.description == "Meeting room" and resource.estimated_value == Decimal("600.00")
    rs.resource_change(
        organization=org_a,
        by=people["a_editor"],
        resource=resource,
        **{**fields, "valuation_basis": "Invoice"},
    )
    resource.refresh_from_db()
    assert (resource.kind, resource.estimated_value, resource.valuation_basis) == (
        "goods",
        Decimal("80.00"),
        "Invoice",
    )


def test_a_resource_is_deleted_by_its_organization_only(org_a, org_b, people, partner):
    resource = _resource(org_a, people, partner)
    with pytest.raises(ValidationError):
        rs.resource_delete(organization=org_b, by=people["b_admin"], resource=resource)
    with pytest.raises(PermissionDenied):
        rs.resource_delete(organization=org_a, by=people["a_viewer"], resource=resource)
    rs.resource_delete(organization=org_a, by=people["a_editor"], resource=resource)
    assert not PartnerResource.objects.exists()
    assert PartnerResource.history.filter(history_type="-").get().history_user == people["a_editor"]


# Teams, volunteers and hours -----------------------------------------------------------------------------


def test_a_team_is_renamed_unless_the_name_is_taken(org_a, people, team):
    cs.team_create(organization=org_a, by=people["a_editor"], name="Night walkers")
    with pytest.raises(ValidationError) as taken:
        rs.team_change(team=team, by=people["a_editor"], name="night walkers")
    assert "name" in taken.value.error_dict
    rs.team_change(team=team, by=people["a_editor"], name="Sunshine", leader_name="Wang")
    team.refresh_from_db()
    assert (team.name, team.leader_name) == ("Sunshine", "Wang")


def test_a_team_with_volunteers_is_not_deleted(people, team, volunteer):
    with pytest.raises(ValidationError, match="has volunteers"):
        rs.team_delete(team=team, by=people["a_editor"])
    rs.volunteer_delete(volunteer=volunteer, by=people["a_editor"])
    rs.team_delete(team=team, by=people["a_editor"])
    assert not VolunteerTeam.objects.filter(pk=team.pk).exists()


def test_a_volunteer_with_hours_is_kept_and_their_joining_date_cannot_pass_their_hours(people, volunteer):
    cs.hours_record(
        volunteer=volunteer, by=people["a_editor"], date=date(2025, 2, 1), hours="3", activity="Visits"
    )
    with pytest.raises(ValidationError, match="has hours on record"):
        rs.volunteer_delete(volunteer=volunteer, by=people["a_editor"])
    with pytest.raises(ValidationError) as late:
        rs.volunteer_change(
            volunteer=volunteer, by=people["a_editor"], name="Zhang Wei", joined_on=date(2025, 3, 1)
        )
    assert "joined_on" in late.value.error_dict
    rs.volunteer_change(
        volunteer=volunteer,
        by=people["a_editor"],
        name="张伟",
        phone="138",
        joined_on=date(2025, 1, 5),
        active=False,
    )
    volunteer.refresh_from_db()
    assert (volunteer.name, volunteer.active, volunteer.joined_on) == ("张伟", False, date(2025, 1, 5))
    assert volunteer.hours.count() == 1


def test_hours_are_corrected_within_a_day_of_24_and_deleted(people, volunteer):
    first = cs.hours_record(
        volunteer=volunteer, by=people["a_editor"], date=date(2025, 2, 1), hours="20", activity="Fair"
    )
    second = cs.hours_record(
        volunteer=volunteer, by=people["a_editor"], date=date(2025, 2, 2), hours="3", activity="Visits"
    )
    with pytest.raises(ValidationError) as too_many:
        rs.hours_change(
            entry=second, by=people["a_editor"], date=date(2025, 2, 1), hours="5", activity="Visits"
        )
    assert "hours" in too_many.value.error_dict
    second.refresh_from_db()
    assert second.date == date(2025, 2, 2) and second.hours == Decimal("3.0")
    rs.hours_change(entry=first, by=people["a_editor"], date=date(2025, 2, 1), hours="21.5", activity="Fair")
    first.refresh_from_db()
    assert first.hours == Decimal("21.5")
    with pytest.raises(PermissionDenied):
        rs.hours_delete(entry=first, by=people["programme_officer"])
    rs.hours_delete(entry=first, by=people["a_editor"])
    assert list(VolunteerHours.objects.all()) == [second]


# Pages ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("a_admin", 200), ("a_editor", 200), ("a_viewer", 403), ("b_admin", 404), ("programme_officer", 403)],
)
def test_the_change_page_per_role(org_a, people, volunteer, role, status):
    url = reverse("organizations:record_edit", args=[org_a.slug, "volunteer", volunteer.pk])
    assert _client(people[role]).get(url).status_code == status
    assert Client().get(url).status_code == 302


def test_an_editor_changes_hours_on_the_page_and_sees_the_history(org_a, people, volunteer):
    entry = cs.hours_record(
        volunteer=volunteer, by=people["a_editor"], date=date(2025, 2, 1), hours="3", activity="Visits"
    )
    client = _client(people["a_editor"])
    url = reverse("organizations:record_edit", args=[org_a.slug, "hours", entry.pk])
    bad = client.post(url, {"date": "2025-02-01", "hours": "30", "activity": "Visits"})
    assert bad.status_code == 400 and "Enter between 0.1 and 24 hours." in bad.content.decode()
    ok = client.post(url, {"date": "2025-02-01", "hours": "4.5", "activity": "Visits"})
    assert ok.status_code == 302 and ok["Location"].endswith(f"/volunteers/teams/{volunteer.team_id}/")
    entry.refresh_from_db()
    assert entry.hours == Decimal("4.5")
    assert len(client.get(url).context["history"]) == 2
    team_page = client.get(reverse("organizations:volunteer_team", args=[org_a.slug, volunteer.team_id]))
    assert url in team_page.content.decode()


@pytest.mark.parametrize(
    ("role", "status"), [("a_viewer", 403), ("b_admin", 404), ("programme_officer", 403)]
)
def test_delete_is_refused_to_who_may_not_write(org_a, people, volunteer, role, status):
    url = reverse("organizations:record_delete", args=[org_a.slug, "volunteer", volunteer.pk])
    assert _client(people[role]).post(url).status_code == status
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()


def test_an_editor_deletes_what_nothing_refers_to_and_is_told_why_not_otherwise(
    org_a, people, team, volunteer
):
    client = _client(people["a_editor"])
    refused = client.post(
        reverse("organizations:record_delete", args=[org_a.slug, "team", team.pk]), follow=True
    )
    assert "has volunteers" in refused.content.decode()
    assert VolunteerTeam.objects.filter(pk=team.pk).exists()
    gone = client.post(reverse("organizations:record_delete", args=[org_a.slug, "volunteer", volunteer.pk]))
    assert gone.status_code == 302 and not Volunteer.objects.filter(pk=volunteer.pk).exists()
    client.post(reverse("organizations:record_delete", args=[org_a.slug, "team", team.pk]))
    assert not VolunteerTeam.objects.filter(pk=team.pk).exists()
    assert (
        client.get(reverse("organizations:record_edit", args=[org_a.slug, "nothing", 1])).status_code == 404
    )
