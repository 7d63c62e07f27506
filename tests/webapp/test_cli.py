from pathlib import Path

from webapp.extensions import db
from webapp.models import User


def test_users_create_makes_an_instructor(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Prof@Example.com",
            "--role",
            "instructor",
            "--password",
            "long enough pw",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "created instructor prof@example.com" in result.output
    with app.app_context():
        user = db.session.scalar(db.select(User))
        assert user.is_instructor
        assert user.check_password("long enough pw")


def test_users_create_defaults_to_student_and_refuses_duplicates(app, runner):
    args = ["users", "create", "s@example.com", "--password", "long enough pw"]
    assert runner.invoke(args=args).exit_code == 0
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert "already exists" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(User)).role == "student"


def test_users_create_refuses_a_short_password(app, runner):
    result = runner.invoke(args=["users", "create", "s@example.com", "--password", "short"])
    assert result.exit_code != 0
    assert "at least 8 characters" in result.output


def test_bank_load_loads_a_directory_and_twice_changes_nothing(app, runner, tmp_path):
    from webapp.models import Question, QuestionRevision

    from . import fixture_bank

    bank_dir = fixture_bank.write_bank(tmp_path / "bank")
    result = runner.invoke(args=["bank", "load", str(bank_dir)])
    assert result.exit_code == 0, result.output
    assert f"{len(fixture_bank.ITEMS)} added" in result.output
    result = runner.invoke(args=["bank", "load", str(bank_dir)])
    assert result.exit_code == 0, result.output
    assert "0 added, 0 updated, 0 retired, 0 restored" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Question.id))) == len(fixture_bank.ITEMS)
        assert db.session.scalar(db.select(db.func.count(QuestionRevision.id))) == len(
            fixture_bank.ITEMS
        )


def test_bank_load_reads_the_configured_directory_by_default(app, runner):
    from . import fixture_bank

    fixture_bank.write_bank(Path(app.config["BANK_DIR"]))
    result = runner.invoke(args=["bank", "load"])
    assert result.exit_code == 0, result.output
    assert f"{len(fixture_bank.ITEMS)} added" in result.output


def test_bank_load_with_a_bad_item_loads_nothing_and_says_where(app, runner, tmp_path):
    from webapp.models import Question

    from . import fixture_bank

    items = [fixture_bank.item(i["id"]) for i in fixture_bank.ITEMS]
    items[0]["options"] = [{"text": "only one", "correct": True}]
    bank_dir = fixture_bank.write_bank(tmp_path / "bank", items)
    result = runner.invoke(args=["bank", "load", str(bank_dir)])
    assert result.exit_code != 0
    assert "01-history.yaml" in result.output
    assert "nothing was loaded" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Question.id))) == 0


def test_purge_guests_deletes_old_guest_attempts_only(app, runner, bank, make_user):
    from datetime import timedelta

    from webapp.models import Answer, Attempt, AttemptItem, Question, utcnow

    user_id = make_user()
    old = utcnow() - timedelta(days=40)
    with app.app_context():
        for owner in ({"guest_token": "g"}, {"user_id": user_id}):
            attempt = Attempt(mode="section", sections=["history"], size=1, started_at=old, **owner)
            question = db.session.get(Question, bank["history-tf"])
            item = AttemptItem(
                position=1, question_id=question.id, revision_id=question.current_revision_id
            )
            item.answer = Answer(response=True, score=1.0, correct=True)
            attempt.items.append(item)
            db.session.add(attempt)
        db.session.add(Attempt(mode="section", sections=["history"], size=1, guest_token="recent"))
        db.session.commit()
    result = runner.invoke(args=["attempts", "purge-guests", "--days", "30"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 guest attempt(s)" in result.output
    with app.app_context():
        owners = sorted(
            (a.user_id or 0, a.guest_token or "") for a in db.session.scalars(db.select(Attempt))
        )
        assert owners == [(0, "recent"), (user_id, "")]
        assert db.session.scalar(db.select(db.func.count(Answer.id))) == 1


def test_users_set_role_promotes_an_existing_account(app, runner, make_user):
    make_user("s@example.com")
    result = runner.invoke(args=["users", "set-role", "S@example.com", "instructor"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(db.select(User)).is_instructor
    result = runner.invoke(args=["users", "set-role", "nobody@example.com", "instructor"])
    assert result.exit_code != 0
    assert "no account for nobody@example.com" in result.output
