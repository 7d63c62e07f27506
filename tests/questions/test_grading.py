"""grade(): every kind, partial credit, folding and malformed responses."""

import pytest

from questions import Mark, Question, Status, expected_answer, feedback_text, fold, grade
from tests.questions.samples import good_item


def q(kind, /, **changes):
    return Question.from_dict(good_item(kind, **changes), section="history")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Pékin", "pekin"),
        ("The U.S.", "US"),
        ("the us", "US"),
        ("  Vladimir   Putin ", "vladimir putin"),
        ("Sino-Russian", "sino russian"),
        ("An Apple", "apple"),
        ("ＵＳＡ", "usa"),  # full-width letters (NFKD)
        ("Straße", "STRASSE"),
    ],
)
def test_fold_makes_variants_of_one_answer_equal(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize(
    ("a", "b"), [("Russia", "Prussia"), ("1896", "1986"), ("the Hague", "Hague Convention")]
)
def test_fold_keeps_different_answers_apart(a, b):
    assert fold(a) != fold(b)


def test_fold_drops_only_one_leading_article():
    assert fold("The Theatre") == "theatre" and fold("a") == "a"


# --- single choice / multiple select -------------------------------------------------------


def test_single_choice_scores_the_key_only():
    question = q("single_choice")
    right = grade(question, 0)
    assert (right.score, right.correct, right.expected) == (1.0, True, [0])
    assert right.marks[0] is Mark.RIGHT and feedback_text(question, right) == "Correct."
    wrong = grade(question, 2)
    assert (wrong.score, wrong.correct, wrong.expected) == (0.0, False, [0])
    # the key the student missed, and the distractor they picked, are marked as such
    assert (wrong.marks[0], wrong.marks[2]) == (Mark.MISSED, Mark.WRONG)
    assert "1896" in feedback_text(question, wrong)
    assert grade(question, "0").correct  # an index from a form


@pytest.mark.parametrize(
    ("picks", "score"),
    [
        ([0, 1], 1.0),
        ([1, 0], 1.0),
        ([0], 0.5),
        ([0, 1, 2], 0.5),  # over-picking costs: (2 right - 1 wrong) / 2 keys
        ([0, 2], 0.0),
        ([0, 2, 3], 0.0),  # floored at 0, never negative
        ([2, 3], 0.0),
        ([], 0.0),
        (["0", "1"], 1.0),
    ],
)
def test_multiple_select_gives_right_minus_wrong_over_keys(picks, score):
    g = grade(q("multiple_select"), picks)
    assert g.score == score and g.correct is (score == 1.0)


def test_multiple_select_expected_lists_every_key():
    assert expected_answer(q("multiple_select")) == "Nerchinsk; Aigun"


# --- true/false, short answer, basic ----------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "correct"),
    [(True, True), ("true", True), (" TRUE ", True), (False, False), ("false", False)],
)
def test_true_false_reads_bools_and_words(response, correct):
    assert grade(q("true_false"), response).correct is correct


@pytest.mark.parametrize(
    "response", ["The United States", "united states", "U.S.", "us", "the USA", "  america  "]
)
def test_short_answer_accepts_folded_variants(response):
    assert grade(q("short_answer"), response).score == 1.0


def test_short_answer_wrong_text_shows_the_answer():
    g = grade(q("short_answer"), "Russia")
    assert (g.score, g.expected) == (0.0, "The United States")
    assert "The United States" in feedback_text(q("short_answer"), g)


def test_basic_card_accepts_diacritics_and_variants():
    question = q("basic", answer="Pékin", accept=["Beijing"])
    assert grade(question, "pekin").correct and grade(question, "BEIJING").correct
    assert not grade(question, "Shanghai").correct


# --- numeric -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "correct"),
    [
        (4200, True),
        (4300, True),
        (4099.5, False),
        ("4,200", True),
        ("4,150.5", True),
        ("4200 km", True),
        ("4200km", True),
        ("  4 200 ", True),  # a space between thousands, as the quiz form always read it
        ("4301", False),
    ],
)
def test_numeric_counts_within_tolerance_and_reads_typed_numbers(response, correct):
    g = grade(q("numeric"), response)
    assert g.correct is correct
    assert expected_answer(q("numeric")) == "4,200 km (± 100)"
    assert g.expected == {"value": 4200, "tolerance": 100, "unit": "km"}


def test_numeric_tolerates_a_dollar_sign_and_the_unit():
    question = q("numeric", answer=7.5, tolerance=0, unit="billion USD")
    for typed in ("7.5", "$7.5", "7.5$", "7.5 billion", "$7.5 billion USD", "7.5 billion dollars"):
        assert grade(question, typed).correct, typed
    assert not grade(question, "7.5 million").correct
    assert not grade(question, "7.6").correct


@pytest.mark.parametrize(
    "response", ["lots", "7,5", "1,00", "1e3", [4200], {"n": 1}, True, float("nan"), float("inf")]
)
def test_numeric_malformed_scores_zero_and_says_so(response):
    g = grade(q("numeric"), response)
    assert (g.score, g.correct, g.status) == (0.0, False, Status.UNREADABLE)
    assert "could not be read" in feedback_text(q("numeric"), g)


# --- ordering ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "score"),
    [
        ([0, 1, 2, 3], 1.0),
        ([1, 0, 2, 3], 5 / 6),  # one swapped neighbour pair
        ([3, 2, 1, 0], 0.0),  # reversed: no pair in order
        ([0, 2, 1, 3], 5 / 6),
        ([3, 0, 1, 2], 3 / 6),
    ],
)
def test_ordering_gives_the_share_of_pairs_in_order(order, score):
    g = grade(q("ordering"), order)
    assert g.score == pytest.approx(score) and g.correct is (order == [0, 1, 2, 3])


@pytest.mark.parametrize("order", [[0, 1, 2], [0, 1, 2, 2], [0, 1, 2, 4], "0123", {0: 1}, 3])
def test_ordering_needs_each_item_exactly_once(order):
    g = grade(q("ordering"), order)
    assert g.score == 0.0 and g.status is Status.UNREADABLE
    assert "could not be read" in feedback_text(q("ordering"), g)


# --- matching ----------------------------------------------------------------------------------


def test_matching_gives_the_share_of_lefts_matched_right():
    question = q("matching")
    assert grade(question, {0: 0, 1: 1, 2: 2}).correct
    assert grade(question, {"0": "0", "1": "1", "2": "2"}).correct
    assert grade(question, {0: 0, 1: 2, 2: 1}).score == pytest.approx(1 / 3)
    assert grade(question, {0: 0, 1: 3, 2: 2}).score == pytest.approx(2 / 3)  # a distractor
    assert grade(question, {0: 0}).score == pytest.approx(1 / 3)  # unanswered lefts are wrong
    assert expected_answer(question) == (
        "1689 → Nerchinsk; 1896 → Railway; 1950 → Friendship treaty"
    )


@pytest.mark.parametrize("response", [[0, 1, 2], {0: 9}, {7: 0}, "0,1,2"])
def test_matching_malformed_scores_zero(response):
    g = grade(q("matching"), response)
    assert g.score == 0.0 and not g.correct and g.status is Status.UNREADABLE


# --- cloze -------------------------------------------------------------------------------------


def test_cloze_gives_the_share_of_gaps_right_with_accepted_variants():
    question = q("cloze")
    assert grade(question, ["1896", "Railway"]).correct
    assert grade(question, ["1896", "the rail-line"]).correct
    half = grade(question, ["1897", "railway"])
    assert half.score == 0.5 and "1 of 2" in feedback_text(question, half)
    assert half.marks == (Mark.WRONG, Mark.RIGHT)
    assert expected_answer(question) == "In 1896 China let Russia build a railway."


@pytest.mark.parametrize(
    "response", [["1896"], ["1896", "railway", "x"], [1896, "railway"], {1: "1896"}]
)
def test_cloze_needs_one_text_per_gap(response):
    assert grade(q("cloze"), response).score == 0.0


# --- anything missing or odd ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "single_choice",
        "multiple_select",
        "true_false",
        "short_answer",
        "numeric",
        "ordering",
        "matching",
        "cloze",
        "basic",
    ],
)
@pytest.mark.parametrize("response", [None, "", "   ", object(), -1, 99, b"bytes", 1.5])
def test_a_missing_or_malformed_response_scores_zero_without_raising(kind, response):
    g = grade(q(kind), response)
    assert g.score == 0.0 and g.correct is False and feedback_text(q(kind), g)
    if not (kind == "numeric" and isinstance(response, (int, float))):  # a number is readable
        assert g.status in (Status.UNANSWERED, Status.UNREADABLE)


def test_no_answer_is_said_plainly():
    assert feedback_text(q("basic"), grade(q("basic"), "  ")) == "No answer was given."


def test_expected_answer_writes_years_without_a_thousands_separator():
    from questions import Kind, Question, expected_answer

    def numeric(answer):
        return Question(
            id="x-year",
            kind=Kind.NUMERIC,
            section="history",
            paragraphs=(1,),
            prompt="Year?",
            explanation="Because.",
            answer=answer,
            unit="year",
        )

    assert expected_answer(numeric(2016)) == "2016"
    assert expected_answer(numeric(20_000)) == "20000"


@pytest.mark.parametrize("typed", ["in 2010", "In 2010.", "about 2010", "circa 2010", "~2010"])
def test_numeric_ignores_a_leading_preposition_or_hedge(typed):
    from questions import Kind, Question, grade

    q = Question(
        id="x-year",
        kind=Kind.NUMERIC,
        section="history",
        paragraphs=(1,),
        prompt="Year?",
        explanation="Because.",
        answer=2010,
        unit="year",
    )
    assert grade(q, typed).score == 1.0
    assert grade(q, "in 2011").score == 0.0


@pytest.mark.parametrize("sent", ["²", "١", "9" * 5000])
def test_an_option_number_in_other_digits_or_too_long_is_unreadable_not_a_crash(sent):
    from questions.grading import UnreadableAnswer, index

    with pytest.raises(UnreadableAnswer):
        index(sent, 4, what="option")
