"""Joining a class: by link or typed code, after a confirmation; rotated, closed, removed."""

from __future__ import annotations

from urllib.parse import unquote

from webapp.extensions import db
from webapp.models import Membership, Role

from ..helpers import post_form
from .conftest import code_of, create_class, join


def test_an_instructor_creates_a_class_and_gets_a_code_and_a_link(app, teacher):
    class_id = create_class(teacher)
    code = code_of(app, class_id)
    page = teacher.client.get(f"/instructor/classes/{class_id}").get_data(as_text=True)
    assert code in page
    assert f"/join/{code}" in page
    assert "Year 12 politics" in teacher.client.get("/instructor/classes/").get_data(as_text=True)


def test_a_student_joins_by_link_after_confirming(app, teacher, person):
    class_id = create_class(teacher)
    code = code_of(app, class_id)
    student = person()
    page = student.client.get(f"/join/{code}")
    assert page.status_code == 200
    assert "Join Year 12 politics?" in page.get_data(as_text=True)
    with app.app_context():  # opening the link alone joins nobody
        assert db.session.scalar(db.select(Membership)) is None
    response = join(student, code, name="Ana Lima")
    assert response.status_code == 302
    with app.app_context():
        member = db.session.scalar(db.select(Membership))
        assert (member.class_id, member.user_id, member.name) == (
            class_id,
            student.user_id,
            "Ana Lima",
        )
    assert "Year 12 politics" in student.client.get("/assignments").get_data(as_text=True)


def test_joining_needs_the_csrf_token_and_a_name(app, teacher, person):
    code = code_of(app, create_class(teacher))
    student = person()
    assert student.client.post(f"/join/{code}", data={"name": "Ana"}).status_code == 400
    response = post_form(student.client, f"/join/{code}", {"name": "  "})
    assert response.status_code == 422
    assert "Give your name." in response.get_data(as_text=True)


def test_a_typed_code_is_read_whatever_its_case_and_spacing(app, teacher, person):
    code = code_of(app, create_class(teacher))
    student = person()
    typed = f" {code[:4].lower()}-{code[4:].lower()} "
    response = post_form(student.client, "/join", {"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/join/{code}"


def test_an_unknown_typed_code_says_so(person):
    student = person()
    response = post_form(student.client, "/join", {"code": "NOPE2345"})
    assert response.status_code == 422
    assert "No class has this code" in response.get_data(as_text=True)


def test_a_rotated_code_stops_the_old_link(app, teacher, person):
    class_id = create_class(teacher)
    old = code_of(app, class_id)
    post_form(
        teacher.client,
        f"/instructor/classes/{class_id}/code",
        page=f"/instructor/classes/{class_id}",
    )
    new = code_of(app, class_id)
    assert new != old
    student = person()
    response = student.client.get(f"/join/{old}")
    assert response.status_code == 404
    assert "No class has this code" in response.get_data(as_text=True)
    assert join(student, new).status_code == 302


def test_closed_joining_refuses_new_students(app, teacher, person):
    class_id = create_class(teacher)
    code = code_of(app, class_id)
    post_form(
        teacher.client,
        f"/instructor/classes/{class_id}/joining",
        page=f"/instructor/classes/{class_id}",
    )
    student = person()
    response = student.client.get(f"/join/{code}")
    assert response.status_code == 403
    assert "closed to new students" in response.get_data(as_text=True)
    # a POST with a valid token (from the home page) is refused the same way
    assert post_form(student.client, f"/join/{code}", {"name": "x"}, page="/").status_code == 403
    # opened again, the same code works
    post_form(
        teacher.client,
        f"/instructor/classes/{class_id}/joining",
        page=f"/instructor/classes/{class_id}",
    )
    assert join(student, code).status_code == 302


def test_joining_twice_keeps_one_membership(app, teacher, person):
    code = code_of(app, create_class(teacher))
    student = person()
    assert join(student, code).status_code == 302
    again = student.client.get(f"/join/{code}", follow_redirects=True)
    assert "You are already in Year 12 politics." in again.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(db.select(Membership)).all()) == 1


def test_a_removed_student_cannot_rejoin_until_put_back(app, teacher, person):
    class_id = create_class(teacher)
    code = code_of(app, class_id)
    student = person()
    join(student, code)
    page = f"/instructor/classes/{class_id}"
    post_form(teacher.client, f"{page}/students/{student.user_id}/remove", page=page)
    response = student.client.get(f"/join/{code}")
    assert response.status_code == 403
    assert "You were removed" in response.get_data(as_text=True)
    assert "Year 12 politics" not in student.client.get("/assignments").get_data(as_text=True)
    post_form(teacher.client, f"{page}/students/{student.user_id}/restore", page=page)
    assert "Year 12 politics" in student.client.get("/assignments").get_data(as_text=True)


def test_a_student_may_be_in_several_classes(app, teacher, person):
    first = code_of(app, create_class(teacher, "Politics A"))
    second = code_of(app, create_class(teacher, "Politics B"))
    student = person()
    join(student, first)
    join(student, second)
    page = student.client.get("/assignments").get_data(as_text=True)
    assert "Politics A" in page and "Politics B" in page


def test_instructors_do_not_join_as_students(app, teacher, person):
    code = code_of(app, create_class(teacher))
    other = person(Role.INSTRUCTOR.value)
    assert other.client.get(f"/join/{code}").status_code == 403


def test_a_guest_is_sent_to_log_in_with_the_link_kept(app, client, teacher):
    code = code_of(app, create_class(teacher))
    response = client.get(f"/join/{code}")
    assert response.status_code == 302
    assert unquote(response.headers["Location"]) == f"/login?next=/join/{code}"


def test_a_co_instructor_is_added_by_the_email_of_an_instructor_account(app, teacher, person):
    class_id = create_class(teacher)
    colleague = person(Role.INSTRUCTOR.value, "colleague@example.com")
    pupil = person(Role.STUDENT.value, "pupil@example.com")
    page = f"/instructor/classes/{class_id}"
    assert colleague.client.get(page).status_code == 403
    response = post_form(
        teacher.client,
        f"{page}/instructors",
        {"email": "pupil@example.com"},
        page=page,
        follow_redirects=True,
    )
    assert "No instructor account uses pupil@example.com" in response.get_data(as_text=True)
    response = post_form(
        teacher.client,
        f"{page}/instructors",
        {"email": "Colleague@Example.com"},
        page=page,
        follow_redirects=True,
    )
    assert "colleague@example.com now teaches" in response.get_data(as_text=True)
    assert colleague.client.get(page).status_code == 200
    assert pupil.client.get(page).status_code == 403


def test_my_data_download_lists_my_classes(app, teacher, person):
    code = code_of(app, create_class(teacher))
    student = person()
    join(student, code, name="Ana Lima")
    data = student.client.get("/account/data.json").get_json()
    assert [(c["class"], c["name"]) for c in data["classes"]] == [("Year 12 politics", "Ana Lima")]
