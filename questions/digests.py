"""The map of the article: a digest of one or two sentences, in our words, per paragraph.

The digests live in ``questions/article/digests.yaml``, outside ``questions/bank/``, so that
nothing that reads every YAML file of the bank as question files (the loader, ``bank load``,
the bank dump, tests) ever sees them. The file maps a section slug to a mapping of paragraph
number -> digest::

    introduction:
      1: Since 1991 the two have worked together more ...
      2: ...

``read_digests`` reports every problem with file and line and never raises;
``load_digests`` returns ``{(slug, paragraph): text}`` or raises ``BankError``.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from .loader import BankError, LineDict, LineLoader, display_path
from .model import SECTIONS, SECTIONS_BY_SLUG
from .validation import Problem, count_sentences

DIGESTS_FILE = Path(__file__).resolve().parent / "article" / "digests.yaml"
MAX_DIGEST_SENTENCES = 2

Digests = dict[tuple[str, int], str]


def parse_digests_text(text: str, filename: str) -> tuple[Digests, list[Problem]]:
    """Read the digests file's text: the digests and every problem (never raises)."""
    problems: list[Problem] = []

    def report(line: int | None, where: str | None, message: str) -> None:
        problems.append(Problem(filename, line, where, None, message))

    loader = LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        report(mark.line + 1 if mark else None, None, f"not valid YAML: {exc}")
        return {}, problems
    finally:
        loader.dispose()
    for key, first, again in loader.duplicate_keys:
        report(again, str(key), f"key '{key}' appears twice (lines {first} and {again})")
    if not isinstance(data, LineDict):
        report(1, None, "the digests file must map section slugs to {paragraph: digest}")
        return {}, problems

    digests: Digests = {}
    reported: set[tuple[str, int]] = set()  # paragraphs whose digest is already at fault
    for slug, paragraphs in data.items():
        line = data.line_of(slug)
        if slug not in SECTIONS_BY_SLUG:
            report(
                line, str(slug), f"unknown section '{slug}'; known: {', '.join(SECTIONS_BY_SLUG)}"
            )
            continue
        if not isinstance(paragraphs, LineDict):
            report(line, slug, "a section maps paragraph numbers to digests, like {1: text}")
            continue
        count = SECTIONS_BY_SLUG[slug].paragraphs
        for number, digest in paragraphs.items():
            where = f"{slug} {number}"
            pline = paragraphs.line_of(number)
            if not isinstance(number, int) or isinstance(number, bool):
                report(pline, where, f"paragraph '{number}' is not a whole number")
                continue
            if not 1 <= number <= count:
                report(
                    pline,
                    where,
                    f"paragraph {number} does not exist: section '{slug}' has {count} paragraphs",
                )
                continue
            if not isinstance(digest, str) or not digest.strip():
                report(pline, where, "the digest must be non-empty text")
                reported.add((slug, number))
                continue
            n = count_sentences(digest)
            if n > MAX_DIGEST_SENTENCES:
                report(pline, where, f"the digest has {n} sentences; keep it to one or two")
            digests[(slug, number)] = digest.strip()

    for section in SECTIONS:
        missing = [
            n
            for n in range(1, section.paragraphs + 1)
            if (section.slug, n) not in digests and (section.slug, n) not in reported
        ]
        if missing:
            line = data.line_of(section.slug) if section.slug in data else None
            listed = ", ".join(map(str, missing))
            report(line, section.slug, f"no digest for paragraph(s) {listed} of '{section.slug}'")
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return digests, problems


def read_digests(path: str | os.PathLike[str] = DIGESTS_FILE) -> tuple[Digests, list[Problem]]:
    """The digests on disk and every problem of the file (never raises)."""
    name = display_path(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [Problem(name, None, None, None, f"cannot read the digests file: {exc}")]
    return parse_digests_text(text, name)


def load_digests(path: str | os.PathLike[str] = DIGESTS_FILE) -> Digests:
    """``{(section slug, paragraph number): digest}`` for every paragraph of the article.

    Raises ``BankError`` listing every problem if the file is missing, incomplete or wrong.
    """
    digests, problems = read_digests(path)
    if problems:
        raise BankError(problems)
    return digests
