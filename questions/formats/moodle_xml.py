"""Moodle XML, the format Moodle moves question banks in: import and export.

Import: the XML is parsed with defusedxml (no DTD, no entity expansion, no external
entities); every ``<question>`` is offered to the kinds whose ``moodle_types`` name its
type, and their ``from_moodle_xml`` reads it. A ``category`` sets the section when its
last part names one (by slug or title). Names give ids, ``<idnumber>`` the id itself,
``<tags>`` the tags, ``<generalfeedback>`` the explanation. A type no kind reads (essay,
description, calculated...) is a problem that names it.

Export: ``dump_moodle_xml(questions)`` writes each question through its kind's
``to_moodle_xml``, in plain-text format so texts come back as they went, with a category
per section; what a kind cannot write is listed, never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from ..kinds import all_specs, spec
from ..kinds.base import MoodleAnswer, MoodleQuestion
from ..model import ID_PATTERN, SECTIONS, SECTIONS_BY_SLUG, Question
from ..quoting import shown
from ..validation import Problem
from .common import (
    MAX_ITEMS,
    MAX_PARTS,
    NO_DEFAULTS,
    ImportDefaults,
    ParsedItem,
    finish_items,
    problem,
    slugify,
    sort_problems,
)
from .markup import to_text

# Moodle's format names in XML -> the names markup.to_text reads.
_FORMATS = {
    "html": "html",
    "moodle_auto_format": "moodle",
    "plain_text": "plain",
    "markdown": "markdown",
}
_QUESTION_TAG = re.compile(r"<question\b")
_CDATA = re.compile(r"<!\[CDATA\[.*?\]\]>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


class _Refused(ValueError):
    pass


def parse_moodle_xml(
    text: str,
    *,
    filename: str = "questions.xml",
    defaults: ImportDefaults = NO_DEFAULTS,
    taken_ids: Iterable[str] = (),
) -> tuple[list[ParsedItem], list[Problem]]:
    """Read Moodle XML: the valid questions with their line, and every problem."""
    try:
        root = fromstring(text.encode("utf-8"), forbid_dtd=True)
    except DefusedXmlException:
        return [], [problem(filename, 1, "the file declares a DTD or entities, which are refused")]
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 1
        return [], [problem(filename, line, f"not readable as XML: {exc}")]
    questions = [root] if root.tag == "question" else root.findall("question")
    if root.tag not in ("quiz", "question"):
        return [], [problem(filename, 1, f"a Moodle XML file is a <quiz>, not <{root.tag}>")]
    if len(questions) > MAX_ITEMS:
        return [], [problem(filename, 1, f"more than {MAX_ITEMS} questions")]
    lines = _question_lines(text)
    problems: list[Problem] = []
    raw: list[tuple[int, dict[str, Any]]] = []
    titles: dict[int, str] = {}
    notes: dict[int, list[str]] = {}
    section: str | None = None
    for n, element in enumerate(questions):
        line = lines[n] if n < len(lines) else 1
        qtype = element.get("type", "")
        if qtype == "category":
            section = _section_of_category(_child_text(element, "category"))
            continue
        found: list[str] = []
        try:
            mapping, title = _read_question(element, qtype, notes=found)
        except _Refused as exc:
            problems.append(problem(filename, line, str(exc)))
            continue
        if section and "section" not in mapping:
            mapping["section"] = section
        if title:
            titles[line] = title
        if found:
            notes[line] = list(dict.fromkeys(found))
        raw.append((line, mapping))
    items, more = finish_items(
        raw, filename=filename, defaults=defaults, taken_ids=taken_ids, titles=titles, notes=notes
    )
    return items, sort_problems(problems + more)


def _question_lines(text: str) -> list[int]:
    """The line of each <question> tag, in order (CDATA and comments blanked first)."""

    def blank(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    plain = _COMMENT.sub(blank, _CDATA.sub(blank, text))
    return [plain.count("\n", 0, m.start()) + 1 for m in _QUESTION_TAG.finditer(plain)]


def _section_of_category(path: str) -> str | None:
    last = path.strip().rstrip("/").rsplit("/", 1)[-1].strip()
    slug = slugify(last, words=20)
    for s in SECTIONS:
        if slug in (s.slug, slugify(s.title, words=20)):
            return s.slug
    return None


def _child_text(element: Element, path: str) -> str:
    """The ``<text>`` of a child (or the child's own text), "" when absent."""
    child = element.find(path)
    if child is None:
        return ""
    inner = child.find("text")
    return (inner.text if inner is not None else child.text) or ""


def _format_of(element: Element | None, default: str = "moodle") -> str:
    if element is None:
        return default
    return _FORMATS.get(element.get("format", ""), default)


def _read_question(
    element: Element, qtype: str, *, notes: list[str]
) -> tuple[dict[str, Any], str | None]:
    def fail(message: str) -> NoReturn:
        raise _Refused(message)

    def text(raw: str, fmt: str) -> str:
        converted, dropped = to_text(raw, fmt)
        notes.extend(dropped)
        return converted

    kinds = [k for k in all_specs() if qtype in k.moodle_types]
    if not kinds:
        name = _child_text(element, "name")
        fail(f"Moodle's {qtype or 'untyped'} type ({shown(name)}) is not a kind the bank has")
    parts = len(element.findall("answer")) + len(element.findall("subquestion"))
    if parts > MAX_PARTS or element.findtext("questiontext/text", "").count("{") > MAX_PARTS:
        fail(f"more than {MAX_PARTS} answers in one question")
    question_text = element.find("questiontext")
    fmt = _format_of(question_text)
    raw_text = _child_text(element, "questiontext")
    mq = MoodleQuestion(
        type=qtype,
        raw_text=raw_text,
        text_format=fmt,
        answers=[_answer(a, fmt, text) for a in element.findall("answer")],
        subquestions=[
            (
                text(_child_text(sq, "."), _format_of(sq, fmt)),
                text(_child_text(sq, "answer"), "plain"),
            )
            for sq in element.findall("subquestion")
        ],
        get=lambda tag: (element.findtext(tag) or "").strip(),
        text=text,
        note=notes.append,
        fail=fail,
    )
    for kind in kinds:
        fields = kind.from_moodle_xml(mq)
        if fields is not None:
            break
    else:
        fail(f"no kind of question reads this Moodle {qtype} question")
    mapping: dict[str, Any] = {"kind": kind.kind.value, "prompt": text(raw_text, fmt)}
    mapping.update(fields)
    explanation = text(
        _child_text(element, "generalfeedback"), _format_of(element.find("generalfeedback"), fmt)
    )
    if explanation:
        mapping["explanation"] = explanation
    idnumber = (element.findtext("idnumber") or "").strip()
    if idnumber:
        qid = idnumber if ID_PATTERN.match(idnumber) else slugify(idnumber)
        if qid != idnumber:
            notes.append(
                f"id {shown(idnumber)} became {shown(qid)} "
                "(the bank's ids are lowercase-with-hyphens)"
            )
        mapping["id"] = qid
    tags = [t.strip() for t in (x.findtext("text") or "" for x in element.iter("tag")) if t.strip()]
    if tags:
        mapping["tags"] = list(dict.fromkeys(tags))
    title = _child_text(element, "name").strip() or None
    return mapping, title


def _answer(element: Element, fmt: str, text: Any) -> MoodleAnswer:
    try:
        fraction = float(element.get("fraction", "0"))
    except ValueError:
        raise _Refused(
            f"answer fraction {shown(element.get('fraction'))} is not a number"
        ) from None
    feedback = element.find("feedback")
    tolerance = (element.findtext("tolerance") or "0").strip() or "0"
    try:
        tol = abs(float(tolerance))
    except ValueError:
        raise _Refused(f"tolerance {shown(tolerance)} is not a number") from None
    return MoodleAnswer(
        fraction=fraction,
        text=text(_child_text(element, "."), _format_of(element, fmt)),
        feedback=text(_child_text(element, "feedback"), _format_of(feedback, fmt))
        if feedback is not None
        else "",
        tolerance=tol,
    )


# --- export ------------------------------------------------------------------------------
class _Writer:
    """The helpers a kind writes its Moodle XML with (``MoodleXmlWriter``)."""

    def __init__(self, qid: str, notes: list[str]) -> None:
        self._qid = qid
        self._notes = notes

    def element(self, tag: str, text: str = "", **attrs: str) -> Element:
        found = Element(tag, attrs)
        found.text = text
        return found

    def text(self, tag: str, text: str) -> Element:
        found = Element(tag, {"format": "plain_text"})
        SubElement(found, "text").text = text
        return found

    def answer(self, fraction: float, text: str, feedback: str | None = None) -> Element:
        found = Element("answer", {"fraction": f"{fraction:g}", "format": "plain_text"})
        SubElement(found, "text").text = text
        if feedback:
            found.append(self.text("feedback", feedback))
        return found

    def note(self, message: str) -> None:
        self._notes.append(f"{self._qid}: {message}")


def dump_moodle_xml(questions: Sequence[Question]) -> tuple[str, list[str]]:
    """The questions as a Moodle XML file, and what the format could not hold."""
    notes: list[str] = []
    quiz = Element("quiz")
    section = None
    for q in questions:
        out = _Writer(q.id, notes)
        written = spec(q.kind).to_moodle_xml(q, out)
        if written is None:
            notes.append(f"{q.id}: a {q.kind.spec.noun} question has no Moodle XML form")
            continue
        if q.note:
            out.note("the note has no place in Moodle XML and is left out")
        if q.section != section:
            section = q.section
            category = SubElement(quiz, "question", {"type": "category"})
            # The section's title, which an import maps back to the section.
            title = SECTIONS_BY_SLUG[section].title if section in SECTIONS_BY_SLUG else section
            SubElement(SubElement(category, "category"), "text").text = f"$course$/top/{title}"
        qtype, children = written
        element = SubElement(quiz, "question", {"type": qtype})
        SubElement(SubElement(element, "name"), "text").text = q.id
        element.append(out.text("questiontext", children_prompt(children, q.prompt)))
        element.append(out.text("generalfeedback", q.explanation))
        SubElement(element, "idnumber").text = q.id
        for child in children:
            if child.tag != "questiontext":
                element.append(child)
        if q.tags:
            tags = SubElement(element, "tags")
            for tag in q.tags:
                SubElement(SubElement(tags, "tag"), "text").text = tag
    indent(quiz)
    body = tostring(quiz, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n", notes


def children_prompt(children: list[Element], prompt: str) -> str:
    """A kind may write its own question text (a cloze's embedded answers)."""
    for child in children:
        if child.tag == "questiontext":
            return child.findtext("text") or ""
    return prompt
