"""The admin's navigation sidebar, kept a minute per person (empowerment.admin_site): it shows what Django's
would, follows the person's permissions and language at once, and marks the page it is on."""

import re

import pytest
from django.contrib.auth.models import Group, Permission

from empowerment.admin_site import forget_navigation
from empowerment.authz import FINANCE_OFFICER, TRAINER
from tests.factories.core import UserFactory, staff_user

pytestmark = pytest.mark.django_db


def _sidebar(client, path, **headers) -> str:
    page = client.get(path, **headers).content.decode()
    match = re.search(r'<nav class="sticky" id="nav-sidebar".*?</nav>', page, re.S)
    assert match, path
    return match.group(0)


def _current(sidebar: str) -> list[str]:
    return re.findall(r'<tr class="model-(\w+) current-model">', sidebar)


@pytest.fixture(autouse=True)
def _fresh():
    forget_navigation()
    yield
    forget_navigation()


def test_the_kept_sidebar_is_the_one_django_draws_and_marks_the_page_it_is_on(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    donations = _sidebar(client, "/admin/fundraising/donation/")
    assert _current(donations) == ["donation"]
    assert _current(_sidebar(client, "/admin/fundraising/expenditure/")) == ["expenditure"]
    assert _current(_sidebar(client, "/admin/projects/project/")) == ["project"]
    # Drawn again from the kept one, the same; drawn afresh, the same.
    assert _sidebar(client, "/admin/fundraising/donation/") == donations
    forget_navigation()
    assert _sidebar(client, "/admin/fundraising/donation/") == donations
    assert 'href="/admin/fundraising/donation/add/"' in donations


def test_the_sidebar_follows_a_change_of_group_or_permission_at_once(client):
    trainer = staff_user(TRAINER)
    client.force_login(trainer)
    before = _sidebar(client, "/admin/trainings/cohort/")
    assert 'href="/admin/fundraising/donation/"' not in before

    trainer.groups.add(Group.objects.get(name=FINANCE_OFFICER))
    assert 'href="/admin/fundraising/donation/"' in _sidebar(client, "/admin/trainings/cohort/")

    trainer.groups.remove(Group.objects.get(name=FINANCE_OFFICER))
    assert _sidebar(client, "/admin/trainings/cohort/") == before
    trainer.user_permissions.add(Permission.objects.get(codename="view_donation"))
    assert 'href="/admin/fundraising/donation/"' in _sidebar(client, "/admin/trainings/cohort/")


def test_each_person_and_language_has_their_own_sidebar(client):
    client.force_login(staff_user(FINANCE_OFFICER))
    english = _sidebar(client, "/admin/fundraising/donation/")
    chinese = _sidebar(client, "/admin/fundraising/donation/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english != chinese and "Donations" in english and "Donations" not in chinese
    client.force_login(staff_user(TRAINER))
    assert 'href="/admin/fundraising/donation/"' not in _sidebar(client, "/admin/trainings/cohort/")
