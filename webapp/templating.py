"""Template helpers available on every page."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_login import current_user
from markupsafe import Markup, escape

from questions import ARTICLE_TITLE, SECTIONS, SECTIONS_BY_SLUG, Kind, Question
from questions.display import cloze_segments, seeded_shuffle, sorted_texts, source_label

from .quiz.presentation import display_prompt, kind_of
from .quiz.presenters import presenter
from .timezones import local_time, zone_name, zone_of

# The icon that marks each state of a part of an answer.
MARK_ICONS = {"right": "circle-check", "wrong": "circle-x", "missed": "circle-dashed"}


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
    def kind_macros(kind: Kind | str) -> Any:
        """The macros of a kind's file: ``{% set k = q.kind | kind_macros %}``.

        The module Jinja keeps for the file, where an ``{% import %}`` inside a macro
        (called once per question on the results page) would work out anew on each call
        whether the module can be shared."""
        return app.jinja_env.get_template(presenter(kind).template).module

    # Icons of static/img/icons.svg: called dozens of times on a results page, where a
    # Jinja macro (or Markup.format) costs several times what an f-string does.
    def icon(name: str, cls: str = "") -> Markup:
        """An icon, hidden from screen readers: the words beside it say what it means."""
        sprite = app.jinja_env.globals["asset"]("img/icons.svg")  # type: ignore[operator]
        extra = f" {escape(cls)}" if cls else ""
        return Markup(
            f'<svg class="icon{extra}" aria-hidden="true" focusable="false">'
            f'<use href="{escape(sprite)}#{escape(name)}"></use></svg>'
        )

    def mark(state: str, word: str) -> Markup:
        """A part of an answer marked right, wrong or missed: an icon and a word, never
        colour alone."""
        return Markup(
            f'<span class="mark mark-{escape(state)}">{icon(MARK_ICONS.get(state, "circle-minus"))}'
            f'<span class="mark-word">{escape(word)}</span></span>'
        )

    app.add_template_global(icon, "svg_icon")
    app.add_template_global(mark, "mark_label")
    app.jinja_env.globals["MARK_ICONS"] = MARK_ICONS

    @app.template_filter("local_time")
    def _local_time(value, fmt: str = "%d %b %Y %H:%M") -> str:
        """A stored UTC time in the signed-in user's time zone (UTC for a guest)."""
        return local_time(value, zone_of(current_user), fmt)

    @app.context_processor
    def _zone() -> dict:
        return {"TIME_ZONE": zone_name(current_user)}

    app.add_template_filter(fixed, "fixed")
    # The instructor pages' badges and figures (instructor/_nav.html names them): Python,
    # as the item statistics draw them in each of fifty rows.
    app.add_template_global(status_badge, "status_badge_html")
    app.add_template_global(interval, "interval_html")
    app.add_template_global(flag_list, "flag_list_html")
    app.add_template_global(fixed, "fixed_number")

    @app.template_filter("percent")
    def percent(value: float | None) -> str:
        return "–" if value is None else f"{round(value * 100)}%"


def fixed(value: float | None, digits: int = 2) -> str:
    """A figure with ``digits`` decimals, or a dash for none (the statistics' cells)."""
    return "–" if value is None else f"{value:.{digits}f}"


def status_badge(status: str) -> Markup:
    """A question's state (draft, published, retired) as a badge."""
    return Markup(f'<span class="badge badge-{escape(status)}">{escape(status)}</span>')


def interval(ci: tuple[float, float] | None, digits: int = 2) -> Markup:
    """A 95% interval as "low–high", or nothing while there is none."""
    if not ci:
        return Markup("")
    return Markup(f'<span class="ci">{fixed(ci[0], digits)}–{fixed(ci[1], digits)}</span>')


def flag_list(s: Any) -> Markup:
    """An item's review flags as badges (the reason on hover), or "not enough answers yet"
    while too few students answered it; nothing for a question without statistics."""
    if s and s.flags:
        badges = "".join(
            f'<span class="badge badge-flag" title="{escape(f.why)}">{escape(f.label)}</span> '
            for f in s.flags
        )
        return Markup(f'<span class="flags">{badges}</span>')
    if s and not s.enough:
        return Markup('<span class="meta">not enough answers yet</span>')
    return Markup("")
