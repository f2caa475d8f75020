"""Django's PostgreSQL backend, with a health check of a reused connection that costs no round
trip to the server, and cursors for the statements every request runs that the server prepares.

With `CONN_HEALTH_CHECKS`, Django checks a persistent connection before its first use in each
request by sending `SELECT 1` and waiting for the answer: one round trip more on every request
that touches the database, as many as the session read itself (docs/performance.md). Between
requests the connection is idle, and a server that ends an idle connection (a restart, an
administrator's `pg_terminate_backend`, an idle timeout, a crash) tells the client so: it sends
its last message and closes the socket, or the operating system closes it. Either makes the
socket readable. So a connection that is still open, idle and has nothing waiting to be read is
usable, which a zero-timeout `poll` on its socket tells without asking the server.

Anything else gets Django's own check (`SELECT 1`): a socket with something to read (which
could also be a harmless notice), a connection not idle, or a platform without `poll`. After a
request that raised a database error Django still checks with its own `is_usable`, unchanged.

Django binds parameters on the client and turns prepared statements off, so PostgreSQL parses
and plans every statement it is sent. For the few statements every signed-in request runs (the
session with its user, a token with its user, the catalogue and page versions), planning costs
more than running them: the session with its user, organisation and roles took 0.74 ms in
process, 0.22 ms prepared. `prepared_cursor()` is a Django cursor (logged and counted like any
other) that binds on the server, so psycopg prepares a statement once it has run it
`prepare_threshold` times on the connection (DATABASES OPTIONS, set in settings: two, or off
with `DATABASE_PREPARED_STATEMENTS=false` behind a pooler that cannot keep them).
"""

from __future__ import annotations

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.backends.postgresql.operations import (
    DatabaseOperations as PostgreSQLDatabaseOperations,
)
from django.utils.asyncio import async_unsafe
from psycopg import errors, pq


def idle_and_quiet(connection) -> bool:
    """Whether the psycopg `connection` is open, idle outside a transaction, and its socket has
    nothing to read (the server has not ended it). Sends nothing to the server."""
    if connection.closed or connection.broken:
        return False
    if connection.pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return False
    if not hasattr(select, "poll"):
        return False
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
    return not poller.poll(0)


class DatabaseOperations(PostgreSQLDatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        """Django's, and for a statement bound on the server (prepared_cursor), for which
        psycopg keeps no client-side text, the statement with its parameters, as Django shows
        it when every statement is bound on the server."""
        found = super().last_executed_query(cursor, sql, params)
        if found is None and sql is not None:
            try:
                return self.compose_sql(sql, params)
            except errors.DataError:
                return None
        return found


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
    ops_class = DatabaseOperations

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and idle_and_quiet(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    @async_unsafe
    def prepared_cursor(self):
        """A cursor binding its parameters on the server, which psycopg prepares statements on
        (see above); otherwise as `cursor()`."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            raw = self.connection
            factory, raw.cursor_factory = raw.cursor_factory, ServerBindingCursor
            try:
                cursor = self.create_cursor()
            finally:
                raw.cursor_factory = factory
            return self._prepare_cursor(cursor)
