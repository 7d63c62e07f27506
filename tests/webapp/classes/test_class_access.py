"""Access between classes, walking the URL map: an instructor of class A gets 403 on every
route of class B; a student sees only their own classes and assignments."""

from __future__ import annotations

import pytest
from flask import url_for

from webapp.models import Role

from ..helpers import answer_all, csrf_token
from .conftest import attempt_id_of, code_of, create_assignment, create_class, join, start


@pytest.fixture
def two_classes(app, teacher, person, bank):
    """Class A (``teacher``'s) with an assignment and a student who did it; instructor B
    with a class of their own and a student in it."""
    class_a = create_class(teacher, "Class A")
    assignment_a = create_assignment(app, teacher, class_a)
    student_a = person(Role.STUDENT.value, "a-student@example.com")
    join(student_a, code_of(app, class_a), name="Student of A")
    answer_all(student_a.client, app, attempt_id_of(start(student_a, assignment_a)))
    other = person(Role.INSTRUCTOR.value, "other@example.com")
    class_b = create_class(other, "Class B")
    student_b = person(Role.STUDENT.value, "b-student@example.com")
    join(student_b, code_of(app, class_b), name="Student of B")
    return {
        "class_id": class_a,
        "assignment_id": assignment_a,
        "user_id": student_a.user_id,
        "student_a": student_a,
        "other": other,
        "student_b": student_b,
    }


def _class_routes(app, values: dict) -> list[tuple[str, str]]:
    """Every (method, URL) of a class's instructor routes, filled with class A's ids."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "class_id" not in rule.arguments or not rule.rule.startswith("/instructor"):
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **{arg: values[arg] for arg in rule.arguments})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, url))
    return routes


def _request(client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    return client.open(url, method=method, data={"csrf_token": csrf_token(client, "/")})


def test_the_walk_finds_every_class_route(app, two_classes):
    routes = _class_routes(app, two_classes)
    assert ("GET", f"/instructor/classes/{two_classes['class_id']}/gradebook.csv") in routes
    assert ("POST", f"/instructor/classes/{two_classes['class_id']}/code") in routes
    assert len(routes) >= 12


def test_an_instructor_of_another_class_gets_403_on_every_route(app, two_classes):
    other = two_classes["other"]
    for method, url in _class_routes(app, two_classes):
        assert _request(other.client, method, url).status_code == 403, (method, url)


def test_the_class_instructor_gets_every_page(app, teacher, two_classes):
    for method, url in _class_routes(app, two_classes):
        if method == "GET":
            assert teacher.client.get(url).status_code == 200, url


def test_a_student_gets_403_on_every_class_route(app, two_classes):
    student = two_classes["student_a"]
    for method, url in _class_routes(app, two_classes):
        assert _request(student.client, method, url).status_code == 403, (method, url)


def test_an_instructor_sees_only_the_students_of_their_classes(app, teacher, two_classes):
    overview = teacher.client.get("/instructor/class").get_data(as_text=True)
    assert "a-student@example.com" in overview
    assert "b-student@example.com" not in overview
    assert teacher.client.get(f"/instructor/students/{two_classes['user_id']}").status_code == 200
    other_student = two_classes["student_b"].user_id
    assert teacher.client.get(f"/instructor/students/{other_student}").status_code == 403
    other = two_classes["other"]
    assert other.client.get(f"/instructor/students/{two_classes['user_id']}").status_code == 403
    classes = other.client.get("/instructor/classes/").get_data(as_text=True)
    assert "Class B" in classes and "Class A" not in classes


def test_a_student_sees_only_their_own_classes_and_assignments(app, two_classes):
    page = two_classes["student_b"].client.get("/assignments").get_data(as_text=True)
    assert "Class B" in page
    assert "Class A" not in page and "Week 1 quiz" not in page
    # another student's assignment attempt stays theirs
    mine = two_classes["student_a"].client.get("/assignments").get_data(as_text=True)
    assert "Week 1 quiz" in mine


def test_a_student_cannot_open_another_students_assignment_attempt(app, two_classes):
    student_a = two_classes["student_a"]
    listing = student_a.client.get("/assignments").get_data(as_text=True)
    attempt_url = listing.split('href="/attempts/')[1].split('"')[0]
    response = two_classes["student_b"].client.get(f"/attempts/{attempt_url}")
    assert response.status_code == 404
