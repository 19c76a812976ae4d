"""Django's PostgreSQL backend, with a health check that asks the server only when it may be gone (issue 13).

CONN_HEALTH_CHECKS sends `SELECT 1` before the first query of every request: a round trip that cost the
public progress look-up a fifth of its time. A server that ended the session (a restart,
pg_terminate_backend, idle_session_timeout) has written its goodbye or closed the socket, so the idle
socket reads as readable; a connection left idle longer than IDLE_SECONDS may have been dropped
silently on the way (a firewall, NAT). Either still gets the `SELECT 1` (and a new connection when it
fails); a connection used a moment ago and silent since is taken as it is."""

import select
import time

from django.db.backends.postgresql import base

IDLE_SECONDS = 5.0


class DatabaseWrapper(base.DatabaseWrapper):
    checked_at = float("-inf")  # when a request last began using this connection

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and time.monotonic() - self.checked_at < IDLE_SECONDS
            and not self._server_wrote()
        ):
            self.health_check_done = True
        super().close_if_health_check_failed()
        self.checked_at = time.monotonic()

    def _server_wrote(self) -> bool:
        """Whether anything waits on the socket while no query runs: nothing should."""
        poll = select.poll()
        poll.register(self.connection.fileno(), select.POLLIN)
        return bool(poll.poll(0))
