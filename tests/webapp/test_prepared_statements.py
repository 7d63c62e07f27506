"""On PostgreSQL, a request that only reads ends with COMMIT, so psycopg keeps the statements
it has prepared; a transaction that wrote, or failed, still rolls back (security.tune_postgresql).

PostgreSQL only: on SQLite there is nothing to prepare on the server.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import RateCounter, Role, User

from .helpers import csrf_token

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)


def _prepared_on(driver_connection) -> list[str]:  # noqa: ANN001
    with driver_connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        found = [row[0] for row in cursor.fetchall()]
    driver_connection.rollback()
    return found


def _counters(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(RateCounter.key)))


def test_pages_that_only_read_keep_their_statements_prepared(app, auth, client):
    """Reads between writes, as a student's requests go: each write commits, and the pages
    after it leave psycopg's prepared statements in place."""
    user_id = auth.login_as(Role.STUDENT.value)
    served: dict[int, list] = {}  # connection -> each time it was handed to a request
    with app.app_context():
        sa.event.listen(
            db.engine,
            "checkout",
            lambda dbapi, _record, _proxy: served.setdefault(id(dbapi), []).append(dbapi),
        )
    for zone in ["Europe/Paris", "Asia/Tokyo"] * 6:
        token = csrf_token(client, "/account")
        saved = client.post(
            "/account/time-zone", data={"tz-time_zone": zone, "tz-csrf_token": token}
        )
        assert saved.status_code == 302
        assert client.get("/account").status_code == 200
        with app.app_context():
            assert db.session.get(User, user_id).settings["time_zone"] == zone  # a write

    # psycopg prepares a statement on its fifth run on a connection; every request loads
    # the signed-in student, and each connection that served enough of them has it prepared.
    busy = [uses[0] for uses in served.values() if len(uses) >= 10]
    assert busy, {key: len(uses) for key, uses in served.items()}
    for connection in busy:
        prepared = _prepared_on(connection)
        assert any(s.startswith('SELECT "user".id') for s in prepared), prepared


def test_a_transaction_that_wrote_still_rolls_back(app):
    with app.app_context():
        db.session.add(RateCounter(key="orm-write", window_start=0, count=1))
        db.session.flush()
        db.session.rollback()
        # A write that does not start with INSERT: counted as a write all the same.
        db.session.execute(
            sa.text(
                "WITH added AS (INSERT INTO rate_counter (key, window_start, count) "
                "VALUES ('cte-write', 0, 1) RETURNING key) SELECT key FROM added"
            )
        )
        db.session.rollback()
        db.session.add(RateCounter(key="kept", window_start=0, count=1))
        db.session.commit()
    assert _counters(app) == ["kept"]


def test_a_read_after_a_committed_write_does_not_commit_a_later_write(app):
    """The mark of a write belongs to one transaction: a later one that writes, on the same
    connection, is rolled back too."""
    with app.app_context():
        db.session.execute(sa.select(RateCounter.key)).all()
        db.session.rollback()  # read only: ends with COMMIT
        db.session.add(RateCounter(key="first", window_start=0, count=1))
        db.session.commit()
        db.session.execute(sa.select(RateCounter.key)).all()
        db.session.add(RateCounter(key="dropped", window_start=0, count=1))
        db.session.flush()
        db.session.rollback()
    assert _counters(app) == ["first"]


def test_a_failed_read_rolls_back_and_the_connection_goes_on(app):
    with app.app_context():
        with pytest.raises(sa.exc.DataError):
            db.session.execute(sa.text("SELECT 1 / 0"))
        db.session.rollback()
        assert db.session.execute(sa.text("SELECT 2")).scalar_one() == 2
        db.session.rollback()


def test_a_connection_lost_during_a_read_is_dropped_and_the_next_one_works(app):
    """The COMMIT that ends a read fails on a dead connection: the session's end reports a
    lost connection as SQLAlchemy always did (and drops it), and the next use gets a live
    one (the pool's ping, ``config.Config``, which the test app has too)."""
    with app.app_context():
        backend = db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        with db.engine.connect() as admin:
            admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        with pytest.raises(sa.exc.OperationalError):
            db.session.remove()  # the end of a request
        assert db.session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() != backend
