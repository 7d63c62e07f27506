"""Template helpers available on every page."""

from __future__ import annotations

from flask import Flask, current_app, request, url_for
from flask_login import current_user

from questions import ARTICLE_TITLE, SECTIONS, SECTIONS_BY_SLUG, Kind, Question
from questions.display import cloze_segments, seeded_shuffle, sorted_texts, source_label

from .quiz.presentation import display_prompt, kind_of
from .quiz.presenters import presenter
from .timezones import local_time, zone_name, zone_of


def _icons_url() -> str:
    """The icon sprite's URL: built once per script root, not once per icon on a page."""
    root = request.script_root
    cache = current_app.extensions.setdefault("icons_url", {})
    if root not in cache:
        cache[root] = url_for("static", filename="img/icons.svg")
    return cache[root]


def register(app: Flask) -> None:
    """Add globals and filters to Jinja."""

    app.add_template_global(_icons_url, "icons_url")

    @app.context_processor
    def _globals() -> dict:
        return {"ARTICLE_TITLE": ARTICLE_TITLE, "ALL_SECTIONS": SECTIONS}

    @app.template_filter("section_title")
    def section_title(slug: str) -> str:
        section = SECTIONS_BY_SLUG.get(slug)
        return section.title if section else slug

    @app.template_filter("kind_label")
    def kind_label(kind: str) -> str:
        found = kind_of(kind.value if isinstance(kind, Kind) else kind)
        return found.label if found else kind

    app.add_template_filter(display_prompt, "display_prompt")

    @app.template_filter("source_label")
    def _source_label(q: Question) -> str:
        return source_label(q.section, q.paragraphs)

    @app.template_filter("study_items")
    def study_items(q: Question) -> list[str]:
        """An ordering question's items as a card shows them: fixed, never in order."""
        return seeded_shuffle(q.items, q.id)

    app.add_template_filter(sorted_texts, "sorted_texts")
    app.add_template_filter(cloze_segments, "gap_segments")

    @app.template_filter("kind_macros")
    def kind_macros(kind: Kind | str) -> str:
        """The macro file of a kind: ``{% import q.kind | kind_macros as k %}``."""
        return presenter(kind).template

    @app.template_filter("local_time")
    def _local_time(value, fmt: str = "%d %b %Y %H:%M") -> str:
        """A stored UTC time in the signed-in user's time zone (UTC for a guest)."""
        return local_time(value, zone_of(current_user), fmt)

    @app.context_processor
    def _zone() -> dict:
        return {"TIME_ZONE": zone_name(current_user)}

    @app.template_filter("percent")
    def percent(value: float | None) -> str:
        return "–" if value is None else f"{round(value * 100)}%"
