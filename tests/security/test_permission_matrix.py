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


def _module_of(key: str):
    for module in _modules():
        if key in module.ENTRIES:
            return module
    raise LookupError(key)


def _checked_by_module() -> dict[str, list[str]]:
    """URL names to check, grouped by the matrix module whose entry covers them."""
    groups: dict[str, list[str]] = {}
    for name in ALL_NAMES:
        entry = _lookup(name, ENTRIES)
        if entry is None or entry.skip:
            continue
        key = (
            name
            if name in ENTRIES
            else next(k for k in ENTRIES if k.startswith("re:") and re.match(k[3:], name))
        )
        groups.setdefault(_module_of(key).__name__.rsplit(".", 1)[-1], []).append(name)
    return groups


GROUPS = _checked_by_module()


@pytest.mark.django_db
@pytest.mark.parametrize("module_name", sorted(GROUPS))
def test_urls_answer_each_role_as_the_matrix_says(module_name, people, org_a, org_b):
    """One test per matrix module: its setup(fx) runs once, then every URL it covers is requested as
    every kind of person; all mismatches are reported together."""
    fx = SimpleNamespace(org_a=org_a, org_b=org_b, people=people)
    module = importlib.import_module(f"{matrix.__name__}.{module_name}")
    if hasattr(module, "setup"):
        module.setup(fx)
    clients = {}
    for role, user in people.items():
        client = Client()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        clients[role] = client
    wrong = []
    for name in GROUPS[module_name]:
        entry = _lookup(name, ENTRIES)
        url = reverse(name, kwargs=entry.kwargs(fx))
        for role, expected in entry.expect.items():
            data = entry.data(fx)
            client = clients[role]
            response = client.post(url, data) if entry.method == "post" else client.get(url, data)
            if response.status_code != expected:
                wrong.append(f"{name} ({url}) as {role}: expected {expected}, got {response.status_code}")
    assert not wrong, "\n".join(wrong)


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
