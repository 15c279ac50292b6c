"""The public pages' worker (docker-compose.yml's `web`: gunicorn with empowerment.pageserver.PagesWorker): the
same site as gunicorn's threaded worker gives, over real HTTP. A visitor's page is rendered by Django once, then
answered from the process's own copy with the visitor's own CSRF token; a form posts; a static file, a HEAD, a
bad address and a signed-in person's page are answered as by the other pools."""

import re

import pytest

from organizations.models import Role
from tests.factories.core import PASSWORD, OrganizationFactory, member

from .conftest import Browser, one_machine, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

requests = pytest.importorskip("requests")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def cluster(real_broker):
    # The copy a process keeps for itself lives 2 s here, so that the test sees it answer early.
    with one_machine(
        real_broker,
        workers=0,
        web_worker_class="empowerment.pageserver.PagesWorker",
        env={"PUBLIC_PAGE_LOCAL_SECONDS": "2"},
    ) as running:
        yield running


def test_the_pages_worker_serves_the_site_as_the_threaded_worker_does(cluster):
    org = OrganizationFactory(name="包头市乐龄社会工作服务中心")
    editor = member(org, Role.EDITOR, email="editor@example.org")
    base = cluster.urls[0]

    # A visitor's page: rendered once, then answered early (from the process's copy), each visitor with a
    # CSRF token of their own in the form and in the cookie, as Django gives them.
    first = Browser(base).get("/")
    assert first.status_code == 200 and first.headers["X-Page-Cache"] in ("miss", "hit", "stale")

    def early():
        response = Browser(base).get("/")
        return response if response.headers.get("X-Page-Cache") == "hit" else None

    answers = [wait_for(early, timeout=30, interval=0.05) for _ in range(2)]
    assert all(answers), "the page was never answered from the copy"
    for answer in answers:
        assert answer.status_code == 200 and "text/html" in answer.headers["Content-Type"]
        assert int(answer.headers["Content-Length"]) == len(answer.content)
        assert answer.headers["X-Frame-Options"] == "DENY"
    tokens = [TOKEN.search(a.text) for a in answers]
    if all(tokens):  # the home page carries a form (the language switch): each visitor's own token
        assert tokens[0].group(1) != tokens[1].group(1)
        assert all("csrftoken" in a.cookies for a in answers)
    assert re.sub(TOKEN, "", answers[0].text) == re.sub(TOKEN, "", answers[1].text)

    # A form posted to this process (the language switch): Django checks the token and answers.
    visitor = Browser(base)
    visitor.get("/")
    switched = visitor.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert switched.status_code == 302, switched.text[:300]
    assert '<html lang="zh-hans">' in visitor.get("/").text
    # Without the token: refused, as by Django behind any worker.
    refused = Browser(base).request("POST", "/i18n/setlang/", data={"language": "en"})
    assert refused.status_code == 403

    # HEAD: the headers, no body; a static file; a bad address and bad input are answered, not dropped.
    css = requests.get(base + "/static/css/site.css", headers={"X-Forwarded-Proto": "https"}, timeout=30)
    assert css.status_code == 200 and len(css.content) > 100
    head = requests.head(base + "/static/css/site.css", headers={"X-Forwarded-Proto": "https"}, timeout=30)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Length"] == str(len(css.content))
    assert Browser(base).get("/no-such-page/").status_code == 404
    assert Browser(base).get("/projects/?page=abc").status_code == 400
    # Plain HTTP is sent to HTTPS (the proxy's header read by Django, as under gunicorn's own workers).
    plain = requests.get(base + "/", allow_redirects=False, timeout=30)
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")

    # A member signs in through the form on this process and reads the organization's pages.
    person = Browser(base)
    person.sign_in(editor.email, PASSWORD)
    dashboard = person.get(f"/o/{org.slug}/")
    assert dashboard.status_code == 200 and org.name in dashboard.text
    home = person.get("/")
    assert home.status_code == 200 and "Sign out" in home.text and home.headers.get("X-Page-Cache") != "hit"
