"""The figures kept on write equal the figures rebuilt from the answers."""

from __future__ import annotations

import math
import random

import pytest
from sqlalchemy import func
from werkzeug.datastructures import MultiDict

from webapp import aggregates
from webapp.bank_sync import sync_bank
from webapp.extensions import db
from webapp.instructor import editing
from webapp.models import (
    Attempt,
    BankSection,
    Mode,
    OptionStat,
    Question,
    QuestionStat,
    Status,
    StudentAttempts,
    StudentQuestion,
    StudentSection,
)
from webapp.quiz import service
from webapp.quiz.presentation import parse_form

from . import fixture_bank
from .fixture_bank import ITEMS
from .helpers import right_form, wrong_form

SECTIONS = ["history", "economy-energy"]


def _snapshot() -> dict[str, list[tuple]]:
    """Every kept row, in a stable order, floats rounded (sums in another order differ)."""

    def rows(model, key) -> list[tuple]:  # noqa: ANN001
        out = []
        for row in db.session.scalars(db.select(model).order_by(*key)):
            values = []
            for column in model.__table__.columns:
                value = getattr(row, column.name)
                values.append(round(value, 9) if isinstance(value, float) else value)
            out.append(tuple(values))
        return out

    return {
        "student_question": rows(
            StudentQuestion, (StudentQuestion.user_id, StudentQuestion.question_id)
        ),
        "student_section": rows(StudentSection, (StudentSection.user_id, StudentSection.section)),
        "student_attempts": rows(StudentAttempts, (StudentAttempts.user_id,)),
        "question_stat": rows(QuestionStat, (QuestionStat.question_id,)),
        "option_stat": rows(OptionStat, (OptionStat.revision_id, OptionStat.option)),
        "published": [
            (s.section, s.published)
            for s in db.session.scalars(db.select(BankSection).order_by(BankSection.section))
        ],
    }


def _answer(attempt: Attempt, rng: random.Random) -> None:
    """Answer the attempt's open items through the quiz service: right, wrong or partly."""
    for item in list(attempt.items):
        if item.answer is not None or rng.random() < 0.2:
            continue  # some items stay open
        q = item.revision.to_question()
        form = (right_form if rng.random() < 0.5 else wrong_form)(q, item.presentation)
        parsed = parse_form(q, item.presentation, MultiDict(form))
        assert parsed.ok, parsed.errors
        service.record_answer(attempt, item, q, parsed.response)


def _keys() -> list[tuple]:
    """The statistics page's sort keys of every question_stat row."""
    qs = QuestionStat
    return [
        tuple(row)
        for row in db.session.execute(
            db.select(
                qs.question_id,
                qs.uid,
                qs.section,
                qs.status,
                qs.discrimination,
                qs.no_discrimination,
                qs.review,
            ).order_by(qs.question_id)
        )
    ]


def test_rebuilt_figures_equal_the_ones_kept_on_write(app, bank, make_user):
    rng = random.Random(18)
    # The draws and the shuffles use the random module: seeded, the history is the same
    # on every run, so the cases it must cover (every review level...) are always there.
    random.seed(18)
    # two students are enough for flags: every review level shows up in the sort keys
    app.config["STATS_MIN_STUDENTS"] = 2
    students = [make_user(f"s{i}@example.com") for i in range(4)]
    with app.app_context():
        open_attempts: list[int] = []
        for _ in range(30):
            user_id = rng.choice([*students, None])
            attempt = service.create_attempt(
                mode=Mode.SECTION,
                sections=[rng.choice(SECTIONS)],
                size=rng.randint(1, 6),
                user_id=user_id,
                guest_token=None if user_id else "guest-token",
            )
            _answer(attempt, rng)
            if not attempt.is_finished:
                open_attempts.append(attempt.id)
            if open_attempts and rng.random() < 0.2:
                # a discarded quiz takes its answers with it
                service.discard_attempt(db.session.get(Attempt, open_attempts.pop()))
            if rng.random() < 0.1:
                # a question retired and another published: the bank's counters move
                question = db.session.scalar(
                    db.select(Question).order_by(Question.id).offset(rng.randrange(len(bank)))
                )
                question.status = (
                    Status.RETIRED.value
                    if question.status == Status.PUBLISHED.value
                    else Status.PUBLISHED.value
                )
                db.session.commit()
        for attempt_id in open_attempts:
            attempt = db.session.get(Attempt, attempt_id)
            if attempt is not None:
                _answer(attempt, rng)
        kept = _snapshot()
        assert kept["student_question"], "the history answered nothing"
        assert kept["question_stat"], "no attempt was finished"
        # choice questions answered in finished quizzes, with more than one option picked
        assert len({row[0] for row in kept["option_stat"]}) > 1, "no option was picked"
        assert len({row[1] for row in kept["option_stat"]}) > 1
        assert sum(row[2] for row in kept["student_section"]) > 20  # answers counted
        # the dashboard's attempt totals: several finished attempts per student
        assert kept["student_attempts"] and max(row[1] for row in kept["student_attempts"]) > 1
        # the statistics page's sort keys (compared whole with the rest of the rows below):
        # defined and undefined discriminations, every review level, questions retired
        keys = _keys()
        assert {row[5] for row in keys} == {0, 1}
        assert all((row[4] is None) == (row[5] == 1) for row in keys)
        assert {row[6] for row in keys} >= {0, 1, 2}
        assert {row[3] for row in keys} == {Status.PUBLISHED.value, Status.RETIRED.value}
        for question_id, uid, section, status, *_ in keys:
            question = db.session.get(Question, question_id)
            assert (uid, section, status) == (question.uid, question.section, question.status)
        versions = dict(
            db.session.execute(db.select(BankSection.section, BankSection.version)).all()
        )
        aggregates.rebuild()
        db.session.commit()
        rebuilt = _snapshot()
        assert rebuilt == kept
        # a rebuild moves every version: cached packages are built again
        after = dict(db.session.execute(db.select(BankSection.section, BankSection.version)).all())
        assert all(after[s] > v for s, v in versions.items())


def test_stats_rebuild_command_counts_answers_written_behind_the_apps_back(
    app, bank, make_user, runner
):
    user_id = make_user()
    with app.app_context():
        attempt = service.create_attempt(
            mode=Mode.SECTION, sections=["history"], size=3, user_id=user_id, guest_token=None
        )
        _answer(attempt, random.Random(1))
        expected = _snapshot()
        db.session.execute(db.delete(StudentQuestion))
        db.session.execute(db.delete(StudentSection))
        db.session.execute(db.delete(QuestionStat))
        db.session.execute(db.delete(OptionStat))
        db.session.commit()
    result = runner.invoke(args=["stats", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "student_question rows" in result.output
    with app.app_context():
        assert _snapshot() == expected


def test_mastery_leaves_out_questions_no_longer_published(app, bank, client, auth):
    from webapp.dashboard.stats import mastery

    user_id = auth.login_as("student")
    with app.app_context():
        attempt = service.create_attempt(
            mode=Mode.SECTION, sections=["history"], size=2, user_id=user_id, guest_token=None
        )
        for item in attempt.items:
            q = item.revision.to_question()
            parsed = parse_form(q, item.presentation, MultiDict(right_form(q, item.presentation)))
            service.record_answer(attempt, item, q, parsed.response)
        before = {m.slug: m for m in mastery(user_id)}["history"]
        assert (before.answered, before.mastered) == (2, 2)
        retired = db.session.get(Question, attempt.items[0].question_id)
        retired.status = Status.RETIRED.value
        db.session.commit()
        after = {m.slug: m for m in mastery(user_id)}["history"]
        assert (after.published, after.answered, after.mastered) == (
            before.published - 1,
            1,
            1,
        )
        assert not math.isnan(after.mastery)


def _move(how: str, uid: str, to: str) -> None:
    """Move a question to section ``to`` as an instructor's edit or a bank re-sync does."""
    if how == "edit":
        row = db.session.scalar(db.select(Question).where(Question.uid == uid))
        editing.update_question(row, {**row.current_revision.data, "section": to}, author=None)
    else:
        items = [{**item, "section": to} if item["id"] == uid else item for item in ITEMS]
        sync_bank(fixture_bank.questions(items))
    db.session.commit()


@pytest.mark.parametrize("how", ["edit", "bank sync"])
def test_a_question_moved_to_another_section_takes_its_students_figures(app, bank, make_user, how):
    rng = random.Random(7)
    students = [make_user(f"m{i}@example.com") for i in range(3)]
    with app.app_context():
        for user_id in students:
            for _ in range(2):
                attempt = service.create_attempt(
                    mode=Mode.SECTION,
                    sections=["history"],
                    size=6,
                    user_id=user_id,
                    guest_token=None,
                )
                _answer(attempt, rng)
        # the history question most answered moves to another section
        moved_id, _ = db.session.execute(
            db.select(StudentQuestion.question_id, func.sum(StudentQuestion.answers))
            .where(StudentQuestion.section == "history")
            .group_by(StudentQuestion.question_id)
            .order_by(func.sum(StudentQuestion.answers).desc(), StudentQuestion.question_id)
            .limit(1)
        ).one()
        uid = db.session.get(Question, moved_id).uid
        before = {u: aggregates.section_mastery(u) for u in students}
        _move(how, uid, "economy-energy")
        assert db.session.get(Question, moved_id).section == "economy-energy"
        kept = _snapshot()
        mastery = {u: aggregates.section_mastery(u) for u in students}
        answers = {u: aggregates.answer_count(u) for u in students}
        aggregates.rebuild()
        db.session.commit()
        assert _snapshot() == kept
        assert {u: aggregates.section_mastery(u) for u in students} == mastery
        assert {u: aggregates.answer_count(u) for u in students} == answers
        # and the figures did move: someone's history lost a question economy gained
        moved = [u for u in students if mastery[u]["history"][1] < before[u]["history"][1]]
        assert moved
        for u in moved:
            assert mastery[u]["economy-energy"][1] == before[u]["economy-energy"][1] + 1


def test_a_changed_minimum_of_students_rekeys_the_review_order_once(
    app, bank, client, auth, make_user
):
    """The review level depends on STATS_MIN_STUDENTS: after a change, the statistics
    page's first visit keys every row for the new setting, as a rebuild would."""
    rng = random.Random(5)
    students = [make_user(f"k{i}@example.com") for i in range(3)]
    with app.app_context():
        for user_id in students:
            attempt = service.create_attempt(
                mode=Mode.SECTION, sections=["history"], size=6, user_id=user_id, guest_token=None
            )
            while not attempt.is_finished:
                _answer(attempt, rng)
        assert {row[6] for row in _keys()} == {0}  # 20 students needed: none has them
    auth.login_as("instructor", email="teacher@example.com")
    app.config["STATS_MIN_STUDENTS"] = 1
    assert client.get("/instructor/statistics?sort=review&order=desc").status_code == 200
    with app.app_context():
        kept = _snapshot()
        assert {row[6] for row in _keys()} >= {1, 2}
        assert not aggregates.rekey(1)  # once: every row is keyed for the setting now
        aggregates.rebuild()
        db.session.commit()
        assert _snapshot() == kept
