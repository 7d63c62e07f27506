"""Input that once reached a 500: numbers in other scripts or with thousands of digits,
NUL and other control characters, and forms with tens of thousands of rows. Each is a
4xx (or the form again) with a message saying what is wrong and where."""

from __future__ import annotations

import time

import pytest

from questions.validation import MAX_PARTS
from webapp.models import Role

from .helpers import post_form
from .instructor.conftest import payload

NOT_ASCII_NUMBERS = ["²", "٣", "१२", "9" * 5000, "1" + "0" * 4400, "1_000", "+3", " "]


@pytest.mark.parametrize("reps", NOT_ASCII_NUMBERS)
def test_a_study_rating_with_a_strange_review_count_is_a_400(client, auth, bank, reps):
    auth.login_as(Role.STUDENT.value)
    url = f"/study/rate/{bank['history-single']}"
    response = post_form(client, url, {"rating": "3", "reps": reps}, page="/study/")
    assert response.status_code == 400
    assert "The review count must be a whole number" in response.get_data(as_text=True)


@pytest.mark.parametrize("rating", ["٣", "²", "9" * 5000])
def test_a_study_rating_in_another_script_is_a_400(client, auth, bank, rating):
    auth.login_as(Role.STUDENT.value)
    url = f"/study/rate/{bank['history-single']}"
    response = post_form(client, url, {"rating": rating, "reps": "0"}, page="/study/")
    assert response.status_code == 400


@pytest.mark.parametrize("page", ["9" * 5000, "١", "²", "99999999999999999999"])
def test_a_strange_page_number_shows_the_first_page(client, auth, bank, page):
    auth.login_as(Role.INSTRUCTOR.value)
    response = client.get("/instructor/", query_string={"page": page})
    assert response.status_code == 200


@pytest.mark.parametrize("paragraph", ["²", "٣", "9" * 5000])
def test_an_import_paragraph_in_another_script_is_refused_at_its_field(
    client, auth, bank, paragraph
):
    auth.login_as(Role.INSTRUCTOR.value)
    from io import BytesIO

    response = post_form(
        client,
        "/instructor/import",
        {
            "file": (BytesIO(b"Q {T}\n"), "q.gift"),
            "format": "gift",
            "section": "history",
            "paragraph": paragraph,
            "difficulty": "1",
            "decimal": "",
            "status": "draft",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Give one paragraph number, e.g. 1." in response.get_data(as_text=True)


@pytest.mark.parametrize("paragraphs", ["²", "٣", "9" * 5000])
def test_a_question_form_paragraph_in_another_script_is_reported(client, auth, bank, paragraphs):
    auth.login_as(Role.INSTRUCTOR.value)
    url = "/instructor/questions/new/true_false"
    response = post_form(client, url, payload("true_false", paragraphs=paragraphs))
    assert response.status_code == 200
    assert "is not a whole number" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "text", ["a\x00b", "\x00", "x\x1by", "\x7f", "tab\tand\nline are fine\x08"]
)
def test_a_control_character_in_registration_is_a_400_naming_the_field(client, text):
    response = post_form(
        client,
        "/register",
        {"email": f"{text}@example.com", "password": "pw-long-enough-1", "confirm": "x"},
    )
    assert response.status_code == 400
    assert "The field &#39;email&#39; holds a control character" in response.get_data(as_text=True)


def test_tabs_and_line_breaks_are_not_control_characters_here(client, auth, bank):
    auth.login_as(Role.INSTRUCTOR.value)
    url = "/instructor/questions/new/true_false"
    response = post_form(client, url, payload("true_false", prompt="Line one\r\n\tline two."))
    assert response.status_code == 302


@pytest.mark.parametrize("query", [{"q": "a\x00b"}, {"q\x00": "a"}, {"section": "\x01"}])
def test_a_control_character_in_the_instructor_search_is_a_400(client, auth, bank, query):
    auth.login_as(Role.INSTRUCTOR.value)
    response = client.get("/instructor/", query_string=query)
    assert response.status_code == 400
    assert "holds a control character" in response.get_data(as_text=True)


def test_a_question_form_with_60000_option_rows_is_refused_with_a_message(client, auth, bank):
    auth.login_as(Role.INSTRUCTOR.value)
    url = "/instructor/questions/new/single_choice"
    rows = {f"options-{i}-text": f"o{i}" for i in range(60_000)}
    start = time.monotonic()
    response = post_form(client, url, {**payload("single_choice"), **rows})
    elapsed = time.monotonic() - start
    assert response.status_code == 200
    assert f"The form sent 60,000 options rows; a question has at most {MAX_PARTS}" in (
        response.get_data(as_text=True)
    )
    assert elapsed < 10  # a guard against per-row work; it was a worker held for seconds


def test_adding_a_row_past_the_limit_says_so(client, auth, bank):
    auth.login_as(Role.INSTRUCTOR.value)
    url = "/instructor/questions/new/single_choice"
    rows = {f"options-{i}-text": f"o{i}" for i in range(MAX_PARTS)}
    data = {**payload("single_choice"), **rows, "add_option": "Add another option"}
    data.pop("save")
    response = post_form(client, url, data)
    assert response.status_code == 200
    assert f"A question has at most {MAX_PARTS} rows here." in response.get_data(as_text=True)


def test_a_cloze_csv_accept_with_a_superscript_gap_number_is_a_problem(client, auth, bank):
    from questions.formats import ImportDefaults, parse_upload

    data = "kind,prompt,accept\ncloze,Gas to {{c1::China}}.,²=the PRC\n".encode()
    items, problems = parse_upload(
        "csv", data, filename="c.csv", defaults=ImportDefaults(section="history", paragraphs=(1,))
    )
    assert items == [] and any("needs the form N=variant" in p.message for p in problems)
