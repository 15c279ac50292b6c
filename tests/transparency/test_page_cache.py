"""The whole-page cache of public pages: anonymous visitors get a stored page with their own CSRF token and
form stamp, signed-in visitors never do, and any change to published rows renders the pages again."""

import re

import pytest
from django.test import Client

from empowerment import freshness
from organizations.models import Organization
from tests.conftest import requires_postgres

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


def _early(response) -> bool:
    """Whether the answer came from CachedPageMiddleware, before the session, language, CSRF and
    authentication middleware (which leave their marks on the request)."""
    request = response.wsgi_request
    return not hasattr(request, "user") and not hasattr(request, "session")


def test_a_fresh_copy_is_answered_before_the_rest_of_the_middleware_as_the_whole_stack_answers_it(programme):
    from django.core.cache import cache  # noqa: PLC0415

    from empowerment import pagecache  # noqa: PLC0415

    path = "/projects/health-checks/"
    first = Client().get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert first["X-Page-Cache"] == "miss" and not _early(first)
    visitor = Client(enforce_csrf_checks=True)
    second = visitor.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert second["X-Page-Cache"] == "hit" and _early(second)
    # The same headers as the whole stack gave (security, CSP, frames, Vary, language, length).
    assert {k: v for k, v in second.items() if k != "X-Page-Cache"} == {
        k: v for k, v in first.items() if k != "X-Page-Cache"
    }
    assert second["Content-Language"] == "zh-hans" and "Content-Security-Policy" in second
    assert Client().get(path, HTTP_HOST="elsewhere.example").status_code == 400  # hosts checked as before
    # The visitor's own CSRF token, its cookie set as CsrfViewMiddleware sets it.
    token = _token(second.content.decode(), "csrfmiddlewaretoken")
    assert token != _token(first.content.decode(), "csrfmiddlewaretoken")
    assert visitor.cookies["csrftoken"].value
    # Another language is another copy, found from the visitor's language cookie as LocaleMiddleware finds it.
    english = Client()
    english.cookies["django_language"] = "en"
    assert english.get(path)["X-Page-Cache"] == "miss"
    again = english.get(path)
    assert again["X-Page-Cache"] == "hit" and _early(again) and again["Content-Language"] == "en"
    assert again.content != second.content

    # A copy whose answer's headers are not known is answered through the whole stack, which keeps them.
    cache.delete(pagecache._HEADERS_PREFIX + pagecache._key(second.wsgi_request, "zh-hans"))
    through = Client().get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert through["X-Page-Cache"] == "hit" and not _early(through)
    assert _early(Client().get(path, HTTP_ACCEPT_LANGUAGE="zh-hans"))


def test_each_address_is_matched_to_its_view_once_and_a_new_url_configuration_is_honoured(
    programme, settings
):
    from empowerment import pagecache  # noqa: PLC0415

    path = "/projects/health-checks/"
    Client().get(path)
    pagecache._page_of_path.cache_clear()
    assert Client().get(path)["X-Page-Cache"] == "hit"
    assert Client().get(path)["X-Page-Cache"] == "hit"
    info = pagecache._page_of_path.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    # An address no view answers is remembered as such and answered by the whole stack.
    assert Client().get("/no-such-page/").status_code == 404
    assert pagecache._page_of_path.cache_info().currsize == 2
    # A very long address is matched each time, not remembered.
    assert Client().get("/projects/" + "x" * 400 + "/").status_code == 404
    assert pagecache._page_of_path.cache_info().currsize == 2
    # Another URL configuration is another resolver: its views are matched afresh (none of them is a public page).
    settings.ROOT_URLCONF = "tests.transparency.urls_without_pages"
    answer = Client().get(path)
    assert answer.status_code == 404 and not _early(answer)


def test_signed_in_visitors_and_other_pages_are_never_answered_early(client, programme):
    Client().get("/")
    Client().get("/")
    client.force_login(programme.officer)
    signed_in = client.get("/")
    assert "X-Page-Cache" not in signed_in and not _early(signed_in)
    plain = Client().get("/healthz")
    assert not _early(plain)


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


# Per-page invalidation, stale-while-revalidate, coalesced money --------------------------------------------


def _campaigns(programme):
    from tests.factories import fundraising as ff

    fund_a, fund_b = ff.FundFactory(code="winter-a"), ff.FundFactory(code="winter-b")
    a = ff.campaign(fund_a, channel=programme.platform, slug="camp-a", title="Campaign A")
    b = ff.campaign(fund_b, channel=programme.platform, slug="camp-b", title="Campaign B")
    return a, b


PAGES = ["/campaigns/camp-a/", "/campaigns/camp-b/", "/projects/", "/projects/health-checks/", "/"]


def _states() -> dict:
    return {url: Client().get(url)["X-Page-Cache"] for url in PAGES}


def test_a_donation_renders_again_only_the_pages_that_show_its_fund(
    programme, django_capture_on_commit_callbacks
):
    from tests.factories import fundraising as ff

    a, _b = _campaigns(programme)
    assert set(_states().values()) == {"miss"}
    assert set(_states().values()) == {"hit"}
    with django_capture_on_commit_callbacks(execute=True):
        ff.donate(
            fund=a.fund, amount="77.00", channel=programme.platform, campaign=a, by=programme.finance,
            donor_name="Ada Donor", show_name=True,
        )  # fmt: skip
    page_a = Client().get("/campaigns/camp-a/")
    assert page_a["X-Page-Cache"] == "miss" and "Ada Donor" in page_a.content.decode()
    # Campaign B, the project list and a project page show other funds' money: still stored.
    assert {url: Client().get(url)["X-Page-Cache"] for url in PAGES[1:4]} == dict.fromkeys(PAGES[1:4], "hit")
    assert Client().get("/")["X-Page-Cache"] == "miss"  # the programme's figures include it
    # A donation to a listed project's fund renders the list and that project's page again.
    with django_capture_on_commit_callbacks(execute=True):
        ff.donate(fund=ledger_fund(programme.p1), amount="5.00", channel=programme.bank, by=programme.finance)
    assert Client().get("/projects/")["X-Page-Cache"] == "miss"
    assert Client().get("/projects/health-checks/")["X-Page-Cache"] == "miss"
    assert Client().get("/campaigns/camp-b/")["X-Page-Cache"] == "hit"


def ledger_fund(project):
    from fundraising.models import Fund

    return Fund.objects.get(project=project)


def test_storing_a_notification_renders_no_page_again_until_its_donation_is_recorded(
    client, programme, settings, monkeypatch, django_capture_on_commit_callbacks
):
    import json
    import secrets
    import time

    from fundraising import services, tasks
    from fundraising.models import Donation, DonationNotification
    from fundraising.notify import sign

    settings.CELERY_TASK_ALWAYS_EAGER = False  # stored and answered; a worker records it later
    monkeypatch.setattr(tasks.record_notifications, "apply_async", lambda **kw: None)
    a, _b = _campaigns(programme)
    _states()
    topics = ["pages", "money", "projects", "trainings", "figures", "dashboard", f"fund:{a.fund_id}"]
    before = freshness.current(topics)
    body = json.dumps({"id": "N-9", "amount": "66.00", "date": "2026-03-01", "campaign": "camp-a"}).encode()
    stamp, nonce = str(int(time.time())), secrets.token_hex(8)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/donations/notify/{programme.platform.code}/",
            body,
            content_type="application/json",
            HTTP_X_TIMESTAMP=stamp,
            HTTP_X_NONCE=nonce,
            HTTP_X_SIGNATURE=sign(programme.platform.notify_secret, stamp, nonce, body),
        )
    assert response.status_code == 201, response.content
    assert DonationNotification.objects.filter(status="pending").count() == 1
    assert not Donation.objects.filter(external_id="N-9").exists()
    assert freshness.current(topics) == before
    assert set(_states().values()) == {"hit"}
    with django_capture_on_commit_callbacks(execute=True):  # what the worker runs
        assert services.notifications_record_all() == 1
    assert Client().get("/campaigns/camp-a/")["X-Page-Cache"] == "miss"
    assert Client().get("/campaigns/camp-b/")["X-Page-Cache"] == "hit"
    assert Client().get("/projects/")["X-Page-Cache"] == "hit"


def _hold_render_lock(url: str) -> str:
    """Take the lock of a page's render, as a request rendering it does."""
    from django.core.cache import cache
    from django.test import RequestFactory
    from django.utils import translation

    from empowerment import pagecache

    with translation.override("en"):
        lock = pagecache._LOCK_PREFIX + pagecache._key(RequestFactory().get(url))
    assert cache.add(lock, 1, 30)
    return lock


def test_while_one_request_renders_a_changed_page_the_others_get_the_stored_copy(
    programme, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from tests.factories import fundraising as ff

    a, _b = _campaigns(programme)
    url = "/campaigns/camp-a/"
    assert Client().get(url)["X-Page-Cache"] == "miss"
    with django_capture_on_commit_callbacks(execute=True):
        ff.donate(
            fund=a.fund, amount="12.00", channel=programme.platform, campaign=a, by=programme.finance,
            donor_name="Late Donor", show_name=True,
        )  # fmt: skip
    lock = _hold_render_lock(url)
    with django_assert_num_queries(0):
        stale = Client().get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert stale["X-Page-Cache"] == "stale" and "Late Donor" not in stale.content.decode()
    assert "\x00" not in stale.content.decode()  # the visitor's own token and stamp are filled in
    # Answered before the rest of the middleware, with the headers the whole stack gives.
    assert _early(stale)
    cache.delete(lock)  # that render is over
    fresh = Client().get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert fresh["X-Page-Cache"] == "miss" and "Late Donor" in fresh.content.decode()
    assert not _early(fresh)  # the request that took the lock rendered the page through the whole stack
    per_answer = {"X-Page-Cache", "Content-Length"}
    assert {k: v for k, v in stale.items() if k not in per_answer} == {
        k: v for k, v in fresh.items() if k not in per_answer
    }
    assert cache.get(lock) is None  # let go once the page was kept
    assert Client().get(url, HTTP_ACCEPT_LANGUAGE="en")["X-Page-Cache"] == "hit"


def test_a_render_lock_taken_for_a_stale_copy_is_let_go_when_the_answer_is_made_before_the_view(programme):
    from django.core.cache import cache
    from django.http import HttpResponse
    from django.test import RequestFactory

    from empowerment import pagecache

    url = "/organizations/"
    assert Client().get(url, HTTP_ACCEPT_LANGUAGE="en")["X-Page-Cache"] == "miss"
    freshness.touch(pagecache.TOPIC)  # the stored copy is no longer fresh
    lock = _hold_render_lock(url)
    cache.delete(lock)  # (its name) free: the next request takes it
    # A middleware after CachedPageMiddleware answers without reaching the view: the lock is let go, so the
    # next visitor renders the page instead of being served the old copy for the lock's whole time.
    middleware = pagecache.CachedPageMiddleware(lambda request: HttpResponse("made before the view"))
    answer = middleware(RequestFactory().get(url, HTTP_ACCEPT_LANGUAGE="en"))
    assert answer.content == b"made before the view"
    assert cache.get(lock) is None
    assert Client().get(url, HTTP_ACCEPT_LANGUAGE="en")["X-Page-Cache"] == "miss"


def test_a_page_older_than_the_cache_period_is_rendered_again_by_one_request(programme, settings):
    import time

    url = "/organizations/"
    assert Client().get(url)["X-Page-Cache"] == "miss"
    settings.PUBLIC_PAGE_CACHE_SECONDS = 1
    time.sleep(1.1)
    lock = _hold_render_lock(url)
    assert Client().get(url, HTTP_ACCEPT_LANGUAGE="en")["X-Page-Cache"] == "stale"
    from django.core.cache import cache

    cache.delete(lock)
    assert Client().get(url, HTTP_ACCEPT_LANGUAGE="en")["X-Page-Cache"] == "miss"


def test_money_is_published_at_most_once_a_second(programme, settings, django_capture_on_commit_callbacks):
    import time

    from tests.factories import fundraising as ff

    settings.MONEY_PUBLISH_SECONDS = 1
    a, _b = _campaigns(programme)
    url = "/campaigns/camp-a/"
    Client().get(url)
    money = freshness.version("money")
    with django_capture_on_commit_callbacks(execute=True):
        ff.donate(fund=a.fund, amount="1.00", channel=programme.platform, campaign=a, donor_name="First",
                  show_name=True)  # fmt: skip
    published = time.monotonic()
    assert freshness.version("money") == money + 1  # the first change after a quiet second: at once
    first = Client().get(url).content.decode()
    assert "First" in first
    for name in ("Second", "Third"):
        with django_capture_on_commit_callbacks(execute=True):
            ff.donate(fund=a.fund, amount="1.00", channel=programme.platform, campaign=a, donor_name=name,
                      show_name=True)  # fmt: skip
    if time.monotonic() - published < 0.9:  # still within the second: gathered, not yet published
        assert freshness.version("money") == money + 1
        held = Client().get(url)
        assert held["X-Page-Cache"] == "hit" and "Second" not in held.content.decode()
    time.sleep(max(0.0, 1.05 - (time.monotonic() - published)))
    later = Client().get(url)  # the first reader after the second publishes what was gathered
    assert later["X-Page-Cache"] == "miss"
    assert "Second" in later.content.decode() and "Third" in later.content.decode()
    assert freshness.version("money") == money + 2  # both published together, once
    assert Client().get(url)["X-Page-Cache"] == "hit"


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_many_visitors_of_a_new_or_changed_page_at_once_cause_one_render(programme, monkeypatch):
    import threading
    import time

    from django.db import connection

    from transparency import pages

    real_plan = pages.project_plan

    def slow_plan(project):  # a render long enough for every visitor to arrive during it
        time.sleep(0.5)
        return real_plan(project)

    monkeypatch.setattr(pages, "project_plan", slow_plan)
    url = "/projects/health-checks/"

    def visit_at_once(n: int = 6) -> list[tuple[str, str]]:
        barrier, answers = threading.Barrier(n), []

        def visit():
            try:
                barrier.wait()
                response = Client().get(url, HTTP_ACCEPT_LANGUAGE="en")
                answers.append((response["X-Page-Cache"], response.content.decode()))
            finally:
                connection.close()

        threads = [threading.Thread(target=visit) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        return answers

    cold = visit_at_once()
    assert sorted(state for state, _ in cold) == ["hit"] * 5 + ["miss"]  # the others waited for the one
    assert all("Health checks for older residents" in html for _, html in cold)
    freshness.touch(f"fund:{ledger_fund(programme.p1).pk}")
    changed = visit_at_once()
    assert sorted(state for state, _ in changed) == ["miss"] + ["stale"] * 5


def test_a_hit_reads_the_page_and_every_version_it_depends_on_in_one_round_trip(programme, monkeypatch):
    """The project list also shows the money of each listed project's fund (topics it adds while
    rendering): once this process has stored it, a hit asks for the page and all those versions at once,
    and a donation to a listed fund is still seen (the page is rendered again)."""
    from django.core.cache import cache  # noqa: PLC0415

    from empowerment import pagecache  # noqa: PLC0415

    # Money the fixture recorded is published now, so no lookup below has a publication to make first.
    freshness.touch_all(freshness._pending().pop())
    assert cache.get(freshness.PENDING_FLAG) is None
    assert Client().get("/projects/")["X-Page-Cache"] == "miss"
    calls = []
    real = cache.get_many

    def counted(keys, *args, **kwargs):
        calls.append(list(keys))
        return real(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counted)
    assert Client().get("/projects/")["X-Page-Cache"] == "hit"
    page_lookups = [keys for keys in calls if any(k.startswith(pagecache._KEY_PREFIX) for k in keys)]
    assert len(page_lookups) == 1 and len(calls) == 1, calls
    fund_topics = [k for k in calls[0] if "fund:" in k]
    assert fund_topics, calls[0]  # the listed funds' versions came with the page

    # Forgetting what this process knew costs one more round trip, never a wrong answer.
    pagecache._ADDED_TOPICS.clear()
    calls.clear()
    assert Client().get("/projects/")["X-Page-Cache"] == "hit"
    assert len(calls) == 2


def test_a_renders_lock_is_let_go_whether_the_page_is_kept_or_not(programme):
    """The lock is let go with the kept page (one cache round trip), and alone for an answer not kept (a 404,
    an error): the next visitor renders at once instead of waiting for the lock to expire."""
    from django.core.cache import cache
    from django.test import RequestFactory
    from django.utils import translation

    from empowerment import pagecache

    def lock_of(url):
        with translation.override("en"):
            return pagecache._LOCK_PREFIX + pagecache._key(RequestFactory().get(url))

    kept = Client().get("/organizations/", HTTP_ACCEPT_LANGUAGE="en")
    assert kept["X-Page-Cache"] == "miss" and cache.get(lock_of("/organizations/")) is None
    assert Client().get("/organizations/", HTTP_ACCEPT_LANGUAGE="en")["X-Page-Cache"] == "hit"
    missing = Client().get("/campaigns/no-such-campaign/", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404 and cache.get(lock_of("/campaigns/no-such-campaign/")) is None
    assert cache.add(lock_of("/campaigns/no-such-campaign/"), 1, 30)  # free: taken at once


def test_a_render_reads_the_topics_its_page_named_last_time_with_the_others(monkeypatch):
    """A page names some topics while rendering (a project's fund); the next render of it reads their
    versions in its first round trip, and stores only the ones it names again."""
    from empowerment import pagecache

    calls = []
    real = freshness.current
    monkeypatch.setattr(
        freshness, "current", lambda topics, **kw: calls.append(tuple(topics)) or real(topics, **kw)
    )
    render = pagecache._Render(("projects",), expected=("fund:1", "fund:2"))
    assert len(calls) == 1 and {"projects", "fund:1", "fund:2"} <= set(calls[0])
    render.add(("fund:1",))
    assert len(calls) == 1  # no second round trip
    render.add(("fund:3",))
    assert len(calls) == 2 and set(render.versions) == {"projects", "fund:1", "fund:3"}
    assert render.versions["fund:1"] == freshness.version("fund:1")


def test_a_stored_page_is_the_rendered_page_with_each_visitors_values_filled_in(programme):
    from django.core.cache import cache  # noqa: PLC0415
    from django.test import RequestFactory  # noqa: PLC0415

    from empowerment import pagecache  # noqa: PLC0415

    path = "/projects/health-checks/"
    rendered = Client().get(path)
    served = Client().get(path)
    assert (rendered["X-Page-Cache"], served["X-Page-Cache"]) == ("miss", "hit")

    def masked(response):
        html = response.content.decode()
        for name in ("csrfmiddlewaretoken", "stamp"):
            html = html.replace(_token(html, name), f"<{name}>")
        return html

    assert masked(served) == masked(rendered)
    # Kept as the text between the holes and the holes' names (no NUL placeholder left in the text).
    entry = pagecache._entry(cache.get(pagecache._key(RequestFactory().get(path), "en")))
    pieces, names = entry[2]
    assert set(names) == {"csrfmiddlewaretoken", "stamp"} and len(pieces) == len(names) + 1
    assert not any(b"\x00" in piece for piece in pieces)
    # A hole the view no longer declares (a page kept by earlier code) is left empty, never filled with
    # another visitor's value.
    request = RequestFactory().get(path)
    answer = pagecache._serve(request, entry, {}, "hit").content.decode()
    assert _token(answer, "stamp") == "" and _token(answer, "csrfmiddlewaretoken")
