"""The app's URL map as test input: every route that changes state, with sample URLs.

Walking ``app.url_map`` (not a hand-written list) means routes that land later are
covered by the CSRF and fuzz tests without anyone remembering to add them.
"""

from __future__ import annotations

from flask import Flask, url_for
from werkzeug.routing import Rule

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
SAMPLE_STRINGS = ["history", "all", "mixed", "mistakes"]


def state_changing_rules(app: Flask) -> list[Rule]:
    """Rules that accept a state-changing method (static files aside)."""
    return sorted(
        (
            r
            for r in app.url_map.iter_rules()
            if r.methods & STATE_CHANGING and r.endpoint != "static"
        ),
        key=lambda r: r.rule,
    )


def converter_kind(rule: Rule, argument: str) -> str:
    """'int', 'float', 'path' or 'string' for one URL argument of ``rule``."""
    name = type(rule._converters[argument]).__name__.lower()
    for kind in ("int", "float", "path", "uuid"):
        if kind in name:
            return kind
    return "string"


def build_url(app: Flask, rule: Rule, values: dict) -> str:
    """The path of ``rule`` with ``values`` for its arguments."""
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def sample_values(rule: Rule, *, int_value: int = 1) -> dict:
    """Plausible values for every argument of ``rule``."""
    values = {}
    for arg in rule.arguments:
        kind = converter_kind(rule, arg)
        values[arg] = {
            "int": int_value,
            "float": 1.0,
            "uuid": "00000000-0000-0000-0000-000000000000",
        }.get(kind, SAMPLE_STRINGS[0])
    return values
