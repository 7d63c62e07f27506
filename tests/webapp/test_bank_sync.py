"""Loading the bank into the database: idempotent, revisions append-only, answers kept."""

from questions import Question as BankQuestion
from webapp.bank_sync import sync_bank
from webapp.extensions import db
from webapp.models import Answer, Attempt, AttemptItem, Question, QuestionRevision, utcnow

from . import fixture_bank


def _load(items):
    report = sync_bank(fixture_bank.questions(items))
    db.session.commit()
    return report


def _snapshot():
    questions = [
        (q.uid, q.status, q.current_revision_id, q.updated_at)
        for q in db.session.scalars(db.select(Question).order_by(Question.uid))
    ]
    revisions = db.session.scalar(db.select(db.func.count(QuestionRevision.id)))
    return questions, revisions


def test_first_load_adds_every_item_with_one_revision(app):
    with app.app_context():
        report = _load(fixture_bank.ITEMS)
        assert len(report.added) == len(fixture_bank.ITEMS)
        q = db.session.scalar(db.select(Question).where(Question.uid == "history-single"))
        assert (q.section, q.kind, q.status, q.origin) == (
            "history",
            "single_choice",
            "published",
            "bank",
        )
        assert q.current_revision.number == 1
        assert (
            BankQuestion.from_dict(q.current_revision.data)
            == fixture_bank.questions([fixture_bank.item("history-single")])[0]
        )


def test_loading_twice_changes_nothing_the_second_time(app):
    with app.app_context():
        _load(fixture_bank.ITEMS)
        before = _snapshot()
        report = _load(fixture_bank.ITEMS)
        assert not report.changed
        assert len(report.unchanged) == len(fixture_bank.ITEMS)
        assert _snapshot() == before


def test_a_changed_item_gets_a_new_revision_and_old_answers_keep_theirs(app, make_user):
    user_id = make_user()
    with app.app_context():
        _load(fixture_bank.ITEMS)
        q = db.session.scalar(db.select(Question).where(Question.uid == "history-tf"))
        old_rev = q.current_revision
        attempt = Attempt(user_id=user_id, mode="section", sections=["history"], size=1)
        item = AttemptItem(position=1, question_id=q.id, revision_id=old_rev.id)
        attempt.items.append(item)
        item.answer = Answer(response=True, score=1.0, correct=True, answered_at=utcnow())
        db.session.add(attempt)
        db.session.commit()
        old_rev_id, answer_id = old_rev.id, item.answer.id

        items = [fixture_bank.item(i["id"]) for i in fixture_bank.ITEMS]
        changed = next(i for i in items if i["id"] == "history-tf")
        changed["prompt"] = "The two states share a very long land border."
        report = _load(items)
        assert report.updated == ["history-tf"]
        db.session.expire_all()
        q = db.session.scalar(db.select(Question).where(Question.uid == "history-tf"))
        assert q.current_revision.number == 2
        assert q.current_revision.data["prompt"].endswith("very long land border.")
        old = db.session.get(QuestionRevision, old_rev_id)
        assert old.data["prompt"] == "The two states share a long land border."
        answer = db.session.get(Answer, answer_id)
        assert answer.item.revision_id == old_rev_id
        assert answer.score == 1.0


def test_a_removed_item_is_retired_and_keeps_its_past_answers(app, make_user):
    user_id = make_user()
    with app.app_context():
        _load(fixture_bank.ITEMS)
        q = db.session.scalar(db.select(Question).where(Question.uid == "history-short"))
        attempt = Attempt(user_id=user_id, mode="section", sections=["history"], size=1)
        item = AttemptItem(position=1, question_id=q.id, revision_id=q.current_revision_id)
        item.answer = Answer(response="Amur", score=1.0, correct=True, answered_at=utcnow())
        attempt.items.append(item)
        db.session.add(attempt)
        db.session.commit()

        remaining = [i for i in fixture_bank.ITEMS if i["id"] != "history-short"]
        report = _load(remaining)
        assert report.retired == ["history-short"]
        db.session.expire_all()
        q = db.session.scalar(db.select(Question).where(Question.uid == "history-short"))
        assert q.status == "retired"
        assert db.session.scalar(db.select(db.func.count(Answer.id))) == 1
        assert db.session.scalar(db.select(Answer)).response == "Amur"

        # Back in the bank: published again, with no new revision if unchanged.
        report = _load(fixture_bank.ITEMS)
        assert report.restored == ["history-short"]
        db.session.expire_all()
        q = db.session.scalar(db.select(Question).where(Question.uid == "history-short"))
        assert q.status == "published"
        assert q.current_revision.number == 1


def test_an_instructor_question_with_the_same_id_is_never_overwritten(app):
    with app.app_context():
        mine = Question(
            uid="history-single",
            section="history",
            kind="single_choice",
            status="published",
            origin="instructor",
        )
        db.session.add(mine)
        mine.add_revision({"id": "history-single", "kind": "single_choice"}, summary="mine")
        db.session.commit()
        report = _load(fixture_bank.ITEMS)
        assert report.conflicts == ["history-single"]
        db.session.expire_all()
        q = db.session.scalar(db.select(Question).where(Question.uid == "history-single"))
        assert q.origin == "instructor"
        assert q.current_revision.summary == "mine"
