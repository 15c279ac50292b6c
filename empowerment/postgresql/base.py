"""Django's PostgreSQL backend (ENGINE "empowerment.postgresql" in settings), with one change: the health
check of a persistent connection (CONN_HEALTH_CHECKS) is skipped while the connection has proved itself
recently, instead of a `SELECT 1` round trip at the start of every request.

Django checks a reused connection once per request, before its first statement. On a giving day a
connection serves many requests a second and the check is a third of a donation notification's round
trips (the check, the channel's read, the insert). Here a connection that served a request without a
database error less than `PROVEN_FOR` seconds ago is taken as healthy; one idle longer (when the server
may have restarted or closed it) is checked exactly as Django checks it. A statement that fails on a
connection lost within that second marks it (errors_occurred) and Django closes it at the end of that
request, as it does without health checks."""

import time

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    PROVEN_FOR = 1.0  # seconds

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.proven_at: float | None = None

    def close_if_unusable_or_obsolete(self):
        # Called when a request (or a Celery task) starts and when it ends. At its end, a connection that
        # the request used (its health was settled) without an error has just proved itself.
        used_cleanly = self.connection is not None and self.health_check_done and not self.errors_occurred
        super().close_if_unusable_or_obsolete()
        if self.connection is None:
            self.proven_at = None
        elif used_cleanly:
            self.proven_at = time.monotonic()

    def is_usable(self):
        usable = super().is_usable()
        if usable:  # a check that passed proves the connection as a clean request does
            self.proven_at = time.monotonic()
        return usable

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and not self.health_check_done
            and self.proven_at is not None
            and time.monotonic() - self.proven_at < self.PROVEN_FOR
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
