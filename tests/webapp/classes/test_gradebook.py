"""Results: per assignment, per student, and the gradebook with its CSV for an LMS."""

from __future__ import annotations

import csv
import io

from webapp.classes.results import safe_cell
from webapp.extensions import db
from webapp.models import Attempt

from ..helpers import (
    answer_all,
    count_queries,
    item_state,
    post_form,
    right_form,
    submit,
    wrong_form,
)
from .conftest import attempt_id_of, code_of, create_assignment, create_class, join, start


def _csv(teacher, class_id: int) -> list[list[str]]:
    response = teacher.client.get(f"/instructor/classes/{class_id}/gradebook.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_gradebook_csv_parses_back_with_points_and_maxima(app, teacher, person, bank):
    class_id = create_class(teacher)
    code = code_of(app, class_id)
    week1 = create_assignment(app, teacher, class_id, title="Week 1 quiz", size="3")
    create_assignment(
        app,
        teacher,
        class_id,
        title="Week 2, fixed",
        source="questions",
        question_ids="history-single history-tf",
    )
    ana, ben = person(), person()
    join(ana, code, name="Ana Lima")
    join(ben, code, name="Ben Okafor")
    answer_all(ana.client, app, attempt_id_of(start(ana, week1)), right=True)
    attempt = attempt_id_of(start(ben, week1))
    q, presentation = item_state(app, attempt, 1)
    submit(ben.client, attempt, 1, right_form(q, presentation))
    for position in (2, 3):
        q, presentation = item_state(app, attempt, position)
        submit(ben.client, attempt, position, wrong_form(q, presentation))
    rows = _csv(teacher, class_id)
    assert rows[0] == ["Student name", "Email", "Week 1 quiz [3 pts]", "Week 2, fixed [2 pts]"]
    assert rows[1] == ["Ana Lima", ana.email, "3", ""]
    assert rows[2] == ["Ben Okafor", ben.email, "1", ""]
    assert len(rows) == 3
    page = teacher.client.get(f"/instructor/classes/{class_id}/gradebook").get_data(as_text=True)
    assert "Ana Lima" in page and "3 pts" in page


def test_a_formula_in_a_name_is_never_run(app, teacher, person, bank):
    class_id = create_class(teacher)
    create_assignment(app, teacher, class_id, title="=SUM(A1:A9)")
    student = person()
    join(student, code_of(app, class_id), name='=HYPERLINK("x")')
    rows = _csv(teacher, class_id)
    assert rows[0][2] == "'=SUM(A1:A9) [3 pts]"
    assert rows[1][0] == '\'=HYPERLINK("x")'
    # and the page escapes it
    page = teacher.client.get(f"/instructor/classes/{class_id}/gradebook").get_data(as_text=True)
    assert "=HYPERLINK(&#34;x&#34;)" in page


def test_safe_cell_quotes_every_formula_start():
    for start_char in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell(f"{start_char}1+1") == f"'{start_char}1+1"
    assert safe_cell("Ana") == "Ana"
    assert safe_cell("1-2") == "1-2"
    assert safe_cell(None) == ""


def test_a_removed_student_leaves_the_gradebook_and_keeps_their_attempts(
    app, teacher, person, bank
):
    class_id = create_class(teacher)
    assignment_id = create_assignment(app, teacher, class_id)
    student = person()
    join(student, code_of(app, class_id), name="Cleo")
    attempt_id = attempt_id_of(start(student, assignment_id))
    answer_all(student.client, app, attempt_id)
    assert [r[0] for r in _csv(teacher, class_id)[1:]] == ["Cleo"]
    page = f"/instructor/classes/{class_id}"
    post_form(teacher.client, f"{page}/students/{student.user_id}/remove", page=page)
    assert _csv(teacher, class_id)[1:] == []
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).is_finished
    assert f"/attempts/{attempt_id}" in student.client.get("/dashboard").get_data(as_text=True)


def test_the_assignment_results_and_the_question_breakdown(app, teacher, person, bank):
    class_id = create_class(teacher)
    code = code_of(app, class_id)
    assignment_id = create_assignment(
        app, teacher, class_id, source="questions", question_ids="history-single history-tf"
    )
    students = [person() for _ in range(3)]
    for n, student in enumerate(students):
        join(student, code, name=f"Student {n}")
        attempt = attempt_id_of(start(student, assignment_id))
        for position in (1, 2):
            q, presentation = item_state(app, attempt, position)
            # everyone is right on the true/false; two of three pick Volga on the river
            if q.id == "history-single" and n < 2:
                data = {"choice": str(presentation["options"].index(1))}  # Volga
            else:
                data = right_form(q, presentation)
            submit(student.client, attempt, position, data)
    page = teacher.client.get(
        f"/instructor/classes/{class_id}/assignments/{assignment_id}"
    ).get_data(as_text=True)
    for n in range(3):
        assert f"Student {n}" in page
    single = page.index("history-single")
    assert "33%" in page[single : single + 300]
    assert "Volga" in page[single : single + 400]
    tf = page.index("history-tf")
    assert "100%" in page[tf : tf + 300]
    assert single < tf  # hardest first
    one = teacher.client.get(
        f"/instructor/classes/{class_id}/students/{students[2].user_id}"
    ).get_data(as_text=True)
    assert "Week 1 quiz" in one and "2 / 2" in one


def test_the_gradebook_costs_the_same_statements_for_a_bigger_class(app, teacher, person, bank):
    """Counted, not timed: 2 students x 1 assignment, then 4 x 3."""
    class_id = create_class(teacher)
    code = code_of(app, class_id)
    first = create_assignment(app, teacher, class_id)
    two = [person() for _ in range(2)]
    for n, student in enumerate(two):
        join(student, code, name=f"S{n}")
        answer_all(student.client, app, attempt_id_of(start(student, first)))

    def statements() -> int:
        with app.app_context(), count_queries(db.engine) as counter:
            assert (
                teacher.client.get(f"/instructor/classes/{class_id}/gradebook").status_code == 200
            )
        return counter.count

    small = statements()
    for _ in range(2):
        create_assignment(app, teacher, class_id, title="More")
    for n in range(2):
        student = person()
        join(student, code, name=f"T{n}")
        answer_all(student.client, app, attempt_id_of(start(student, first)))
    assert statements() == small
