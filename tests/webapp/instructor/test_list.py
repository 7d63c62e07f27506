"""The bank list: search, filters and pages."""

import re

import pytest

from webapp.bank_sync import sync_bank
from webapp.extensions import db
from webapp.models import Question

from .. import fixture_bank
from ..helpers import count_queries


def _uids(html: str) -> set[str]:
    return set(re.findall(r'href="/instructor/questions/\d+">([a-z0-9-]+)</a>', html))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {i["id"] for i in fixture_bank.ITEMS}),
        ("?q=AMUR", {"history-single", "history-multi", "history-short"}),
        ("?q=amur+uss", {"history-multi"}),  # the last word typed in part
        ("?q=amu+ussuri", set()),  # a word before the last is a whole word
        ("?q=economy-ma", {"economy-match"}),
        ("?section=economy-energy&kind=cloze", {"economy-cloze"}),
        ("?difficulty=2&section=history", {"history-multi", "history-order"}),
        ("?status=retired", {"history-tf"}),
    ],
)
def test_search_and_filters(app, client, instructor, bank, query, expected):
    with app.app_context():
        db.session.get(Question, bank["history-tf"]).status = "retired"
        db.session.commit()
    html = client.get(f"/instructor/{query}").get_data(as_text=True)
    assert _uids(html) == expected


@pytest.mark.parametrize(
    "word", ["kind", "explanation", "correct", "text", "options", "prompt", "pairs", "left"]
)
def test_search_ignores_the_bank_mapping_keys(client, instructor, bank, word):
    """None of these words is in the fixture bank's text, only in its keys."""
    html = client.get(f"/instructor/?q={word}").get_data(as_text=True)
    assert _uids(html) == set()


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Danube", {"history-single"}),  # an option's text
        ("THOUSANDS of kilo", {"history-tf"}),  # the explanation
        ("heilongjiang", {"history-short"}),  # an accepted answer
        ("railway", {"economy-match"}),  # one side of a pair
        ("balloon", {"economy-match"}),  # a distractor
        ("1858", {"history-order"}),  # an item
        ("c2::east", {"economy-cloze"}),  # the cloze prompt as written
    ],
)
def test_search_finds_words_anywhere_in_the_question_text(client, instructor, bank, word, expected):
    html = client.get("/instructor/", query_string={"q": word}).get_data(as_text=True)
    assert _uids(html) == expected


def test_search_text_follows_each_new_revision(app, client, instructor, bank):
    with app.app_context():
        row = db.session.get(Question, bank["history-single"])
        data = dict(row.current_revision.data, explanation="Rivers freeze in winter.")
        row.add_revision(data, summary="reworded")
        db.session.commit()
    assert _uids(client.get("/instructor/?q=freeze").get_data(as_text=True)) == {"history-single"}
    assert _uids(client.get("/instructor/?q=runs+along").get_data(as_text=True)) == set()


def test_pages_of_25_keep_the_filters(app, client, instructor):
    with app.app_context():
        sync_bank(fixture_bank.generated(30))
        db.session.commit()
    first = client.get("/instructor/?section=history").get_data(as_text=True)
    second = client.get("/instructor/?section=history&page=2").get_data(as_text=True)
    assert len(_uids(first)) == 25 and len(_uids(second)) == 5
    assert "page=2" in first and "section=history" in first.split("Next page")[0]
    assert not _uids(first) & _uids(second)


def test_the_list_takes_the_same_queries_however_big_the_bank(app, client, instructor):
    with app.app_context():
        sync_bank(fixture_bank.generated(5))
        db.session.commit()
        with count_queries(db.engine) as small:
            client.get("/instructor/")
        sync_bank(fixture_bank.generated(60))
        db.session.commit()
        with count_queries(db.engine) as big:
            client.get("/instructor/")
    assert big.count == small.count


@pytest.mark.parametrize("query", ["?difficulty=abc", "?kind=essay", "?q=%25", "?page=zz"])
def test_odd_filter_values_do_not_break_the_list(client, instructor, bank, query):
    response = client.get(f"/instructor/{query}")
    assert response.status_code == 200
    expected = set() if query == "?q=%25" else {i["id"] for i in fixture_bank.ITEMS}
    assert _uids(response.get_data(as_text=True)) == expected


@pytest.fixture
def past_the_bound(app, monkeypatch):
    """60 generated questions, with the list's count and the search's matches bounded at 40."""
    from webapp.instructor import bank_list

    monkeypatch.setattr(bank_list, "COUNT_BOUND", 40)
    monkeypatch.setattr(bank_list, "MATCH_BOUND", 40)
    with app.app_context():
        sync_bank(fixture_bank.generated(60))
        db.session.commit()
    return bank_list


def test_a_bank_past_the_count_bound_says_more_than_and_still_pages(
    client, instructor, past_the_bound
):
    first = client.get("/instructor/").get_data(as_text=True)
    assert "More than 40 questions found." in first
    assert "Page 1</span>" in first and "Next page" in first  # no "of N": not counted
    third = client.get("/instructor/?page=3").get_data(as_text=True)
    assert len(_uids(third)) == 10 and "Next page" not in third
    seen = set()
    for page in (1, 2, 3):
        seen |= _uids(client.get(f"/instructor/?page={page}").get_data(as_text=True))
    assert len(seen) == 60  # every question on one page or another
    # a search matching more than the bound says so, and shows the first matches
    found = client.get("/instructor/?q=generated").get_data(as_text=True)
    assert "More than 40 questions found. A search shows its first matches" in found
    few = client.get("/instructor/?q=generated+number+42").get_data(as_text=True)
    assert _uids(few) == {"history-gen-42"} and "1 question found." in few


def test_a_search_past_the_bound_keeps_the_matches_whose_text_was_saved_first(
    app, client, instructor, past_the_bound
):
    bank_list = past_the_bound

    def kept() -> set[str]:
        with app.app_context():
            matches = bank_list.search_matches("generated")
            return set(db.session.scalars(db.select(Question.uid).where(Question.id.in_(matches))))

    assert kept() == {f"history-gen-{i}" for i in range(41)}
    with app.app_context():
        row = db.session.scalar(db.select(Question).where(Question.uid == "history-gen-0"))
        row.add_revision(dict(row.current_revision.data, explanation="Reworded."), summary="e")
        db.session.commit()
    # its text is now the latest saved: the next one in saving order takes its place
    assert kept() == {f"history-gen-{i}" for i in range(1, 42)}
    page = client.get("/instructor/?q=generated&sort=question").get_data(as_text=True)
    assert "More than 40 questions found." in page and "history-gen-0<" not in page


@pytest.mark.parametrize("sort", ["section", "question", "answers"])
def test_a_page_far_past_the_end_is_empty_not_an_error(client, instructor, bank, sort):
    response = client.get(f"/instructor/?sort={sort}&page=999999999")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and _uids(html) == set()
