"""The early answer (empowerment.pagecache.EarlyPageApplication, the WSGI application gunicorn serves): a GET
that the process answered from its own fresh copy of a page less than PUBLIC_PAGE_LOCAL_SECONDS ago is answered
again before Django's request handling, with the same page, headers and cookie as the whole handler gives and
the visitor's own CSRF token; any other request (another address, host, language or htmx-ness, a session, a
masked CSRF cookie, a page changed meanwhile) goes through Django as before."""

import re
from http.cookies import SimpleCookie

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory

from empowerment import freshness, pagecache

pytestmark = pytest.mark.django_db

PATH = "/projects/health-checks/"


class Site:
    """The WSGI application as gunicorn calls it, counting the requests that reached Django."""

    def __init__(self):
        self.django = WSGIHandler()
        self.reached_django = 0
        self.application = pagecache.EarlyPageApplication(self._django)

    def _django(self, environ, start_response):
        self.reached_django += 1
        return self.django(environ, start_response)

    def get(self, path=PATH, **headers):
        environ = RequestFactory().get(path, **headers).environ
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"], answer["headers"] = status, response_headers

        chunks = self.application(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        return answer["status"], answer["headers"], body


def _header(headers, name):
    found = [v for k, v in headers if k.lower() == name.lower()]
    return found[0] if len(found) == 1 else found or None


def _token(body: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]*)"', body).group(1).decode()


def _cookie(headers) -> SimpleCookie:
    cookie = SimpleCookie()
    cookie.load(_header(headers, "Set-Cookie"))
    return cookie


@pytest.fixture
def site(settings, programme, connection_kept):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 60
    site = Site()
    assert _header(site.get()[1], "X-Page-Cache") == "miss"
    assert _header(site.get()[1], "X-Page-Cache") == "hit"  # by Django, the copy kept by the process
    return site


def test_a_page_the_process_answered_from_its_copy_is_answered_again_before_django(site):
    status, by_django, django_body = site.get()  # by Django from the process's copy: learned
    reached = site.reached_django
    answers = [site.get() for _ in range(3)]
    assert site.reached_django == reached  # none of them reached Django
    for early_status, early, body in answers:
        assert early_status == status == "200 OK"
        # The same headers, each the same value but the cookie (the visitor's own secret, its expiry renewed)
        # and the length (the token is the visitor's, of the same length).
        assert sorted(k for k, _v in early) == sorted(k for k, _v in by_django)
        same = [(k, v) for k, v in by_django if k.lower() != "set-cookie"]
        assert sorted(same) == sorted((k, v) for k, v in early if k.lower() != "set-cookie")
        assert _header(early, "X-Page-Cache") == "hit" and int(_header(early, "Content-Length")) == len(body)
        # The same page, with a token of the visitor's own.
        assert body.replace(_token(body).encode(), b"") == django_body.replace(
            _token(django_body).encode(), b""
        )
        assert b"Health checks for older residents" in body
    tokens = {_token(body) for _s, _h, body in answers}
    secrets = {_cookie(headers)["csrftoken"].value for _s, headers, _b in answers}
    assert len(tokens) == 3 and len(secrets) == 3
    for _s, headers, body in answers:  # each token is the visitor's new secret, masked as Django masks it
        assert _unmask_cipher_token(_token(body)) == _cookie(headers)["csrftoken"].value


def test_the_cookie_is_the_one_django_sends_for_that_secret(site):
    _s, by_django, _b = site.get()
    secret = _cookie(by_django)["csrftoken"].value
    django_cookie = _header(by_django, "Set-Cookie")
    ours = pagecache._csrf_cookie(secret)
    # The same but for the expiry, which is to the second (the two may straddle one).
    assert re.sub(r"expires=[^;]*", "", ours) == re.sub(r"expires=[^;]*", "", django_cookie)
    assert "Max-Age=" in ours and "Path=/" in ours and "SameSite=Lax" in ours


def test_a_visitor_with_a_cookie_keeps_their_secret_and_can_post_the_form(site):
    site.get()  # learned
    secret = "a" * 16 + "B" * 16
    reached = site.reached_django
    _s, headers, body = site.get(HTTP_COOKIE=f"csrftoken={secret}")
    assert site.reached_django == reached
    token = _token(body)
    assert _unmask_cipher_token(token) == secret and _cookie(headers)["csrftoken"].value == secret
    visitor = Client(enforce_csrf_checks=True)
    visitor.cookies["csrftoken"] = secret
    answer = visitor.post(
        "/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "zh-hans", "next": "/"}
    )
    assert answer.status_code == 302
    refused = Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"csrfmiddlewaretoken": token})
    assert refused.status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ACCEPT_LANGUAGE": "zh-hans"},  # another language
        {"HTTP_COOKIE": "django_language=zh-hans"},
        {"HTTP_HX_REQUEST": "true"},  # htmx asks for the page's part
        {"HTTP_HOST": "localhost"},  # another host
        {"HTTP_HOST": "evil.example"},  # a host not allowed
        {"HTTP_COOKIE": "sessionid=abc"},  # someone who may be signed in
        {"HTTP_COOKIE": "csrftoken=" + "x" * 64},  # a masked cookie: Django reads it
        {"HTTP_COOKIE": "csrftoken=short"},  # not a secret: Django replaces it
    ],
)
def test_any_other_request_goes_through_django(site, headers):
    site.get()
    reached = site.reached_django
    status, answer, body = site.get(**headers)
    assert site.reached_django == reached + 1
    if headers.get("HTTP_HOST") == "evil.example":
        assert status.startswith("400")
    elif "sessionid" in headers.get("HTTP_COOKIE", ""):
        assert status == "200 OK" and _header(answer, "X-Page-Cache") is None  # rendered for them
    if headers.get("HTTP_ACCEPT_LANGUAGE") == "zh-hans":
        assert _header(answer, "Content-Language") == "zh-hans"


def test_other_addresses_and_methods_go_through_django(site):
    site.get()
    reached = site.reached_django
    site.get(PATH + "?utm=1")
    site.get("/")
    environ = RequestFactory().head(PATH).environ
    site.application(environ, lambda *a: None)
    assert site.reached_django == reached + 3


def test_a_change_made_by_the_process_is_answered_by_django_at_once(site):
    site.get()
    freshness.touch(freshness.PAGES)  # as a change to a published row touches it once committed
    reached = site.reached_django
    _s, headers, _b = site.get()
    assert site.reached_django == reached + 1 and _header(headers, "X-Page-Cache") == "miss"


def test_nothing_is_answered_early_when_the_copies_are_off(settings, programme, connection_kept):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 0
    site = Site()
    for _ in range(4):
        site.get()
    assert site.reached_django == 4 and pagecache._EARLY == {}


def test_what_is_learned_is_bounded_and_forgotten_with_the_copies(site):
    for n in range(pagecache._EARLY_LIMIT + 3):
        site.get(HTTP_ACCEPT_LANGUAGE=f"en;q=0.{n % 10}, fr;q=0.{n // 10 % 10}{n}")
    assert len(pagecache._EARLY) == pagecache._EARLY_LIMIT
    pagecache.forget_local()
    assert pagecache._EARLY == {} and pagecache._LOCAL == {}
