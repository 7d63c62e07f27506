import pytest
import yaml

from questions import Question, parse_bank_text
from questions.formats import (
    SAMPLE_CSV,
    dump_bank,
    dump_question,
    dump_section_file,
    parse_bank_yaml,
    parse_csv,
)


@pytest.fixture
def sample_questions() -> list[Question]:
    items, problems = parse_csv(SAMPLE_CSV)
    assert problems == []
    return [i.question for i in items]


def _load(text: str) -> list[Question]:
    data = yaml.safe_load(text)
    return [Question.from_dict(q, section=data["section"]) for q in data["questions"]]


def test_dump_then_load_gives_the_same_questions(sample_questions):
    text = dump_section_file("history", sample_questions)
    assert _load(text) == sample_questions


def test_dump_is_stable(sample_questions):
    once = dump_section_file("history", sample_questions)
    assert dump_section_file("history", _load(once)) == once


def test_dump_writes_the_bank_layout(sample_questions):
    text = dump_section_file("history", sample_questions[:1])
    assert text.startswith(
        "section: history\nquestions:\n  - id: history-sample-choice\n"
        "    kind: single_choice\n    paragraphs: [1]\n"
    )
    assert "\n      - text: '1896'\n        correct: true\n" in text
    assert "section:" not in text.split("questions:")[1]  # named once, at the top


def test_multiline_and_awkward_text_survive(sample_questions):
    q = sample_questions[0]
    tricky = Question(
        **{
            **q.__dict__,
            "prompt": "Line one: yes\nline two # not a comment",
            "explanation": "'Quoted' and - dashes; [brackets] {braces}",
            "note": "Ünïcode — kept",
        }
    )
    text = dump_section_file("history", [tricky])
    assert "prompt: |-\n" in text
    assert _load(text) == [tricky]


def test_dump_bank_names_files_in_article_order(sample_questions):
    other = Question(
        **{**sample_questions[2].__dict__, "id": "conclusion-x", "section": "conclusion"}
    )
    files = dump_bank([other, *sample_questions])
    assert list(files) == ["01-history.yaml", "07-conclusion.yaml"]


def test_a_question_from_another_section_is_refused(sample_questions):
    with pytest.raises(ValueError, match="belongs to section 'history'"):
        dump_section_file("security", sample_questions)


def test_a_bank_file_upload_gives_its_questions_with_the_line_of_each_id(sample_questions):
    text = dump_section_file("history", sample_questions)
    items, problems = parse_bank_yaml(text, filename="01-history.yaml")
    assert problems == []
    assert [i.question for i in items] == sample_questions
    lines = text.splitlines()
    for item in items:
        assert lines[item.line - 1].strip() == f"- id: {item.question.id}"


def test_the_loader_does_the_same_as_the_command_line(sample_questions):
    text = dump_section_file("history", sample_questions)
    assert parse_bank_text(text, "01-history.yaml") == (sample_questions, [])


def test_a_malformed_bank_upload_reports_the_loaders_problems_and_imports_nothing():
    text = (
        "section: history\n"
        "questions:\n"
        "  - id: history-ok\n"
        "    kind: true_false\n"
        "    paragraphs: [1]\n"
        "    difficulty: 1\n"
        "    tags: []\n"
        "    prompt: It is.\n"
        "    answer: true\n"
        "    explanation: Yes.\n"
        "  - id: history-bad\n"
        "    kind: essay\n"
    )
    items, problems = parse_bank_yaml(text, filename="up.yaml")
    assert items == []
    assert (12, "kind") in [(p.line, p.field) for p in problems]
    assert all(p.file == "up.yaml" for p in problems)


def test_yaml_that_does_not_parse_is_one_problem_with_a_line():
    _, problems = parse_bank_yaml("section: history\nquestions: [\n", filename="up.yaml")
    assert len(problems) == 1 and problems[0].line is not None


def test_one_question_reads_as_in_its_file(sample_questions):
    text = dump_question(sample_questions[0])
    assert text.startswith("id: history-sample-choice\nkind: single_choice\nsection: history\n")
    assert Question.from_dict(yaml.safe_load(text)) == sample_questions[0]


def test_questions_are_separated_by_a_blank_line_and_long_text_stays_on_one_line(sample_questions):
    long = Question(**{**sample_questions[2].__dict__, "prompt": "word " * 60 + "end."})
    text = dump_section_file("history", [sample_questions[0], long])
    assert "\n\n  - id: history-sample-true-false\n" in text
    assert "    prompt: " + "word " * 60 + "end.\n" in text
    assert not text.endswith("\n\n")
