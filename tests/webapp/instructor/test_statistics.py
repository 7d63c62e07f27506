"""Item statistics and the class overview against numbers worked out by hand.

The fixture: five finished attempts by four students over three questions
A = history-single (single choice), B = history-tf, C = economy-numeric:

    attempt  student   A  B  C  total     A's pick (0 = Amur, the key)
    1        s1        1  1  1  3         0
    2        s2        1  0  1  2         0
    3        s3        0  1  0  1         1
    4        s4        0  0  0  0         2
    5        s2        1  1  0  2         0
plus attempt 6 by s1 answering only D = history-multi, right (score 1),
an unfinished attempt and a guest's attempt, which must not count.

Facility:   A = 3/5 = 0.6, B = 3/5 = 0.6, C = 2/5 = 0.4, D = 1/1 = 1.0
Discrimination (item score x against rest-of-attempt y = total - x):
  A: x = 1 1 0 0 1, y = 2 1 1 0 1; n=5 Σx=3 Σy=5 Σx²=3 Σy²=7 Σxy=4
     r = (5·4 - 3·5) / √((5·3 - 9)(5·7 - 25)) = 5/√60 = 0.6455
  B: x = 1 0 1 0 1, y = 2 2 0 0 1; Σy=5 Σy²=9 Σxy=3; r = (15 - 15)/… = 0
  C: x = 1 1 0 0 0, y = 2 1 1 0 2; Σx=2 Σy=6 Σx²=2 Σy²=10 Σxy=3
     r = (15 - 12) / √((10 - 4)(50 - 36)) = 3/√84 = 0.3273
  D: one answer, undefined (None)
Flags: none. D's facility 1.0 would be "too easy", but from one answer; no item has the
20 answering students (STATS_MIN_STUDENTS) a flag waits for.
Class: s1 has 2 attempts (scores 1.0 and 1.0), s2 has 2 (2/3 and 2/3), s3 1 (1/3), s4 1 (0).
  s2's mastery: history (A,B over attempts 2 and 5) = (1+0+1+1)/4 = 0.75; economy = 1/2.
"""

from datetime import UTC, datetime

import pytest

from webapp import aggregates
from webapp.extensions import db
from webapp.instructor import stats
from webapp.models import Answer, Attempt, AttemptItem, Question, Role, User

from ..helpers import count_queries
from .conftest import teach_every_student

WHEN = datetime(2026, 2, 1, 9, 30, tzinfo=UTC)
SCORES = {  # attempt -> (student, [(uid, score, response)])
    1: ("s1", [("history-single", 1, 0), ("history-tf", 1, True), ("economy-numeric", 1, 1000)]),
    2: ("s2", [("history-single", 1, 0), ("history-tf", 0, False), ("economy-numeric", 1, 1000)]),
    3: ("s3", [("history-single", 0, 1), ("history-tf", 1, True), ("economy-numeric", 0, 5)]),
    4: ("s4", [("history-single", 0, 2), ("history-tf", 0, False), ("economy-numeric", 0, 5)]),
    5: ("s2", [("history-single", 1, 0), ("history-tf", 1, True), ("economy-numeric", 0, 5)]),
    6: ("s1", [("history-multi", 1, [0, 1])]),
}


def _attempt(users, bank, *, user, answers, finished=True, guest=False):
    size = len(answers)
    total = sum(score for _, score, _ in answers)
    attempt = Attempt(
        user_id=None if guest else users[user],
        guest_token="g" if guest else None,
        mode="section",
        sections=["history"],
        size=size,
        started_at=WHEN,
        finished_at=WHEN if finished else None,
        score=total / size if finished else None,
    )
    db.session.add(attempt)
    for position, (uid, score, response) in enumerate(answers, start=1):
        row = db.session.get(Question, bank[uid])
        item = AttemptItem(
            attempt=attempt,
            position=position,
            question_id=row.id,
            revision_id=row.current_revision_id,
            presentation={},
        )
        db.session.add(item)
        db.session.flush()
        db.session.add(
            Answer(
                attempt_item_id=item.id,
                response=response,
                score=float(score),
                correct=score == 1,
                feedback="",
                answered_at=WHEN,
            )
        )


@pytest.fixture
def answered(app, bank):
    with app.app_context():
        users = {}
        for name in ("s1", "s2", "s3", "s4"):
            user = User(email=f"{name}@example.com", role=Role.STUDENT.value)
            user.set_password("not used here")
            db.session.add(user)
            db.session.flush()
            users[name] = user.id
        for _, (student, answers) in sorted(SCORES.items()):
            _attempt(users, bank, user=student, answers=answers)
        # neither of these may count: all wrong, so they would pull every number down
        _attempt(users, bank, user="s1", answers=[("history-single", 0, 2)], finished=False)
        _attempt(users, bank, user="s1", answers=[("history-single", 0, 2)], guest=True)
        aggregates.rebuild()  # answers written behind the app's back
        db.session.commit()
    return bank


def test_facility_and_discrimination_match_the_hand_computed_values(app, answered):
    with app.app_context():
        result = stats.item_statistics()
    a, b, c, d = (
        result[answered[u]]
        for u in ("history-single", "history-tf", "economy-numeric", "history-multi")
    )
    assert (a.answers, b.answers, c.answers, d.answers) == (5, 5, 5, 1)
    assert (a.facility, b.facility, c.facility, d.facility) == pytest.approx((0.6, 0.6, 0.4, 1))
    assert a.discrimination == pytest.approx(5 / 60**0.5)  # 0.6455
    assert b.discrimination == pytest.approx(0.0)
    assert c.discrimination == pytest.approx(3 / 84**0.5)  # 0.3273
    assert d.discrimination is None


def test_one_small_class_flags_nothing(app, answered):
    with app.app_context():
        result = stats.item_statistics()
        assert stats.flagged_question_ids() == set()
    d = result[answered["history-multi"]]
    assert (d.facility, d.students, d.enough, d.flags) == (1.0, 1, False, [])
    assert result[answered["history-single"]].students == 4


def test_one_students_many_quizzes_flag_nothing(app, bank):
    """One student answering everything right, again and again, is still one student."""
    with app.app_context():
        user = User(email="solo@example.com", role=Role.STUDENT.value)
        user.set_password("not used here")
        db.session.add(user)
        db.session.flush()
        for _ in range(30):
            _attempt({"solo": user.id}, bank, user="solo", answers=[(u, 1, 0) for u in bank])
        aggregates.rebuild()  # answers written behind the app's back
        db.session.commit()
        result = stats.item_statistics()
        assert stats.flagged_question_ids() == set()
    assert all(s.answers == 30 and s.students == 1 and not s.enough for s in result.values())


def test_a_class_of_forty_flags_exactly_the_broken_item(app, bank):
    """40 students of rising ability; each sound item is right for the students above its
    difficulty, the broken one (a wrong key) for the students below the middle."""
    broken = "history-single"
    sound = sorted(u for u in bank if u != broken)
    with app.app_context():
        users = {}
        for i in range(40):
            user = User(email=f"c{i:02}@example.com", role=Role.STUDENT.value)
            user.set_password("not used here")
            db.session.add(user)
            db.session.flush()
            users[i] = user.id
        for i in range(40):
            ability = i / 39
            answers = [
                (uid, int(ability > 0.15 + 0.6 * j / len(sound)), 0) for j, uid in enumerate(sound)
            ]
            answers.append((broken, int(ability < 0.5), 0))
            _attempt(users, bank, user=i, answers=answers)
        aggregates.rebuild()  # answers written behind the app's back
        db.session.commit()
        result = stats.item_statistics()
        assert stats.flagged_question_ids() == {bank[broken]}
    item = result[bank[broken]]
    assert item.students == 40 and item.enough
    assert [f.label for f in item.flags] == ["low discrimination"]
    assert "the key may be wrong" in item.flags[0].why and "40 answers" in item.flags[0].why


def test_the_minimum_is_a_setting(app, answered):
    app.config["STATS_MIN_STUDENTS"] = 1
    with app.app_context():
        result = stats.item_statistics()
    assert [f.label for f in result[answered["history-multi"]].flags] == ["too easy"]


@pytest.mark.parametrize(
    ("students", "facility", "r", "flags"),
    [
        (19, 0.05, -0.9, []),
        (20, 0.19, 0.5, ["too hard"]),
        (20, 0.2, 0.5, []),
        (20, 0.96, 0.5, ["too easy"]),
        (20, 0.5, 0.1, ["low discrimination"]),
        (20, 0.5, 0.2, []),
        (20, 0.5, None, ["low discrimination"]),
        (20, 1.0, None, ["too easy"]),
    ],
)
def test_flag_thresholds(students, facility, r, flags):
    found = stats.flags_for(
        answers=students, students=students, facility=facility, discrimination=r, minimum=20
    )
    assert [f.label for f in found] == flags
    assert all(f.why for f in found)


def test_flags_say_why_with_the_interval():
    (flag,) = stats.flags_for(answers=50, students=25, facility=0.1, discrimination=0.4, minimum=20)
    assert flag.why.startswith("Only 10% of 50 answers were right (95% interval 4% to 21%)")


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    # Newcombe (1998), "Two-sided confidence intervals for the single proportion",
    # Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score, no correction)
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_the_worked_examples(successes, n, low, high):
    assert stats.wilson_interval(successes / n, n) == pytest.approx((low, high), abs=5e-5)


def test_correlation_interval_by_fisher_z():
    # r = 0.5, n = 28: z = atanh(0.5) = 0.5493, se = 1/sqrt(25) = 0.2,
    # z ± 1.96·0.2 = 0.1573 .. 0.9413, back through tanh: 0.156 .. 0.736
    assert stats.correlation_interval(0.5, 28) == pytest.approx((0.1560, 0.7358), abs=5e-4)
    assert stats.correlation_interval(0.5, 3) is None
    assert stats.wilson_interval(None, 0) is None


def test_option_picks_count_each_choice(app, answered):
    with app.app_context():
        single = stats.option_picks(db.session.get(Question, answered["history-single"]))
        multi = stats.option_picks(db.session.get(Question, answered["history-multi"]))
        assert stats.option_picks(db.session.get(Question, answered["history-tf"])) is None
    assert [(p.text, p.correct, p.count) for p in single] == [
        ("Amur", True, 3),
        ("Volga", False, 1),
        ("Danube", False, 1),
    ]
    # rest of the quiz (mean of the other two items): Amur's pickers 1, 0.5, 0.5; Volga's
    # (attempt 3) 0.5; Danube's (attempt 4) 0
    assert [p.pickers_rest for p in single] == pytest.approx([2 / 3, 0.5, 0.0])
    assert not any(p.draws_strong for p in single)
    assert [p.count for p in multi] == [1, 1, 0, 0]


def test_class_overview_lists_students_scores_and_mastery(app, answered):
    with app.app_context():
        rows = {r.email: r for r in stats.class_overview()}
    assert sorted(rows) == ["s1@example.com", "s2@example.com", "s3@example.com", "s4@example.com"]
    assert (rows["s1@example.com"].attempts, rows["s1@example.com"].mean_score) == (2, 1.0)
    s2 = rows["s2@example.com"]
    assert s2.attempts == 2 and s2.mean_score == pytest.approx(2 / 3)
    assert s2.mastery == pytest.approx({"history": 0.75, "economy-energy": 0.5})
    # s1's unfinished attempt (history-single, wrong) counts nowhere: history stays 3/3
    assert rows["s1@example.com"].mastery == pytest.approx({"history": 1.0, "economy-energy": 1.0})
    assert rows["s4@example.com"].mean_score == 0


def test_pages_show_the_numbers(app, client, instructor, answered):
    teach_every_student(app, instructor)
    html = client.get("/instructor/statistics").get_data(as_text=True)
    assert "0.65" in html and "0.33" in html and "not enough answers yet" in html
    page = client.get(f"/instructor/questions/{answered['history-single']}").get_data(as_text=True)
    assert "Facility index</dt><dd>0.60" in page
    assert "0.23–0.88" in page  # the Wilson interval of 3 right in 5
    assert "4 of the 20 students needed" in page
    overview = client.get("/instructor/class").get_data(as_text=True)
    assert "s2@example.com" in overview and "75%" in overview


def test_a_distractor_chosen_by_strong_students_is_named(app, client, instructor, answered):
    with app.app_context():
        users = {"s1": db.session.scalar(db.select(User.id).where(User.email == "s1@example.com"))}
        for _ in range(3):  # strong attempts that all pick Volga
            _attempt(
                users, answered, user="s1", answers=[("history-single", 0, 1), *SCORES[1][1][1:]]
            )
        aggregates.rebuild()  # answers written behind the app's back
        db.session.commit()
        picks = stats.option_picks(db.session.get(Question, answered["history-single"]))
    assert [p.draws_strong for p in picks] == [False, True, False]
    page = client.get(f"/instructor/questions/{answered['history-single']}").get_data(as_text=True)
    assert "draws the strong students" in page


def test_flagged_filter_lists_only_flagged_items(client, instructor, answered, app):
    app.config["STATS_MIN_STUDENTS"] = 1
    html = client.get("/instructor/?flagged=y").get_data(as_text=True)
    assert "history-multi" in html and "history-single" not in html


def test_statistics_take_the_same_queries_however_many_answers(app, client, instructor, answered):
    with app.app_context():
        with count_queries(db.engine) as few:
            client.get("/instructor/statistics")
        users = {"s1": db.session.scalar(db.select(User.id).where(User.email == "s1@example.com"))}
        for _ in range(40):
            _attempt(users, answered, user="s1", answers=SCORES[1][1])
        aggregates.rebuild()  # answers written behind the app's back
        db.session.commit()
        with count_queries(db.engine) as many:
            client.get("/instructor/statistics")
    assert many.count == few.count


def test_a_student_page_shows_attempts_mastery_and_missed_questions(
    app, client, instructor, answered
):
    with app.app_context():
        s2 = db.session.scalar(db.select(User).where(User.email == "s2@example.com"))
        detail = stats.student_detail(s2)
        s2_id = s2.id
    teach_every_student(app, instructor)
    assert len(detail.attempts) == 2
    assert detail.mastery["history"] == pytest.approx((0.75, 4))
    assert {(m.uid, m.wrong, m.answers) for m in detail.missed} == {
        ("history-tf", 1, 2),
        ("economy-numeric", 1, 2),
    }
    html = client.get(f"/instructor/students/{s2_id}").get_data(as_text=True)
    assert "s2@example.com" in html and "75%" in html and "history-tf" in html
    overview = client.get("/instructor/class").get_data(as_text=True)
    assert f'href="/instructor/students/{s2_id}"' in overview
    assert "1. " in overview and "<abbr" not in overview  # full section names, no hover


def test_the_student_page_is_for_students_only(app, client, instructor):
    assert client.get(f"/instructor/students/{instructor}").status_code == 404
    assert client.get("/instructor/students/999999").status_code == 404
