"""Opening and due times: entered in the class's zone, stored in UTC, across zones and a
daylight-saving change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from webapp.classes.schedule import NoSuchLocalTime, show, to_local, to_utc
from webapp.extensions import db
from webapp.models import Assignment

from ..helpers import post_form
from .conftest import code_of, create_class, join


@pytest.mark.parametrize(
    ("local", "zone", "utc"),
    [
        (datetime(2027, 1, 10, 23, 59), "Asia/Tokyo", datetime(2027, 1, 10, 14, 59, tzinfo=UTC)),
        (datetime(2027, 1, 10, 9, 0), "America/New_York", datetime(2027, 1, 10, 14, 0, tzinfo=UTC)),
        (datetime(2027, 7, 10, 9, 0), "America/New_York", datetime(2027, 7, 10, 13, 0, tzinfo=UTC)),
        (datetime(2027, 7, 10, 9, 0), "UTC", datetime(2027, 7, 10, 9, 0, tzinfo=UTC)),
        # clocks go back in London on 31 Oct 2027: 01:30 happens twice; the first counts (BST)
        (datetime(2027, 10, 31, 1, 30), "Europe/London", datetime(2027, 10, 31, 0, 30, tzinfo=UTC)),
    ],
)
def test_a_wall_clock_time_in_the_class_zone_is_stored_in_utc(local, zone, utc):
    assert to_utc(local, zone) == utc
    assert to_local(utc, zone) == local


@pytest.mark.parametrize(
    ("local", "zone"),
    [
        (datetime(2027, 3, 14, 2, 30), "America/New_York"),  # 2:00 -> 3:00
        (datetime(2027, 3, 28, 1, 15), "Europe/London"),  # 1:00 -> 2:00
    ],
)
def test_a_time_the_clocks_skip_is_refused(local, zone):
    with pytest.raises(NoSuchLocalTime, match="does not exist in"):
        to_utc(local, zone)


def test_times_are_shown_with_the_zone_in_force_on_that_day():
    before = to_utc(datetime(2027, 3, 13, 9, 0), "America/New_York")
    after = to_utc(datetime(2027, 3, 15, 9, 0), "America/New_York")
    assert show(before, "America/New_York") == "Sat 13 Mar 2027 09:00 EST"
    assert show(after, "America/New_York") == "Mon 15 Mar 2027 09:00 EDT"
    # 48 hours of wall clock, 47 of real time: the night lost an hour
    assert (after - before).total_seconds() == 47 * 3600


def _assignment_form(class_id: int, opens: str, due: str) -> dict:
    return {
        "title": "Across the change",
        "source": "article",
        "size": "2",
        "opens_at": opens,
        "due_at": due,
        "attempts_allowed": "1",
        "counts": "best",
        "show_answers": "each",
        "late_policy": "refuse",
    }


def test_the_form_reads_times_in_the_class_zone_across_a_dst_change(app, teacher, person, bank):
    class_id = create_class(teacher, zone="America/New_York")
    url = f"/instructor/classes/{class_id}/assignments/new"
    response = post_form(
        teacher.client, url, _assignment_form(class_id, "2027-03-13T09:00", "2027-03-15T09:00")
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        found = db.session.scalar(db.select(Assignment))
        assert found.opens_at == datetime(2027, 3, 13, 14, 0, tzinfo=UTC)
        assert found.due_at == datetime(2027, 3, 15, 13, 0, tzinfo=UTC)
    # a student in Tokyo reads the class's times, in the class's zone
    student = person()
    with app.app_context():
        from webapp.models import User

        db.session.get(User, student.user_id).settings = {"time_zone": "Asia/Tokyo"}
        db.session.commit()
    join(student, code_of(app, class_id))
    page = student.client.get("/assignments").get_data(as_text=True)
    assert "Mon 15 Mar 2027 09:00 EDT" in page
    assert "Sat 13 Mar 2027 09:00 EST" in page


def test_the_form_refuses_a_skipped_time_and_a_due_time_before_the_opening(app, teacher, bank):
    class_id = create_class(teacher, zone="America/New_York")
    url = f"/instructor/classes/{class_id}/assignments/new"
    response = post_form(
        teacher.client, url, _assignment_form(class_id, "2027-03-10T09:00", "2027-03-14T02:30")
    )
    assert response.status_code == 422
    assert "does not exist in America/New_York" in response.get_data(as_text=True)
    response = post_form(
        teacher.client, url, _assignment_form(class_id, "2027-03-10T09:00", "2027-03-09T09:00")
    )
    assert response.status_code == 422
    assert "The due time must come after the opening time." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Assignment)) is None
