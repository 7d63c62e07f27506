"""Sorting of the instructor's tables: every column both ways, across pages, with filters.

Each table is read page by page (three rows a page) and compared with the order worked
out here from the same data: by the column, empty values last, ties by id ascending.
"""

from __future__ import annotations

import random
import re

import pytest

from questions import SECTIONS
from webapp.extensions import db
from webapp.instructor import bank_list, stats, views
from webapp.instructor.sorting import Sort, paginate, read_sort
from webapp.models import Question, QuestionStat

from .conftest import teach_every_student
from .test_statistics import answered  # noqa: F401  (the fixture of answered quizzes)

pytestmark = pytest.mark.usefixtures("answered")

ROW = re.compile(r'<th scope="row"><a href="/instructor/(?:questions|students)/\d+">([^<]+)</a>')
NUMBERS = {s.slug: s.number for s in SECTIONS}


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 3)
    monkeypatch.setattr(views, "STATS_PER_PAGE", 3)
    monkeypatch.setattr(views, "CLASS_PER_PAGE", 3)


def _read_all(client, path: str, **args: str) -> list[str]:
    """The rows' names of every page of a table, in order."""
    names: list[str] = []
    for page in range(1, 50):
        html = client.get(path, query_string={**args, "page": page}).get_data(as_text=True)
        names += ROW.findall(html)
        if "Next page" not in html:
            return names
    raise AssertionError("too many pages")


def _expected(rows: list[tuple[str, object]], descending: bool) -> list[str]:
    ordered = sorted(rows, key=lambda r: r[0])
    present = [r for r in ordered if r[1] is not None]
    missing = [r for r in ordered if r[1] is None]
    return [r[0] for r in sorted(present, key=lambda r: r[1], reverse=descending) + missing]


def _bank_keys(app) -> dict[str, dict[str, object]]:
    with app.app_context():
        found = stats.item_statistics()
        keys = {}
        for q in db.session.scalars(db.select(Question)):
            s = found.get(q.id)
            keys[q.uid] = {
                "question": q.uid,
                "section": NUMBERS[q.section],
                "kind": q.kind,
                "difficulty": q.current_revision.data["difficulty"],
                "state": q.status,
                "answers": s.answers if s else 0,
                "facility": s.facility if s else None,
                "status": q.status,
            }
        return keys


@pytest.mark.parametrize("column", views.INDEX_SORTS)
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_bank_list_sorts_by_every_column_across_pages(
    app, client, instructor, small_pages, column, order
):
    keys = _bank_keys(app)
    rows = [(uid, k[column]) for uid, k in keys.items()]
    got = _read_all(client, "/instructor/", sort=column, order=order)
    assert got == _expected(rows, order == "desc")


@pytest.mark.parametrize("column", ["answers", "facility", "question"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_bank_list_sorting_keeps_the_filters(app, client, instructor, small_pages, column, order):
    keys = _bank_keys(app)
    rows = [(uid, k[column]) for uid, k in keys.items() if uid.startswith("history-")]
    got = _read_all(client, "/instructor/", section="history", sort=column, order=order)
    assert got == _expected(rows, order == "desc")
    html = client.get(
        "/instructor/", query_string={"section": "history", "sort": column, "order": order}
    ).get_data(as_text=True)
    # the pager and the headings keep the filter; the filter form keeps the sort
    assert "section=history" in html.split('class="pager"')[1]
    assert f'name="sort" value="{column}"' in html


def _stats_keys(app) -> dict[str, dict[str, object]]:
    with app.app_context():
        found = stats.item_statistics()
        rows = db.session.scalars(db.select(Question).where(Question.id.in_(list(found))))
        return {
            q.uid: {
                "question": q.uid,
                "section": NUMBERS[q.section],
                "state": q.status,
                "answers": found[q.id].answers,
                "students": found[q.id].students,
                "facility": found[q.id].facility,
                "discrimination": found[q.id].discrimination,
                "review": (len(found[q.id].flags), found[q.id].enough),
            }
            for q in rows
        }


@pytest.mark.parametrize("column", views.STATS_SORTS)
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_statistics_sort_by_every_column_across_pages(
    app, client, instructor, small_pages, column, order
):
    rows = [(uid, k[column]) for uid, k in _stats_keys(app).items()]
    assert len(rows) > 3  # more than one page
    got = _read_all(client, "/instructor/statistics", sort=column, order=order)
    assert got == _expected(rows, order == "desc")
    history = [
        (uid, k[column]) for uid, k in _stats_keys(app).items() if uid.startswith("history-")
    ]
    got = _read_all(client, "/instructor/statistics", section="history", sort=column, order=order)
    assert got == _expected(history, order == "desc")


CLASS = {  # from the fixture: attempts, mean score, history and economy mastery
    "s1@example.com": (2, 1.0, 1.0, 1.0),
    "s2@example.com": (2, 2 / 3, 0.75, 0.5),
    "s3@example.com": (1, 1 / 3, 0.5, 0.0),
    "s4@example.com": (1, 0.0, 0.0, 0.0),
}


@pytest.mark.parametrize(
    ("column", "index"), [("student", None), ("attempts", 0), ("mean", 1), ("s1", 2)]
)
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_class_sorts_across_pages(app, client, instructor, small_pages, column, index, order):
    section = next(s for s in SECTIONS if s.number == 1)
    assert section.slug == "history"
    rows = [(email, email if index is None else v[index]) for email, v in CLASS.items()]
    teach_every_student(app, instructor)
    got = _read_all(client, "/instructor/class", sort=column, order=order)
    assert got == _expected(rows, order == "desc")


@pytest.mark.parametrize(
    "args",
    [
        {"sort": "id; DROP TABLE question", "order": "desc"},
        {"sort": "uid"},
        {"sort": "__class__"},
        {"sort": "facility", "order": "sideways"},
    ],
)
def test_unknown_sort_falls_back_to_the_default(args):  # needs no database
    sort = read_sort(args, views.INDEX_SORTS, Sort("section"))
    assert sort.column in views.INDEX_SORTS
    if args["sort"] != "facility":
        assert sort == Sort("section")
    else:
        assert sort == Sort("facility", descending=False)


@pytest.mark.parametrize("path", ["/instructor/", "/instructor/statistics", "/instructor/class"])
def test_a_bad_sort_in_the_url_is_harmless(client, instructor, path):
    response = client.get(path, query_string={"sort": "1 OR 1=1", "order": "desc"})
    assert response.status_code == 200


def test_paginate_clamps_the_page():
    assert paginate(list(range(7)), page=9, per_page=3).items == [6]
    assert paginate([], page=0, per_page=3).pages == 1


@pytest.mark.parametrize("bound", [None, 0])
def test_statistics_order_in_sql_equals_the_python_statistics_on_random_sums(
    app, client, instructor, monkeypatch, bound
):
    """Sums made up at random (facilities at the thresholds, no spread, negative and
    undefined discriminations, too few students): for every sort key, both orders, and the
    "flagged" and section filters, the database's pages list what sorting ItemStats in
    Python gives. With the count's bound at 0, the filtered pages walk the sort's index (as
    past 1,000 rows kept) instead of sorting the few rows the filter keeps."""
    if bound is not None:
        monkeypatch.setattr(bank_list, "COUNT_BOUND", bound)
    monkeypatch.setattr(views, "STATS_PER_PAGE", 7)
    monkeypatch.setitem(app.config, "STATS_MIN_STUDENTS", 3)
    rng = random.Random(18)
    with app.app_context():
        data = db.session.scalars(db.select(Question)).first().current_revision.data
        for i in range(40):
            section = rng.choice(list(NUMBERS))
            q = Question(uid=f"history-rand-{i:02d}", section=section, kind=data["kind"])
            q.add_revision(dict(data, id=q.uid))
            db.session.add(q)
            db.session.flush()
            n = rng.choice([1, 2, 3, 5, 8, 20])
            xs = [rng.choice([0.0, 1.0, 0.5]) for _ in range(n)]
            if i % 5 == 0:
                xs = [float(i % 2)] * n  # no spread: facility 0 or 1, r undefined
            ys = [rng.random() if i % 7 else 0.4 for _ in range(n)]
            db.session.add(
                QuestionStat(
                    question_id=q.id,
                    answers=n,
                    students=rng.randint(1, n),
                    sx=sum(xs),
                    sy=sum(ys),
                    sxx=sum(x * x for x in xs),
                    syy=sum(y * y for y in ys),
                    sxy=sum(x * y for x, y in zip(xs, ys, strict=True)),
                )
            )
        db.session.commit()
        found = stats.item_statistics()
        assert any(s.flags for s in found.values()) and any(not s.flags for s in found.values())
    keys = _stats_keys(app)
    flagged = {uid for uid, k in keys.items() if k["review"][0] > 0}
    history = {uid for uid, k in keys.items() if k["section"] == NUMBERS["history"]}
    assert 3 < len(history) < len(keys)
    for column in views.STATS_SORTS:
        for order in ("asc", "desc"):
            rows = [(uid, k[column]) for uid, k in keys.items()]
            got = _read_all(client, "/instructor/statistics", sort=column, order=order)
            assert got == _expected(rows, order == "desc"), (column, order)
            got = _read_all(client, "/instructor/statistics", flagged="y", sort=column, order=order)
            expected = _expected([r for r in rows if r[0] in flagged], order == "desc")
            assert got == expected, (column, order, "flagged")
            got = _read_all(
                client, "/instructor/statistics", section="history", sort=column, order=order
            )
            expected = _expected([r for r in rows if r[0] in history], order == "desc")
            assert got == expected, (column, order, "section")
