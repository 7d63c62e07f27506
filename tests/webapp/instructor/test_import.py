"""Bulk import: the whole file is checked first; any problem and nothing is imported."""

import io
from pathlib import Path

import pytest

from questions.formats import SAMPLE_CSV
from webapp.extensions import db
from webapp.models import Question, QuestionRevision

from ..helpers import post_form

FORMAT_FIXTURES = Path(__file__).parents[2] / "questions" / "formats" / "fixtures"

GOOD_BANK = """\
section: security
questions:
  - id: security-imported-one
    kind: true_false
    paragraphs: [1]
    difficulty: 1
    tags: []
    prompt: The sample statement holds.
    answer: true
    explanation: It holds in this sample.
  - id: security-imported-two
    kind: short_answer
    paragraphs: [2]
    difficulty: 2
    tags: [sample]
    prompt: Which word answers this sample?
    answer: Word
    explanation: The word is the answer here.
"""

BAD_BANK = GOOD_BANK.replace("    answer: Word\n", "    answer: ''\n").replace(
    "paragraphs: [1]", "paragraphs: [7]"
)


def _upload(client, content: bytes, *, fmt: str, name: str, **fields):
    data = {
        "format": fmt,
        "section": "",
        "paragraph": "",
        "difficulty": "1",
        "status": "draft",
        **fields,
        "file": (io.BytesIO(content), name),
    }
    return post_form(client, "/instructor/import", data, content_type="multipart/form-data")


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Question.id)))


def test_a_good_bank_file_imports_every_question_as_drafts(app, client, instructor):
    response = _upload(client, GOOD_BANK.encode(), fmt="bank", name="04-security.yaml")
    assert response.status_code == 302
    with app.app_context():
        rows = db.session.scalars(db.select(Question).order_by(Question.uid)).all()
        assert [(r.uid, r.status, r.origin) for r in rows] == [
            ("security-imported-one", "draft", "instructor"),
            ("security-imported-two", "draft", "instructor"),
        ]
        rev = db.session.scalar(
            db.select(QuestionRevision).where(QuestionRevision.question_id == rows[0].id)
        )
        assert rev.summary == "imported from 04-security.yaml"
        assert rev.author.email == "prof@example.com"


def test_the_csv_sample_imports_and_can_be_published_at_once(app, client, instructor):
    response = _upload(
        client, SAMPLE_CSV.encode(), fmt="csv", name="sample.csv", status="published"
    )
    assert response.status_code == 302
    with app.app_context():
        statuses = set(db.session.scalars(db.select(Question.status)))
    assert _count(app) == 8 and statuses == {"published"}


def test_gift_takes_the_section_and_paragraph_chosen_on_the_page(app, client, instructor):
    gift = b"Is the sample true? {T ####It is, in this sample.}\n"
    response = _upload(
        client,
        gift,
        fmt="gift",
        name="q.gift",
        section="coronavirus",
        paragraph="2",
        difficulty="3",
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(db.select(Question))
        data = row.current_revision.data
    assert (row.uid, data["section"], data["paragraphs"], data["difficulty"]) == (
        "coronavirus-is-the-sample-true",
        "coronavirus",
        [2],
        3,
    )


@pytest.mark.parametrize(
    ("fmt", "name", "content", "expected_lines"),
    [
        ("bank", "04-security.yaml", BAD_BANK.encode(), [5, 17]),
        ("csv", "bad.csv", (FORMAT_FIXTURES / "bad.csv").read_bytes(), [2, 3, 5, 6, 7, 8, 9]),
        (
            "gift",
            "bad.gift",
            (FORMAT_FIXTURES / "bad.gift").read_bytes(),
            [4, 6, 8, 12, 14, 16],
        ),
    ],
)
def test_a_file_with_errors_imports_nothing_and_lists_each_line(
    app, client, instructor, fmt, name, content, expected_lines
):
    # the CSV's and GIFT's good rows would be valid on their own: still nothing goes in
    response = _upload(client, content, fmt=fmt, name=name, section="security", paragraph="1")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Nothing was imported" in html
    for line in expected_lines:
        assert f"<strong>Line {line}</strong>" in html, line
    assert _count(app) == 0


def test_one_bad_item_among_good_ones_blocks_the_whole_file(app, client, instructor):
    rows = SAMPLE_CSV.rstrip("\n").split("\n")
    rows.append("history-sample-broken,true_false,history,1,1,,It is.,,,perhaps,,,,,,,No.,,,")
    response = _upload(client, ("\n".join(rows) + "\n").encode(), fmt="csv", name="s.csv")
    html = response.get_data(as_text=True)
    assert "<strong>Line 10</strong>" in html and "true or false" in html
    assert _count(app) == 0


def test_an_id_already_in_the_bank_is_a_problem_with_its_line(app, client, instructor, bank):
    text = GOOD_BANK.replace("security-imported-two", "history-tf")
    response = _upload(client, text.encode(), fmt="bank", name="04-security.yaml")
    html = response.get_data(as_text=True)
    assert "<strong>Line 11</strong> (history-tf)" in html
    assert "already in the bank" in html
    assert _count(app) == len(bank)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text"),
        ("kind,prompt\ncaf\xe9\n".encode("latin-1"), "not UTF-8 text"),
        (b"", "the file is empty"),
    ],
)
def test_a_file_that_is_not_text_gets_a_clear_message(app, client, instructor, content, message):
    response = _upload(client, content, fmt="csv", name="x.csv")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html.split('id="file-error"', 1)[1]
    assert _count(app) == 0


def test_a_file_in_another_format_than_chosen_says_so(app, client, instructor):
    response = _upload(client, GOOD_BANK.encode(), fmt="csv", name="04-security.yaml")
    html = response.get_data(as_text=True)
    assert "<strong>Line 1</strong>" in html and "the first row must name the columns" in html


def test_an_upload_over_the_size_limit_is_refused(app, client, instructor):
    app.config["INSTRUCTOR_IMPORT_MAX_BYTES"] = 1000
    response = _upload(client, b"x" * 1001, fmt="csv", name="big.csv")
    assert "larger than 1 kB" in response.get_data(as_text=True)
    assert _count(app) == 0


def test_the_sample_csv_downloads(client, instructor):
    response = client.get("/instructor/import/sample.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True) == SAMPLE_CSV
    assert "attachment" in response.headers["Content-Disposition"]


def test_the_import_page_links_the_sample(client, instructor):
    assert "/instructor/import/sample.csv" in client.get("/instructor/import").get_data(
        as_text=True
    )


def test_an_id_taken_between_check_and_commit_still_imports_nothing(
    app, client, instructor, monkeypatch
):
    from webapp.instructor import editing

    real = editing.import_items

    def racing(items, **kwargs):
        # Another instructor's question with the second id lands just before our commit.
        other = editing.create_question(items[1].question.to_dict(), author=None)
        other.uid = items[1].question.id
        db.session.commit()
        return real(items, **kwargs)

    monkeypatch.setattr(editing, "import_items", racing)
    response = _upload(client, GOOD_BANK.encode(), fmt="bank", name="04-security.yaml")
    assert response.status_code == 302
    with app.app_context():
        assert list(db.session.scalars(db.select(Question.uid))) == ["security-imported-two"]
    assert "was taken meanwhile" in client.get("/instructor/import").get_data(as_text=True)


def test_house_style_does_not_block_an_import_and_each_warning_is_listed(app, client, instructor):
    gift = b"Is the sky blue? {T}\n\nPick one. {=yes ~no}\n"
    page = _upload(client, gift, fmt="gift", name="house.gift", section="history", paragraph="1")
    assert page.status_code == 200 and _count(app) == 2
    text = page.get_data(as_text=True)
    assert "Imported, with 3 warnings" in text
    assert "explanation is required" in text and "3-5 options" in text
    listed = client.get("/instructor/?no_explanation=y&status=draft").get_data(as_text=True)
    assert "Is the sky blue?" in listed and "Pick one." in listed


def test_the_page_reads_a_german_excel_file_by_its_decimal_choice(app, client, instructor):
    csv = "\ufeffkind;prompt;answer;tolerance;explanation\r\nnumeric;Pi?;1,500;0;Sure.\r\n"
    page = client.get("/instructor/import").get_data(as_text=True)
    assert "1,5 = one and a half" in page and "1,500 = fifteen hundred" in page
    refused = _upload(
        client, csv.encode(), fmt="csv", name="de.csv", section="history", paragraph="1"
    )
    assert refused.status_code == 200 and "reads two ways" in refused.get_data(as_text=True)
    response = _upload(
        client,
        csv.encode(),
        fmt="csv",
        name="de.csv",
        section="history",
        paragraph="1",
        decimal="comma",
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(Question)).current_revision.data["answer"] == 1.5
