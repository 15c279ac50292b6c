"""The public pages' worker (empowerment.pageserver): the ASGI-to-WSGI bridge it serves the site through."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from empowerment.pageserver import SEND_PIECE, PagesApplication, wsgi_environ


def _scope(path="/", raw_path=None, method="GET", query=b"", headers=()):
    return {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": raw_path if raw_path is not None else path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": list(headers),
        "client": ("10.0.0.7", 51234),
        "server": ("127.0.0.1", 8000),
    }


def _serve(app, scope, body=b"", pieces=1):
    """Run `app` for one request; its sent messages."""
    sent = []
    parts = [body[i * len(body) // pieces : (i + 1) * len(body) // pieces] for i in range(pieces)]

    async def run():
        queue = [
            {"type": "http.request", "body": part, "more_body": n < len(parts) - 1}
            for n, part in enumerate(parts)
        ]

        async def receive():
            return queue.pop(0) if queue else {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        await app(scope, receive, send)

    # In a thread of its own: a browser test run before in this process may have left its loop running here.
    with ThreadPoolExecutor(1) as runner:
        runner.submit(asyncio.run, run()).result()
    return sent


def _answer(sent):
    start = sent[0]
    assert start["type"] == "http.response.start"
    bodies = sent[1:]
    assert all(m["type"] == "http.response.body" for m in bodies)
    assert not bodies[-1].get("more_body", False)
    assert all(m.get("more_body") for m in bodies[:-1])
    return start["status"], dict(start["headers"]), b"".join(m["body"] for m in bodies)


def test_environ_is_gunicorns():
    scope = _scope(
        path="/projects/caf\u00e9/",
        raw_path=b"/projects/caf%C3%A9%2F%FF/",
        query=b"q=%E4%B8%AD&page=2",
        headers=[
            (b"host", b"example.org"),
            (b"accept-language", b"zh-hans"),
            (b"x-forwarded-proto", b"https"),
            (b"x_forwarded_proto", b"http"),  # underscores: dropped, as gunicorn drops them
            (b"content-type", b"text/plain"),
            (b"content-length", b"3"),
            (b"cookie", b"a=1"),
            (b"cookie", b"b=2"),
        ],
    )
    environ = wsgi_environ(scope)
    # The path's bytes, %-escapes decoded, as latin-1 text (PEP 3333), as gunicorn gives it to Django.
    assert environ["PATH_INFO"] == b"/projects/caf\xc3\xa9/\xff/".decode("latin-1")
    assert environ["QUERY_STRING"] == "q=%E4%B8%AD&page=2"
    assert environ["HTTP_HOST"] == "example.org"
    assert environ["HTTP_ACCEPT_LANGUAGE"] == "zh-hans"
    assert environ["HTTP_X_FORWARDED_PROTO"] == "https"
    assert environ["CONTENT_TYPE"] == "text/plain"
    assert environ["CONTENT_LENGTH"] == "3"
    assert "HTTP_CONTENT_TYPE" not in environ
    assert environ["HTTP_COOKIE"] == "a=1,b=2"
    assert environ["REMOTE_ADDR"] == "10.0.0.7"
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("127.0.0.1", "8000")
    assert environ["wsgi.url_scheme"] == "http"
    assert environ["SERVER_PROTOCOL"] == "HTTP/1.1"


class _Echo:
    """A WSGI application answering with what it was given; `early` answers /early on its own."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        body = environ["wsgi.input"].read()
        text = f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']} {len(body)}".encode()
        start_response("201 Created", [("Content-Type", "text/plain"), ("X-Body-End", body[-8:].hex())])
        return [text]

    def early(self, environ):
        if environ["PATH_INFO"] == "/early":
            return [("Content-Type", "text/html"), ("X-Page-Cache", "hit")], b"<p>kept</p>"
        return None


def test_early_answer_never_reaches_the_threads():
    echo = _Echo()
    app = PagesApplication(echo, threads=2)
    status, headers, body = _answer(_serve(app, _scope("/early")))
    assert (status, body) == (200, b"<p>kept</p>")
    assert headers[b"X-Page-Cache"] == b"hit"
    assert echo.calls == 0
    status, _headers, body = _answer(_serve(app, _scope("/late")))
    assert (status, body) == (201, b"GET /late 0")
    assert echo.calls == 1


def test_request_body_reaches_the_application_whole():
    echo = _Echo()
    app = PagesApplication(echo, threads=2)
    body = bytes(range(256)) * 9000  # 2.3 MB: beyond what is kept in memory, in five pieces
    status, headers, answer = _answer(_serve(app, _scope("/form", method="POST"), body, pieces=5))
    assert status == 201
    assert answer == f"POST /form {len(body)}".encode()
    assert headers[b"X-Body-End"] == body[-8:].hex().encode()


def test_long_answer_is_streamed_in_pieces_and_closed():
    closed = []

    class Stream:
        def __iter__(self):
            for n in range(10):
                yield bytes([65 + n]) * (SEND_PIECE // 3)

        def close(self):
            closed.append(True)

    def stream(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return Stream()

    sent = _serve(PagesApplication(stream), _scope("/file"))
    status, _headers, body = _answer(sent)
    assert status == 200
    assert body == b"".join(bytes([65 + n]) * (SEND_PIECE // 3) for n in range(10))
    assert len(sent) > 3  # not held back until the end
    assert closed == [True]


def test_application_error_is_a_500_not_a_dropped_connection():
    def broken(environ, start_response):
        raise RuntimeError("boom")

    status, _headers, body = _answer(_serve(PagesApplication(broken), _scope("/")))
    assert (status, body) == (500, b"Internal Server Error")


def test_other_kinds_of_connection_are_ignored():
    echo = _Echo()
    sent = _serve(PagesApplication(echo), {"type": "lifespan"})
    assert sent == [] and echo.calls == 0


def test_requests_beyond_gunicorns_limits_are_refused_before_the_application():
    echo = _Echo()
    app = PagesApplication(echo, limits=(100, 5, 200))
    long_address = _scope("/" + "a" * 120)
    status, _headers, body = _answer(_serve(app, long_address))
    assert (status, body) == (414, b"Request-URI Too Long")
    big_field = _scope("/", headers=[(b"x-big", b"a" * 300)])
    assert _answer(_serve(app, big_field))[0] == 431
    many_fields = _scope("/", headers=[(b"x-%d" % n, b"1") for n in range(6)])
    assert _answer(_serve(app, many_fields))[0] == 431
    assert echo.calls == 0
    assert _answer(_serve(app, _scope("/within", headers=[(b"x-small", b"a" * 50)])))[0] == 201
