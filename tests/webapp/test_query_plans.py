"""The hot pages' queries use indexes: no full scan of the tables that grow.

Every statement a page sends is recorded with its parameters and explained on the same
database (``EXPLAIN QUERY PLAN`` on SQLite; ``EXPLAIN`` on PostgreSQL with sequential
scans discouraged, so that a tiny test table is not scanned merely because it is tiny:
a ``Seq Scan`` left in the plan means no index can serve the query). A full scan of
``answer``, ``attempt_item``, ``question_revision`` or ``study_card`` fails the test, as
those grow with every student and every answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from werkzeug.datastructures import MultiDict

from webapp.extensions import db
from webapp.models import Mode
from webapp.quiz import service
from webapp.quiz.presentation import parse_form

from .helpers import post_form, wrong_form

GROWING = ("answer", "attempt_item", "question_revision", "study_card")
# SQLite: "SCAN answer", "SCAN answer_1", "SCAN a" for "answer AS a"... a SEARCH is fine.
SQLITE_SCAN = re.compile(r"^SCAN (\w+)(?: AS (\w+))?")
PG_SCAN = re.compile(r"Seq Scan on (\w+)")


@contextmanager
def recorded(engine) -> Iterator[list[tuple[str, object]]]:
    """The SELECT statements sent to ``engine`` meanwhile, with their parameters."""
    seen: list[tuple[str, object]] = []

    def _listener(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", _listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", _listener)


def full_scans(engine, statement: str, parameters, tables=GROWING) -> list[str]:  # noqa: ANN001
    """The growing tables (``tables``) the statement's plan reads in full."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            found = []
            for row in cursor.fetchall():
                match = SQLITE_SCAN.match(row[-1])
                if match and _table_of(match.group(1)) in tables:
                    found.append(row[-1])
            return found
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + statement, parameters)
        lines = [row[0] for row in cursor.fetchall()]
        cursor.execute("RESET enable_seqscan")
        return [line for line in lines if (m := PG_SCAN.search(line)) and m.group(1) in tables]
    finally:
        raw.close()


def _table_of(name: str) -> str:
    """SQLAlchemy's aliases of a table are its name with a number: ``answer_1``."""
    return re.sub(r"_\d+$", "", name)


def _history(app, user_id: int) -> None:
    """Some answers, wrong ones (mistakes, cards made due) among them."""
    with app.app_context():
        for section in ("history", "economy-energy"):
            attempt = service.create_attempt(
                mode=Mode.SECTION, sections=[section], size=3, user_id=user_id, guest_token=None
            )
            for item in attempt.items:
                q = item.revision.to_question()
                form = wrong_form(q, item.presentation)
                parsed = parse_form(q, item.presentation, MultiDict(form))
                service.record_answer(attempt, item, q, parsed.response)


def _student_pages(client) -> None:
    for url in ("/", "/dashboard", "/quiz/mistakes", "/study/", "/study/session", "/article"):
        assert client.get(url).status_code == 200, url
    for section in ("mistakes", "all"):
        response = post_form(client, f"/quiz/{section}", {"size": "3"})
        assert response.status_code == 302, (section, response.status_code)
    assert client.get("/anki/deck.apkg").status_code == 200  # built
    assert client.get("/anki/deck.apkg").status_code == 200  # the cached one, by its key


# The bank list with no query, in each order an index serves (bank_list.RANKED).
LIST_URLS = (
    "/instructor/",
    "/instructor/?order=desc",
    "/instructor/?sort=question",
    "/instructor/?sort=question&order=desc",
    "/instructor/?sort=kind",
    "/instructor/?sort=state&order=desc",
    "/instructor/?sort=section&status=draft&page=2",
)


def _instructor_pages(client) -> None:
    for url in (
        *LIST_URLS,
        "/instructor/?q=railway",
        "/instructor/?q=oil&section=economy-energy",
        "/instructor/?flagged=y",
        "/instructor/statistics",
        "/instructor/class",
    ):
        assert client.get(url).status_code == 200, url


def test_hot_queries_read_no_growing_table_in_full(app, bank, client, auth, make_user):
    student = auth.login_as("student")
    _history(app, student)
    with app.app_context():
        engine = db.engine
    with recorded(engine) as statements:
        _student_pages(client)
        auth.logout()
        auth.login_as("instructor", email="teacher@example.com")
        _instructor_pages(client)
    assert len(statements) > 20, "the pages sent fewer statements than they should"
    scans = {}
    for statement, parameters in statements:
        found = full_scans(engine, statement, parameters)
        if found:
            scans[statement] = found
    assert not scans, "\n\n".join(f"{s}\n  -> {f}" for s, f in scans.items())


def test_the_plan_reader_sees_a_full_scan(app, bank):
    """The check above can fail: an unindexed filter on answer is a full scan."""
    with app.app_context():
        engine = db.engine
        statement = "SELECT id FROM answer WHERE feedback = " + (
            "?" if engine.dialect.name == "sqlite" else "%(f)s"
        )
        parameters = ("x",) if engine.dialect.name == "sqlite" else {"f": "x"}
        assert full_scans(engine, statement, parameters)


def test_the_search_reads_the_text_index(app, bank):
    """The instructor search's words go through the FTS5 table or the GIN index."""
    from webapp.instructor.search import matching_ids

    with app.app_context():
        engine = db.engine
        compiled = matching_ids("railway sta").compile(engine)
        parameters = (
            tuple(compiled.params[name] for name in compiled.positiontup or ())
            if engine.dialect.name == "sqlite"
            else compiled.params
        )
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            if engine.dialect.name == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + str(compiled), parameters)
                plan = " ".join(row[-1] for row in cursor.fetchall())
                assert "question_revision_fts VIRTUAL TABLE INDEX" in plan, plan
            else:
                cursor.execute("SET enable_seqscan = off")
                cursor.execute("EXPLAIN " + str(compiled), parameters)
                plan = " ".join(row[0] for row in cursor.fetchall())
                cursor.execute("RESET enable_seqscan")
                assert "ix_question_revision_search" in plan, plan
        finally:
            raw.close()
        assert not full_scans(engine, str(compiled), parameters)


def test_the_search_reads_the_text_index_in_its_order_up_to_the_bound(app, bank):
    """The text's matches come from the index in its own order (revision ids), so SQLite
    stops reading at the bound: no sort of every match of a common word."""
    from webapp.instructor.search import current_matches

    with app.app_context():
        engine = db.engine
        plan = _plan(engine, current_matches("the railway", limit=1001))
    text = "\n".join(plan)
    if engine.dialect.name == "sqlite":
        assert "question_revision_fts VIRTUAL TABLE INDEX" in text, text
        assert "TEMP B-TREE" not in text, text
        assert "SEARCH question_revision USING INTEGER PRIMARY KEY" in text, text
    else:
        assert "ix_question_revision_search" in text, text
        assert "Seq Scan on question_revision" not in text, text


def _plan(engine, statement) -> list[str]:  # noqa: ANN001
    """The plan's lines of a statement compiled with its values inline."""
    sql = str(statement.compile(engine, compile_kwargs={"literal_binds": True}))
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        lines = [row[0] for row in cursor.fetchall()]
        cursor.execute("RESET enable_seqscan")
        return lines
    finally:
        raw.close()


def test_the_next_new_card_is_read_from_the_index_in_order(app, bank, make_user):
    """Each section's probe walks ix_question_section_status_id in id order and stops:
    the question table is neither scanned nor sorted (only the probes' one-row winners)."""
    from webapp.study.service import _first_unseen

    with app.app_context():
        engine = db.engine
        plan = _plan(engine, _first_unseen(make_user(), []))
    text = "\n".join(plan)
    assert "ix_question_section_status_id" in text, text
    if engine.dialect.name == "sqlite":
        assert not [line for line in plan if re.match(r"SCAN question\b", line)], text
        # a temporary b-tree orders the probes' winners only: one per section, not the bank
        assert sum("TEMP B-TREE" in line for line in plan) <= 1, text
    else:
        assert "Seq Scan on question" not in text, text
        # the only sort is the outer one, of the probes' winners
        assert sum("Sort Key" in line for line in plan) <= 1, text


def sorts_the_bank(engine, statement: str, parameters) -> list[str]:  # noqa: ANN001
    """SQLite: the plan reads ``question`` whole (a table or index scan, not a search) and
    sorts: a sort of the whole bank. (A scan in an index's order, unsorted, stops at the
    page's LIMIT, a count's at its bound; PostgreSQL's plans are held to no ``Seq Scan``
    by ``full_scans``.)"""
    if engine.dialect.name != "sqlite":
        return []
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        lines = [row[-1] for row in cursor.fetchall()]
    finally:
        raw.close()
    read = [line for line in lines if re.match(r"^SCAN question\b", line)]
    sorted_ = [line for line in lines if line.startswith("USE TEMP B-TREE FOR ORDER BY")]
    return read + sorted_ if read and sorted_ else []


def test_the_bank_list_reads_the_question_table_by_index(app, bank, client, auth):
    """No query, sorted by section, kind, state or id: each value's questions are read in
    id order from an index, as many as the page needs; the bank is never sorted whole."""
    auth.login_as("instructor", email="teacher@example.com")
    with app.app_context():
        engine = db.engine
    with recorded(engine) as statements:
        for url in LIST_URLS:
            assert client.get(url).status_code == 200, url
    scans = {}
    for statement, parameters in statements:
        found = full_scans(engine, statement, parameters)
        if engine.dialect.name == "sqlite":
            # an ordered index walk stops at the page's LIMIT, a bounded count at its bound
            found += sorts_the_bank(engine, statement, parameters)
        elif "ORDER BY" in statement:
            # a page in order comes from an index (the bounded count reads unordered)
            found += full_scans(engine, statement, parameters, ("question",))
        if found:
            scans[statement] = found
    assert not scans, "\n\n".join(f"{s}\n  -> {f}" for s, f in scans.items())


def test_the_plan_reader_sees_the_bank_sorted_whole(app, bank):
    """The old list's statement (every question sorted by the article's order) is caught."""
    from sqlalchemy import case

    from questions import SECTIONS
    from webapp.models import Question

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("sorts_the_bank reads SQLite's plans")
    with app.app_context():
        order = case({s.slug: s.number for s in SECTIONS}, value=Question.section, else_=999)
        stmt = db.select(Question.id).order_by(order, Question.uid).limit(25)
        with recorded(db.engine) as statements:
            db.session.execute(stmt).all()
        [(statement, parameters)] = statements
        assert sorts_the_bank(db.engine, statement, parameters)


# SQLite: questions read by their state alone, from the (status, uid) index, are every
# published question: a scan of the bank in all but name.
BY_STATE = re.compile(
    r"^(?:SCAN|SEARCH) question(?: AS \w+)? USING (?:COVERING )?INDEX \w+ \(status=\?\)$"
)


def by_state(engine, statement: str, parameters) -> list[str]:  # noqa: ANN001
    """The plan lines of ``statement`` that read questions by their state alone (SQLite)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        return [row[-1] for row in cursor.fetchall() if BY_STATE.match(row[-1])]
    finally:
        raw.close()


def test_no_student_page_reads_the_published_questions_by_their_state(app, bank, client, auth):
    """A student's daily pages and quiz draws (the whole article and their mistakes) read
    the questions they need by key, never every published one from the state's index."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("reads SQLite's plans (PostgreSQL's are checked for scans above)")
    student = auth.login_as("student")
    _history(app, student)
    with app.app_context():
        engine = db.engine
    assert client.get("/anki/deck.apkg").status_code == 200  # built: it reads every one
    with recorded(engine) as statements:
        # the daily pages (the article page lists every question by paragraph: not here)
        for url in ("/", "/dashboard", "/quiz/mistakes", "/study/", "/study/session"):
            assert client.get(url).status_code == 200, url
        for section in ("mistakes", "all"):
            response = post_form(client, f"/quiz/{section}", {"size": "3"})
            assert response.status_code == 302, (section, response.status_code)
        assert client.get("/anki/deck.apkg").status_code == 200  # the cached one
    assert len(statements) > 15, "the pages sent fewer statements than they should"
    found = {s: lines for s, p in statements if (lines := by_state(engine, s, p))}
    assert not found, "\n\n".join(f"{s}\n  -> {f}" for s, f in found.items())


def test_the_plan_reader_sees_questions_read_by_their_state(app, bank):
    """The draw as it was (the state in the WHERE beside the ids picked) is caught."""
    from webapp.models import Question, QuestionRevision, Status

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("reads SQLite's plans")
    with app.app_context():
        stmt = (
            db.select(Question, QuestionRevision)
            .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
            .where(Question.status == Status.PUBLISHED.value, Question.id.in_(range(1, 31)))
        )
        with recorded(db.engine) as statements:
            db.session.execute(stmt).all()
        [(statement, parameters)] = statements
        assert by_state(db.engine, statement, parameters)


def sorts_the_stats(engine, statement: str, parameters, table: str = "question_stat") -> list[str]:  # noqa: ANN001
    """The sorts of ``table``'s rows in the statement's plan: an ORDER BY that
    the database sorts in a temporary b-tree over rows it reads from ``question_stat``
    itself (SQLite: the sort and the read in the same SELECT), or a Sort node above a
    read of ``question_stat`` with no Limit between them (PostgreSQL, with sorts and
    sequential scans discouraged, so that only a plan with no other way keeps one). A
    sort of the short runs a merge reads from each index (a Limit each) is no such sort."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            rows = cursor.fetchall()
            found = []
            for parent in {row[1] for row in rows}:
                lines = [row[-1] for row in rows if row[1] == parent]
                reads = [line for line in lines if re.match(rf"^(SCAN|SEARCH) {table}\b", line)]
                sorts = [
                    line for line in lines if re.match(r"^USE TEMP B-TREE FOR .*ORDER BY", line)
                ]
                if reads and sorts:
                    found += reads + sorts
            return found
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_sort = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
        [plan] = cursor.fetchone()[0]  # one statement's plan, as JSON
        cursor.execute("RESET enable_sort")
        cursor.execute("RESET enable_seqscan")
        found = []
        _pg_sorts(plan["Plan"], False, found, table)
        return found
    finally:
        raw.close()


def _pg_sorts(node: dict, under_sort: bool, found: list[str], table: str) -> None:
    """Collect the reads of ``table`` below a Sort node with no Limit between."""
    kind = node.get("Node Type", "")
    if kind == "Limit":
        under_sort = False
    if kind in ("Sort", "Incremental Sort"):
        under_sort = True
    if under_sort and node.get("Relation Name") == table:
        # a bitmap heap scan names its index in its Bitmap Index Scan children
        names = [node.get("Index Name")] + [
            child.get("Index Name") for child in node.get("Plans", ())
        ]
        using = ", ".join(name for name in names if name) or "no index"
        found.append(f"{kind} on {table} using {using} under a Sort")
    for child in node.get("Plans", ()):
        _pg_sorts(child, under_sort, found, table)


STATS_FILTERS = (
    {},
    {"section": "history"},
    {"flagged": "y"},
    {"section": "history", "flagged": "y"},
)


# the filters' own indexes: a filtered page that keeps few rows reads them by these
FILTER_INDEX = re.compile(r"ix_question_stat_(section|review)_uid\b")


@pytest.mark.parametrize("kept", ["few", "many"])
def test_the_statistics_page_reads_its_page_from_an_index(
    app, bank, client, auth, monkeypatch, kept
):
    """Every order the statistics page offers, both ways, with and without its filters:
    the page's rows come from an index in that order (or a merge of one short run per
    value); no statement sorts the answered questions. A filter that keeps at most
    ``COUNT_BOUND`` rows ("few": the test's bank) has its rows read through its own index
    and sorted, a bounded sort; past the bound ("many", the bound lowered to 0 here), the
    sort's index is walked and nothing is sorted."""
    from webapp.instructor import bank_list
    from webapp.instructor.views import STATS_SORTS

    if kept == "many":
        monkeypatch.setattr(bank_list, "COUNT_BOUND", 0)
    student = auth.login_as("student")
    _history(app, student)
    auth.logout()
    auth.login_as("instructor", email="teacher@example.com")
    app.config["STATS_MIN_STUDENTS"] = 1  # some items flagged
    assert client.get("/instructor/statistics").status_code == 200  # re-keyed for it
    with app.app_context():
        engine = db.engine
    with recorded(engine) as statements:
        for column in STATS_SORTS:
            for order in ("asc", "desc"):
                for filters in STATS_FILTERS:
                    query = {"sort": column, "order": order, **filters}
                    response = client.get("/instructor/statistics", query_string=query)
                    assert response.status_code == 200
    reading = [(s, p) for s, p in statements if "question_stat" in s]
    assert len(reading) >= len(STATS_SORTS) * 2 * len(STATS_FILTERS) * 2
    sorted_, bounded = {}, 0
    for statement, parameters in reading:
        found = sorts_the_stats(engine, statement, parameters)
        reads = [line for line in found if "question_stat" in line]
        if found and kept == "few" and all(FILTER_INDEX.search(line) for line in reads):
            bounded += 1  # the filter's few rows, read by its index, then sorted
            found = []
        found += full_scans(engine, statement, parameters)
        if found:
            sorted_[statement] = found
    assert not sorted_, "\n\n".join(f"{s}\n  -> {f}" for s, f in sorted_.items())
    # the few rows are sorted for every filtered page (and only then)
    assert bounded == (len(STATS_SORTS) * 2 * (len(STATS_FILTERS) - 1) if kept == "few" else 0)


def test_the_plan_reader_sees_the_statistics_sorted_whole(app, bank):
    """The page's old statement (every answered question sorted by its facility computed
    from the sums) is caught."""
    from webapp.models import QuestionStat

    with app.app_context():
        qs = QuestionStat
        stmt = db.select(qs.question_id).order_by((qs.sx / qs.answers).desc(), qs.uid).limit(51)
        with recorded(db.engine) as statements:
            db.session.execute(stmt).all()
        [(statement, parameters)] = statements
        assert sorts_the_stats(db.engine, statement, parameters)


def test_the_dashboard_reads_the_most_missed_from_an_index(app, bank, client, auth):
    """The most missed questions are the first rows of the student's (misses, question)
    index, read backwards: no sort of every question the student ever missed (which grew
    with the history: 1.3 ms at 100,000 answers against 0.03 ms at 10)."""
    student = auth.login_as("student")
    _history(app, student)
    with app.app_context():
        engine = db.engine
    with recorded(engine) as statements:
        assert client.get("/dashboard").status_code == 200
    [(statement, parameters)] = [
        (s, p) for s, p in statements if "FROM student_question" in s and "misses DESC" in s
    ]
    assert not sorts_the_stats(engine, statement, parameters, table="student_question")


def test_the_plan_reader_sees_the_missed_questions_sorted(app, bank):
    """The order as it was (ties by question id ascending, against the index) is caught."""
    from webapp.models import StudentQuestion

    with app.app_context():
        stmt = (
            db.select(StudentQuestion.question_id)
            .where(StudentQuestion.user_id == 1, StudentQuestion.misses > 0)
            .order_by(StudentQuestion.misses.desc(), StudentQuestion.question_id)
            .limit(5)
        )
        with recorded(db.engine) as statements:
            db.session.execute(stmt).all()
        [(statement, parameters)] = statements
        assert sorts_the_stats(db.engine, statement, parameters, table="student_question")
