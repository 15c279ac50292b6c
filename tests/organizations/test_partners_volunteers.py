"""Partners, the non-cash resources they bring, volunteer teams, volunteers and hours: written in the
portal by an organization's admins and editors, valued at the rate staff set, shown apart from cash."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organizations import community_services as cs
from organizations import selectors
from organizations.models import (
    Partner,
    PartnerResource,
    Volunteer,
    VolunteerHourRate,
    VolunteerHours,
    VolunteerTeam,
)

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def team(org_a, people):
    return cs.team_create(
        organization=org_a, by=people["a_editor"], name="Sunshine visitors", leader_name="Li"
    )


@pytest.fixture
def volunteer(team, people):
    return cs.volunteer_add(team=team, by=people["a_editor"], name="Zhang Wei", joined_on=date(2025, 1, 1))


# Partners and resources -------------------------------------------------------------------------------------


def test_adding_a_known_partner_links_it_without_changing_its_details(org_a, org_b, people):
    known = cs.partner_add(
        organization=org_b,
        by=people["b_admin"],
        name="Kundulun Civil Affairs",
        kind="government",
        contact_name="Wu",
    )
    linked = cs.partner_add(
        organization=org_a,
        by=people["a_editor"],
        name="kundulun civil affairs",
        kind="enterprise",
        contact_name="X",
    )
    assert linked.pk == known.pk
    linked.refresh_from_db()
    assert linked.kind == "government" and linked.contact_name == "Wu"
    assert set(linked.organizations.values_list("slug", flat=True)) == {org_a.slug, org_b.slug}
    with pytest.raises(ValidationError) as exc:
        cs.partner_add(
            organization=org_a, by=people["a_admin"], name="Kundulun Civil Affairs", kind="government"
        )
    assert "name" in exc.value.error_dict
    assert Partner.objects.count() == 1


def test_viewers_staff_and_other_organizations_cannot_write(org_a, people, team, volunteer):
    partner = cs.partner_add(organization=org_a, by=people["a_admin"], name="Steel works", kind="enterprise")
    for user in (people["a_viewer"], people["b_admin"], people["programme_officer"]):
        with pytest.raises(PermissionDenied):
            cs.partner_add(organization=org_a, by=user, name="Other", kind="other")
        with pytest.raises(PermissionDenied):
            cs.resource_record(
                organization=org_a,
                by=user,
                partner=partner,
                kind="venue",
                description="Hall",
                provided_on=date(2025, 3, 1),
                estimated_value=Decimal("100"),
                valuation_basis="rent",
            )
        with pytest.raises(PermissionDenied):
            cs.team_create(organization=org_a, by=user, name="Another team")
        with pytest.raises(PermissionDenied):
            cs.volunteer_add(team=team, by=user, name="Someone")
        with pytest.raises(PermissionDenied):
            cs.hours_record(
                volunteer=volunteer, by=user, date=date(2025, 3, 1), hours=Decimal("2"), activity="Visit"
            )
    assert Partner.objects.count() == 1 and not PartnerResource.objects.exists()
    assert VolunteerTeam.objects.count() == 1 and Volunteer.objects.count() == 1
    assert not VolunteerHours.objects.exists()


def test_a_resource_is_recorded_with_its_basis_and_refused_at_the_field_when_wrong(org_a, org_b, people):
    mine = cs.partner_add(organization=org_a, by=people["a_editor"], name="Steel works", kind="enterprise")
    theirs = cs.partner_add(organization=org_b, by=people["b_admin"], name="Bank", kind="enterprise")
    base = {
        "organization": org_a,
        "by": people["a_editor"],
        "partner": mine,
        "kind": "venue",
        "description": "Meeting hall, 4 Saturdays",
        "provided_on": date(2025, 3, 1),
        "estimated_value": Decimal("1200.00"),
        "valuation_basis": "Market rent 300 a day",
    }
    refusals = [
        ({"partner": theirs}, "partner"),
        ({"estimated_value": Decimal("-1")}, "estimated_value"),
        ({"estimated_value": "12.345"}, "estimated_value"),
        ({"valuation_basis": " "}, "valuation_basis"),
        ({"provided_on": timezone.localdate() + timedelta(days=2)}, "provided_on"),
        ({"description": ""}, "description"),
    ]
    for change, field in refusals:
        with pytest.raises(ValidationError) as exc:
            cs.resource_record(**{**base, **change})
        assert field in exc.value.error_dict, change
    assert not PartnerResource.objects.exists()
    resource = cs.resource_record(**base)
    assert resource.estimated_value == Decimal("1200.00") and resource.organization == org_a
    assert selectors.organization_resources_value(org_a) == {"count": 1, "value": Decimal("1200.00")}
    # A partner with resources on record stays on the list.
    with pytest.raises(ValidationError):
        cs.partner_unlink(organization=org_a, by=people["a_admin"], partner=mine)
    assert mine.organizations.filter(pk=org_a.pk).exists()


# Volunteers -------------------------------------------------------------------------------------------------


def test_team_names_are_unique_within_an_organization(org_a, org_b, people, team):
    with pytest.raises(ValidationError) as exc:
        cs.team_create(organization=org_a, by=people["a_admin"], name="sunshine VISITORS")
    assert "name" in exc.value.error_dict
    cs.team_create(organization=org_b, by=people["b_admin"], name="Sunshine visitors")  # another organization
    assert VolunteerTeam.objects.count() == 2


def test_hours_are_refused_when_impossible(org_a, people, volunteer):
    base = {
        "volunteer": volunteer,
        "by": people["a_editor"],
        "date": date(2025, 3, 1),
        "activity": "Home visits",
    }
    cs.hours_record(**base, hours=Decimal("20"))
    refusals = [
        ({"hours": Decimal("5")}, "hours"),  # 20 + 5 > 24 on one day
        ({"hours": Decimal("0")}, "hours"),
        ({"hours": Decimal("25"), "date": date(2025, 3, 2)}, "hours"),
        ({"hours": Decimal("2"), "date": timezone.localdate() + timedelta(days=1)}, "date"),
        ({"hours": Decimal("2"), "date": date(2024, 12, 31)}, "date"),  # before the volunteer joined
        ({"hours": Decimal("2"), "activity": "  ", "date": date(2025, 3, 2)}, "activity"),
    ]
    for change, field in refusals:
        with pytest.raises(ValidationError) as exc:
            cs.hours_record(**{**base, **change})
        assert field in exc.value.error_dict, change
    assert list(VolunteerHours.objects.values_list("hours", flat=True)) == [Decimal("20.0")]


def test_hours_are_valued_at_the_rate_in_force_on_their_date_as_non_cash(org_a, org_b, people, volunteer):
    cs.hours_record(
        volunteer=volunteer, by=people["a_editor"], date=date(2025, 1, 10), hours=Decimal("3"), activity="A"
    )
    cs.hours_record(
        volunteer=volunteer, by=people["a_editor"], date=date(2025, 6, 10), hours=Decimal("2.5"), activity="B"
    )
    cs.hours_record(
        volunteer=volunteer, by=people["a_editor"], date=date(2026, 2, 1), hours=Decimal("4"), activity="C"
    )
    assert selectors.volunteer_hours_summary(organization=org_a)["value"] == Decimal("0.00")  # no rate yet
    VolunteerHourRate.objects.create(
        valid_from=date(2025, 3, 1), yuan_per_hour=Decimal("20.00"), basis="Minimum wage 2025"
    )
    VolunteerHourRate.objects.create(
        valid_from=date(2026, 1, 1), yuan_per_hour=Decimal("22.50"), basis="Minimum wage 2026"
    )
    summary = selectors.volunteer_hours_summary(organization=org_a)
    # 3 h before the first rate are not valued; 2.5 h at 20.00; 4 h at 22.50.
    assert summary == {"hours": Decimal("9.5"), "valued_hours": Decimal("6.5"), "value": Decimal("140.00")}
    assert selectors.volunteer_hours_summary(organization=org_b)["hours"] == Decimal("0")
    in_2025 = selectors.volunteer_hours_summary(start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert in_2025["value"] == Decimal("50.00") and isinstance(in_2025["value"], Decimal)


# Views -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "can_edit"),
    [
        ("a_admin", 200, True),
        ("a_editor", 200, True),
        ("a_viewer", 200, False),
        ("b_admin", 404, False),
        ("trainer", 200, False),
    ],
)
def test_the_portal_pages_per_role(org_a, people, team, role, status, can_edit):
    client = _client(people[role])
    for name, args, form_id in (
        ("organizations:partners", [org_a.slug], 'id="partner-add"'),
        ("organizations:volunteers", [org_a.slug], 'id="team-add"'),
        ("organizations:volunteer_team", [org_a.slug, team.pk], 'id="volunteer-add"'),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == status, name
        if status == 200:
            assert (form_id in response.content.decode()) is can_edit, name


def test_anonymous_and_another_organizations_team(org_a, org_b, people, team):
    response = Client().get(reverse("organizations:volunteers", args=[org_a.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # org_b's admin asking for org_a's team through their own organization: the same 404.
    url = reverse("organizations:volunteer_team", args=[org_b.slug, team.pk])
    assert _client(people["b_admin"]).get(url).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"), [("a_viewer", 403), ("b_admin", 404), ("programme_officer", 403)]
)
def test_only_admins_and_editors_post(org_a, people, team, role, status):
    client = _client(people[role])
    assert (
        client.post(
            reverse("organizations:partners", args=[org_a.slug]), {"name": "X", "kind": "other"}
        ).status_code
        == status
    )
    assert (
        client.post(reverse("organizations:volunteers", args=[org_a.slug]), {"name": "New team"}).status_code
        == status
    )
    assert (
        client.post(
            reverse("organizations:volunteer_team", args=[org_a.slug, team.pk]),
            {"name": "Wang", "joined_on": "2025-01-01"},
        ).status_code
        == status
    )
    assert (
        not Partner.objects.exists() and VolunteerTeam.objects.count() == 1 and not Volunteer.objects.exists()
    )


def test_an_editor_records_a_partner_resource_and_hours_in_the_portal(org_a, people, team):
    client = _client(people["a_editor"])
    url = reverse("organizations:partners", args=[org_a.slug])
    assert client.post(url, {"name": "Baotou Steel", "kind": "enterprise"}).status_code == 302
    partner = Partner.objects.get()
    resource_url = reverse("organizations:resource_add", args=[org_a.slug])
    data = {
        "partner": partner.pk,
        "kind": "goods",
        "description": "Rice, 50 bags",
        "provided_on": "2025-03-01",
        "estimated_value": "2500",
        "valuation_basis": "",
    }
    response = client.post(resource_url, data)
    assert response.status_code == 200 and "Say how the value was arrived at" in response.content.decode()
    assert client.post(resource_url, {**data, "valuation_basis": "Market price 50 a bag"}).status_code == 302
    page = client.get(url).content.decode()
    assert "Rice, 50 bags" in page and "¥2,500.00" in page and "non-cash" in page

    team_url = reverse("organizations:volunteer_team", args=[org_a.slug, team.pk])
    assert client.post(team_url, {"name": "Wang Fang", "joined_on": "2025-01-01"}).status_code == 302
    volunteer = Volunteer.objects.get()
    hours_url = reverse("organizations:volunteer_hours", args=[org_a.slug, team.pk])
    response = client.post(
        hours_url, {"volunteer": volunteer.pk, "date": "2025-03-02", "hours": "30", "activity": "Visits"}
    )
    assert response.status_code == 200 and not VolunteerHours.objects.exists()
    ok = {"volunteer": volunteer.pk, "date": "2025-03-02", "hours": "3.5", "activity": "Visits"}
    assert client.post(hours_url, ok).status_code == 302
    VolunteerHourRate.objects.create(
        valid_from=date(2025, 1, 1), yuan_per_hour=Decimal("20.00"), basis="Minimum wage"
    )
    page = client.get(reverse("organizations:volunteers", args=[org_a.slug])).content.decode()
    assert "3.5 hours of volunteer work" in page and "¥70.00" in page and "non-cash" in page


def test_a_partner_without_resources_can_be_unlinked_by_an_editor_only(org_a, people):
    partner = cs.partner_add(organization=org_a, by=people["a_admin"], name="Library", kind="government")
    url = reverse("organizations:partner_unlink", args=[org_a.slug, partner.pk])
    assert _client(people["a_viewer"]).post(url).status_code == 403
    assert _client(people["b_admin"]).post(url).status_code == 404
    assert partner.organizations.filter(pk=org_a.pk).exists()
    assert _client(people["a_editor"]).post(url).status_code == 302
    assert not partner.organizations.filter(pk=org_a.pk).exists()


def test_the_portal_dashboard_links_to_partners_and_volunteers(org_a, people):
    page = (
        _client(people["a_viewer"])
        .get(reverse("organizations:portal_dashboard", args=[org_a.slug]))
        .content.decode()
    )
    assert reverse("organizations:partners", args=[org_a.slug]) in page
    assert reverse("organizations:volunteers", args=[org_a.slug]) in page


# Where the figures are read -------------------------------------------------------------------------------


def _with_valued_hours(org_a, people, volunteer):
    VolunteerHourRate.objects.create(
        valid_from=date(2020, 1, 1), yuan_per_hour=Decimal("25.00"), basis="Wage"
    )
    day = timezone.localdate() - timedelta(days=1)
    for _ in range(3):
        cs.hours_record(
            volunteer=volunteer, by=people["a_editor"], date=day, hours=Decimal("4"), activity="Visits"
        )
    partner = cs.partner_add(
        organization=org_a, by=people["a_admin"], name="Baotou Library", kind="government"
    )
    cs.resource_record(
        organization=org_a,
        by=people["a_admin"],
        partner=partner,
        kind="venue",
        description="Reading room",
        provided_on=day,
        estimated_value=Decimal("800.00"),
        valuation_basis="Rent",
    )


def test_the_public_dashboard_and_organization_page_show_team_hours_valued_as_non_cash(
    org_a, people, volunteer
):
    from django.core.cache import cache

    _with_valued_hours(org_a, people, volunteer)
    cache.clear()
    home = Client().get(reverse("home"))
    assert home.status_code == 200
    page = home.content.decode()
    assert "and 12 hours in volunteer teams" in page
    assert 'data-figure="team_volunteer_value">valued at ¥300.00: non-cash' in page
    org_page = Client().get(reverse("transparency:organization_detail", args=[org_a.slug]))
    assert org_page.status_code == 200
    text = org_page.content.decode()
    assert "12 hours of volunteer work" in text and "¥300.00: non-cash" in text
    assert "1 volunteer team with 1 active volunteers" in text  # counted in one compiled read
    assert "Baotou Library" in text and "¥800.00 (non-cash)" in text


@pytest.mark.django_db(transaction=True)
def test_the_public_dashboard_follows_the_hours_a_team_records(org_a, people, volunteer):
    """A volunteer team's hours are rows of the "pages" topic alone: recording more shows them on the home
    page's figures (each change committed, no cache emptied in between)."""
    _with_valued_hours(org_a, people, volunteer)
    assert "and 12 hours in volunteer teams" in Client().get(reverse("home")).content.decode()
    cs.hours_record(
        volunteer=volunteer,
        by=people["a_editor"],
        date=timezone.localdate() - timedelta(days=1),
        hours=Decimal("4"),
        activity="Visits",
    )
    page = Client().get(reverse("home")).content.decode()
    assert "and 16 hours in volunteer teams" in page
    assert 'data-figure="team_volunteer_value">valued at ¥400.00: non-cash' in page


def test_the_finance_dashboard_lists_the_valued_hours_apart_from_cash(org_a, people, volunteer):
    _with_valued_hours(org_a, people, volunteer)
    response = _client(people["finance_officer"]).get(reverse("fundraising:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    row = page[page.index('data-figure="team_volunteer_value"') :]
    row = row[: row.index("</tr>")]
    assert "non-cash" in row and "¥300.00" in row
    assert "¥800.00" in page[page.index('data-figure="partner_resources_value"') :]
    assert response.context["d"]["raised_total"] == Decimal("0.00")  # nothing of it in the cash figures


def test_list_pages_do_not_grow_in_queries_with_rows(org_a, people, team, volunteer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(people["a_editor"])
    urls = [
        reverse("organizations:volunteers", args=[org_a.slug]),
        reverse("organizations:partners", args=[org_a.slug]),
        reverse("organizations:volunteer_team", args=[org_a.slug, team.pk]),
        reverse("organizations:documents", args=[org_a.slug]),
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx))
        return result

    def add_rows(n):
        cs.team_create(organization=org_a, by=people["a_editor"], name=f"Team {n}")
        v = cs.volunteer_add(team=team, by=people["a_editor"], name=f"V{n}", joined_on=date(2025, 1, 1))
        cs.hours_record(
            volunteer=v, by=people["a_editor"], date=date(2025, 2, 1), hours=Decimal("1"), activity="A"
        )
        p = cs.partner_add(organization=org_a, by=people["a_editor"], name=f"Partner {n}", kind="other")
        cs.resource_record(
            organization=org_a,
            by=people["a_editor"],
            partner=p,
            kind="goods",
            description="Goods",
            provided_on=date(2025, 2, 1),
            estimated_value=Decimal("10"),
            valuation_basis="Price",
        )

    add_rows(0)  # one row of each: every part of each page shows
    client.get(urls[0])  # warm the session and the role cache
    before = counts()
    for n in range(1, 5):
        add_rows(n)
    assert counts() == before
