"""The Inter files `make vendor` cuts: an English page needs the first file alone, and each
file holds what site.css says it holds, at every weight the stylesheets ask for."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "static"
SITE_CSS = STATIC / "css/site.css"


def _faces() -> list[dict[str, object]]:
    """Each @font-face of site.css: its file, its code points and its weight range."""
    faces = []
    for body in re.findall(r"@font-face\s*\{(.*?)\}", SITE_CSS.read_text(encoding="utf-8"), re.S):
        url = re.search(r'url\("\.\./(fonts/[^"]+)"\)', body).group(1)
        low, high = map(int, re.search(r"font-weight:\s*(\d+)\s+(\d+);", body).groups())
        points: set[int] = set()
        for first, last in re.findall(r"U\+([0-9A-F]+)(?:-([0-9A-F]+))?", body):
            points.update(range(int(first, 16), int(last or first, 16) + 1))
        faces.append({"file": url, "points": points, "weights": (low, high)})
    return faces


def _printed_characters() -> dict[str, str]:
    """Non-ASCII characters of the files whose text reaches a page, with a file holding each."""
    sources = [
        *(ROOT / "templates").rglob("*.html"),
        *(STATIC / "js").glob("*.js"),
        *(ROOT / "questions/bank").glob("*.yaml"),
        ROOT / "questions/display.py",  # numbers, tolerances ("± 5"), sources
        *(ROOT / "questions/kinds").glob("*.py"),  # each kind's answer in words
    ]
    found: dict[str, str] = {}
    for path in sources:
        for char in set(path.read_text(encoding="utf-8")):
            if ord(char) > 0x7E:
                found.setdefault(char, str(path.relative_to(ROOT)))
    return found


def test_every_character_the_pages_print_is_in_the_first_font_file():
    """A character of Inter's outside the first file would make every page load a second."""
    faces = _faces()
    basic = faces[0]["points"]
    assert set(range(0x20, 0x7F)) <= basic
    in_inter = set().union(*(f["points"] for f in faces))
    missing = {
        f"U+{ord(c):04X} {c} ({where})"
        for c, where in _printed_characters().items()
        if ord(c) in in_inter and ord(c) not in basic
    }
    assert not missing, "add them to BASIC in scripts/vendor_static.py and run make vendor"


@pytest.mark.parametrize("index", range(3))
def test_each_font_file_holds_the_characters_its_range_names(index):
    faces = _faces()
    assert len(faces) == 3  # basic, the rest of latin, latin-ext
    face = faces[index]
    path = STATIC / str(face["file"])
    font = TTFont(path)
    assert font.flavor == "woff2"
    assert face["points"] <= set(font.getBestCmap()), path.name
    # no two files claim a character, or the browser would fetch the later one for it
    others = set().union(*(f["points"] for i, f in enumerate(faces) if i != index))
    assert not face["points"] & others


def test_font_files_are_named_after_their_content():
    """assets.py caches fonts/ a year by name, so a changed file must get a new name."""
    for face in _faces():
        path = STATIC / str(face["file"])
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        assert re.fullmatch(rf"inter-[a-z-]+-{digest}\.woff2", path.name), path.name


def test_every_font_weight_the_stylesheets_ask_for_is_in_the_font():
    """The weight axis was cut to 400-900: a lighter rule would be drawn at 400, not at its own."""
    css = "".join(p.read_text(encoding="utf-8") for p in (STATIC / "css").glob("*.css"))
    css = re.sub(r"@font-face\s*\{.*?\}", "", css, flags=re.S)
    weights = {int(w) for w in re.findall(r"font-weight:\s*(\d+)", css)}
    weights |= {int(w) for w in re.findall(r"font:\s*(\d{3})\s", css)}
    weights |= {700 for _ in re.findall(r"font-weight:\s*bold\b", css)}
    assert weights, "no font-weight found: the pattern no longer reads the stylesheets"
    for face in _faces():
        low, high = face["weights"]
        assert low <= min(weights) and max(weights) <= high, (sorted(weights), face)
        axis = next(a for a in TTFont(STATIC / str(face["file"]))["fvar"].axes)
        assert (axis.axisTag, axis.minValue, axis.maxValue) == ("wght", low, high)
