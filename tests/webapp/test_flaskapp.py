"""The site's Flask class: its two shortcuts change what is paid, not what a page shows."""

from __future__ import annotations

import inspect

import jinja2
import pytest

from webapp import create_app
from webapp.flaskapp import _SYNC_KEPT, QuizFlask, TemplateGlobals


@pytest.fixture
def bare_app(tmp_path):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_the_site_runs_on_the_quiz_flask_class(bare_app):
    assert isinstance(bare_app, QuizFlask)
    template = bare_app.jinja_env.get_template("base.html")
    assert isinstance(template.globals, TemplateGlobals)


def test_template_globals_keys_are_every_layer_s_names():
    layered = TemplateGlobals({"own": 1, "shared": 2}, {"shared": 3, "site": 4})
    assert layered.keys() == {"own", "shared", "site"}
    assert frozenset({"own", "site", "other"}) - layered.keys() == {"other"}
    assert dict(layered) == {"own": 1, "shared": 2, "site": 4}  # the first layer wins


def test_an_imported_macro_still_sees_its_importer_s_own_globals(bare_app):
    # Jinja hands an imported template the importer's globals it lacks, found by
    # subtracting key sets: the subtraction TemplateGlobals makes cheap.
    env = bare_app.jinja_env
    env.loader = jinja2.ChoiceLoader(
        [
            jinja2.DictLoader(
                {
                    "macros.html": "{% macro hello() %}hello {{ whom }}{% endmacro %}",
                    "page.html": '{% import "macros.html" as m %}{{ m.hello() }}',
                }
            ),
            env.loader,
        ]
    )
    with bare_app.test_request_context("/"):
        page = env.get_template("page.html", globals={"whom": "Vladivostok"})
        assert page.render() == "hello Vladivostok"
        # without the importer's global the macro renders it empty, as Jinja does
        assert env.get_template("macros.html").module.hello() == "hello "


def test_every_page_still_renders_its_imported_macros(client):
    # base.html imports the shared macros (the icons, the flashes) on every page
    page = client.get("/").get_data(as_text=True)
    assert "<svg" in page and "</html>" in page


def test_ensure_sync_asks_once_per_function(bare_app, monkeypatch):
    asked = []
    real = inspect.iscoroutinefunction
    monkeypatch.setattr(
        "flask.app.iscoroutinefunction", lambda f: asked.append(f) or real(f), raising=True
    )

    def view():
        return "x"

    assert bare_app.ensure_sync(view) is view
    assert bare_app.ensure_sync(view) is view
    assert asked == [view]


def test_ensure_sync_forgets_past_its_bound_and_still_answers(bare_app):
    functions = [(lambda i=i: i) for i in range(_SYNC_KEPT + 5)]
    for f in functions:
        assert bare_app.ensure_sync(f) is f
    assert len(bare_app._synced) <= _SYNC_KEPT
    assert bare_app.ensure_sync(functions[0])() == 0


def test_ensure_sync_takes_an_unhashable_callable(bare_app):
    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

        def __call__(self):
            return "called"

    handler = Unhashable()
    assert bare_app.ensure_sync(handler)() == "called"


def test_requests_run_every_hook_through_the_remembered_functions(bare_app):
    seen = []
    bare_app.before_request(lambda: seen.append("before"))
    bare_app.after_request(lambda response: seen.append("after") or response)
    client = bare_app.test_client()
    for _ in range(3):
        assert client.get("/healthz").status_code in (200, 503)
    assert seen == ["before", "after"] * 3
