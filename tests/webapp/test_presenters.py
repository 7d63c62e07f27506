"""Every kind has a presenter with each hook and a macro file with each macro."""

from __future__ import annotations

import pytest

from questions import Kind
from webapp.quiz.presenters import presenter
from webapp.quiz.presenters.base import HOOKS, MACROS, Presenter


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_has_a_presenter_with_every_hook(kind):
    found = presenter(kind)
    assert found.kind is kind
    for hook in HOOKS:
        assert getattr(type(found), hook) is not getattr(Presenter, hook), (
            f"{kind.value}'s presenter does not implement {hook}"
        )


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_has_every_macro(app, kind):
    with app.app_context():
        template = app.jinja_env.get_template(presenter(kind).template)
        module = template.module
    for name in MACROS:
        assert callable(getattr(module, name, None)), f"{kind.value} has no macro {name}"
