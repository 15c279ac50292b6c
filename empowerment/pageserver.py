"""The visitors' pages served by an event loop: a gunicorn worker class for the public pages' pool.

Most of a giving day's page reads are answered from this process's own fresh copy of the page
(`pagecache.EarlyPageApplication.early`), which needs nothing but memory. Under gunicorn's threaded worker
each such answer still cost a parse of the request in Python, a hand-off to a thread and back, and the
poller's bookkeeping: on two cores about 40% of what the pages' processes spent. `PagesWorker` parses HTTP in
C (httptools on uvloop, through uvicorn), answers those reads on the event loop itself, and hands every other
request (anything Django must see: a page to render, a form, a static file) to a pool of `--threads`
threads that run the same WSGI application the other pools run, so the site behaves the same on every pool.

Run with: gunicorn empowerment.wsgi:application --worker-class empowerment.pageserver.PagesWorker --threads 4
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote_to_bytes

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker

log = logging.getLogger(__name__)

# A request body up to this size is kept in memory, a larger one in a temporary file.
BODY_IN_MEMORY = 1024 * 1024
# An answer's body is sent from the threads in pieces of at least this size (a page goes in one).
SEND_PIECE = 64 * 1024
_HEADER_KEYS: dict[bytes, str | None] = {}


def _header_key(name: bytes) -> str | None:
    """The WSGI environ key of a request header; None for a name with "_" (dropped, as gunicorn does, so
    that "X_Forwarded_Proto" cannot pass for "X-Forwarded-Proto")."""
    key = _HEADER_KEYS.get(name)
    if key is None and name not in _HEADER_KEYS:
        text = name.decode("latin-1")
        if "_" not in text:
            key = text.upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = "HTTP_" + key
        if len(_HEADER_KEYS) < 512:
            _HEADER_KEYS[name] = key
    return key


def wsgi_environ(scope: dict) -> dict:
    """The WSGI environ of an ASGI HTTP request, as gunicorn makes it (PEP 3333: the path undecoded but for
    its %-escapes, as latin-1 text), without its body."""
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client") or ("", 0)
    root = scope.get("root_path", "")
    path = unquote_to_bytes(scope.get("raw_path") or scope["path"].encode("utf-8")).decode("latin-1")
    if root and path.startswith(root):
        path = path[len(root) :]
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": root,
        "PATH_INFO": path,
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": "HTTP/" + scope.get("http_version", "1.1"),
        "REMOTE_ADDR": str(client[0]),
        "REMOTE_PORT": str(client[1]),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in scope.get("headers", ()):
        key = _header_key(name)
        if key is None:
            continue
        text = value.decode("latin-1")
        environ[key] = environ[key] + "," + text if key in environ else text
    return environ


def _encoded(headers) -> list[tuple[bytes, bytes]]:
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]


def _answer(status: int, headers, body: bytes) -> list[dict]:
    """The ASGI messages of a whole answer."""
    return [
        {"type": "http.response.start", "status": status, "headers": _encoded(headers)},
        {"type": "http.response.body", "body": body},
    ]


def _refused(scope, limits: tuple[int, int, int]) -> tuple[int, bytes] | None:
    """The status and text refusing a request beyond gunicorn's limits (its request line's length, its number
    of header fields and a field's size: limit_request_line, _fields, _field_size; 0 for no limit), or None."""
    line, fields, field_size = limits
    if line and len(scope.get("raw_path") or b"") + len(scope.get("query_string", b"")) > line:
        return 414, b"Request-URI Too Long"
    headers = scope.get("headers", ())
    if fields and len(headers) > fields:
        return 431, b"Request Header Fields Too Large"
    if field_size and any(len(name) + len(value) + 2 > field_size for name, value in headers):
        return 431, b"Request Header Fields Too Large"
    return None


class PagesApplication:
    """An ASGI application over a WSGI one: the early answer on the event loop, the rest in `threads`.
    `limits`: gunicorn's limits on the request line and header fields, which its own parser applies."""

    def __init__(self, application, threads: int = 4, limits: tuple[int, int, int] = (4094, 100, 8190)):
        self.application = application
        self.early = getattr(application, "early", None)
        self.executor = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="pages")
        self.limits = limits

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":  # no lifespan, no websockets: the worker turns both off
            return
        refused = _refused(scope, self.limits)
        if refused is not None:
            status, text = refused
            headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(text)))]
            await _send_all(send, _answer(status, headers, text))
            return
        environ = wsgi_environ(scope)
        if self.early is not None:
            answer = self.early(environ)
            if answer is not None:
                headers, body = answer
                await _send_all(send, _answer(200, headers, body))
                return
        environ["wsgi.input"] = await self._body(receive)
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self.executor, self._run, environ, send, loop)
        finally:
            environ["wsgi.input"].close()

    @staticmethod
    async def _body(receive):
        body = tempfile.SpooledTemporaryFile(max_size=BODY_IN_MEMORY)  # noqa: SIM115 - closed by __call__
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            body.write(message.get("body", b""))
            if not message.get("more_body"):
                break
        body.seek(0)
        return body

    def _run(self, environ, send, loop) -> None:
        """Run the WSGI application in this thread and send its answer through the loop, a page in one go."""
        started: list = []  # [status, headers] once start_response was called
        sent = False
        pending: list[bytes] = []
        size = 0

        def start_response(status, headers, exc_info=None):
            if exc_info is not None and sent:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [status, headers]
            return pending.append  # the legacy write() callable: kept with the body

        def flush(more: bool) -> None:
            nonlocal sent, size
            messages = []
            if not sent:
                status, headers = started
                messages.append(
                    {"type": "http.response.start", "status": int(status[:3]), "headers": _encoded(headers)}
                )
                sent = True
            messages.append({"type": "http.response.body", "body": b"".join(pending), "more_body": more})
            pending.clear()
            size = 0
            asyncio.run_coroutine_threadsafe(_send_all(send, messages), loop).result()

        try:
            result = self.application(environ, start_response)
        except Exception:
            log.exception("The application failed on %s", environ.get("PATH_INFO"))
            started[:] = [
                "500 Internal Server Error",
                [("Content-Type", "text/plain"), ("Content-Length", "21")],
            ]
            pending[:] = [b"Internal Server Error"]
            flush(False)
            return
        try:
            for chunk in result:
                if chunk:
                    pending.append(chunk)
                    size += len(chunk)
                    if size >= SEND_PIECE:
                        flush(True)
            flush(False)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()


async def _send_all(send, messages) -> None:
    for message in messages:
        await send(message)


class _Corked:
    """A connection's transport whose writes made in one step of the event loop leave in one write: an
    answer's head and body in one segment, not two (each a system call and a wakeup of the reader)."""

    __slots__ = ("_transport", "_loop", "_pending")

    def __init__(self, transport, loop):
        self._transport, self._loop, self._pending = transport, loop, []

    def write(self, data) -> None:
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(bytes(data))

    def _flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(map(len, self._pending))

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def abort(self) -> None:
        self._pending.clear()
        self._transport.abort()

    def __getattr__(self, name):
        return getattr(self._transport, name)


class PagesProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol (httptools) writing each answer's head and body together."""

    def connection_made(self, transport) -> None:
        super().connection_made(_Corked(transport, self.loop))


class PagesWorker(UvicornWorker):
    """gunicorn's worker for the public pages' pool: uvloop and httptools (uvicorn) in front of
    `PagesApplication` with `--threads` threads. gunicorn's settings (bind, workers, timeout, keep-alive,
    max requests) apply as to its own workers. The client's address is the peer's, as under gunicorn's own
    workers (the proxy in front sets it); X-Forwarded-Proto is read by Django (SECURE_PROXY_SSL_HEADER)."""

    CONFIG_KWARGS = {
        "loop": "uvloop",
        "http": PagesProtocol,
        "ws": "none",
        "lifespan": "off",
        "proxy_headers": False,
        "server_header": False,
    }

    def load_wsgi(self) -> None:
        super().load_wsgi()
        limits = (
            self.cfg.limit_request_line,
            self.cfg.limit_request_fields,
            self.cfg.limit_request_field_size,
        )
        self.wsgi = PagesApplication(self.wsgi, threads=self.cfg.threads, limits=limits)
