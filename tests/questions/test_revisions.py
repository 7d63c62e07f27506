from questions.revisions import question_line_ranges

TEXT = """\
section: history
questions:
  - id: first
    kind: single_choice
    prompt: |
      Two lines
      of prompt
    options:
      - text: a
        correct: true
      - text: b

  - id: second
    kind: basic
    explanation: >
      folded
      text
"""


def test_question_line_ranges_cover_exactly_each_questions_lines():
    assert question_line_ranges(TEXT) == {"first": (3, 11), "second": (13, 17)}


def test_question_line_ranges_of_unreadable_text_is_empty():
    assert question_line_ranges("questions: [unclosed") == {}
    assert question_line_ranges("- just a list") == {}
