"""Property tests: the key always scores 1, wrong orders score < 1, scores stay in [0, 1]."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from questions import Grade, Kind, Question, feedback_text, grade, validate_item
from tests.questions.samples import key_response

# Per test, not a global profile: other suites keep their own settings.
SETTINGS = settings(deadline=None, max_examples=60)

WORD = st.text(alphabet=string.ascii_letters + string.digits + "éüç", min_size=1, max_size=12)
TEXT = st.lists(WORD, min_size=1, max_size=4).map(" ".join)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _unique(min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(TEXT, min_size=min_size, max_size=max_size, unique_by=_norm)


def _item(kind: Kind, **answer_fields) -> dict:
    return {
        "id": "history-generated",
        "kind": kind.value,
        "paragraphs": [1],
        "difficulty": 2,
        "tags": [],
        "prompt": answer_fields.pop("prompt", "Which one?"),
        "explanation": "Because the article says so.",
        **answer_fields,
    }


@st.composite
def choice_items(draw, kind: Kind) -> dict:
    low, high = (3, 5) if kind is Kind.SINGLE_CHOICE else (3, 6)
    texts = draw(_unique(low, high))
    if kind is Kind.SINGLE_CHOICE:
        keys = {draw(st.integers(0, len(texts) - 1))}
    else:
        keys = set(draw(st.lists(st.integers(0, len(texts) - 1), min_size=1, unique=True)))
        keys.discard(draw(st.sampled_from(sorted(keys))) if len(keys) == len(texts) else -1)
    return _item(
        kind,
        options=[
            {"text": t, "correct": True} if i in keys else {"text": t} for i, t in enumerate(texts)
        ],
    )


@st.composite
def cloze_items(draw) -> dict:
    answers = draw(st.lists(TEXT, min_size=1, max_size=4))
    words = draw(st.lists(WORD, min_size=len(answers), max_size=len(answers)))
    gaps = enumerate(zip(words, answers, strict=True), 1)
    prompt = " ".join(f"{w} {{{{c{n}::{a}}}}}" for n, (w, a) in gaps)
    return _item(Kind.CLOZE, prompt=prompt)


@st.composite
def matching_items(draw) -> dict:
    lefts = draw(_unique(3, 6))
    rights = draw(_unique(len(lefts), len(lefts) + 2))
    matched = zip(lefts, rights[: len(lefts)], strict=True)
    pairs = [{"left": left, "right": right} for left, right in matched]
    return _item(Kind.MATCHING, pairs=pairs, distractors=rights[len(lefts) :])


NUMBER = st.one_of(
    st.integers(-(10**9), 10**9), st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)
)

ITEMS = st.one_of(
    choice_items(Kind.SINGLE_CHOICE),
    choice_items(Kind.MULTIPLE_SELECT),
    st.booleans().map(lambda b: _item(Kind.TRUE_FALSE, answer=b)),
    st.tuples(TEXT, _unique(0, 3)).map(
        lambda t: _item(Kind.SHORT_ANSWER, answer=t[0], accept=t[1])
    ),
    st.tuples(NUMBER, st.floats(0, 1000)).map(
        lambda t: _item(Kind.NUMERIC, answer=t[0], tolerance=t[1], unit="km")
    ),
    _unique(3, 8).map(lambda items: _item(Kind.ORDERING, items=items)),
    matching_items(),
    cloze_items(),
    st.tuples(TEXT, _unique(0, 2)).map(lambda t: _item(Kind.BASIC, answer=t[0], accept=t[1])),
)


@SETTINGS
@given(ITEMS)
def test_the_key_of_any_valid_question_scores_one(raw):
    assert validate_item(raw, section="history") == []
    q = Question.from_dict(raw, section="history")
    g = grade(q, key_response(q))
    assert (g.score, g.correct) == (1.0, True), (raw, g)


@SETTINGS
@given(
    _unique(3, 8).flatmap(
        lambda items: st.tuples(st.just(items), st.permutations(range(len(items))))
    )
)
def test_any_order_but_the_right_one_scores_below_one(items_and_order):
    items, order = items_and_order
    q = Question.from_dict(_item(Kind.ORDERING, items=items), section="history")
    g = grade(q, list(order))
    assert 0.0 <= g.score <= 1.0
    assert (g.score == 1.0) is (list(order) == list(range(len(items))))


@SETTINGS
@given(st.tuples(NUMBER, st.floats(0, 1000)), st.floats(-1, 1))
def test_typed_numbers_within_tolerance_score_one(answer_and_tolerance, share):
    answer, tolerance = answer_and_tolerance
    q = Question.from_dict(
        _item(Kind.NUMERIC, answer=answer, tolerance=tolerance, unit="km"), section="history"
    )
    assert grade(q, answer + share * tolerance * 0.999).correct
    if isinstance(answer, int):
        assert grade(q, f"{answer:,} km").correct


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-20, 20) | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.integers(-2, 8) | st.text(max_size=3), inner, max_size=5)
    ),
    max_leaves=12,
)


@SETTINGS
@given(ITEMS, JSONISH)
def test_any_response_scores_within_zero_and_one_and_never_raises(raw, response):
    q = Question.from_dict(raw, section="history")
    g = grade(q, response)
    assert 0.0 <= g.score <= 1.0
    assert g.correct is (g.score == 1.0)
    assert isinstance(feedback_text(q, g), str) and feedback_text(q, g)
    assert Grade.from_dict(g.to_dict()) == g  # it survives the database's JSON column
