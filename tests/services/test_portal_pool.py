"""The portal pool (docker-compose.yml's `portal`): the same site on a gunicorn process of its own for the
signed-in people's pages (the proxy routes /accounts/, /o/, /staff/, /documents/ and /admin/ to it), beside
the process that serves the visitors' pages. A member signs in on the portal pool and reads the
organization's pages there; the session holds on the pages' process too, and ends on both when the member
signs out on the portal pool. Someone not signed in is sent to sign in by either."""

import os

import pytest

from organizations.models import Role
from tests.factories.core import PASSWORD, OrganizationFactory, member

from .conftest import Browser, one_machine

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

pytest.importorskip("requests")


@pytest.fixture
def cluster(real_broker):
    with one_machine(real_broker, workers=0, portal_workers=1, portal_threads=2, web_nice=3) as running:
        yield running


def test_a_member_signed_in_on_the_portal_pool_is_signed_in_on_the_pages_process_too(cluster):
    org = OrganizationFactory(name="包头市乐龄社会工作服务中心")
    editor = member(org, Role.EDITOR, email="editor@example.org")
    [portal_port] = cluster.portal_ports  # one beside the one web process
    assert portal_port not in cluster.ports and not cluster.notify_ports
    portal, pages = f"http://127.0.0.1:{portal_port}", cluster.urls[0]
    # The pages' process yields the cores to the portal pool's when they are short (docker-compose.yml's
    # cpu_shares; niceness here).
    pages_process, portal_process = cluster.web_processes
    own = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, pages_process.pid) == min(own + 3, 19)
    assert os.getpriority(os.PRIO_PROCESS, portal_process.pid) == own

    # Not signed in: both send the portal's address to the sign-in page.
    for base in (portal, pages):
        response = Browser(base).get(f"/o/{org.slug}/")
        assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"], base

    on_portal = Browser(portal)
    on_portal.sign_in(editor.email, PASSWORD)
    for path in (f"/o/{org.slug}/", f"/o/{org.slug}/projects/", f"/o/{org.slug}/finance/"):
        page = on_portal.get(path)
        assert page.status_code == 200, (path, page.status_code)
        assert org.name in page.text

    # The same session on the pages' process: the visitor is signed in there too, and nothing is cached for them.
    on_pages = Browser(pages, on_portal.cookies)
    home = on_pages.get("/")
    assert home.status_code == 200 and "Sign out" in home.text
    assert on_pages.get(f"/o/{org.slug}/").status_code == 200

    # Signed out on the portal pool: the session has ended on the pages' process too.
    assert on_portal.post("/accounts/logout/", {}).status_code == 302
    on_pages = Browser(pages, on_portal.cookies | {"sessionid": on_pages.cookies["sessionid"]})
    response = on_pages.get(f"/o/{org.slug}/")
    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]
    cluster.check()  # every process still running
