"""Django's PostgreSQL backend, with a health check of a reused connection that costs no round
trip to the server.

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
"""

from __future__ import annotations

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper
from psycopg import pq


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


class DatabaseWrapper(PostgreSQLDatabaseWrapper):
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
