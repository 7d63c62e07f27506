"""Template helpers available on every page."""

from __future__ import annotations

from typing import Any

from flask import Flask, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from questions import ARTICLE_TITLE, SECTIONS, SECTIONS_BY_SLUG, Kind, Question
from questions.display import cloze_segments, seeded_shuffle, sorted_texts, source_label

from .quiz.presentation import display_prompt, kind_of
from .quiz.presenters import presenter
from .timezones import local_time, zone_name, zone_of

# The icon that marks each state of a part of an answer.
MARK_ICONS = {"right": "circle-check", "wrong": "circle-x", "missed": "circle-dashed"}

# The main navigation's links: (endpoint, label, icon, who sees it). "account": anyone
# signed in; "student" and "instructor": that role only.
NAV_LINKS = (
    ("study.index", "Study", "layers", "everyone"),
    ("dashboard.index", "Dashboard", "chart-column", "account"),
    ("instructor.index", "Instructor", "list-checks", "instructor"),
    ("classes.assignments_list", "Assignments", "clock", "student"),
    ("account.index", "Account", "user", "account"),
    ("article.index", "The article", "book-open", "everyone"),
    ("export.index", "Anki decks", "download", "everyone"),
)
_NAV_KEPT = 512  # drawn navigations (or icons) kept, then all dropped: a bound


def _sees(who: str, signed_in: bool, instructor: bool) -> bool:
    if who == "everyone":
        return True
    if who == "account":
        return signed_in
    return signed_in and (who == "instructor") == instructor


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
    # Each drawn once per sprite URL, name and class, and kept (names and classes come from
    # the templates: a few dozen).
    icons: dict[tuple[str, str, str], Markup] = {}

    def icon(name: str, cls: str = "") -> Markup:
        """An icon, hidden from screen readers: the words beside it say what it means."""
        sprite = app.jinja_env.globals["asset"]("img/icons.svg")  # type: ignore[operator]
        key = (sprite, name, cls)
        drawn = icons.get(key)
        if drawn is None:
            if len(icons) >= _NAV_KEPT:
                icons.clear()
            extra = f" {escape(cls)}" if cls else ""
            drawn = icons[key] = Markup(
                f'<svg class="icon{extra}" aria-hidden="true" focusable="false">'
                f'<use href="{escape(sprite)}#{escape(name)}"></use></svg>'
            )
        return drawn

    def mark(state: str, word: str) -> Markup:
        """A part of an answer marked right, wrong or missed: an icon and a word, never
        colour alone."""
        return Markup(
            f'<span class="mark mark-{escape(state)}">{icon(MARK_ICONS.get(state, "circle-minus"))}'
            f'<span class="mark-word">{escape(word)}</span></span>'
        )

    # Every page draws the same few navigations: each is built once (per page it marks as
    # current, role and script root) and kept, but for the log-out form's CSRF token.
    navs: dict[tuple[str, str | None, bool, bool], tuple[Markup, Markup]] = {}

    def draw_nav(endpoint: str | None, signed_in: bool, instructor: bool) -> tuple[Markup, Markup]:
        links = []
        for target, label, icon_name, who in NAV_LINKS:
            if _sees(who, signed_in, instructor):
                current = ' aria-current="page"' if target == endpoint else ""
                links.append(
                    f'<li><a href="{escape(url_for(target))}"{current}>{icon(icon_name, "inline")}'
                    f'<span class="nav-label">{escape(label)}</span></a></li>'
                )
        if signed_in:
            tail = (
                '<li><form class="inline-form" method="post" '
                f'action="{escape(url_for("auth.logout"))}">'
                '<input type="hidden" name="csrf_token" value="'
            )
            end = (
                '"><button type="submit" class="link-button">'
                f'{icon("log-out", "inline")}<span class="nav-label">Log out</span></button>'
                "</form></li>"
            )
            return Markup("".join(links) + tail), Markup(end)
        links.append(f'<li><a href="{escape(url_for("auth.login"))}">Log in</a></li>')
        links.append(
            f'<li><a class="button small" href="{escape(url_for("auth.register"))}">'
            "Sign up</a></li>"
        )
        return Markup("".join(links)), Markup("")

    def site_nav() -> Markup:
        """The main navigation's list items, the current page marked for screen readers."""
        signed_in = bool(current_user.is_authenticated)
        instructor = signed_in and bool(current_user.is_instructor)
        key = (request.script_root, request.endpoint, signed_in, instructor)
        drawn = None if app.debug else navs.get(key)
        if drawn is None:
            if len(navs) >= _NAV_KEPT:
                navs.clear()
            drawn = navs[key] = draw_nav(request.endpoint, signed_in, instructor)
        head, end = drawn
        return head + escape(generate_csrf()) + end if signed_in else head

    app.add_template_global(site_nav, "site_nav")
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
