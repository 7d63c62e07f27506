"""A student never sees a question's key before answering it: not in the page, not in
any response (HTML or JSON, a rejected answer included), not in the options' order."""

from __future__ import annotations

import pytest

from questions import Kind

from . import fixture_bank
from .helpers import csrf_token, item_state, start_quiz

SECTIONS = ("history", "economy-energy")


def _secrets(q) -> list[str]:
    """Texts that would give the answer away; choice kinds show their options anyway."""
    found = [q.explanation]
    if q.note:
        found.append(q.note)
    if q.kind in (Kind.SHORT_ANSWER, Kind.BASIC):
        found += [str(q.answer), *q.accept]
    if q.kind is Kind.NUMERIC:
        found += [f"{q.answer:,}", str(q.answer)]
    if q.kind is Kind.CLOZE:
        found += [answer for _, answer, _ in q.cloze_deletions]
    return found


def _responses_before_answering(client, attempt_id: int, position: int) -> dict[str, str]:
    """Everything the site answers about an open item, in HTML and JSON."""
    url = f"/attempts/{attempt_id}/items/{position}"
    seen = {}
    for accept in ("text/html", "application/json"):
        seen[f"GET {url} {accept}"] = client.get(url, headers={"Accept": accept})
    seen[f"GET /attempts/{attempt_id}"] = client.get(f"/attempts/{attempt_id}")
    token = csrf_token(client, url)
    seen[f"POST {url} empty"] = client.post(url, data={"csrf_token": token})
    seen[f"POST {url} nonsense"] = client.post(
        url, data={"csrf_token": token, "choice": "99", "answer": "", "pos-0": "x"}
    )
    return {name: r.get_data(as_text=True) + str(r.headers) for name, r in seen.items()}


def test_no_response_reveals_the_key_before_answering(app, client, auth, bank):
    auth.login_as("student")
    checked = set()
    for section in SECTIONS:
        attempt_id = start_quiz(client, section, size=5)
        for position in range(1, 6):
            try:
                q, presentation = item_state(app, attempt_id, position)
            except AttributeError:  # fewer items than 5 in this section
                break
            for name, text in _responses_before_answering(client, attempt_id, position).items():
                for secret in _secrets(q):
                    assert secret not in text, f"{q.kind.value}: {name} shows {secret!r}"
                lowered = text.lower()
                for marker in ("correct", "data-key", "data-answer", "is_key", '"keys"'):
                    assert marker not in lowered, f"{q.kind.value}: {name} has {marker!r}"
            checked.add(q.kind)
    assert checked == set(Kind), checked - set(Kind)


def _displayed_key_positions(app, client, uid_kind: str, runs: int) -> list:
    seen = []
    section = next(i["section"] for i in fixture_bank.ITEMS if i["kind"] == uid_kind)
    for _ in range(runs):
        attempt_id = start_quiz(client, section, size=5)
        for position in range(1, 6):
            q, presentation = item_state(app, attempt_id, position)
            if q.kind.value == uid_kind:
                seen.append(_shown(q, presentation))
                break
    return seen


def _shown(q, presentation):
    if q.kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_SELECT):
        return tuple(presentation["options"].index(k) for k in q.keys)
    if q.kind is Kind.ORDERING:
        return tuple(presentation["items"])
    if q.kind is Kind.MATCHING:
        return tuple(presentation["rights"])
    raise AssertionError(q.kind)


@pytest.mark.parametrize("kind", ["single_choice", "multiple_select", "ordering", "matching"])
def test_the_display_order_does_not_reveal_the_key(app, client, auth, bank, kind):
    """Over 25 quizzes the key sits in several places; an ordering is never shown solved."""
    auth.login_as("student")
    shown = _displayed_key_positions(app, client, kind, 25)
    assert len(shown) == 25
    assert len(set(shown)) > 1, shown
    if kind == "ordering":
        assert all(order != tuple(sorted(order)) for order in shown), shown
