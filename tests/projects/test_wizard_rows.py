"""The proposal wizard's in-place rows: adding a row (htmx and without JavaScript), the running budget total,
activities and milestones saved together (a milestone may name an activity not saved yet), the cap on
forged row counts, the community list grouped by city and the submit button saying what is missing."""

from datetime import date
from decimal import Decimal

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from projects.forms import MAX_ROWS, BasicsForm, PeopleFormSet
from projects.models import Activity, BudgetLine, Milestone
from projects.wizard_rows import step_formsets
from projects.wizard_services import project_activities_save
from tests.factories.core import AreaFactory, community_area
from tests.factories.projects import ProjectFactory, complete_proposal

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _rows(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


ACTIVITY = {"title": "Health checks", "start_date": "2025-02-01", "end_date": "2025-06-30"}


# Adding a row ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["a_admin", "a_editor"])
def test_the_row_endpoint_gives_an_empty_row_at_the_next_index_and_raises_the_count(org_a, people, role):
    project = ProjectFactory(organization=org_a)
    url = reverse("projects:wizard_row", args=[org_a.slug, project.pk, "budget"])
    response = _client(people[role]).get(url, {"budget-TOTAL_FORMS": "3"})
    assert response.status_code == 200
    tree = lxml.html.fragment_fromstring(response.content.decode(), create_parent="div")
    assert tree.xpath("//fieldset[@data-row]/@data-index") == ["3"]
    assert tree.xpath("//select[@name='budget-3-category']") and tree.xpath(
        "//input[@name='budget-3-amount']"
    )
    total = tree.xpath("//input[@id='id_budget-TOTAL_FORMS']")[0]
    assert total.get("value") == "4" and total.get("hx-swap-oob") == "true"
    assert not BudgetLine.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("a_viewer", 403), ("b_admin", 404), ("programme_officer", 403), ("anonymous", 302)]
)
def test_the_row_endpoints_refuse_who_may_not_edit_the_proposal(org_a, people, role, status):
    project = ProjectFactory(organization=org_a)
    client = _client(people[role]) if people[role] else Client()
    row = reverse("projects:wizard_row", args=[org_a.slug, project.pk, "activities"])
    total = reverse("projects:wizard_budget_total", args=[org_a.slug, project.pk])
    assert client.get(row, {"activities-TOTAL_FORMS": "1"}).status_code == status
    assert client.post(total, _rows("budget", [{"category": "venue", "amount": "10"}])).status_code == status


def test_a_milestone_row_offers_the_saved_activities(org_a, people):
    project = ProjectFactory(organization=org_a)
    activity = Activity.objects.create(
        project=project, title="Home visits", start_date=date(2025, 1, 1), end_date=date(2025, 3, 1)
    )
    url = reverse("projects:wizard_row", args=[org_a.slug, project.pk, "milestones"])
    response = _client(people["a_editor"]).get(url, {"milestones-TOTAL_FORMS": "0"})
    tree = lxml.html.fragment_fromstring(response.content.decode(), create_parent="div")
    options = tree.xpath("//select[@name='milestones-0-activity']/option")
    assert [(o.get("value"), o.text) for o in options][1:] == [(str(activity.pk), "Home visits")]


def test_the_row_endpoint_stops_at_the_maximum_and_refuses_a_missing_count(org_a, people):
    project = ProjectFactory(organization=org_a)
    client = _client(people["a_editor"])
    url = reverse("projects:wizard_row", args=[org_a.slug, project.pk, "indicators"])
    response = client.get(url, {"indicators-TOTAL_FORMS": str(MAX_ROWS)})
    assert response.status_code == 200
    assert f"at most {MAX_ROWS} rows" in response.content.decode() and b"<fieldset" not in response.content
    assert client.get(url, {"indicators-TOTAL_FORMS": "x"}).status_code == 400
    assert client.get(url).status_code == 400
    bad_kind = reverse("projects:wizard_row", args=[org_a.slug, project.pk, "needs"])
    assert client.get(bad_kind, {"needs-TOTAL_FORMS": "0"}).status_code == 404


def test_a_submitted_proposal_gets_no_new_rows(org_a, people):
    project = complete_proposal(ProjectFactory(organization=org_a, status="submitted"))
    url = reverse("projects:wizard_row", args=[org_a.slug, project.pk, "budget"])
    assert _client(people["a_editor"]).get(url, {"budget-TOTAL_FORMS": "1"}).status_code == 400


def test_without_javascript_add_a_row_shows_the_page_again_with_one_more_row_and_saves_nothing(org_a, people):
    project = ProjectFactory(organization=org_a)
    url = reverse("projects:wizard", args=[org_a.slug, project.pk, "budget"])
    data = _rows("budget", [{"category": "venue", "description": "Hall", "amount": "300"}])
    response = _client(people["a_editor"]).post(url, {**data, "add_row": "budget"})
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.content.decode())
    assert len(tree.xpath("//div[@id='rows-budget']/fieldset[@data-row]")) == 2
    assert tree.xpath("//input[@name='budget-0-description']/@value") == ["Hall"]
    assert not BudgetLine.objects.exists()


def test_a_forged_row_count_builds_no_more_than_the_maximum_and_saves_nothing(org_a, people):
    project = ProjectFactory(organization=org_a)
    url = reverse("projects:wizard", args=[org_a.slug, project.pk, "budget"])
    rows = [{"category": "venue", "description": f"Hall {i}", "amount": "1"} for i in range(MAX_ROWS + 1)]
    data = {**_rows("budget", rows), "budget-TOTAL_FORMS": "100000"}
    formsets = step_formsets(project, "budget", data)
    assert len(formsets["budget"].forms) == MAX_ROWS
    response = _client(people["a_editor"]).post(url, data)
    assert response.status_code == 200
    assert f"Please submit at most {MAX_ROWS} forms." in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_the_people_reached_rows_of_an_update_are_capped_too():
    data = {"people-TOTAL_FORMS": "5000", "people-INITIAL_FORMS": "0"}
    assert len(PeopleFormSet(data, prefix="people").forms) == 60


# The running budget total -------------------------------------------------------------------------------


def test_the_budget_total_sums_the_rows_as_typed_by_category_leaving_out_removed_rows(org_a, people):
    project = ProjectFactory(organization=org_a)
    url = reverse("projects:wizard_budget_total", args=[org_a.slug, project.pk])
    data = _rows(
        "budget",
        [
            {"category": "venue", "description": "Hall", "amount": "1,200.50"},
            {"category": "materials", "description": "Leaflets", "amount": "300"},
            {"category": "venue", "description": "Second hall", "amount": "99.50"},
            {"category": "travel", "description": "Bus", "amount": "80", "DELETE": "on"},
            {"category": "materials", "description": "Typo", "amount": "12.345"},
            {"category": "", "description": "", "amount": ""},
        ],
    )
    response = _client(people["a_editor"]).post(url, data)
    assert response.status_code == 200
    tree = lxml.html.fragment_fromstring(response.content.decode(), create_parent="div")
    rows = [(r.xpath("string(th)"), r.xpath("string(td)")) for r in tree.xpath("//tbody/tr")]
    assert rows == [("Materials", "¥300.00"), ("Venue", "¥1,300.00")]
    assert tree.xpath("string(//td[@data-budget-total])") == "¥1,600.00"
    assert "One amount is not a valid amount" in tree.xpath("string(//*[@data-not-counted])")
    assert not BudgetLine.objects.exists()  # a total is not a save


def test_the_budget_page_shows_the_saved_total(org_a, people):
    project = complete_proposal(ProjectFactory(organization=org_a))
    BudgetLine.objects.create(project=project, category="venue", description="Hall", amount=Decimal("800"))
    url = reverse("projects:wizard", args=[org_a.slug, project.pk, "budget"])
    tree = lxml.html.fromstring(_client(people["a_editor"]).get(url).content.decode())
    assert tree.xpath("string(//td[@data-budget-total])") == "¥2,000.00"


# Activities and milestones saved together ------------------------------------------------------------


def test_a_milestone_names_an_activity_entered_on_the_same_page_and_both_are_saved(org_a, people):
    project = ProjectFactory(organization=org_a)
    url = reverse("projects:wizard", args=[org_a.slug, project.pk, "activities"])
    data = {
        **_rows(
            "activities",
            [ACTIVITY, {"title": "Volunteer training", "start_date": "2025-03-01", "end_date": "2025-03-31"}],
        ),
        **_rows(
            "milestones", [{"title": "Volunteers trained", "due_date": "2025-03-31", "activity": "new-1"}]
        ),
    }
    # The unsaved activity is offered on the page shown again (here: after "add a row" without JavaScript).
    page = _client(people["a_editor"]).post(url, {**data, "add_row": "milestones"})
    tree = lxml.html.fromstring(page.content.decode())
    offered = tree.xpath("//select[@name='milestones-1-activity']/option/@value")
    assert offered == ["", "new-0", "new-1"]
    response = _client(people["a_editor"]).post(url, data)
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert milestone.activity.title == "Volunteer training" and milestone.activity.project == project
    assert Activity.objects.filter(project=project).count() == 2
    assert milestone.history.count() == 1


def test_a_milestone_of_an_activity_being_removed_is_refused_and_nothing_changes(org_a, people):
    project = ProjectFactory(organization=org_a)
    activity = Activity.objects.create(
        project=project, title="Home visits", start_date=date(2025, 1, 1), end_date=date(2025, 3, 1)
    )
    url = reverse("projects:wizard", args=[org_a.slug, project.pk, "activities"])
    data = {
        **_rows(
            "activities",
            [
                {
                    "id": str(activity.pk),
                    "title": "Home visits",
                    "start_date": "2025-01-01",
                    "end_date": "2025-03-01",
                    "DELETE": "on",
                },
                ACTIVITY,
            ],
            initial=1,
        ),
        **_rows(
            "milestones", [{"title": "Visits done", "due_date": "2025-03-01", "activity": str(activity.pk)}]
        ),
    }
    response = _client(people["a_editor"]).post(url, data)
    assert response.status_code == 200
    assert "belongs to an activity you are removing" in response.content.decode()
    assert list(Activity.objects.filter(project=project)) == [activity]
    assert not Milestone.objects.exists()


def test_the_activities_save_service_refuses_a_viewer_and_a_submitted_proposal(org_a, people):
    project = ProjectFactory(organization=org_a)
    data = _rows("activities", [ACTIVITY])
    formsets = step_formsets(project, "activities", data)
    assert formsets["activities"].is_valid()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        project_activities_save(project=project, by=people["a_viewer"], activities=formsets["activities"])
    project.status = "submitted"
    project.save()
    with pytest.raises(ValidationError):
        project_activities_save(project=project, by=people["a_editor"], activities=formsets["activities"])
    assert not Activity.objects.exists()


def test_the_old_timeline_address_leads_to_the_activities_page(org_a, people):
    project = ProjectFactory(organization=org_a)
    response = _client(people["a_editor"]).get(
        reverse("projects:wizard", args=[org_a.slug, project.pk, "milestones"])
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/projects/{project.pk}/edit/activities/#rows-milestones")


# Community list and the submit button --------------------------------------------------------------


def test_communities_are_grouped_by_city_and_told_apart_by_district_and_town():
    baotou_tuanjie = community_area()
    hohhot = AreaFactory(code="150100", name="呼和浩特市", name_en="Hohhot", level=1, parent=None)
    county = AreaFactory(code="150102", name="新城区", name_en="Xincheng District", level=2, parent=hohhot)
    town = AreaFactory(code="150102001", name="海拉尔路街道", name_en="Hailar Road", level=3, parent=county)
    AreaFactory(code="150102001001", name="团结社区", name_en="Tuanjie Community", level=4, parent=town)
    html = str(BasicsForm()["community"])
    tree = lxml.html.fragment_fromstring(html)
    groups = {g.get("label"): [o.text for o in g.xpath("option")] for g in tree.xpath("//optgroup")}
    assert set(groups) == {"Hohhot", "Baotou"} or set(groups) == {"呼和浩特市", "包头市"}
    assert all(len(options) == 1 for options in groups.values())
    labels = [options[0] for options in groups.values()]
    assert len(set(labels)) == 2 and all("·" in label for label in labels)
    assert tree.get("data-search")
    assert baotou_tuanjie.pk in {int(v) for v in tree.xpath("//option/@value") if v}


def test_the_submit_button_says_what_is_missing_until_nothing_is(org_a, people):
    project = ProjectFactory(organization=org_a)
    client = _client(people["a_editor"])
    url = reverse("projects:wizard", args=[org_a.slug, project.pk, "budget"])
    tree = lxml.html.fromstring(client.get(url).content.decode())
    button = tree.xpath("//*[@id='wizard-submit']//button")[0]
    assert button.get("disabled") is not None
    assert button.text_content() == "Choose at least one assessed need the project addresses."
    missing = tree.xpath("//ul[@id='wizard-missing']/li/text()")
    assert "Add at least one indicator." in missing and "Add at least one budget line." in missing
    complete_proposal(project)
    tree = lxml.html.fromstring(client.get(url).content.decode())
    button = tree.xpath("//*[@id='wizard-submit']//button")[0]
    assert button.get("disabled") is None and button.get("type") == "submit"
    assert tree.xpath("//*[@id='wizard-submit']//form/@action") == [
        reverse("projects:portal_move", args=[org_a.slug, project.pk])
    ]
