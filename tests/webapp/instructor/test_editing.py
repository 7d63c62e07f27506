"""Creating and editing questions of every kind, checked by the bank's own rules."""

import pytest

from questions import Kind, validate_item
from questions import Question as BankQuestion
from webapp.extensions import db
from webapp.instructor.forms import plain_message
from webapp.models import Question, Status

from ..helpers import post_form
from .conftest import GOOD, payload


def _stored(app, uid: str) -> Question:
    with app.app_context():
        row = db.session.scalar(db.select(Question).where(Question.uid == uid))
        assert row is not None, f"{uid} was not saved"
        db.session.expunge(row)
        return row


def _data(app, uid: str) -> dict:
    with app.app_context():
        row = db.session.scalar(db.select(Question).where(Question.uid == uid))
        return dict(row.current_revision.data)


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_a_valid_form_of_each_kind_saves_a_draft_the_bank_accepts(app, client, instructor, kind):
    url = f"/instructor/questions/new/{kind}"
    response = post_form(client, url, payload(kind))
    assert response.status_code == 302, response.get_data(as_text=True)
    uid = f"history-new-{kind.replace('_', '-')}"
    row = _stored(app, uid)
    assert row.status == Status.DRAFT.value
    data = _data(app, uid)
    assert data["kind"] == kind
    # JSON keeps only string keys (a cloze's accept), so check the bank's own reading of it
    assert validate_item(BankQuestion.from_dict(data).to_dict()) == []


def test_form_fields_become_the_bank_fields(app, client, instructor):
    post_form(client, "/instructor/questions/new/numeric", payload("numeric", uid="history-n"))
    post_form(client, "/instructor/questions/new/cloze", payload("cloze", uid="history-c"))
    numeric = _data(app, "history-n")
    assert (numeric["answer"], numeric["tolerance"], numeric["unit"]) == (1000, 5, "litres")
    assert BankQuestion.from_dict(_data(app, "history-c")).accept == {1: ("the PRC",)}


# One bad submission per kind, and the bank rule's message that must show at the field.
BAD = [
    (
        "single_choice",
        {"key": None},  # no radio button chosen
        "options",
        "No option is marked correct; a single choice question needs exactly one.",
    ),
    ("multiple_select", {"options-2-correct": "y"}, "options", "Every option is marked correct"),
    (
        "true_false",
        {"answer_bool": None},
        "answer_bool",
        "A true or false question needs answer: true or answer: false",
    ),
    ("short_answer", {"answer_text": "!!"}, "answer_text", "has no letter or digit"),
    (
        "numeric",
        {"answer_number": "many"},
        "answer_number",
        "Answer must be a number, not &#39;many&#39;",
    ),
    ("ordering", {"items-2": ""}, "items", "An ordering question needs 3-8 items, not 2"),
    (
        "matching",
        {"pairs-2-left": "", "pairs-2-right": ""},
        "pairs",
        "matching question needs at least 3 pairs, not 2",
    ),
    (
        "cloze",
        {"prompt": "No blank at all."},
        "prompt",
        "A cloze prompt needs at least one deletion",
    ),
    ("basic", {"answer_text": ""}, "answer_text", "Give the right answer."),
]


@pytest.mark.parametrize(("kind", "changes", "field", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_form_shows_the_bank_rule_at_its_field(
    app, client, instructor, kind, changes, field, message
):
    url = f"/instructor/questions/new/{kind}"
    response = post_form(client, url, payload(kind, **changes))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    error_at_field = html.split(f'id="{field}-error"', 1)
    assert len(error_at_field) == 2, f"no error next to {field}"
    assert message in error_at_field[1].split("</div>", 1)[0]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Question.id))) == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"paragraphs": "9"}, "paragraphs", "Paragraph 9 does not exist"),
        ({"explanation": "One. Two. Three. Four."}, "explanation", "has 4 sentences"),
        ({"uid": "Not An Id"}, "uid", "must be lowercase words"),
        ({"prompt": ""}, "prompt", "Write the question."),
    ],
)
def test_common_fields_use_the_same_rules_as_the_command_line(
    client, instructor, changes, field, message
):
    response = post_form(
        client, "/instructor/questions/new/true_false", payload("true_false", **changes)
    )
    html = response.get_data(as_text=True)
    assert message in html.split(f'id="{field}-error"', 1)[1].split("</div>", 1)[0]


def test_an_id_already_in_use_is_refused(client, instructor, bank):
    response = post_form(
        client, "/instructor/questions/new/true_false", payload("true_false", uid="history-tf")
    )
    assert response.status_code == 200
    assert "exists already" in response.get_data(as_text=True)


def test_add_another_option_works_without_javascript(app, client, instructor):
    url = "/instructor/questions/new/single_choice"
    page = client.get(url).get_data(as_text=True)
    assert page.count('type="radio" name="key"') == 4  # four rows to start with, one radio each
    response = post_form(
        client, url, {**payload("single_choice", save=None), "add_option": "Add another option"}
    )
    html = response.get_data(as_text=True)
    assert 'name="options-3-text"' in html  # the three typed rows plus a new empty one
    assert 'value="Amur"' in html  # what was typed survives
    assert 'class="error"' not in html  # adding a row is not a failed save


def test_preview_shows_the_student_view_without_saving(app, client, instructor):
    response = post_form(
        client,
        "/instructor/questions/new/single_choice",
        payload("single_choice", save=None, preview="Preview"),
    )
    html = response.get_data(as_text=True)
    assert "Preview: what a student sees" in html
    assert 'type="radio" name="choice"' in html
    assert "Which river is longest here?" in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Question.id))) == 0


def test_question_text_is_escaped(app, client, instructor):
    post_form(
        client,
        "/instructor/questions/new/true_false",
        payload("true_false", uid="history-xss", prompt="<script>alert(1)</script> ok?"),
    )
    row = _stored(app, "history-xss")
    html = client.get(f"/instructor/questions/{row.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ok?" in html


def test_the_edit_form_shows_the_stored_question(app, client, instructor, bank):
    html = client.get(f"/instructor/questions/{bank['economy-match']}/edit").get_data(as_text=True)
    assert 'value="Railway wagon"' in html
    assert "Balloon</textarea>" in html


def test_every_kind_has_a_new_question_page(client, instructor):
    for kind in Kind:
        assert client.get(f"/instructor/questions/new/{kind.value}").status_code == 200
    assert client.get("/instructor/questions/new/essay").status_code == 404


def test_an_empty_form_lists_every_problem_at_once(client, instructor):
    response = post_form(client, "/instructor/questions/new/matching", {"save": "Save"})
    html = response.get_data(as_text=True)
    for field, message in [
        ("uid", "Give the question an id"),
        ("paragraphs", "Give the number of the paragraph"),
        ("prompt", "Write the question."),
        ("pairs", "Write the pairs."),
        ("explanation", "Write one to three sentences"),
    ]:
        assert message in html.split(f'id="{field}-error"', 1)[1].split("</div>", 1)[0], field


def test_a_form_without_its_csrf_token_saves_nothing(app, client, instructor):
    response = client.post("/instructor/questions/new/true_false", data=payload("true_false"))
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Question.id))) == 0


def test_editing_keeps_and_changes_an_options_feedback(app, client, instructor):
    data = payload(
        "single_choice",
        **{"options-0-feedback": "Right: the concession year.", "options-2-feedback": "Too late."},
    )
    response = post_form(client, "/instructor/questions/new/single_choice", data)
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(db.select(Question))
        options = row.current_revision.data["options"]
        edit = client.get(f"/instructor/questions/{row.id}/edit").get_data(as_text=True)
    assert [o.get("feedback") for o in options] == [
        "Right: the concession year.",
        None,
        "Too late.",
    ]
    assert 'value="Too late."' in edit


def test_single_choice_keys_by_radio_button(app, client, instructor, bank):
    page = client.get("/instructor/questions/new/single_choice").get_data(as_text=True)
    assert page.count('type="radio" name="key"') == 4 and "options-0-correct" not in page
    post_form(
        client,
        "/instructor/questions/new/single_choice",
        payload("single_choice", uid="history-radio", key="2", **{"options-2-text": "Don"}),
    )
    options = _data(app, "history-radio")["options"]
    assert [o.get("correct", False) for o in options] == [False, False, True]
    edit = client.get(f"/instructor/questions/{_stored(app, 'history-radio').id}/edit")
    assert 'id="options-2-key" value="2" checked' in edit.get_data(as_text=True)


def test_a_new_question_without_an_id_gets_one_from_its_prompt(app, client, instructor):
    url = "/instructor/questions/new/true_false"
    for _ in range(2):
        response = post_form(client, url, {**payload("true_false"), "uid": ""})
        assert response.status_code == 302
    assert _stored(app, "history-the-border-is-long").kind == "true_false"
    assert _stored(app, "history-the-border-is-long-2") is not None
    # on a preview the made id shows in the field, still editable before the first save
    html = post_form(
        client, url, {**payload("true_false", save=None, preview="Preview"), "uid": ""}
    )
    assert 'value="history-the-border-is-long-3"' in html.get_data(as_text=True)


def test_each_problem_is_its_own_message_in_plain_words(client, instructor):
    response = post_form(
        client,
        "/instructor/questions/new/single_choice",
        payload("single_choice", key=None, **{"options-1-text": "", "options-2-text": ""}),
    )
    html = response.get_data(as_text=True)
    block = html.split('id="options-error"', 1)[1].split("</div>", 1)[0]
    assert block.count("<p>") == 2
    assert "<p>A single choice question needs at least two options, not 1.</p>" in block
    assert (
        "<p>No option is marked correct; a single choice question needs exactly one.</p>" in block
    )
    assert "single_choice" not in block


@pytest.mark.parametrize(
    ("kind", "message", "plain"),
    [
        (Kind.BASIC, "paragraphs is required: a list of paragraph numbers", "Give the number"),
        (Kind.BASIC, "tags is required: a list", "Fill in the tags."),
        (Kind.TRUE_FALSE, "a true_false item needs an answer", "A true or false question needs"),
    ],
)
def test_plain_message(kind, message, plain):
    assert plain_message(message, kind=kind).startswith(plain)
