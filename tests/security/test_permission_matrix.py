"""Walk every URL pattern of the project and check it against the permission matrix
(tests/security/matrix/*.py) for every kind of person."""

import importlib
import pkgutil
import re
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from empowerment.roles import ROLE_PERMISSIONS
from tests.security import matrix


def _modules():
    for info in pkgutil.iter_modules(matrix.__path__):
        yield importlib.import_module(f"{matrix.__name__}.{info.name}")


def _entries() -> dict:
    merged = {}
    for module in _modules():
        for key, entry in module.ENTRIES.items():
            assert key not in merged, f"{key} is in two matrix modules"
            merged[key] = entry
    return merged


def _walk(resolver, namespace=""):
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            ns = f"{namespace}{item.namespace}:" if item.namespace else namespace
            yield from _walk(item, ns)
        elif isinstance(item, URLPattern):
            name = f"{namespace}{item.name}" if item.name else f"{namespace}<unnamed {item.pattern}>"
            yield name


def _lookup(name: str, entries: dict):
    if name in entries:
        return entries[name]
    for key, entry in entries.items():
        if key.startswith("re:") and re.match(key[3:], name):
            return entry
    return None


ALL_NAMES = sorted(set(_walk(get_resolver())))
ENTRIES = _entries()


def test_every_url_pattern_has_an_entry():
    missing = [name for name in ALL_NAMES if _lookup(name, ENTRIES) is None]
    assert not missing, f"URL patterns missing from the permission matrix: {missing}"


def test_no_entry_names_a_url_that_does_not_exist():
    names = set(ALL_NAMES)
    stale = [key for key in ENTRIES if not key.startswith("re:") and key not in names]
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"


@pytest.fixture
def fx(people, org_a, org_b):
    fixtures = SimpleNamespace(org_a=org_a, org_b=org_b, people=people)
    for module in _modules():
        setup = getattr(module, "setup", None)
        if setup:
            setup(fixtures)
    return fixtures


CHECKED = [name for name in ALL_NAMES if (e := _lookup(name, ENTRIES)) is not None and not e.skip]


@pytest.mark.django_db
@pytest.mark.parametrize("name", CHECKED)
def test_url_answers_each_role_as_the_matrix_says(name, fx):
    entry = _lookup(name, ENTRIES)
    url = reverse(name, kwargs=entry.kwargs(fx))
    wrong = {}
    for role, expected in entry.expect.items():
        client = Client()
        user = fx.people[role]
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        data = entry.data(fx)
        response = client.post(url, data) if entry.method == "post" else client.get(url, data)
        if response.status_code != expected:
            wrong[role] = f"expected {expected}, got {response.status_code}"
    assert not wrong, f"{name} ({url}): {wrong}"


def _admin_changelists():
    from django.contrib import admin

    for model in admin.site._registry:
        yield model._meta.app_label, model._meta.model_name


@pytest.mark.django_db
def test_admin_pages_follow_the_role_table(people):
    """Each staff group sees exactly the admin changelists its role table grants; members never do."""
    problems = []
    for app_label, model_name in _admin_changelists():
        url = reverse(f"admin:{app_label}_{model_name}_changelist")
        for role, user in people.items():
            client = Client()
            if user is not None:
                client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            status = client.get(url).status_code
            if user is None or not user.is_staff:
                expected = {302}
            elif user.is_superuser:
                expected = {200}
            else:
                group = user.groups.get().name
                granted = "view" in ROLE_PERMISSIONS[group].get(app_label, ())
                expected = {200} if granted else {403}
            if status not in expected:
                problems.append(f"{role} {url}: {status}, expected {expected}")
    assert not problems, "\n".join(problems)
