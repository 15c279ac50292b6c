"""One public page per project, campaign and fund: the older addresses answer with a permanent redirect
(query string kept), and the project page shows the plan, updates, indicators, its money with
in − out = balance, and links to its reports and disclosures. The money figures are those of the seeded
programme (tests/transparency/conftest.py): P1 received 5,000 + 2,000 in donations and 4,000 allocated
from the general fund, spent 2,500, holds 8,500."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from empowerment.models import Document
from fundraising import services as money
from projects.models import UpdatePhoto
from tests.factories import fundraising as ff
from tests.factories.projects import jpeg_bytes
from transparency import services
from transparency.periods import Period

pytestmark = pytest.mark.django_db


def _figure(html: str, name: str) -> Decimal:
    match = re.search(rf'data-figure="{name}"[^>]*>([^<]+)<', html)
    assert match, f"no data-figure={name} on the page"
    return Decimal(match.group(1).replace("¥", "").replace(",", "").strip())


@pytest.fixture
def campaign(programme):
    return ff.campaign(money.fund_for_project(programme.p1), slug="warm-winter")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/transparency/projects/", "/projects/"),
        ("/transparency/projects/?theme=older-people&page=1", "/projects/?theme=older-people&page=1"),
        ("/transparency/projects/health-checks/", "/projects/health-checks/"),
        (
            "/transparency/projects/health-checks/?from=2026-03&to=2026-03",
            "/projects/health-checks/?from=2026-03&to=2026-03",
        ),
        ("/money/projects/health-checks/", "/projects/health-checks/"),
        ("/money/projects/health-checks/?x=1", "/projects/health-checks/?x=1"),
        ("/transparency/campaigns/", "/campaigns/"),
        ("/transparency/campaigns/?state=open", "/campaigns/?state=open"),
        ("/transparency/campaigns/warm-winter/", "/campaigns/warm-winter/"),
        ("/money/funds/general/", "/funds/general/"),
    ],
)
def test_each_older_address_redirects_permanently_to_the_one_page(programme, campaign, old, new):
    response = Client().get(old)
    assert response.status_code == 301
    assert response["Location"] == new
    assert Client().get(new).status_code == 200


def test_a_project_fund_page_redirects_to_its_project_and_an_unpublished_one_is_not_found(programme):
    p1_fund = money.fund_for_project(programme.p1)
    response = Client().get(f"/funds/{p1_fund.code}/?from=2026-01")
    assert response.status_code == 301
    assert response["Location"] == "/projects/health-checks/?from=2026-01"
    draft_fund = money.fund_for_project(programme.draft)
    assert Client().get(f"/funds/{draft_fund.code}/").status_code == 404
    assert Client().get("/funds/no-such-fund/").status_code == 404
    assert Client().get("/money/funds/no-such-fund/").status_code == 301  # then 404 at the one page


def test_url_names_lead_to_the_canonical_addresses(programme, campaign):
    assert reverse("transparency:project_list") == "/projects/"
    assert reverse("transparency:project_detail", args=["health-checks"]) == "/projects/health-checks/"
    assert reverse("transparency:campaign_list") == "/campaigns/"
    assert reverse("transparency:campaign_detail", args=["warm-winter"]) == "/campaigns/warm-winter/"
    assert reverse("transparency:fund_detail", args=["general"]) == "/funds/general/"


def test_the_project_page_shows_plan_updates_indicators_and_money_that_adds_up(programme):
    photo = UpdatePhoto.objects.create(
        update=programme.p1.updates.filter(status="approved").first(),
        image=ContentFile(jpeg_bytes(), name="checks.jpg"),
        caption="Blood pressure day",
    )
    response = Client().get("/projects/health-checks/")
    assert response.status_code == 200
    html = response.content.decode()
    # The plan, the progress and the indicators against targets.
    for section in ('id="plan"', 'id="progress"', 'id="money"', 'id="reports"', 'id="questions"'):
        assert section in html
    assert "Older people checked" in html  # the indicator, with its target of 200
    assert "200" in html.split("Older people checked", 1)[1][:400]
    assert reverse("projects:photo", args=[photo.pk]) in html and "Blood pressure day" in html
    # Its money: in − out = balance, each figure shown once and read back from the page.
    money_in, money_out, balance = (_figure(html, n) for n in ("money-in", "money-out", "balance"))
    assert (money_in, money_out, balance) == (Decimal("11000.00"), Decimal("2500.00"), Decimal("8500.00"))
    assert money_in - money_out == balance
    assert "¥11,000.00 in − ¥2,500.00 out = ¥8,500.00 balance" in html
    # In: donations by channel and funder type, the allocation from the general fund (linked to its page).
    assert "Online platform" in html and "Enterprise" in html
    assert reverse("transparency:fund_detail", args=[programme.general.code]) in html
    # Out: itemised with date and the organization, never the private payee or the invoice.
    assert "Blood pressure monitors" in html and "March 15, 2026" in html  # dates as the language writes them
    assert "Medical supplier" not in html
    # The organization's text is shown as text.
    assert "<script>alert(1)</script>" not in html


def test_the_project_page_links_its_reports_and_disclosures(programme, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report = services.report_request(
            period=Period("quarter", date(2026, 1, 1), date(2026, 3, 31)), language="en", project=programme.p1
        )
    Document.objects.filter(pk=report.document.pk).update(status=Document.Status.READY, sha256="0" * 64)
    with django_capture_on_commit_callbacks(execute=True):
        services.disclosure_publish(
            kind="progress",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31),
            due_on=date(2026, 4, 30),
            narrative="Checks held every month.",
            project=programme.p1,
            by=programme.officer,
        )
    html = Client().get("/projects/health-checks/").content.decode()
    reports = html.split('id="reports"', 1)[1]
    code = report.document.verification_code
    assert reverse("transparency:report_detail", args=[code]) in reports
    assert "Checks held every month." in reports


def test_an_unpublished_project_has_no_page(programme):
    assert Client().get("/projects/draft-idea/").status_code == 404
    assert Client().get("/projects/no-such-project/").status_code == 404
    html = Client().get("/projects/").content.decode()
    assert "Health checks for older residents" in html and "Draft idea" not in html


def test_the_campaign_page_shows_progress_story_donors_and_its_fund(programme, campaign):
    ff.donate(
        fund=campaign.fund,
        campaign=campaign,
        amount="300.00",
        channel=campaign.channel,
        by=programme.finance,
        donor_name="Ms Wang",
        show_name=True,
    )
    ff.donate(
        fund=campaign.fund,
        campaign=campaign,
        amount="200.00",
        channel=campaign.channel,
        by=programme.finance,
        donor_name="Mr Secret",
        show_name=False,
    )
    response = Client().get("/campaigns/warm-winter/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Every winter" in html  # the story
    assert 'data-testid="campaign-total">¥500.00<' in html
    assert "Ms Wang" in html and "Mr Secret" not in html
    assert reverse("transparency:project_detail", args=["health-checks"]) in html
    assert _figure(html, "money-in") - _figure(html, "money-out") == _figure(html, "balance")
    assert 'action="/transparency/campaign/warm-winter/follow/"' in html
    progress = Client().get("/campaigns/warm-winter/progress/")
    assert progress.status_code == 200 and "¥500.00" in progress.content.decode()


def test_a_campaign_for_an_unpublished_project_does_not_name_it(programme):
    ff.campaign(money.fund_for_project(programme.draft), slug="secret-cause")
    html = Client().get("/campaigns/secret-cause/").content.decode()
    assert "Draft idea" not in html and "A project not yet published" in html


def test_the_general_fund_page_shows_its_money_and_names_no_unpublished_project(programme):
    money.allocation_create(
        from_fund=programme.general,
        to_fund=money.fund_for_project(programme.draft),
        amount=Decimal("1000.00"),
        allocated_on=date(2026, 3, 28),
        by=programme.finance,
    )
    response = Client().get(f"/funds/{programme.general.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert _figure(html, "money-in") - _figure(html, "money-out") == _figure(html, "balance")
    assert (
        _figure(html, "balance") == programme.general.__class__.objects.get(pk=programme.general.pk).balance
    )
    assert reverse("transparency:project_detail", args=["health-checks"]) in html
    assert "Draft idea" not in html and "A project not yet published" in html


def test_the_project_page_is_cached_for_anonymous_visitors_and_keeps_its_forms(programme):
    first = Client().get("/projects/health-checks/")
    second = Client().get("/projects/health-checks/")
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    html = second.content.decode()
    assert 'action="/transparency/project/health-checks/ask/"' in html
    assert 'action="/transparency/project/health-checks/follow/"' in html
    assert "\x00hole" not in html


def test_the_project_page_reads_in_a_fixed_number_of_queries_however_many_updates_and_photos(programme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.models import ProgressUpdate
    from tests.factories.projects import UpdateFactory

    def queries() -> int:
        from django.core.cache import cache

        from transparency import projectflow
        from transparency.models import ProjectParts

        # The whole page read and drawn: its stored parts too (transparency.projectparts), and its flow.
        cache.clear()
        ProjectParts.objects.all().delete()
        projectflow.forget()
        visitor = Client()
        visitor.cookies["uncached"] = "1"  # a cookie the page cache does not know: rendered afresh
        with CaptureQueriesContext(connection) as captured:
            assert visitor.get("/projects/health-checks/").status_code == 200
        return len(captured)

    before = queries()
    for month in (4, 5, 6):
        update = UpdateFactory(
            project=programme.p1,
            period_start=date(2026, month, 1),
            period_end=date(2026, month, 28),
            status=ProgressUpdate.Status.APPROVED,
        )
        for n in range(2):
            UpdatePhoto.objects.create(update=update, image=ContentFile(jpeg_bytes(), name=f"p{n}.jpg"))
    assert queries() == before


def test_campaign_images_are_served_only_for_a_published_campaign(programme, campaign):
    from fundraising.models import CampaignImage

    image = CampaignImage.objects.create(
        campaign=campaign, image=ContentFile(jpeg_bytes(), name="winter.jpg"), caption="Home visit"
    )
    url = f"/campaigns/warm-winter/images/{image.pk}/"
    response = Client().get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")  # a JPEG
    html = Client().get("/campaigns/warm-winter/").content.decode()
    assert f'src="{url}"' in html and f'content="http://testserver{url}"' in html  # shown and shared
    assert Client().get(f"/campaigns/secret/images/{image.pk}/").status_code == 404
    campaign.published = False
    campaign.save()
    assert Client().get(url).status_code == 404
    visitor = Client()
    visitor.cookies["uncached"] = "1"  # rendered afresh (renewal of the stored page is test_page_cache's)
    assert visitor.get("/campaigns/warm-winter/").status_code == 404
