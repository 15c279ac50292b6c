"""No 500 for any input: Hypothesis drives every URL of the permission matrix, as each role that may reach it
(and, briefly, as roles that may not), with hostile values in query strings, path parameters and every field
of every form found on the pages (NUL and other control characters, lone surrogates, right-to-left
overrides, 100,000-character strings, emoji, numbers in odd notations, repeated and unknown keys, hostile
files), and the signed notification API with JSON of every type.

Each answer must be a 2xx/3xx/4xx (a 400 with a body that says why), never a 5xx; a refused POST leaves the
row counts of every table of the project's apps unchanged. Every example runs in a savepoint that is rolled
back, so examples do not disturb each other.

Bounded for CI by the "ci" Hypothesis profile (tests/security/fuzzing.py); `make fuzz` runs the "long" one.
"""

from __future__ import annotations

import copy
import importlib
import json
import time
import traceback
import uuid
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.security import fuzzing, matrix
from tests.security.fuzzing import (
    MULTIPART_CONTENT,
    PATH_SWEEP,
    SWEEP,
    FormTarget,
    discover_forms,
    form_values,
    hostile_text,
    json_values,
    multipart,
    path_values,
    query_pairs,
    quote,
    row_counts,
    urlencode,
)
from tests.security.test_permission_matrix import ENTRIES, GROUPS, _lookup

pytestmark = pytest.mark.fuzz
PROFILE = settings.get_profile(fuzzing.PROFILE)
TALLY = {"endpoints": set(), "forms": set(), "requests": 0, "modules": 0}

# A few answers write on purpose while answering 200: none today. Keep this empty unless a page is an
# htmx control that saves and answers with a fragment.
WRITES_ON_200: set[str] = set()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Login and signup forms hash passwords; the slow production hasher would spend the time budget."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class _Rollback(Exception):
    pass


def _reachable(entry, role: str) -> bool:
    code = entry.expect[role]
    if entry.method == "get":
        return 200 <= code < 300
    if code in (401, 403, 404):
        return False
    others = {c for r, c in entry.expect.items() if r != "anonymous"}
    return not (role == "anonymous" and code == 302 and others != {302})


class Fuzzer:
    def __init__(self, people):
        self.clients = {}
        for role, user in people.items():
            client = Client()
            if user is not None:
                client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            self.clients[role] = client
        self.failures: list[str] = []
        self.timings: list[tuple[float, str]] = []

    # One request, checked --------------------------------------------------------------------------------

    def send(
        self,
        role: str,
        method: str,
        url: str,
        body: bytes = b"",
        content_type: str = "",
        json_api: bool = False,
    ) -> None:
        """Send one request in a savepoint that is rolled back; raise AssertionError on a 5xx, an empty 400
        or a refused POST that changed rows."""
        client = self.clients[role]
        cookies = copy.deepcopy(client.cookies)
        TALLY["requests"] += 1
        problem = None
        try:
            with transaction.atomic():
                before = row_counts() if method == "post" else None
                try:
                    if method == "get":
                        response = client.get(url)
                    else:
                        response = client.generic("POST", url, body, content_type=content_type)
                except Exception as exc:  # the view raised: Django would answer 500
                    tb = "".join(traceback.format_exception(exc)[-6:])
                    problem = f"500 ({type(exc).__name__}: {str(exc)[:300]})\n{tb}"
                    raise _Rollback from None
                status = response.status_code
                if status >= 500:
                    problem = f"{status}"
                elif status == 400 and not response.content.strip():
                    problem = "400 without a message"
                elif json_api and not response.get("Content-Type", "").startswith("application/json"):
                    problem = f"{status} answered with {response.get('Content-Type')}, not JSON"
                elif before is not None and (status == 200 or status >= 400):
                    after = row_counts()
                    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
                    if changed and not (status == 200 and url in WRITES_ON_200):
                        problem = f"{status} but rows changed: {changed}"
                raise _Rollback
        except _Rollback:
            pass
        finally:
            client.cookies = cookies
        if problem:
            shown = body[:300] if isinstance(body, bytes) else body
            raise AssertionError(f"{method.upper()} {url[:300]} as {role} body={shown!r}: {problem}")

    def run(self, label: str, test) -> None:
        """Run a Hypothesis test; record its (shrunk) failure instead of stopping the walk."""
        started = time.monotonic()
        try:
            test()
        except Exception as exc:  # Hypothesis re-raises the falsifying example's error (or a group of them)
            self.failures.append(f"{label}: {exc}"[:3000])
        finally:
            self.timings.append((time.monotonic() - started, label))

    # Kinds of fuzzing ------------------------------------------------------------------------------------

    def query(self, url: str, role: str, known: list[str], examples: int, sweep: bool = True) -> None:
        @settings(PROFILE, max_examples=examples)
        @given(pairs=query_pairs(known))
        def test(pairs):
            self.send(role, "get", f"{url}?{urlencode(pairs)}")

        if sweep and known:
            keys = sorted(set(known) | {"page"})
            for value in SWEEP:
                test = example(pairs=[(k, value) for k in keys])(test)
        self.run(f"query {url} as {role}", test)

    def path(self, name: str, kwargs: dict, role: str, examples: int) -> None:
        for key in kwargs:
            self.run(f"path {name}[{key}] as {role}", self._path_test(name, kwargs, key, role, examples))

    def _path_test(self, name: str, kwargs: dict, key: str, role: str, examples: int):
        @settings(PROFILE, max_examples=examples)
        @given(value=path_values())
        def test(value):
            # Swap the real segment for the hostile one (a constrained pattern would refuse to reverse it).
            url = reverse(name, kwargs=kwargs)
            segment = quote(str(kwargs[key]))
            self.send(role, "get", url.replace(f"/{segment}/", f"/{quote(value)}/", 1))

        for value in PATH_SWEEP:
            test = example(value=value)(test)
        return test

    def form(self, target: FormTarget, role: str, examples: int, sweep: bool = True) -> None:
        @settings(PROFILE, max_examples=examples)
        @given(values=form_values(target))
        def test(values):
            pairs, files = values
            if target.method == "get":
                base = target.action.split("?", 1)[0]
                self.send(role, "get", f"{base}?{urlencode(pairs)}")
            elif target.multipart or files:
                self.send(role, "post", target.action, multipart(pairs, files), MULTIPART_CONTENT)
            else:
                self.send(
                    role,
                    "post",
                    target.action,
                    urlencode(pairs).encode(),
                    "application/x-www-form-urlencoded",
                )

        if sweep:
            for value in SWEEP:
                pairs = [(f.name, _sweep_value(f, index, value)) for index, f in enumerate(target.fields)]
                pairs = [
                    (name, v) for (name, v), f in zip(pairs, target.fields, strict=True) if f.kind != "file"
                ]
                files = [
                    (f.name, (f"{value[:100]}.pdf", b"%PDF-1.4 \x00"))
                    for f in target.fields
                    if f.kind == "file"
                ]
                test = example(values=(pairs, files))(test)
        self.run(f"form {target.method.upper()} {target.action} (on {target.page}) as {role}", test)


MANAGEMENT = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")
TYPED = ("text", "textarea", "search", "email", "url", "password", "tel", "hidden")


def _sweep_value(f, index: int, value: str) -> str:
    """The sweep's value for one field: submit buttons and formset counts keep theirs (TOTAL_FORMS=10**40 is
    read as Django's cap, a thousand forms: seconds a request); the 100,000-character string goes into the
    first typed fields only (a formset of twenty such fields costs seconds a request to re-render)."""
    if f.kind == "submit" or f.name.endswith(MANAGEMENT):
        return f.default
    if value is fuzzing.LONG and (f.kind not in TYPED or index > 8):
        return f.default
    return value


def sibling_pages(name: str, url: str, response, limit: int = 12) -> list[str]:
    """Links on a page to other pages of the same URL pattern (the other steps of a wizard, the other
    items of a list): their forms are fuzzed too."""
    import lxml.html
    from django.urls import Resolver404, resolve

    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    found = []
    for href in lxml.html.fromstring(response.content).xpath("//a/@href"):
        path = urlsplit(href).path
        if not path.startswith("/") or path == url or path in found:
            continue
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.view_name == name:
            found.append(path)
    return found[:limit]


def _walk_module(fz: Fuzzer, module_name: str, fx) -> None:
    n = PROFILE.max_examples
    targets: dict[tuple, tuple[FormTarget, str]] = {}
    for name in GROUPS[module_name]:
        entry = _lookup(name, ENTRIES)
        kwargs = entry.kwargs(fx)
        url = reverse(name, kwargs=kwargs)
        TALLY["endpoints"].add(name)
        reach = [role for role in matrix.ROLES if _reachable(entry, role)]
        refused = [role for role in ("anonymous", "b_admin", "a_viewer") if role not in reach][:2]
        for index, role in enumerate(reach):
            if entry.method == "get":
                try:
                    response = fz.clients[role].get(url, entry.data(fx))
                except Exception as exc:  # the plain page fails: report it, fuzz the rest
                    fz.failures.append(f"GET {url} as {role} without hostile input: 500 ({exc!r})"[:1000])
                    continue
                found = (
                    discover_forms(url, response.content)
                    if "html" in response.get("Content-Type", "")
                    else []
                )
                if index == 0:
                    for sibling in sibling_pages(name, url, response):
                        try:
                            page = fz.clients[role].get(sibling)
                        except Exception as exc:  # reported like a fuzzed failure
                            fz.failures.append(f"GET {sibling} as {role}: 500 ({exc!r})"[:1000])
                            continue
                        if page.status_code == 200 and "html" in page.get("Content-Type", ""):
                            found += discover_forms(sibling, page.content)
                known = [f.name for t in found if t.method == "get" for f in t.fields]
                fz.query(url, role, known, n if index == 0 else max(1, n // 2), sweep=index == 0)
                for target in found:
                    targets.setdefault((target.key, role), (target, role))
            else:
                fields = [fuzzing.FormField(k, "text", str(v)) for k, v in entry.data(fx).items()]
                target = FormTarget("post", f"http://testserver{url}", False, fields, url)
                targets.setdefault((target.key, role), (target, role))
        for role in refused:
            if entry.method == "get":
                fz.query(url, role, [], max(1, n // 2))
            else:
                target = FormTarget("post", f"http://testserver{url}", False, [], url)
                fz.form(target, role, max(1, n // 2))
        if kwargs and reach:
            fz.path(name, kwargs, reach[0], n)
    for (key, _role), (target, role) in sorted(targets.items(), key=lambda kv: repr(kv[0])):
        if (key, role) in _DONE:
            continue
        # The full sweep once per form; the other roles that see the same form get the random examples.
        swept = any(k == key for k, _r in _DONE)
        _DONE.add((key, role))
        TALLY["forms"].add(key[:2])
        fz.form(target, role, max(1, n // 2) if swept else n, sweep=not swept)


_DONE: set = set()


@pytest.mark.django_db
@pytest.mark.parametrize("module_name", sorted(GROUPS))
def test_no_input_gives_a_server_error(module_name, people, org_a, org_b):
    fx = SimpleNamespace(org_a=org_a, org_b=org_b, people=people)
    module = importlib.import_module(f"{matrix.__name__}.{module_name}")
    if hasattr(module, "setup"):
        module.setup(fx)
    fz = Fuzzer(people)
    started = time.monotonic()
    _walk_module(fz, module_name, fx)
    TALLY["modules"] += 1
    print(
        f"\nfuzz {module_name}: {len(TALLY['endpoints'])} endpoints, {len(TALLY['forms'])} forms, "
        f"{TALLY['requests']} requests so far; {time.monotonic() - started:.0f}s"
    )
    for seconds, label in sorted(fz.timings, reverse=True)[:8]:
        print(f"  {seconds:5.1f}s {label[:150]}")
    assert not fz.failures, f"{len(fz.failures)} failures:\n\n" + "\n\n".join(fz.failures)


# The signed notification API: JSON of every type, correctly signed -----------------------------------------


@pytest.mark.django_db
def test_signed_notifications_never_give_a_server_error():
    from fundraising.models import Channel
    from fundraising.notify import sign

    channel = Channel.objects.create(code="fuzz-platform", name="Fuzz", kind=Channel.Kind.ONLINE)
    url = reverse("fundraising:notify_donation", kwargs={"channel": channel.code})
    fz = Fuzzer({"anonymous": None})
    keys = ["id", "amount", "date", "donor_name", "show_name", "designation", "campaign", "receipt_number"]
    sane = {"id": "p-1", "amount": "88.00", "date": "2024-05-01", "donor_name": "张三"}

    document = st.one_of(
        st.fixed_dictionaries({}, optional={k: json_values for k in keys}).map(lambda d: {**sane, **d}),
        st.dictionaries(st.sampled_from(keys), hostile_text()).map(lambda d: {**sane, **d}),
        json_values,
    )
    raw = st.one_of(
        document.map(lambda d: json.dumps(d).encode()),
        st.sampled_from(
            [b"", b"{", b"\x00", b"\xff\xfe{}", b'{"id": "\\ud800"}', b"[" * 5000, b'{"a":1e999999}']
        ),
    )

    @settings(PROFILE, max_examples=PROFILE.max_examples * 25)
    @given(body=raw)
    def test(body):
        timestamp, nonce = str(int(time.time())), uuid.uuid4().hex
        client = fz.clients["anonymous"]
        client.defaults.update(
            HTTP_X_TIMESTAMP=timestamp,
            HTTP_X_NONCE=nonce,
            HTTP_X_SIGNATURE=sign(channel.notify_secret, timestamp, nonce, body),
        )
        fz.send("anonymous", "post", url, body, "application/json", json_api=True)

    fz.run(f"notify {url}", test)
    TALLY["endpoints"].add("fundraising:notify_donation (signed)")
    assert not fz.failures, "\n\n".join(fz.failures)
