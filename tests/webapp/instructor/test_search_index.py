"""The instructor search through the text index (FTS5 on SQLite, tsvector on PostgreSQL)."""

from __future__ import annotations

import re

import pytest

from webapp.extensions import db
from webapp.instructor import search
from webapp.models import Question, QuestionRevision

from .. import fixture_bank


def _found(app, query: str) -> set[str]:
    """The uids of the questions whose current revision the search matches."""
    with app.app_context():
        rows = db.session.execute(
            db.select(Question.uid)
            .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
            .where(QuestionRevision.id.in_(search.matching_ids(query)))
        )
        return {uid for (uid,) in rows}


def _scanned(app, test) -> set[str]:  # noqa: ANN001
    """The uids whose current search_text passes ``test``: the plain scan to compare with."""
    with app.app_context():
        rows = db.session.execute(
            db.select(Question.uid, QuestionRevision.search_text).join(
                QuestionRevision, QuestionRevision.id == Question.current_revision_id
            )
        )
        return {uid for uid, text in rows if test(text)}


def _add_revision(app, uid_id: int, **changes: object) -> None:
    with app.app_context():
        row = db.session.get(Question, uid_id)
        row.add_revision(dict(row.current_revision.data, **changes), summary="edited")
        db.session.commit()


# Whole words of the fixture bank's text (some in several questions, some in one) and
# words in none: for each, the index finds what a substring scan of the text finds.
WORDS = ["amur", "border", "rivers", "the", "of", "danube", "1858", "railway", "east", "zzz"]


@pytest.mark.parametrize("word", WORDS)
def test_the_index_finds_what_a_substring_scan_finds(app, bank, word):
    expected = _scanned(app, lambda text: re.search(rf"\b{word}\b", text) is not None)
    assert _found(app, word) == expected == _scanned(app, lambda text: word in text)


def test_every_word_must_be_a_word_of_the_text_the_last_may_be_its_start(app, bank):
    both = _scanned(app, lambda text: "amur" in text and "ussuri" in text)
    assert both == {"history-multi"}
    assert _found(app, "Amur USSURI") == both
    assert _found(app, "ussuri AMUR") == both  # in any order
    assert _found(app, "amur uss") == both  # the last word typed in part
    assert _found(app, "ussuri am") == both
    assert _found(app, "amu ussuri") == set()  # a word before the last is finished
    assert _found(app, "mur") == set()  # inside a word is not the start of one


def test_each_step_of_typing_a_query_finds_what_its_words_say(app, bank):
    """Typing "amur ussuri" letter by letter: the words before the last are whole."""

    def scan(whole: list[str], last: str) -> set[str]:
        return _scanned(
            app,
            lambda text: (
                all(re.search(rf"\b{w}\b", text) for w in whole)
                and re.search(rf"\b{last}", text) is not None
            ),
        )

    for query in ("a", "am", "amur", "amur u", "amur uss", "amur ussuri"):
        *whole, last = query.split()
        assert _found(app, query) == scan(whole, last), query
    assert len(_found(app, "amur")) > 1
    assert _found(app, "amur uss") == {"history-multi"}


def test_a_word_typed_in_part_finds_the_whole_word(app, bank):
    _add_revision(app, bank["history-single"], explanation="Trade passed through Shanghai.")
    assert _found(app, "Shang") == {"history-single"}
    assert _found(app, "shanghai") == {"history-single"}
    assert _found(app, "shanghaix") == set()


def test_a_number_is_found_as_a_whole_word_not_as_the_start_of_a_longer_one(app, bank):
    _add_revision(app, bank["history-single"], explanation="Signed in 1991 with 12 clauses.")
    _add_revision(app, bank["history-tf"], explanation="Ratified in 19910 with 120 clauses.")
    assert _found(app, "1991") == {"history-single"}
    assert _found(app, "12 clauses") == {"history-single"}
    assert _found(app, "120") == {"history-tf"}
    assert _found(app, "12 claus") == {"history-single"}  # the last word still begins one
    assert _found(app, "claus 12") == set()  # "claus" before the last is a whole word
    assert _found(app, "199") == set()


@pytest.mark.parametrize("word", ["options", "correct", "kind", "explanation", "prompt"])
def test_the_mapping_keys_are_not_searched_unless_the_text_has_them(app, bank, word):
    assert _found(app, word) == set()
    _add_revision(app, bank["history-tf"], explanation=f"The {word.upper()} are listed here.")
    assert _found(app, word) == {"history-tf"}


def test_an_old_revision_is_not_found_once_replaced(app, bank):
    _add_revision(app, bank["history-single"], options=[{"text": "Lena", "correct": True}])
    assert _found(app, "danube") == set()
    assert _found(app, "lena") == {"history-single"}


@pytest.mark.parametrize(
    "query",
    [
        '"',
        'amur"',
        '"amur',
        "amur*",
        "*",
        "NEAR(amur ussuri)",
        "amur NEAR ussuri",
        "-amur",
        "amur -ussuri",
        "search_text:amur",
        ":",
        "amur & ussuri",
        "amur | ussuri",
        "!amur",
        "(amur",
        "amur)",
        "()",
        "amur:*",
        "amur AND ussuri OR",
        "^amur",
        "{search_text}: amur",
        "amur\\",
        "'amur'",
    ],
)
def test_operators_in_the_query_are_plain_separators(app, client, instructor, bank, query):
    """No syntax error from either engine; the query means its letters and digits."""
    words = search.terms(query)
    expected = _scanned(
        app, lambda text: all(re.search(rf"\b{w}" + ("" if p else r"\b"), text) for w, p in words)
    )
    assert _found(app, query) == (expected if words else set())
    response = client.get("/instructor/", query_string={"q": query})
    assert response.status_code == 200


def test_a_query_without_letters_or_digits_finds_nothing(app, bank):
    assert _found(app, ' "*-:&|!() ') == set()


def test_the_query_is_bounded(app, client, instructor, bank):
    long = "amur " * 5000
    assert len(search.words(long)) == search.WORDS_MAX
    assert search.words("x" * (search.QUERY_MAX + 50)) == ["x" * search.QUERY_MAX]
    assert _found(app, long) == _found(app, "amur")
    response = client.get("/instructor/", query_string={"q": "amur " * 30})
    assert response.status_code == 200


def test_every_fixture_question_is_indexed(app, bank):
    """Each question is found by a word of its own prompt (rows saved by a bank sync)."""
    for item in fixture_bank.ITEMS:
        first = re.findall(r"[^\W_]+", item["prompt"].lower())
        longest = max(first, key=len)
        assert item["id"] in _found(app, longest), (item["id"], longest)


def _listed(client, query: str) -> set[str]:
    html = client.get("/instructor/", query_string={"q": query}).get_data(as_text=True)
    return set(re.findall(r'href="/instructor/questions/\d+">([a-z0-9-]+)</a>', html))


def test_the_list_finds_an_id_by_its_start(client, instructor, bank):
    assert _listed(client, "history-s") == {"history-single", "history-short"}
    assert _listed(client, "ECONOMY-CLOZE") == {"economy-cloze"}
    # the middle of an id is not its start, and none of these words is in the text
    assert _listed(client, "single") == set()
    assert _listed(client, "y-cl") == set()
