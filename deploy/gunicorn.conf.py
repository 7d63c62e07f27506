"""gunicorn's settings for the quiz site behind nginx (``gunicorn -c deploy/gunicorn.conf.py``).

deploy/quiz.service runs it; the deployment test (tests/webapp/test_deploy.py) and
bench/bench_slow_clients.py start gunicorn with it too. ``QUIZ_*`` environment variables
override the defaults. nginx buffers every request and response, so a worker only ever
meets a complete request and a fast reader; there gthread workers (4 threads each) served
1.26-1.60 times the requests a second of sync ones, at the same latency under a slow-client
attack (bench/RESULTS.md, "Slow clients"): a thread waiting on the database lets another
run. Alone, neither survives slow clients; behind nginx, both do.
"""

import os

wsgi_app = "webapp:create_app()"
bind = os.environ.get("QUIZ_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("QUIZ_WORKERS", "3"))  # about two per core
worker_class = os.environ.get("QUIZ_WORKER_CLASS", "gthread")
threads = int(os.environ.get("QUIZ_THREADS", "4"))
# SO_REUSEPORT: a new master binds the port even while orphaned workers of a killed one
# still hold it, so a restart never waits for them (they finish their request and exit).
reuse_port = True
timeout = 30
graceful_timeout = 20
control_socket_disable = True  # else one socket in $HOME shared by every server
errorlog = "-"  # stderr: the journal; the app logs one line per request itself
accesslog = None


def post_worker_init(worker):  # noqa: ANN001, ANN201, ARG001 - gunicorn's hook
    """Before a worker's first request: what that request would otherwise wait for."""
    from webapp import warm_up

    warm_up()
