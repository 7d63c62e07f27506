"""python -m questions lint: each rule fires on a bad fixture and stays quiet on a good one."""

import pytest

from questions.__main__ import main
from questions.lint import RULES, lint_text
from tests.questions.samples import bank_text, good_item


def rules_fired(*items):
    return sorted({w.rule for w in lint_text(bank_text(list(items)), "bank.yaml").warnings})


def choice(prompt="Which forum?", options=None, **changes):
    options = options or [
        {"text": "BRICS", "correct": True},
        {"text": "APEC"},
        {"text": "CSTO"},
    ]
    return good_item("single_choice", prompt=prompt, options=options, **changes)


@pytest.mark.parametrize(
    "kind", ["single_choice", "multiple_select", "true_false", "ordering", "matching", "cloze"]
)
def test_the_shared_good_items_lint_clean(kind):
    assert rules_fired(good_item(kind)) == []


# --- key-length ------------------------------------------------------------------------------


def test_key_length_fires_when_the_key_dwarfs_every_distractor():
    bad = choice(
        options=[
            {"text": "A steady supply over land, safe from every sea-lane risk", "correct": True},
            {"text": "Cheaper oil"},
            {"text": "Faster ships"},
        ]
    )
    assert rules_fired(bad) == ["key-length"]


def test_key_length_is_quiet_on_even_options():
    good = choice(
        options=[
            {"text": "A steady supply over land", "correct": True},
            {"text": "Payment in its own currency"},
            {"text": "A stake in the oilfields"},
        ]
    )
    assert rules_fired(good) == []


# --- self-verdict ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["All of the above", "None of these", "Both of the above"])
def test_self_verdict_fires_on_options_about_the_options(text):
    bad = choice(options=[{"text": "BRICS", "correct": True}, {"text": "APEC"}, {"text": text}])
    assert rules_fired(bad) == ["self-verdict"]


def test_self_verdict_fires_on_an_absolute_that_only_some_options_carry():
    bad = choice(
        options=[
            {"text": "They usually vote together", "correct": True},
            {"text": "They always vote apart"},
            {"text": "They rarely meet"},
        ]
    )
    assert rules_fired(bad) == ["self-verdict"]


def test_self_verdict_fires_on_an_absolute_in_a_true_false_statement():
    bad = good_item("true_false", prompt="China never vetoes a resolution.", answer=False)
    assert rules_fired(bad) == ["self-verdict"]


def test_self_verdict_is_quiet_on_plain_options_and_words_that_merely_contain_an_absolute():
    good = choice(
        options=[
            {"text": "Nevertheless they agree", "correct": True},
            {"text": "All members abstain"},
            {"text": "They rarely meet"},
        ]
    )
    assert rules_fired(good) == []


# --- ordering-cue ----------------------------------------------------------------------------


def test_ordering_cue_fires_on_items_that_carry_ascending_years():
    bad = good_item("ordering", items=["Railway deal (1896)", "Alliance (1950)", "Treaty (2001)"])
    assert rules_fired(bad) == ["ordering-cue"]


def test_ordering_cue_fires_on_sequence_words():
    bad = good_item("ordering", items=["First they meet", "They argue", "Finally they part"])
    fired = lint_text(bank_text([bad]), "bank.yaml").warnings
    assert {w.rule for w in fired} == {"ordering-cue"} and len(fired) == 2


def test_ordering_cue_fires_on_a_conclusion_word_at_the_start():
    bad = good_item("ordering", items=["Analysts link them", "A decline comes", "So ties fall?"])
    assert rules_fired(bad) == ["ordering-cue"]


def test_ordering_cue_is_quiet_on_items_without_numbers_or_sequence_words():
    good = good_item("ordering", items=["Railway deal", "Alliance treaty", "Friendship treaty"])
    assert rules_fired(good) == []


# --- key-in-prompt ---------------------------------------------------------------------------


def test_key_in_prompt_fires_when_the_prompt_names_only_the_key():
    bad = choice(prompt="BRICS is one forum; which forum did the article name?")
    assert rules_fired(bad) == ["key-in-prompt"]


def test_key_in_prompt_is_quiet_when_the_prompt_also_names_a_distractor():
    good = choice(prompt="Of BRICS, APEC and CSTO, which did the article name?")
    assert rules_fired(good) == []


def test_key_in_prompt_fires_on_a_typed_answer_in_the_prompt():
    bad = good_item("short_answer", prompt="Which country, the United States or another, led?")
    assert rules_fired(bad) == ["key-in-prompt"]


def test_key_in_prompt_fires_on_a_cloze_whose_answer_stands_outside_the_gap():
    bad = good_item("cloze", prompt="Mao met Stalin; the {{c1::Mao}} years began.")
    assert rules_fired(bad) == ["key-in-prompt"]


def test_key_in_prompt_fires_on_a_matching_pair_that_echoes_its_own_left():
    bad = good_item(
        "matching",
        pairs=[
            {"left": "Pipeline", "right": "Carries oil in a pipeline overland"},
            {"left": "Strait", "right": "Sea passage it avoids"},
            {"left": "Jigsaw", "right": "Image for the energy fit"},
        ],
        distractors=[],
    )
    assert rules_fired(bad) == ["key-in-prompt"]


# --- acronym-cue -----------------------------------------------------------------------------


def test_acronym_cue_fires_when_only_the_keys_fit_the_letters():
    bad = good_item(
        "multiple_select",
        prompt="Which countries are members of BRICS?",
        options=[
            {"text": "Brazil", "correct": True},
            {"text": "India", "correct": True},
            {"text": "Japan"},
            {"text": "Mongolia"},
        ],
    )
    assert rules_fired(bad) == ["acronym-cue"]


def test_acronym_cue_is_quiet_when_the_distractors_fit_the_letters_too():
    good = good_item(
        "multiple_select",
        prompt="Which countries are members of BRICS?",
        options=[
            {"text": "Brazil", "correct": True},
            {"text": "India", "correct": True},
            {"text": "Bangladesh"},
            {"text": "Chile"},
        ],
    )
    assert rules_fired(good) == []


def test_acronym_cue_fires_on_an_expansion_spelled_in_the_prompt():
    bad = good_item(
        "basic",
        prompt="Full name of the SCO",
        answer="Shanghai Cooperation Organization",
        accept=[],
    )
    assert rules_fired(bad) == ["acronym-cue"]


def test_acronym_cue_fires_on_the_one_letter_the_prompt_leaves_over():
    bad = good_item("short_answer", prompt="RIC joins Russia and China with whom?", answer="India")
    assert rules_fired(bad) == ["acronym-cue"]


def test_acronym_cue_is_quiet_on_an_unrelated_acronym():
    good = good_item("short_answer", prompt="Which NATO ally hosts bases?", answer="Japan")
    assert rules_fired(good) == []


# --- related-leak ----------------------------------------------------------------------------


def year_item(**changes):
    return good_item(
        "numeric",
        id="history-treaty-year",
        prompt="In what year was the treaty signed?",
        answer=2001,
        unit="year",
        **changes,
    )


NAME_ITEM = good_item(
    "true_false", id="history-treaty-fields", prompt="The 2001 treaty covered defence."
)


def test_related_leak_fires_when_another_prompt_holds_the_key():
    fired = lint_text(bank_text([year_item(), NAME_ITEM]), "bank.yaml").warnings
    assert [(w.rule, w.item) for w in fired] == [("related-leak", "history-treaty-year")]
    assert "related: [history-treaty-fields]" in fired[0].message


@pytest.mark.parametrize("side", ["leaker", "holder"])
def test_related_leak_is_quiet_once_either_item_names_the_other(side):
    if side == "leaker":
        items = [year_item(related=["history-treaty-fields"]), NAME_ITEM]
    else:
        items = [year_item(), {**NAME_ITEM, "related": ["history-treaty-year"]}]
    assert rules_fired(*items) == []


# --- waivers ---------------------------------------------------------------------------------


def test_a_waiver_silences_its_rule_and_is_reported_as_waived():
    bad = good_item("true_false", prompt="China never vetoes.", lint_waive={"self-verdict": "why"})
    result = lint_text(bank_text([bad]), "bank.yaml")
    assert result.warnings == [] and [w.rule for w, _ in result.waived] == ["self-verdict"]


def test_a_waiver_that_silences_nothing_or_names_no_rule_is_itself_a_warning():
    item = good_item("true_false", lint_waive={"key-length": "stale", "no-such-rule": "typo"})
    messages = [w.message for w in lint_text(bank_text([item]), "bank.yaml").warnings]
    assert any("silences nothing" in m for m in messages)
    assert any("'no-such-rule', which is no rule" in m for m in messages)


def test_warnings_name_file_line_item_and_rule():
    bad = good_item("true_false", prompt="China never vetoes.")
    (warning,) = lint_text(bank_text([bad]), "01-history.yaml").warnings
    text = str(warning)
    assert text.startswith("01-history.yaml:") and ": history-tf: self-verdict: " in text
    assert warning.line is not None


def test_every_rule_is_documented():
    assert set(RULES) == {
        "key-length",
        "self-verdict",
        "ordering-cue",
        "key-in-prompt",
        "acronym-cue",
        "related-leak",
    }


# --- the command -----------------------------------------------------------------------------


def test_lint_exits_1_on_warnings_and_0_on_a_clean_bank(tmp_path, capsys):
    (tmp_path / "01-history.yaml").write_text(
        bank_text([good_item("true_false", prompt="China never vetoes.")]), encoding="utf-8"
    )
    assert main(["lint", str(tmp_path)]) == 1
    assert "self-verdict" in capsys.readouterr().out
    (tmp_path / "01-history.yaml").write_text(
        bank_text([good_item("true_false")]), encoding="utf-8"
    )
    assert main(["lint", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith("ok: no giveaway warnings")


def test_the_real_bank_lints_clean(capsys):
    assert main(["lint"]) == 0, capsys.readouterr().out
