from datetime import datetime

import pytest
from sqlalchemy.exc import StatementError

from webapp.extensions import db
from webapp.models import User, search_text, utcnow
from webapp.models.bank import SEARCH_TEXT_MAX


def test_datetimes_come_back_utc_aware(app, make_user):
    user_id = make_user()
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expire_all()
        user = db.session.get(User, user_id)
        assert user.created_at.utcoffset().total_seconds() == 0


def test_naive_datetimes_are_refused(app):
    with app.app_context():
        user = User(email="n@example.com", role="student", created_at=datetime(2024, 1, 1))
        user.set_password("long enough pw")
        db.session.add(user)
        with pytest.raises(StatementError, match="naive datetime"):
            db.session.commit()
        db.session.rollback()


def test_role_is_constrained_by_the_database(app):
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        user = User(email="r@example.com", role="admin", created_at=utcnow())
        user.set_password("long enough pw")
        db.session.add(user)
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_search_text_takes_string_values_not_keys_ids_or_numbers():
    data = {
        "id": "history-x",
        "kind": "matching",
        "section": "history",
        "paragraphs": [1],
        "difficulty": 2,
        "tags": ["Rivers"],
        "prompt": "Match  them",
        "pairs": [{"left": "Amur", "right": "Heilongjiang"}],
        "distractors": ["Volga"],
        "accept": {"1": ["Ä-Umlaut"]},
        "explanation": "Because.",
    }
    assert search_text(data).split("\n") == [
        "rivers",
        "match  them",
        "amur",
        "heilongjiang",
        "volga",
        "ä-umlaut",
        "because.",
    ]
    assert len(search_text({"prompt": "x" * 10_000})) == SEARCH_TEXT_MAX
