"""The /anki page and the deck downloads, open to every visitor."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from werkzeug.wrappers import Response

from questions import ARTICLE_TITLE, SECTIONS, SECTIONS_BY_SLUG

from .deck import DeckCache, DeckFile, NothingToExport, deck_filename, published_counts

bp = Blueprint("export", __name__)

APKG_MIMETYPE = "application/apkg"


def _decks() -> DeckCache:
    """This app's package cache (one per process, created on first use)."""
    return current_app.extensions.setdefault("anki_decks", DeckCache())


def _send(deck: DeckFile, filename: str) -> Response:
    """The package as an attachment, revalidated by its ETag, ranges served.

    The bytes go out as they are held: ``send_file`` over a ``BytesIO`` would copy the
    whole package to learn its size, and the server would write it 8 KB at a time.
    """
    response = current_app.response_class(deck.data, mimetype=APKG_MIMETYPE)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.set_etag(deck.key)
    # Revalidate every time (cheap: one query), so a corrected deck is never stale.
    response.cache_control.no_cache = True
    response.cache_control.max_age = 0
    return response.make_conditional(request, accept_ranges=True, complete_length=len(deck.data))


@bp.route("")
def index():
    """What the deck holds, a download per section, and how to import it into Anki."""
    counts = published_counts()
    return render_template(
        "export/index.html",
        sections=SECTIONS,
        counts=counts,
        total=sum(counts.get(s.slug, 0) for s in SECTIONS),
        filename=deck_filename,
        article=ARTICLE_TITLE,
    )


@bp.route("/deck.apkg")
def deck():
    """The whole deck: every published question, one subdeck per section."""
    try:
        package = _decks().get(None)
    except NothingToExport:
        abort(
            404,
            description="There are no published questions yet, so there is no deck to download.",
        )
    return _send(package, deck_filename())


@bp.route("/<section>.apkg")
def section_deck(section: str):
    """One section's deck; 404 for an unknown section or one with nothing published."""
    if section not in SECTIONS_BY_SLUG:
        abort(404, description=f"There is no section called “{section}”.")
    try:
        package = _decks().get(section)
    except NothingToExport:
        title = SECTIONS_BY_SLUG[section].title
        abort(
            404,
            description=f"The section “{title}” has no published questions yet, so "
            "there is no deck to download for it.",
        )
    return _send(package, deck_filename(section))
