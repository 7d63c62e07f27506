"""Copy the vendored front-end files into static/ from unpacked npm packages.

`make vendor` runs `npm pack` for the pinned versions, unpacks them and calls this script,
so static/ holds only files we serve ourselves (the CSP stays 'self', no CDN):

- static/img/icons.svg: an SVG sprite of the Lucide icons we use (ISC, lucide-static);
- static/fonts/inter-*.woff2: Inter (OFL, @fontsource-variable/inter), cut to what the site
  uses (see `fonts`), and the @font-face rules that link them, written into site.css, with
  the preload of the first file in templates/base.html.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = (
    "check", "x", "circle-dashed", "circle-check", "circle-x", "circle-alert", "arrow-right",
    "arrow-left", "rotate-ccw", "layers", "book-open", "grip-vertical", "chevron-up",
    "chevron-down", "flame", "clock", "play", "trophy", "house", "user", "log-out",
    "download", "chart-column", "list-checks", "circle-help", "keyboard", "mail", "lock",
    "search", "triangle-alert", "graduation-cap", "sparkles", "target", "circle-minus",
)  # fmt: skip
# <use> draws a symbol in the context of the page, not of the sprite: each symbol says how.
STROKE = (
    'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"'
    ' stroke-linejoin="round"'
)
# Inter's files are cut three ways by character, so an English page loads the first alone and
# a browser fetches another only for a page that holds one of its characters (unicode-range):
#   basic: Basic Latin and the punctuation the templates, scripts and bank use (the test
#     tests/webapp/test_fonts.py holds them to it);
#   latin: the rest of fontsource's latin file (accented letters, symbols);
#   latin-ext: fontsource's latin-ext file.
# Each keeps the part of the weight axis the stylesheets use, 400 to 900 (they ask for 400 to
# 750, and a <strong> in 600 text is 900; tests/webapp/test_fonts.py checks the stylesheets): the
# light half, 100 to 400, is where the bytes go. 750 as the top would save under 1 KB more, but
# every delta is then scaled and glyph edges move a pixel here and there. The OpenType features
# kept are those a page turns on (on by default, or tabular-nums); fontsource's files have no
# others. A file is named after its content, so a browser may keep it a year.
BASIC = (
    *range(0x20, 0x7F),  # Basic Latin
    0xA0, 0xB1, 0xB6, 0xB7, 0xD7,  # no-break space ± ¶ · ×
    0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x203A,  # – — ‘ ’ “ ” … ›
    0x02BC,  # ʼ: the same glyph as ’; without it FreeType draws ’ a pixel apart (Linux)
)  # fmt: skip
WEIGHTS = (400, 900)
FEATURES = ("ccmp", "locl", "calt", "kern", "mark", "mkmk", "tnum")
CUTS = (  # name, fontsource file, the characters kept (None: all the file has)
    ("basic", "inter-latin-wght-normal.woff2", set(BASIC)),
    ("latin", "inter-latin-wght-normal.woff2", None),
    ("latin-ext", "inter-latin-ext-wght-normal.woff2", None),
)
FONT_FACES = re.compile(r"/\* Inter: written by make vendor.*?/\* end of Inter \*/\n", re.S)
PRELOAD = re.compile(r"fonts/inter-basic-[0-9a-f]+\.woff2")


def sprite(lucide: Path) -> str:
    """One <svg> of <symbol>s, each a Lucide icon's shapes under its own id."""
    symbols = []
    for name in ICONS:
        svg = (lucide / "icons" / f"{name}.svg").read_text()
        body = svg[svg.index(">", svg.index("<svg")) + 1 : svg.rindex("</svg>")]
        body = re.sub(r"\s+", " ", body).strip()
        symbols.append(f'<symbol id="{name}" viewBox="0 0 24 24" {STROKE}>{body}</symbol>')
    version = re.search(r"v[\d.]+", (lucide / "icons" / "check.svg").read_text())
    return (
        f"<!-- Lucide icons {version.group(0) if version else ''}, ISC licence:"
        " static/img/LICENSE-lucide.txt -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg" fill="none" stroke="currentColor"'
        ' stroke-width="2" stroke-linecap="round" stroke-linejoin="round">\n'
        + "\n".join(symbols)
        + "\n</svg>\n"
    )


def _unicode_range(points: set[int]) -> str:
    """``U+0020-007E, U+00A0...``: the code points as CSS ranges."""
    ranges: list[list[int]] = []
    for point in sorted(points):
        if ranges and point == ranges[-1][1] + 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in ranges)


def _cut(source: Path, keep: set[int]) -> bytes:
    """The font with only ``keep``'s characters, and its weight axis over WEIGHTS, as woff2."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(source)
    options = subset.Options()
    options.layout_features = list(FEATURES)
    options.name_IDs = ["*"]  # the copyright and licence names stay
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    font = instancer.instantiateVariableFont(font, {"wght": WEIGHTS})
    font.flavor = "woff2"
    font.recalcTimestamp = False  # the same input gives the same bytes, so the same name
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()


def fonts(inter: Path) -> list[tuple[str, str]]:
    """Write the cut files into static/fonts/; return (file name, unicode-range) of each."""
    from fontTools.ttLib import TTFont

    fonts_dir = ROOT / "static/fonts"
    for old in fonts_dir.glob("inter-*.woff2"):
        old.unlink()
    written = []
    taken: set[int] = set(range(0x20))  # control characters: no glyph wanted
    for name, file, keep in CUTS:
        source = inter / "files" / file
        # Each file holds what no file before it does: where two ranges overlap, the browser
        # takes the later file, and latin-ext's few Basic Latin letters would load it always.
        points = set(TTFont(source).getBestCmap()) - taken
        if keep is not None:
            points &= keep
        taken |= points
        data = _cut(source, points)
        filename = f"inter-{name}-{hashlib.sha256(data).hexdigest()[:10]}.woff2"
        (fonts_dir / filename).write_bytes(data)
        written.append((filename, _unicode_range(points)))
    return written


def font_faces(written: list[tuple[str, str]]) -> str:
    """The @font-face rules, for the top of site.css."""
    rules = []
    for filename, unicode_range in written:
        wrapped = re.sub(r"(.{1,78})(?:, |$)", r"\1,\n    ", unicode_range).rstrip(",\n ")
        rules.append(
            "@font-face {\n"
            '  font-family: "Inter";\n'
            "  font-style: normal;\n"
            "  font-display: swap;\n"
            f"  font-weight: {WEIGHTS[0]} {WEIGHTS[1]};\n"
            f'  src: url("../fonts/{filename}") format("woff2-variations");\n'
            f"  unicode-range: {wrapped};\n"
            "}\n"
        )
    return (
        "/* Inter: written by make vendor (scripts/vendor_static.py), not by hand. */\n"
        + "".join(rules)
        + "/* end of Inter */\n"
    )


def main(unpacked: Path) -> None:
    lucide, inter = unpacked / "lucide", unpacked / "inter"
    (ROOT / "static/img").mkdir(parents=True, exist_ok=True)
    (ROOT / "static/fonts").mkdir(parents=True, exist_ok=True)
    (ROOT / "static/img/icons.svg").write_text(sprite(lucide))
    shutil.copy(lucide / "LICENSE", ROOT / "static/img/LICENSE-lucide.txt")
    written = fonts(inter)
    shutil.copy(inter / "LICENSE", ROOT / "static/fonts/LICENSE-inter.txt")
    _replace(ROOT / "static/css/site.css", FONT_FACES, font_faces(written))
    _replace(ROOT / "templates/base.html", PRELOAD, f"fonts/{written[0][0]}")


def _replace(path: Path, pattern: re.Pattern[str], new: str) -> None:
    """Put ``new`` in the one place ``pattern`` marks in ``path``; fail if it is not there."""
    text = path.read_text(encoding="utf-8")
    changed, found = pattern.subn(lambda _: new, text, count=1)
    if not found:
        sys.exit(f"{path.relative_to(ROOT)}: no {pattern.pattern!r} to replace")
    path.write_text(changed, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
