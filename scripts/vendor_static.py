"""Copy the vendored front-end files into static/ from unpacked npm packages.

`make vendor` runs `npm pack` for the pinned versions, unpacks them and calls this script,
so static/ holds only files we serve ourselves (the CSP stays 'self', no CDN):

- static/img/icons.svg: an SVG sprite of the Lucide icons we use (ISC, lucide-static);
- static/fonts/inter-*.woff2: Inter, variable weight, latin subsets (OFL,
  @fontsource-variable/inter).
"""

from __future__ import annotations

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
FONTS = ("inter-latin-wght-normal.woff2", "inter-latin-ext-wght-normal.woff2")


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


def main(unpacked: Path) -> None:
    lucide, inter = unpacked / "lucide", unpacked / "inter"
    (ROOT / "static/img").mkdir(parents=True, exist_ok=True)
    (ROOT / "static/fonts").mkdir(parents=True, exist_ok=True)
    (ROOT / "static/img/icons.svg").write_text(sprite(lucide))
    shutil.copy(lucide / "LICENSE", ROOT / "static/img/LICENSE-lucide.txt")
    for name in FONTS:
        shutil.copy(inter / "files" / name, ROOT / "static/fonts" / name)
    shutil.copy(inter / "LICENSE", ROOT / "static/fonts/LICENSE-inter.txt")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
