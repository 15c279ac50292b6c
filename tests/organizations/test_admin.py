"""Foundation staff in the admin: organizations with filters, search and history; due-diligence expiry."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from organizations import selectors, services
from organizations.models import DueDiligenceDocument, Organization
from tests.factories.core import OrganizationFactory

pytestmark = pytest.mark.django_db

ORGS = "/admin/organizations/organization/"
DOCS = "/admin/organizations/duediligencedocument/"


@pytest.fixture
def officer_client(client, people):
    client.force_login(people["programme_officer"])
    return client


def _names(response) -> list[str]:
    return [o.name_zh_hans for o in response.context["cl"].result_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"甲社区服务中心", "乙社区服务中心", "丙社区互助会"}),
        ("?q=甲社区", {"甲社区服务中心"}),
        ("?q=%22Org+B%22", {"乙社区服务中心"}),  # a quoted phrase: the English name
        ("?status__exact=suspended", {"丙社区互助会"}),
        ("?legal_form__exact=unregistered", {"丙社区互助会"}),
        ("?status__exact=active&legal_form__exact=social_service", {"甲社区服务中心", "乙社区服务中心"}),
    ],
)
def test_a_programme_officer_finds_organizations_by_filter_and_search(
    officer_client, org_a, org_b, query, expected
):
    OrganizationFactory(
        name="丙社区互助会",
        name_en="Group C",
        legal_form="unregistered",
        credit_code=None,
        status="suspended",
    )
    response = officer_client.get(ORGS + query)
    assert response.status_code == 200
    assert set(_names(response)) == expected


def test_the_area_theme_and_date_filters_answer(officer_client, org_a):
    city = org_a.area.parent.parent.parent
    for query in [
        f"?area__parent__parent__id__exact={org_a.area.parent.parent_id}",
        "?joined_on__gte=2000-01-01",
    ]:
        assert officer_client.get(ORGS + query).status_code == 200
    assert city.level == 1
    assert officer_client.get(ORGS + "?themes__id__exact=1").status_code == 200


def test_the_organization_list_takes_a_bounded_number_of_queries(
    officer_client, django_assert_max_num_queries
):
    for _ in range(20):
        OrganizationFactory()
    with django_assert_max_num_queries(20):
        response = officer_client.get(ORGS)
    assert response.status_code == 200
    assert len(_names(response)) == Organization.objects.count() == 22


def test_history_shows_who_changed_an_organization(officer_client, org_a, people):
    # Called outside a request (a shell, a task): the acting user is recorded all the same.
    services.organization_update_profile(
        organization=org_a, by=people["a_editor"], data={"address": "新地址 1 号"}
    )
    assert org_a.history.first().history_user == people["a_editor"]
    response = officer_client.get(f"{ORGS}{org_a.pk}/history/")
    assert response.status_code == 200
    page = response.content.decode()
    assert people["a_editor"].email in page or str(people["a_editor"]) in page
    record = org_a.history.first()
    assert officer_client.get(f"{ORGS}{org_a.pk}/history/{record.history_id}/").status_code == 200


def test_every_organizations_admin_list_opens_for_a_programme_officer(officer_client, org_a):
    for model, _ in [(m, a) for m, a in admin.site._registry.items() if m._meta.app_label == "organizations"]:
        url = f"/admin/organizations/{model._meta.model_name}/"
        assert officer_client.get(url).status_code == 200, url
        assert officer_client.get(url + "?q=x").status_code == 200, url


def test_a_programme_officer_cannot_set_an_application_status_by_hand(officer_client, people):
    from organizations.admin import ProgrammeApplicationAdmin

    assert "status" in ProgrammeApplicationAdmin.readonly_fields


def test_an_organization_member_without_staff_status_cannot_open_the_admin(client, people):
    client.force_login(people["a_admin"])
    response = client.get(ORGS)
    assert response.status_code == 302
    assert "login" in response["Location"]


def _doc(org, days, title, kind=DueDiligenceDocument.Kind.ANNUAL_INSPECTION):
    # One kind per document of an organization: a later one of the same kind would be its renewal.
    today = timezone.localdate()
    return DueDiligenceDocument.objects.create(
        organization=org,
        kind=kind,
        title=title,
        file=ContentFile(b"%PDF-1.4\n", name="x.pdf"),
        issued_on=today - timedelta(days=400),
        expires_on=None if days is None else today + timedelta(days=days),
    )


@pytest.fixture
def documents(org_a, org_b):
    return {
        "expired": _doc(org_a, -1, "expired yesterday", DueDiligenceDocument.Kind.REGISTRATION),
        "soon": _doc(org_b, 30, "expires in 30 days"),
        "edge": _doc(org_a, 60, "expires in 60 days", DueDiligenceDocument.Kind.CHARTER),
        "later": _doc(org_a, 200, "expires in 200 days"),
        "never": _doc(org_b, None, "no expiry", DueDiligenceDocument.Kind.OTHER),
    }


def test_the_staff_expiry_filters_list_what_is_expiring_and_what_has_expired(officer_client, documents):
    soon = officer_client.get(DOCS + "?expiry=60")
    assert soon.status_code == 200
    assert {d.title for d in soon.context["cl"].result_list} == {"expires in 30 days", "expires in 60 days"}
    assert "expires in 30 days" in soon.content.decode()

    expired = officer_client.get(DOCS + "?expiry=expired")
    assert {d.title for d in expired.context["cl"].result_list} == {"expired yesterday"}
    assert ">expired<" in expired.content.decode()  # the state column


def test_the_staff_page_links_to_the_due_diligence_screen(officer_client, documents):
    page = officer_client.get("/staff/").content.decode()
    assert reverse("organizations:staff_documents") in page


def test_the_expiring_selector_lists_expired_and_soon_expiring_documents_soonest_first(documents):
    assert [d.title for d in selectors.documents_expiring(within_days=60)] == [
        "expired yesterday",
        "expires in 30 days",
        "expires in 60 days",
    ]


def test_a_due_diligence_document_cannot_expire_before_it_was_issued(org_a):
    from django.db import IntegrityError, transaction

    today = timezone.localdate()
    with pytest.raises(IntegrityError), transaction.atomic():
        DueDiligenceDocument.objects.create(
            organization=org_a,
            kind="charter",
            title="x",
            file="x.pdf",
            issued_on=today,
            expires_on=today - timedelta(1),
        )
    assert Organization.objects.filter(pk=org_a.pk).exists()


def test_the_staff_screen_labels_each_expiry_list_by_what_it_shows(officer_client, documents):
    page = officer_client.get(reverse("organizations:staff_documents")).content.decode()
    lapsed = page[page.index("Lapsed: expired and not renewed") : page.index("Expiring within 60 days")]
    expiring = page[page.index("Expiring within 60 days") :]
    assert "expired yesterday" in lapsed and "expires in 30 days" not in lapsed
    assert "expires in 30 days" in expiring and "expires in 60 days" in expiring
    assert "expires in 200 days" not in expiring  # listed only in the verification queue above


def test_a_programme_officer_requests_a_profile_pdf_from_the_admin(
    officer_client, org_a, django_capture_on_commit_callbacks
):
    from empowerment.models import Document

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            ORGS, {"action": "request_profile_pdf", "_selected_action": [org_a.pk], "index": "0"}
        )
    document = Document.objects.get(kind="organization_profile", subject_id=str(org_a.pk))
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{document.pk}/"
    assert document.status == Document.Status.READY
    change_page = officer_client.get(f"{ORGS}{org_a.pk}/change/").content.decode()
    assert f"/documents/{document.pk}/" in change_page
