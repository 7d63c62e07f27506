"""Malformed form posts (wrong types, missing or unknown fields, huge values, unknown
ids, digits of other scripts, NUL and control characters) to every POST route of the URL
map answer 4xx, never 500. Runs on PostgreSQL too, where NUL in text is an error."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.models import Role

from .crawl import crawl
from .helpers import csrf_from, start_quiz
from .routes import build_url, converter_kind, state_changing_rules

ALLOWED = {200, 302, 303, 400, 403, 404, 405, 409, 413, 422, 429}
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "120"))

_value = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1",
            "true",
            "false",
            "null",
            "[]",
            "{}",
            "NaN",
            "1e309",
            "\x00",
            "☃" * 50,
            "9" * 400,
            "<script>x</script>",
        ]
    ),
    st.integers(min_value=1, max_value=200_000).map(lambda n: "x" * n),
    # Unicode that int() or the database read differently from a person: digits of other
    # scripts and superscripts (str.isdigit() takes them), numbers past int()'s 4,300
    # digits, NUL and other controls (PostgreSQL refuses NUL in text).
    st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=12),
    st.integers(min_value=4000, max_value=6000).map(lambda n: "9" * n),
    st.text(st.characters(codec="utf-8", categories=["Cc"]), min_size=1, max_size=4),
    st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=8), st.text(max_size=8)),
    st.sampled_from(["²", "٣", "१२३", "1_000", "+1", "\ufeff1", "\U0001d7d9", "\x00" * 3]),
)


def _field_names(client, start: list[str]) -> list[str]:
    """Every form field name on the pages reachable from ``start``."""
    bodies: dict[str, str] = {}
    crawl(client, start, limit=60, bodies=bodies)
    names = set()
    for html in bodies.values():
        names.update(re.findall(r'name="([^"]+)"', html))
    names.discard("csrf_token")
    return sorted(names)


def _url_value(kind: str, ids: list[int]):
    if kind == "int":
        return st.one_of(st.sampled_from(ids), st.integers(min_value=0, max_value=2**70))
    if kind == "float":
        return st.floats(allow_nan=False, allow_infinity=False, min_value=0)
    return st.one_of(
        st.sampled_from(["history", "all", "mixed", "mistakes", "economy-energy"]),
        st.text(alphabet="abcxyz-_0123456789", min_size=1, max_size=30),
    )


@pytest.mark.parametrize("role", [Role.STUDENT.value, Role.INSTRUCTOR.value])
def test_malformed_posts_never_cause_a_server_error(app, client, auth, bank, role):
    auth.login_as(role, email=f"fuzz-{role}@example.com")
    attempts = [start_quiz(client, s, size=5) for s in ("history", "economy-energy")]
    ids = sorted({*attempts, 1, 2, 3, 4, 5})
    names = _field_names(
        client,
        ["/", "/dashboard", *(f"/attempts/{a}/items/{p}" for a in attempts for p in range(1, 6))],
    )
    assert {"choice", "answer", "size", "email"} & set(names), names
    rules = state_changing_rules(app)
    token = csrf_from(client.get("/").data)
    keys = st.one_of(st.sampled_from(names), st.text(max_size=12))
    form = st.dictionaries(keys, st.one_of(_value, st.lists(_value, max_size=4)), max_size=8)

    @st.composite
    def request_(draw):
        rule = draw(st.sampled_from(rules))
        values = {arg: draw(_url_value(converter_kind(rule, arg), ids)) for arg in rule.arguments}
        return rule, values, draw(form), draw(st.booleans())

    seen_endpoints = set()

    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(request_())
    def fuzz(drawn):
        rule, values, data, multipart = drawn
        url = build_url(app, rule, values)
        payload = {**data, "csrf_token": token}
        response = client.post(
            url, data=payload, content_type="multipart/form-data" if multipart else None
        )
        assert response.status_code in ALLOWED, (
            url,
            data,
            response.status_code,
            response.get_data(as_text=True)[:300],
        )
        seen_endpoints.add(rule.endpoint)
        if rule.endpoint == "auth.logout" and client.get("/dashboard").status_code != 200:
            auth.login(f"fuzz-{role}@example.com")  # stay logged in for the next example

    fuzz()
    assert len(seen_endpoints) >= 3, seen_endpoints


# Cases the fuzz found, kept as plain tests.


def test_a_multipart_field_without_a_name_is_a_400(app, client, auth, bank):
    auth.login_as(Role.INSTRUCTOR.value)
    url = f"/instructor/questions/{bank['history-single']}/edit"
    token = csrf_from(client.get(url).data)
    response = client.post(
        url, data={"\r": "", "csrf_token": token}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "without a name" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "uid, fields",
    [
        ("history-single", {"options-0-correct": "y"}),  # a tick with no option text
        ("economy-match", {"pairs-0-left": "Gas"}),  # a pair with no right side
    ],
)
def test_an_edit_form_with_half_a_row_is_reported_not_a_500(app, client, auth, bank, uid, fields):
    auth.login_as(Role.INSTRUCTOR.value)
    url = f"/instructor/questions/{bank[uid]}/edit"
    token = csrf_from(client.get(url).data)
    response = client.post(url, data={**fields, "csrf_token": token})
    assert response.status_code in (200, 400, 422), response.status_code


def test_a_surrogate_sent_as_bytes_is_read_as_a_replacement_not_a_500(client):
    """A lone surrogate cannot travel as UTF-8; its bytes are decoded as U+FFFD."""
    token = csrf_from(client.get("/register").data)
    body = f"csrf_token={token}&email=%ED%A0%80%40example.com&password=x&confirm=x"
    response = client.post("/register", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400)
