"""Every instructor route, found by walking the URL map: guests log in, students get 403."""

import pytest
from flask import url_for

from webapp.models import Role

from ..helpers import csrf_token

# A value for each URL converter, so every rule builds (the guard answers before any lookup).
DUMMY = {"IntegerConverter": 1, "FloatConverter": 1.0}


def _instructor_routes(app):
    routes = []
    for rule in app.url_map.iter_rules():
        # By path: areas of their own under /instructor (classes) are covered too.
        if not rule.rule.startswith("/instructor"):
            continue
        # By class or base class: the app's <int:> is a bounded subclass of Werkzeug's.
        values = {
            name: next((DUMMY[c.__name__] for c in type(conv).__mro__ if c.__name__ in DUMMY), "x")
            for name, conv in rule._converters.items()
        }
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, url))
    return routes


def test_the_walk_finds_every_instructor_page(app):
    routes = _instructor_routes(app)
    assert ("GET", "/instructor/") in routes
    assert ("POST", "/instructor/import") in routes
    assert ("POST", "/instructor/questions/1/status") in routes
    assert len(routes) >= 14


def _request(client, method, url, *, token_page):
    if method == "GET":
        return client.get(url)
    # A real token, so the answer comes from the role check and not from CSRF.
    return client.open(url, method=method, data={"csrf_token": csrf_token(client, token_page)})


def test_a_guest_is_sent_to_log_in_from_every_instructor_route(app, client):
    for method, url in _instructor_routes(app):
        response = _request(client, method, url, token_page="/login")
        assert response.status_code == 302, (method, url)
        assert "/login" in response.headers["Location"], (method, url)


def test_a_student_gets_403_on_every_instructor_route(app, client, auth):
    routes = _instructor_routes(app)
    auth.login_as(Role.STUDENT.value)
    for method, url in routes:
        response = _request(client, method, url, token_page="/")  # the log-out form's token
        assert response.status_code == 403, (method, url)


@pytest.mark.parametrize(
    "url",
    [
        "/instructor/",
        "/instructor/questions/new",
        "/instructor/import",
        "/instructor/statistics",
        "/instructor/class",
    ],
)
def test_an_instructor_sees_the_pages(client, auth, bank, url):
    auth.login_as(Role.INSTRUCTOR.value)
    assert client.get(url).status_code == 200


def test_only_instructors_get_the_menu_link(client, auth):
    auth.login_as(Role.STUDENT.value)
    assert 'href="/instructor/"' not in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login_as(Role.INSTRUCTOR.value)
    assert 'href="/instructor/"' in client.get("/").get_data(as_text=True)
