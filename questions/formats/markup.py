"""Text written for Moodle (HTML, Moodle auto-format, Markdown, plain) -> the bank's text.

The bank holds plain text and every page escapes it, so markup from an import is never
rendered: tags become the text they hold, entities their characters, ``<br>`` and blocks
line breaks. What the bank cannot hold (an image, a table, a formula, a link's address)
is named in the returned notes, for the import report, instead of shown as markup.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Moodle's text formats, by the names GIFT writes in [brackets].
FORMATS = ("moodle", "html", "plain", "markdown")

_BLOCKS = frozenset(
    {"p", "div", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote"}
)
# Kept as their text without a word: inline formatting the bank's plain text drops.
_INLINE = frozenset(
    {"b", "strong", "i", "em", "u", "span", "sub", "sup", "code", "font", "small", "big", "s"}
)
_SKIPPED = frozenset({"script", "style", "head", "title"})
_NAMED = {
    "img": "an image",
    "table": "a table",
    "a": "a link",
    "iframe": "an embedded frame",
    "video": "a video",
    "audio": "an audio clip",
    "object": "an embedded object",
    "embed": "an embedded object",
    "math": "a formula",
    "svg": "a drawing",
    "form": "a form",
    "input": "a form field",
}
# Linear on any input: each class stops at the next delimiter.
_TEX = re.compile(r"\$\$[^$]+\$\$|\\\([^\\]+\\\)|\\\[[^\\]+\\\]")
_TAG_OR_ENTITY = re.compile(r"<[a-zA-Z/!][^<>]*>|&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{1,32});")


class _TextParser(HTMLParser):
    """Collects the text of an HTML fragment and notes what it had to leave out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.notes: list[str] = []
        self._skip = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n")
            self._pre += tag == "pre"
        if tag in _NAMED:
            what = _NAMED[tag]
            alt = dict(attrs).get("alt") if tag == "img" else None
            if tag == "a":
                href = dict(attrs).get("href") or ""
                self._note(f"{what} ({href}) was kept as its text only" if href else "")
            else:
                self._note(f"{what} was left out" + (f' (alt text "{alt}" kept)' if alt else ""))
            if alt:
                self.parts.append(alt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")
            if tag == "pre":
                self._pre = max(0, self._pre - 1)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.parts.append(data if self._pre else re.sub(r"\s+", " ", data))

    def _note(self, message: str) -> None:
        if message and message not in self.notes:
            self.notes.append(message)


# A "<" that does not open a complete tag is text. Escaping it first keeps html.parser
# linear: on "<a <a <a ..." without a ">" it would rescan the rest from every "<".
_STRAY_LT = re.compile(r"<(?![a-zA-Z/!][^<>]*>)")


def html_to_text(text: str) -> tuple[str, list[str]]:
    """The text of an HTML fragment, and what could not be kept (images, tables...)."""
    parser = _TextParser()
    parser.feed(_STRAY_LT.sub("&lt;", text))
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    return "\n".join(line for line in lines if line), parser.notes


def _markdown_to_text(text: str) -> str:
    # Every pattern stops at the next delimiter (or line end), so each runs in linear time
    # on any input: no lazy ".+?" that could rescan the rest of a 1 MB text from each star.
    text = re.sub(r"!\[([^\[\]\n]*)\]\([^()\n]*\)", r"\1", text)  # images: alt text
    text = re.sub(r"\[([^\[\]\n]+)\]\([^()\n]*\)", r"\1", text)  # links: their text
    text = re.sub(r"^[ ]{0,3}#{1,6}[ \t]+", "", text, flags=re.MULTILINE)  # headings
    text = re.sub(r"^[ ]{0,3}(?:[-*+]|\d{1,9}\.)[ \t]+", "", text, flags=re.MULTILINE)
    text = re.sub(r"\*\*([^*\n]+)\*\*", r"\1", text)
    text = re.sub(r"__([^_\n]+)__", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(?![\s*])([^*\n]+)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_(?![\s_])([^_\n]+)(?<!\s)_(?![\w_])", r"\1", text)
    return re.sub(r"`([^`\n]*)`", r"\1", text)


def to_text(text: str, fmt: str = "moodle") -> tuple[str, list[str]]:
    """Text in a Moodle format as the bank's plain text, with notes on what was dropped.

    ``plain`` is taken as it is; ``html`` and ``moodle`` (Moodle's default, which renders
    HTML) lose their tags; ``markdown`` loses its marks (and any HTML inside). Text in
    ``moodle`` format without a tag or entity is left alone, so "a < b" stays.
    """
    notes: list[str] = []
    if fmt == "plain":
        return text.strip(), notes
    if fmt == "markdown":
        text = _markdown_to_text(text)
    if fmt in ("html", "markdown") or _TAG_OR_ENTITY.search(text):
        text, notes = html_to_text(text)
    else:
        text = html.unescape(text) if "&" in text else text
    if _TEX.search(text):
        notes.append("a TeX formula was kept as its source text")
    return text.strip(), notes


def split_format(text: str, default: str = "moodle") -> tuple[str, str]:
    """A leading ``[html]``/``[moodle]``/``[plain]``/``[markdown]`` marker: (format, rest)."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        end = stripped.find("]")
        name = stripped[1:end].strip().lower() if end > 0 else ""
        if name in FORMATS:
            return name, stripped[end + 1 :]
    return default, text
