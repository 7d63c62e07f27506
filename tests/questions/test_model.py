from questions import SECTIONS, SECTIONS_BY_SLUG, Kind, Question


def test_sections_follow_the_article_order():
    assert [s.number for s in SECTIONS] == list(range(8))
    assert SECTIONS_BY_SLUG["economy-energy"].paragraphs == 3


def test_question_dict_round_trip_keeps_every_field():
    raw = {
        "id": "history-1896-railway",
        "kind": "cloze",
        "section": "history",
        "paragraphs": [1],
        "difficulty": 2,
        "tags": ["treaties"],
        "prompt": "In {{c1::1896}} China let Russia build a {{c2::railway::what}}.",
        "accept": {2: ["rail line"]},
        "explanation": "The 1896 deal traded a railway concession for help against Japan.",
    }
    q = Question.from_dict(raw)
    assert q.kind is Kind.CLOZE
    assert q.cloze_deletions == [(1, "1896", None), (2, "railway", "what")]
    assert q.to_dict() == raw
    assert Question.from_dict(q.to_dict()) == q
