"""Long words in user text wrap on a 375-px phone: a project whose title, summary, objectives and progress
narrative are one unbroken word (up to 3,000 letters), and an organization description like it, leave nothing scrolling
sideways on the public project list, the project page and the organization page."""

import pytest

from organizations.models import Organization
from projects.models import ProgressUpdate, Project
from tests.transparency.conftest import programme  # noqa: F401 - the seeded public programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD = "Baotou" * 500
URL = "https://example.org/" + "a" * 1500


def test_long_words_in_user_text_do_not_push_the_page_sideways(phone_page, programme):  # noqa: F811
    p1 = programme.p1
    Project.objects.filter(pk=p1.pk).update(
        title=WORD[:200], summary=WORD[:300], objectives=WORD, problem_statement=URL, target_group=WORD
    )
    ProgressUpdate.objects.filter(project=p1).update(narrative=f"{WORD} {URL}")
    Organization.objects.filter(pk=p1.organization_id).update(description=WORD)
    org = Organization.objects.get(pk=p1.organization_id)
    page = phone_page
    for path in ("/projects/", f"/projects/{p1.slug}/", f"/organizations/{org.slug}/"):
        response = page.goto(f"{page.base}{path}")
        assert response.status == 200, path
        assert "BaotouBaotou" in page.inner_text("main"), path  # the long word is on the page
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways: {width} px"
