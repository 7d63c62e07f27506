"""The Flask class the site runs on: Flask, less two costs it pays on every request.

Both were found profiling the quiz mix inside gunicorn (bench/RESULTS.md, "Where
gunicorn's CPU goes", under the capacity blocks); neither changes what a request does.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, MutableMapping
from typing import Any

from flask import Flask
from flask.templating import Environment as FlaskEnvironment


class TemplateGlobals(ChainMap):
    """A template's globals over the environment's, whose ``keys()`` is a set.

    Jinja subtracts a template's global names from the importer's on every ``{% import %}``
    (to tell whether the imported macros need the importer's globals). Against
    ChainMap's keys view that subtraction runs in Python, one lookup per name and map:
    70 lookups for a question page's four imports. A set subtracts in C.
    """

    def keys(self) -> set[str]:  # type: ignore[override]
        return set().union(*self.maps)


class Environment(FlaskEnvironment):
    """Flask's Jinja environment, its templates' globals a :class:`TemplateGlobals`."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return TemplateGlobals({} if d is None else d, self.globals)


_SYNC_KEPT = 1024  # functions remembered, then all forgotten: a bound


class QuizFlask(Flask):
    """Flask, with the Jinja environment above and ``ensure_sync`` remembered.

    Flask asks ``inspect.iscoroutinefunction`` of every view and every before- and
    after-request function on every request (15 times for a question page); the answer
    for a given function never changes, so it is kept. Between gthread workers' threads a
    race at worst asks twice: each dict operation is atomic.
    """

    jinja_environment = Environment

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._synced: dict[Callable[..., Any], Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            return self._synced[func]
        except KeyError:
            pass
        except TypeError:  # an unhashable callable: ask every time
            return super().ensure_sync(func)
        if len(self._synced) >= _SYNC_KEPT:
            self._synced.clear()
        synced = self._synced[func] = super().ensure_sync(func)
        return synced
