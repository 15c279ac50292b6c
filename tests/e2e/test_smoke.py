import pytest

from tests.e2e.conftest import login
from tests.factories.core import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_renders_without_csp_violations(page):
    page.goto(page.base + "/")
    assert page.locator("h1").first.is_visible()
    assert page.csp_violations == []


def test_a_user_signs_in_through_the_login_form(page):
    user = UserFactory(email="someone@example.org")
    login(page, user.email, PASSWORD)
    assert "Sign out" in page.content()
