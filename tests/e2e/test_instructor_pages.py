"""The instructor's pages in chromium at 1280 px: wide tables, short prompts, no axe finding.

A class of students with finished quizzes is written straight into the live server's
database, so the statistics, class and student pages have something to show.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from webapp import aggregates
from webapp.extensions import db
from webapp.models import Answer, Attempt, AttemptItem, Question, Role, User

from .test_instructor import log_in

pytestmark = pytest.mark.browser

WHEN = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)
LONG = (
    "Which of these statements about the long negotiation over the eastern border, "
    "which went on through several decades and many rounds of talks between delegations "
    "of the two governments, and ended in agreements signed in 1991, 2004 and 2008, "
    "describes its outcome most accurately?"
)
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "instructor-1280"


def _class(app, students: int = 24) -> dict[str, int]:
    """Students with one finished quiz each over the whole fixture bank; uid -> id."""
    rng = random.Random(3)
    with app.app_context():
        row = db.session.scalar(db.select(Question).where(Question.uid == "history-single"))
        data = dict(row.current_revision.data)
        row.add_revision({**data, "prompt": LONG}, author=None, summary="changed prompt")
        db.session.flush()
        questions = list(db.session.scalars(db.select(Question)))
        for i in range(students):
            user = User(email=f"student{i:02}@example.com", role=Role.STUDENT.value)
            user.set_password("not used here")
            db.session.add(user)
            db.session.flush()
            ability = i / students
            scores = [float(rng.random() < 0.2 + 0.7 * ability) for _ in questions]
            attempt = Attempt(
                user_id=user.id,
                mode="section",
                sections=["history"],
                size=len(questions),
                started_at=WHEN,
                finished_at=WHEN,
                score=sum(scores) / len(scores),
            )
            db.session.add(attempt)
            for position, (q, score) in enumerate(zip(questions, scores, strict=True), 1):
                item = AttemptItem(
                    attempt=attempt,
                    position=position,
                    question_id=q.id,
                    revision_id=q.current_revision_id,
                    presentation={},
                )
                db.session.add(item)
                db.session.flush()
                db.session.add(
                    Answer(
                        attempt_item_id=item.id,
                        response=0,
                        score=score,
                        correct=score == 1,
                        feedback="",
                        answered_at=WHEN,
                    )
                )
        db.session.commit()
        # written behind the app's back: count them, as `flask stats rebuild` would
        aggregates.rebuild()
        db.session.commit()
        return {q.uid: q.id for q in questions}


def _teach_everyone(app, email: str) -> None:
    """A class of every student, taught by ``email``: an instructor sees only the students
    of their own classes."""
    from webapp.classes.service import create_class, join

    with app.app_context():
        owner = db.session.scalar(db.select(User).where(User.email == email))
        classroom = create_class(name="Everyone", term=None, time_zone="UTC", owner=owner)
        for user in db.session.scalars(db.select(User).where(User.role == Role.STUDENT.value)):
            join(classroom, user, name=user.email)
        db.session.commit()


@pytest.fixture
def wide(browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return context.new_page()


def test_the_bank_list_uses_the_width_and_no_prompt_wraps_more_than_twice(live_server, wide):
    _class(live_server.app)
    log_in(wide, live_server.url, live_server.create_user("instructor"))
    wide.goto(live_server.url + "/instructor/")
    main_width = wide.locator("main").bounding_box()["width"]
    assert main_width > 1100, main_width
    prompts = wide.locator(".prompt-clamp")
    assert prompts.count() >= 9
    for i in range(prompts.count()):
        lines = prompts.nth(i).evaluate(
            "el => Math.round(el.getBoundingClientRect().height"
            " / parseFloat(getComputedStyle(el).lineHeight))"
        )
        assert lines <= 2, (i, lines)
    # no sideways scroll at 1280 px
    assert wide.evaluate("document.documentElement.scrollWidth") <= 1280
    # sorting is a link: it works without script and keeps the filter
    wide.get_by_label("Section").select_option(value="history")
    wide.get_by_role("button", name="Filter").click()
    wide.get_by_role("link", name="Facility").click()
    expect(wide).to_have_url(
        re.compile(r"section=history.*sort=facility|sort=facility.*section=history")
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    wide.screenshot(path=str(SHOTS / "bank-list.png"), full_page=True)


def _pages(live_server, ids: dict[str, int], student_id: int) -> dict[str, str]:
    single = ids["history-single"]
    short = ids["history-short"]
    return {
        "bank-list": "/instructor/",
        "bank-list-sorted": "/instructor/?sort=facility&order=desc&section=history",
        "choose-kind": "/instructor/questions/new",
        **{
            f"new-{uid}": f"/instructor/questions/new/{kind}"
            for uid, kind in (
                ("single", "single_choice"),
                ("cloze", "cloze"),
                ("matching", "matching"),
                ("numeric", "numeric"),
            )
        },
        "question": f"/instructor/questions/{single}",
        "edit": f"/instructor/questions/{single}/edit",
        "history": f"/instructor/questions/{single}/history",
        "import": "/instructor/import",
        "statistics": "/instructor/statistics",
        "statistics-sorted": "/instructor/statistics?sort=discrimination&order=desc",
        "class": "/instructor/class",
        "student": f"/instructor/students/{student_id}",
        "responses": "/instructor/responses",
        "question-responses": f"/instructor/questions/{short}/responses",
        "import-done": "/instructor/import/done?first=1&last=1&source=x.csv",
    }


def test_every_instructor_page_passes_axe_with_no_violation(live_server, wide):
    from axe_playwright_python.sync_playwright import Axe

    ids = _class(live_server.app)
    with live_server.app.app_context():
        student_id = db.session.scalar(
            db.select(User.id).where(User.email == "student00@example.com")
        )
    email = live_server.create_user("instructor")
    _teach_everyone(live_server.app, email)
    log_in(wide, live_server.url, email)
    axe = Axe()
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = {}
    for name, path in _pages(live_server, ids, student_id).items():
        response = wide.goto(live_server.url + path)
        assert response is not None and response.status == 200, (name, path)
        wide.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        # a table's headings stand side by side in one row (a class name shared with the
        # home page once made them a flex column, stacked on top of each other)
        rows = wide.eval_on_selector_all(
            "table",
            "tables => tables.map(t => new Set([...t.querySelectorAll('thead tr:first-child th')]"
            ".map(e => Math.round(e.getBoundingClientRect().top))).size)",
        )
        assert all(n <= 1 for n in rows), (name, rows)
        if name.startswith("statistics"):  # every question answered by the class is listed
            assert wide.locator("table tbody tr").count() == len(ids), name
        # tables take the width without pushing the page sideways
        assert wide.evaluate("document.documentElement.scrollWidth") <= 1280, name
        violations = axe.run(wide).response["violations"]
        if violations:
            found[name] = [
                (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
            ]
    assert found == {}
