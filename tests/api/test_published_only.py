"""Nothing unpublished or private comes out of the API: every list (all its pages) and every detail of
everything published is read, and none of the private strings (a project not yet published, an applicant,
an unpublished campaign, a draft update, a claim waiting for approval, payees, donors who did not agree to
be named, receipt numbers) appears anywhere in the answers; the API's money still adds up to the books
because projects not yet published are one line in /programme."""

import json

import pytest
from django.test import Client

from fundraising.models import Donation
from tests.api.conftest import SECRETS

pytestmark = pytest.mark.django_db

LISTS = {
    "organizations": ("slug", "organizations/{}"),
    "projects": ("slug", "projects/{}"),
    "updates": (None, None),
    "campaigns": ("slug", "campaigns/{}"),
    "funds": ("code", "funds/{}"),
    "donations": (None, None),
    "expenditures": (None, None),
    "ledger/months": (None, None),
    "ledger/entries": (None, None),
    "ledger/checkpoints": ("code", "ledger/checkpoints/{}"),
    "reports": ("code", "reports/{}"),
    "disclosures": (None, None),
    "cohorts": (None, None),
}


def _everything(client) -> dict[str, str]:
    """Every answer of the API about the published data, by address."""
    answers = {}
    for path, (key, detail) in LISTS.items():
        url = f"/api/v1/{path}?limit=2"
        while url:
            response = client.get(url)
            assert response.status_code == 200, url
            answers[url] = response.content.decode()
            data = json.loads(response.content)
            if detail:
                for row in data["items"]:
                    one = f"/api/v1/{detail.format(row[key])}"
                    found = client.get(one)
                    assert found.status_code == 200, one
                    answers[one] = found.content.decode()
            url = data["next"]
    for url in ("/api/v1/programme", "/api/v1/programme?period=2026", "/api/v1/openapi.json"):
        answers[url] = client.get(url).content.decode()
    return answers


def test_no_private_or_unpublished_string_comes_out(published):
    answers = _everything(Client())
    receipts = list(Donation.objects.values_list("receipt_number", flat=True))
    assert receipts
    leaks = [
        (secret, url)
        for url, text in answers.items()
        for secret in (*SECRETS, *receipts)
        if secret in text or json.dumps(secret)[1:-1] in text
    ]
    assert not leaks, leaks
    # The published things themselves are there.
    text = "\n".join(answers.values())
    for shown in ("health-checks", "safe-stairs", "Enterprise E", "Blood pressure monitors", "Handrails"):
        assert shown in text, shown


def test_the_unpublished_project_is_one_nameless_line_in_the_programme(published):
    programme = json.loads(Client().get("/api/v1/programme").content)
    assert programme["unpublished"]["count"] == 1
    assert programme["unpublished"]["raised"] == "1234.56"
    # Raised in all: the published programme's 32,000 and the unpublished project's gift.
    assert programme["raised"] == "33234.56"


def test_signing_in_shows_nothing_more(published, people):
    staff = Client()
    staff.force_login(people["administrator"], backend="django.contrib.auth.backends.ModelBackend")
    assert staff.get("/api/v1/projects/secret-plan").status_code == 404
    anonymous = Client()
    for path in ("/api/v1/projects", "/api/v1/donations?limit=100", "/api/v1/organizations"):
        assert json.loads(staff.get(path).content) == json.loads(anonymous.get(path).content), path
