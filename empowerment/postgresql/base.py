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
from django.db.backends.postgresql.psycopg_any import errors


class PreparedCursor(base.ServerBindingCursor):
    """Binds its parameters on the server and has each statement prepared there the first time it runs on
    the connection (psycopg keeps the prepared statements of a connection by their text and parameter types,
    the latest hundred)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


class DatabaseOperations(base.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        # A statement bound on the server is logged (debug, tests' query capture) with its values written
        # in, as Django logs it when every statement is bound on the server.
        if isinstance(cursor, PreparedCursor):
            try:
                return self.compose_sql(sql, params)
            except errors.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    PROVEN_FOR = 1.0  # seconds
    # psycopg prepares a statement only when its connection has a threshold (Django sets none); a threshold
    # this high is never reached by Django's own statements (client-side binding, which psycopg never
    # prepares anyway): only those of the prepared cursor, which asks for it, are prepared.
    PREPARE_WHEN_ASKED = 2**31 - 1

    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("prepare_threshold") is None:
            params["prepare_threshold"] = self.PREPARE_WHEN_ASKED
        return params

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.proven_at: float | None = None
        self.plan_cache_mode = "auto"

    def init_connection_state(self):
        super().init_connection_state()
        self.plan_cache_mode = "auto"  # a new session: the server's default

    def prepared_cursor(self, *, generic_plan: bool = False):
        """A cursor whose statements PostgreSQL plans once per connection (PreparedCursor), wrapped as Django
        wraps its own (logged and counted like any statement), for the few fixed statements run by every
        request (empowerment.querysets.compiled_once): planning a join of a few tables costs the server more
        than running it. Django's other statements keep client-side binding, unprepared.

        PostgreSQL may still plan a prepared statement anew at each execution for its values (a custom plan)
        when it judges its one plan for all values costlier: with `generic_plan` the statements run under
        plan_cache_mode = force_generic_plan, for reads whose one plan is as good for every value while
        planning them anew costs more than running them. The session's setting is changed only when the
        next prepared statement wants the other (it matters to bound parameters only, so Django's own
        statements, bound on the client, are planned as before); a setting undone by a rolled-back
        transaction costs a plan, never a row."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            mode = "force_generic_plan" if generic_plan else "auto"
            if self.plan_cache_mode != mode:
                self.connection.execute(f"SET plan_cache_mode = {mode}")
                self.plan_cache_mode = mode
            cursor = PreparedCursor(self.connection)
            # As Django's create_cursor: timestamps read in the connection's time zone.
            loader = self.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, base.Format.TEXT)
            if self.timezone != loader.timezone:
                base.register_tzloader(self.timezone, cursor)
            return self._prepare_cursor(cursor)

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
