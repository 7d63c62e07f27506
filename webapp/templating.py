"""Template helpers available on every page."""

from __future__ import annotations

from flask import Flask

from questions import ARTICLE_TITLE, KIND_LABELS, SECTIONS, SECTIONS_BY_SLUG, Kind

from .quiz.presentation import display_prompt, feedback_remark


def register(app: Flask) -> None:
    """Add globals and filters to Jinja."""

    @app.context_processor
    def _globals() -> dict:
        return {"ARTICLE_TITLE": ARTICLE_TITLE, "ALL_SECTIONS": SECTIONS}

    @app.template_filter("section_title")
    def section_title(slug: str) -> str:
        section = SECTIONS_BY_SLUG.get(slug)
        return section.title if section else slug

    @app.template_filter("kind_label")
    def kind_label(kind: str) -> str:
        try:
            return KIND_LABELS[Kind(kind)]
        except ValueError:
            return kind

    app.add_template_filter(display_prompt, "display_prompt")
    app.add_template_filter(feedback_remark, "feedback_remark")

    @app.template_filter("percent")
    def percent(value: float | None) -> str:
        return "–" if value is None else f"{round(value * 100)}%"
