"""Every state-changing route of the URL map refuses a request without a valid CSRF token."""

from __future__ import annotations

import pytest

from webapp.models import Role

from .helpers import start_quiz
from .routes import build_url, sample_values, state_changing_rules


def test_the_url_map_has_state_changing_routes(app):
    endpoints = {r.endpoint for r in state_changing_rules(app)}
    assert {"auth.login", "auth.register", "auth.logout", "quiz.item", "quiz.finish"} <= endpoints


@pytest.mark.parametrize("role", [Role.STUDENT.value, Role.INSTRUCTOR.value])
def test_every_state_changing_route_requires_a_csrf_token(app, client, auth, bank, role):
    auth.login_as(role)
    attempt_id = start_quiz(client, "history", size=5)
    checked = []
    for rule in state_changing_rules(app):
        url = build_url(app, rule, sample_values(rule, int_value=attempt_id))
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            for data in ({}, {"csrf_token": "forged"}):
                response = client.open(url, method=method, data=data)
                body = response.get_data(as_text=True)
                assert response.status_code == 400, (method, url, data, response.status_code)
                assert "CSRF" in body, (method, url, body[:200])
            checked.append(f"{method} {rule.rule}")
    # Still logged in: no refused request logged the user out.
    assert client.get("/dashboard").status_code == 200
    assert len(checked) >= 5, checked
