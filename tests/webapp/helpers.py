"""Helpers for Flask test-client tests: CSRF tokens read from pages, counted queries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_from(html: str | bytes) -> str:
    """The CSRF token of the first form in ``html``; fails loudly when there is none."""
    text = html.decode() if isinstance(html, bytes) else html
    match = CSRF_RE.search(text)
    assert match, "no csrf_token field on the page"
    return match.group(1) or match.group(2)


def csrf_token(client, url: str) -> str:
    """GET ``url`` and return its form's CSRF token (as a browser would have it)."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    return csrf_from(response.data)


def post_form(client, url: str, data: dict | None = None, *, page: str | None = None, **kwargs):
    """POST ``data`` to ``url`` with the CSRF token read from ``page`` (default: ``url``)."""
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client, page or url)
    return client.post(url, data=payload, **kwargs)


class QueryCounter:
    """Counts SQL statements sent to an engine while active."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries(engine) -> Iterator[QueryCounter]:
    """``with count_queries(db.engine) as q: ...``; then ``q.count``."""
    counter = QueryCounter()

    def _listener(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        if not statement.lstrip().upper().startswith(("PRAGMA", "SAVEPOINT", "RELEASE")):
            counter.statements.append(statement)

    event.listen(engine, "before_cursor_execute", _listener)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", _listener)


def right_form(q, presentation: dict) -> dict:
    """The form fields that answer ``q`` (a questions.Question) right, as displayed."""
    kind = q.kind.value
    if kind == "single_choice":
        return {"choice": str(presentation["options"].index(q.keys[0]))}
    if kind == "multiple_select":
        return {"choice": [str(presentation["options"].index(k)) for k in q.keys]}
    if kind == "true_false":
        return {"choice": "true" if q.answer else "false"}
    if kind in ("short_answer", "basic"):
        return {"answer": str(q.answer)}
    if kind == "numeric":
        return {"answer": str(q.answer)}
    if kind == "ordering":
        # Displayed item s is canonical item presentation["items"][s], whose place is +1.
        return {f"pos-{s}": str(c + 1) for s, c in enumerate(presentation["items"])}
    if kind == "matching":
        rights = presentation["rights"]
        return {
            f"match-{s}": str(rights.index(c))  # canonical right of pair c is index c
            for s, c in enumerate(presentation["lefts"])
        }
    if kind == "cloze":
        return {f"blank-{i}": answer for i, (_, answer, _) in enumerate(q.cloze_deletions)}
    raise AssertionError(f"unknown kind {kind}")


def wrong_form(q, presentation: dict) -> dict:
    """Form fields that answer ``q`` wrong but well-formed."""
    kind = q.kind.value
    if kind == "single_choice":
        wrong = next(i for i in range(len(q.options)) if i not in q.keys)
        return {"choice": str(presentation["options"].index(wrong))}
    if kind == "multiple_select":
        wrong = [i for i in range(len(q.options)) if i not in q.keys]
        return {"choice": [str(presentation["options"].index(i)) for i in wrong]}
    if kind == "true_false":
        return {"choice": "false" if q.answer else "true"}
    if kind in ("short_answer", "basic"):
        return {"answer": "certainly not this"}
    if kind == "numeric":
        return {"answer": str(float(q.answer) + float(q.tolerance) + 1000)}
    if kind == "ordering":
        n = len(presentation["items"])
        return {f"pos-{s}": str(n - c) for s, c in enumerate(presentation["items"])}
    if kind == "matching":
        rights = presentation["rights"]
        n = len(presentation["lefts"])
        return {
            f"match-{s}": str(rights.index((c + 1) % n))
            for s, c in enumerate(presentation["lefts"])
        }
    if kind == "cloze":
        return {f"blank-{i}": "zzz" for i in range(len(q.cloze_deletions))}
    raise AssertionError(f"unknown kind {kind}")


def start_quiz(client, section: str = "history", size: int = 10, **extra) -> int:
    """Start a quiz through the form; returns the new attempt's id."""
    data = {"size": str(size), **extra}
    response = post_form(
        client, f"/quiz/{section}", data, page="/" if section == "mixed" else f"/quiz/{section}"
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    location = response.headers["Location"]
    assert location.startswith("/attempts/"), location
    return int(location.rsplit("/", 1)[1])


def item_state(app, attempt_id: int, position: int):
    """(questions.Question shown, presentation) of one attempt item, read from the DB."""
    from webapp.extensions import db
    from webapp.models import AttemptItem

    with app.app_context():
        item = db.session.scalar(
            db.select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
            )
        )
        return item.revision.to_question(), dict(item.presentation)


def submit(client, attempt_id: int, position: int, data: dict):
    """Answer one item through its form (CSRF token read from the question page)."""
    url = f"/attempts/{attempt_id}/items/{position}"
    return post_form(client, url, data, page=url)


def answer_all(client, app, attempt_id: int, *, right: bool = True) -> None:
    """Answer every item of an attempt, all right or all wrong."""
    from webapp.extensions import db
    from webapp.models import Attempt

    with app.app_context():
        size = db.session.get(Attempt, attempt_id).size
    for position in range(1, size + 1):
        q, presentation = item_state(app, attempt_id, position)
        data = right_form(q, presentation) if right else wrong_form(q, presentation)
        response = submit(client, attempt_id, position, data)
        assert response.status_code == 302, response.get_data(as_text=True)
