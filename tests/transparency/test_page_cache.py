"""The whole-page cache of public pages: anonymous visitors get a stored page with their own CSRF token and
form stamp, signed-in visitors never do, and any change to published rows renders the pages again."""

import re

import pytest
from django.test import Client

from empowerment import freshness
from organizations.models import Organization

pytestmark = pytest.mark.django_db


def _token(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(
    client, programme, django_assert_num_queries
):
    first = client.get("/projects/health-checks/")
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    visitor = Client()
    with django_assert_num_queries(0):
        second = visitor.get("/projects/health-checks/")
    assert second["X-Page-Cache"] == "hit"
    assert "Health checks for older residents" in second.content.decode()
    assert "\x00" not in second.content.decode()


def test_a_cached_page_carries_each_visitors_own_csrf_token_and_a_form_that_works(programme, monkeypatch):
    from transparency import forms
    from transparency.models import Question

    monkeypatch.setattr(forms, "MIN_SECONDS_TO_ASK", 0)
    Client().get("/projects/health-checks/")  # stores the page
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/projects/health-checks/")
    assert page["X-Page-Cache"] == "hit"
    html = page.content.decode()
    token, stamp = _token(html, "csrfmiddlewaretoken"), _token(html, "stamp")
    assert visitor.cookies["csrftoken"].value  # the token's cookie is set for this visitor
    answer = visitor.post(
        "/transparency/project/health-checks/ask/",
        {
            "csrfmiddlewaretoken": token,
            "kind": "question",
            "name": "",
            "email": "reader@example.org",
            "body": "How much is left?",
            "stamp": stamp,
        },
    )
    assert answer.status_code == 302
    assert Question.objects.count() == 1
    # Another visitor's token is not this one's: the stored page kept no token of its own.
    other = Client(enforce_csrf_checks=True).get("/projects/health-checks/").content.decode()
    assert _token(other, "csrfmiddlewaretoken") != token


def test_signed_in_visitors_and_visitors_with_a_session_always_get_a_fresh_page(client, programme):
    Client().get("/")
    client.force_login(programme.officer)
    response = client.get("/")
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_each_language_and_address_is_stored_apart(programme):
    english = Client().get("/organizations/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = Client().get("/organizations/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese["X-Page-Cache"] == "miss" and english["Content-Language"] != chinese["Content-Language"]
    assert Client().get("/organizations/?q=Org", HTTP_ACCEPT_LANGUAGE="en")["X-Page-Cache"] == "miss"
    assert Client().get("/organizations/", HTTP_ACCEPT_LANGUAGE="zh-hans")["X-Page-Cache"] == "hit"


@pytest.mark.django_db(transaction=True)  # real commits: the refresh runs when the change commits
def test_a_change_to_a_published_row_renders_the_pages_again(programme, org_a):
    from django.db import transaction

    url = f"/organizations/{org_a.slug}/"
    assert Client().get(url)["X-Page-Cache"] == "miss"
    assert Client().get(url)["X-Page-Cache"] == "hit"
    before = freshness.version(freshness.PAGES)
    with transaction.atomic():
        org = Organization.objects.get(pk=org_a.pk)
        org.name_en = "Org A renamed"
        org.save()
        org.save()
        assert Client().get(url)["X-Page-Cache"] == "hit"  # nothing changes before the commit
    assert freshness.version(freshness.PAGES) == before + 1  # once per transaction, however many rows
    response = Client().get(url)
    assert response["X-Page-Cache"] == "miss" and "Org A renamed" in response.content.decode()
    with transaction.atomic():
        org.name_en = "Not kept"
        org.save()
        transaction.set_rollback(True)
    assert freshness.version(freshness.PAGES) == before + 1  # a rolled-back change renders nothing again
    freshness.touch("money")  # any figures' topic renders the pages again too
    assert Client().get(url)["X-Page-Cache"] == "miss"


def test_errors_are_not_stored(programme):
    assert Client().get("/organizations/no-such-org/").status_code == 404
    assert Client().get("/organizations/no-such-org/").status_code == 404
    assert "X-Page-Cache" not in Client().get("/organizations/no-such-org/")
