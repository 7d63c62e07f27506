"""The instructor's review of typed responses: group them, accept or reject one, regrade.

A decision adds the response to the question's ``accept`` or ``reject`` (a new revision)
and regrades, in one transaction, the stored answers whose response falls in the same
group (the same normalised form): each answer is graded again against *its own* revision
plus the new variant, so nothing else about it changes. Every changed answer keeps a row
with its old and new score; attempt totals, appeals and flashcards follow.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import joinedload

from questions import Grade, Kind, Mark, grade, spec
from questions import Question as BankQuestion
from questions.normalise import joined, words
from questions.validation import validate_question

from .. import aggregates
from ..extensions import db
from ..models import (
    Account,
    Answer,
    AnswerRegrade,
    Appeal,
    AppealState,
    Attempt,
    AttemptItem,
    Decision,
    Question,
    QuestionRevision,
    Regrade,
    StudyCard,
    utcnow,
)
from ..quiz.presentation import response_from_json
from ..study.service import note_quiz_result

MAX_ANSWERS = 20_000  # answers read for one question's review (the newest)
MAX_GROUPS = 500  # groups shown on one question's review page
MAX_FORMS = 5  # distinct spellings shown per group
FREQUENT = 2  # a wrong typed response this often is worth a look
MAX_KEY = 600


class NotTyped(LookupError):
    """The question is not one a student types."""


class NoSuchResponse(LookupError):
    """No stored answer has that response (any more)."""


@dataclass
class ResponseGroup:
    """Every answer whose typed response has one normalised form (per gap of a cloze)."""

    key: str
    part: int | None
    texts: Counter[str] = field(default_factory=Counter)
    right: int = 0
    wrong: int = 0
    appeals: int = 0  # waiting
    answer_ids: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The spelling typed most often."""
        return self.texts.most_common(1)[0][0]

    @property
    def count(self) -> int:
        return self.right + self.wrong

    @property
    def forms(self) -> list[str]:
        return [t for t, _ in self.texts.most_common(MAX_FORMS)]

    @property
    def graded(self) -> str:
        if self.right and self.wrong:
            return "mixed"
        return "right" if self.right else "wrong"


def group_key(part: int | None, text: str) -> str:
    """The group a typed text falls in: its gap and its normalised form."""
    return f"{part or 0}:{joined(words(text))}"[:MAX_KEY]


def is_typed(question: Question) -> bool:
    return question.kind in Kind._value2member_map_ and spec(Kind(question.kind)).typed


def _answer_rows(question_id: int, answer_ids: Iterable[int] | None = None) -> list[Answer]:
    stmt = (
        db.select(Answer)
        .join(AttemptItem, AttemptItem.id == Answer.attempt_item_id)
        .options(
            joinedload(Answer.item).joinedload(AttemptItem.revision),
            joinedload(Answer.item).joinedload(AttemptItem.attempt),
        )
        .where(AttemptItem.question_id == question_id)
        .order_by(Answer.answered_at.desc(), Answer.id.desc())
        .limit(MAX_ANSWERS)
    )
    if answer_ids is not None:
        stmt = stmt.where(Answer.id.in_(list(answer_ids)))
    return list(db.session.scalars(stmt).unique())


def _typed_parts(
    answer: Answer, cache: dict[int, BankQuestion]
) -> list[tuple[int | None, str, bool]]:
    """(gap, text, graded right) for each typed part of an answer."""
    rev = answer.item.revision
    bq = cache.get(rev.id)
    if bq is None:
        bq = cache[rev.id] = rev.to_question()
    kind = spec(bq.kind)
    try:
        response = response_from_json(bq, answer.response)
        parts = kind.typed_parts(bq, response)
    except (TypeError, ValueError, KeyError, IndexError):
        return []
    marks = Grade.from_dict(answer.grade).marks if answer.grade else ()
    numbers = [n for n, _, _ in bq.cloze_deletions]
    out = []
    for part, text in parts:
        if part is None or part not in numbers or len(marks) != len(numbers):
            right = bool(answer.correct) if part is None else False
        else:
            right = marks[numbers.index(part)] is Mark.RIGHT
        out.append((part, text, right))
    return out


def response_groups(question: Question) -> list[ResponseGroup]:
    """Every distinct typed response to the question, grouped, most frequent first."""
    if not is_typed(question):
        raise NotTyped(question.uid)
    answers = _answer_rows(question.id)
    appealed = set(
        db.session.scalars(
            db.select(Appeal.answer_id).where(
                Appeal.question_id == question.id, Appeal.state == AppealState.WAITING.value
            )
        )
    )
    groups: dict[str, ResponseGroup] = {}
    cache: dict[int, BankQuestion] = {}
    for answer in answers:
        for part, text, right in _typed_parts(answer, cache):
            key = group_key(part, text)
            g = groups.get(key)
            if g is None:
                g = groups[key] = ResponseGroup(key, part)
            g.texts[text.strip()[:200]] += 1
            g.right += right
            g.wrong += not right
            g.answer_ids.append(answer.id)
            if answer.id in appealed and not right:
                g.appeals += 1
    ordered = sorted(groups.values(), key=lambda g: (-g.appeals, -g.wrong, -g.count, g.key))
    return ordered[:MAX_GROUPS]


def decide(
    question: Question, key: str, decision: Decision, *, by: Account, now: datetime | None = None
) -> Regrade:
    """Accept or reject one group of responses and regrade its answers; all or nothing.

    Raises ``NotTyped`` or ``NoSuchResponse`` (nothing changes), or ``ValueError`` when
    the question cannot take the variant.
    """
    now = now or utcnow()
    group = next((g for g in response_groups(question) if g.key == key), None)
    if group is None:
        raise NoSuchResponse(key)
    field_name = "accept" if decision is Decision.ACCEPT else "reject"
    current = question.current_revision
    if current is None:
        raise NoSuchResponse(key)
    kind = spec(Kind(question.kind))
    try:
        updated = kind.with_variant(current.to_question(), group.part, group.text, field=field_name)
        problems = validate_question(updated)
        if problems:
            raise ValueError("; ".join(p.message for p in problems))
        revision = question.add_revision(
            updated.to_dict(),
            author=by,
            summary=f"{decision.value} the typed response {group.text!r}",
            now=now,
        )
        regrade = Regrade(
            question_id=question.id,
            revision=revision,
            decision=decision.value,
            response=group.text,
            part=group.part,
            by_id=by.id,
            at=now,
        )
        db.session.add(regrade)
        _regrade_answers(regrade, group, field_name, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return regrade


def _regrade_answers(
    regrade: Regrade, group: ResponseGroup, field_name: str, now: datetime
) -> None:
    answers = _answer_rows(regrade.question_id, group.answer_ids)
    cache: dict[int, BankQuestion] = {}
    attempts: dict[int, Attempt] = {}
    for answer in answers:
        rev = answer.item.revision
        base = cache.get(rev.id)
        if base is None:
            base = cache[rev.id] = rev.to_question()
        try:
            bq = spec(base.kind).with_variant(base, group.part, group.text, field=field_name)
        except ValueError:
            continue  # an old revision without that gap: its grade stands
        result = grade(bq, response_from_json(bq, answer.response))
        if (result.score, result.correct) != (answer.score, answer.correct):
            regrade.changes.append(
                AnswerRegrade(
                    answer_id=answer.id,
                    old_score=answer.score,
                    new_score=float(result.score),
                    old_correct=answer.correct,
                    new_correct=bool(result.correct),
                )
            )
            was_correct = answer.correct
            answer.score = float(result.score)
            answer.correct = bool(result.correct)
            answer.grade = result.to_dict()
            answer.regraded_at = now
            attempt = answer.item.attempt
            attempts[attempt.id] = attempt
            if attempt.user_id is not None:
                _follow_in_study(
                    attempt.user_id, regrade.question_id, was_correct, answer.correct, now
                )
    _decide_appeals(group.answer_ids, regrade.decision, now)
    db.session.flush()
    for attempt in attempts.values():
        if attempt.is_finished and attempt.size:
            total = db.session.scalar(
                db.select(func.coalesce(func.sum(Answer.score), 0.0))
                .join(AttemptItem, AttemptItem.id == Answer.attempt_item_id)
                .where(AttemptItem.attempt_id == attempt.id)
            )
            attempt.score = float(total or 0.0) / attempt.size
    # The students' kept figures (mastery, mistakes, attempt totals) follow their answers'
    # new marks and their attempts' new scores.
    aggregates.refresh_students(a.user_id for a in attempts.values() if a.user_id is not None)
    aggregates.refresh_questions(
        db.session.scalars(
            db.select(AttemptItem.question_id).where(AttemptItem.attempt_id.in_(list(attempts)))
        )
    )


def _follow_in_study(
    user_id: int, question_id: int, was: bool, now_right: bool, now: datetime
) -> None:
    """A wrong answer made right undoes the card the quiz made due, if never studied."""
    if was and not now_right:
        note_quiz_result(user_id, question_id, False, now)
    elif now_right and not was:
        card = db.session.scalar(
            db.select(StudyCard).where(
                StudyCard.user_id == user_id, StudyCard.question_id == question_id
            )
        )
        if card is not None and card.reps == 0:
            db.session.delete(card)


def _decide_appeals(answer_ids: list[int], decision: str, now: datetime) -> None:
    state = AppealState.ACCEPTED if decision == Decision.ACCEPT.value else AppealState.DECLINED
    for appeal in db.session.scalars(
        db.select(Appeal).where(
            Appeal.answer_id.in_(answer_ids), Appeal.state == AppealState.WAITING.value
        )
    ):
        appeal.state = state.value
        appeal.decided_at = now


@dataclass(frozen=True)
class ReviewRow:
    """One question on the list of typed questions to look at."""

    question: Question
    appeals: int
    frequent_wrong: list[tuple[str, int]]


def questions_to_review(limit: int = 200) -> list[ReviewRow]:
    """Questions with waiting appeals or a wrong typed response given often, worst first."""
    appeals = dict(
        db.session.execute(
            db.select(Appeal.question_id, func.count(Appeal.id))
            .where(Appeal.state == AppealState.WAITING.value)
            .group_by(Appeal.question_id)
        ).all()
    )
    typed_kinds = [k.value for k in Kind if spec(k).typed]
    wrong_rows = db.session.execute(
        db.select(AttemptItem.question_id, Answer, QuestionRevision)
        .join(Answer, Answer.attempt_item_id == AttemptItem.id)
        .join(QuestionRevision, QuestionRevision.id == AttemptItem.revision_id)
        .join(Question, Question.id == AttemptItem.question_id)
        .where(Question.kind.in_(typed_kinds), Answer.score < 1.0)
        .order_by(Answer.answered_at.desc())
        .limit(MAX_ANSWERS)
    ).all()
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    shown: dict[tuple[int, str], str] = {}
    cache: dict[int, BankQuestion] = {}
    for question_id, answer, rev in wrong_rows:
        bq = cache.get(rev.id)
        if bq is None:
            bq = cache[rev.id] = rev.to_question()
        try:
            parts = spec(bq.kind).typed_parts(bq, response_from_json(bq, answer.response))
        except (TypeError, ValueError, KeyError, IndexError):
            continue
        for part, text in parts:
            key = group_key(part, text)
            counts[question_id][key] += 1
            shown.setdefault((question_id, key), text[:200])
    frequent: dict[int, list[tuple[str, int]]] = {}
    for question_id, counter in counts.items():
        top = [(shown[(question_id, k)], n) for k, n in counter.most_common(5) if n >= FREQUENT]
        if top:
            frequent[question_id] = top
    ids = set(appeals) | set(frequent)
    if not ids:
        return []
    questions = {
        q.id: q
        for q in db.session.scalars(
            db.select(Question)
            .options(joinedload(Question.current_revision))
            .where(Question.id.in_(ids))
        )
    }
    rows = [
        ReviewRow(questions[i], appeals.get(i, 0), frequent.get(i, []))
        for i in ids
        if i in questions
    ]
    rows.sort(key=lambda r: (-r.appeals, -sum(n for _, n in r.frequent_wrong), r.question.uid))
    return rows[:limit]


def regrade_history(question: Question, limit: int = 50) -> list[Regrade]:
    """The question's decisions, newest first, with their changed answers."""
    return list(
        db.session.scalars(
            db.select(Regrade)
            .options(joinedload(Regrade.changes), joinedload(Regrade.by))
            .where(Regrade.question_id == question.id)
            .order_by(Regrade.at.desc(), Regrade.id.desc())
            .limit(limit)
        ).unique()
    )


def describe(group: ResponseGroup) -> dict[str, Any]:
    """What the page shows of a group."""
    return {
        "key": group.key,
        "part": group.part,
        "text": group.text,
        "forms": group.forms,
        "count": group.count,
        "right": group.right,
        "wrong": group.wrong,
        "graded": group.graded,
        "appeals": group.appeals,
    }
