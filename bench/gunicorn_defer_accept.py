"""gunicorn settings for bench/capacity.py: the listening socket defers accept() until data.

``gunicorn -c bench/gunicorn_defer_accept.py``. wrk opens a connection's next TCP
connection as soon as the last response arrives, then waits the think time (its ``delay()``
hook) before sending the request. A gunicorn worker that accepted that connection would sit
blocked reading it for the whole think time (a sync worker; a gthread thread for up to 5 s):
the slow-client problem, measured at 200 students thinking 1 s as a p50 of 422 ms for
``/healthz`` instead of 2 ms. With ``TCP_DEFER_ACCEPT`` the kernel hands a connection to
accept() only once its request has arrived, as when a browser (or ``bench/load.py``'s
Python students) connects just before it sends, and as nginx's ``listen ... deferred``
does in production. ``CAPACITY_DEFER_ACCEPT`` is the seconds a connection may stay silent
(default 30): it must exceed the longest think time.
"""

import os
import socket


def when_ready(server):  # noqa: ANN001, ANN201 - gunicorn's hook
    seconds = int(os.environ.get("CAPACITY_DEFER_ACCEPT", "30"))
    for listener in server.LISTENERS:
        listener.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, seconds)


def post_worker_init(worker):  # noqa: ANN001, ANN201, ARG001 - gunicorn's hook
    """As deploy/gunicorn.conf.py: the first typed answer a worker grades does not wait."""
    from webapp import warm_up

    warm_up()
