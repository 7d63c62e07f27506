"""Bank files -> ``Question`` objects, with every problem placed at its file and line.

YAML is read with a SafeLoader subclass whose mappings and lists remember the line they
start on and the line of each key, so a problem found in a raw item can name the line of
the field at fault. Nothing here raises on bad input except ``load_bank(strict=True)``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .model import SECTIONS_BY_SLUG, Question
from .quoting import shown
from .validation import MAX_ITEMS, Problem, limit_problems, validate_item

BANK_DIR = Path(__file__).resolve().parent / "bank"
FILE_KEYS = ("section", "questions")
FILE_NAME_PATTERN = re.compile(r"^(\d\d)-([a-z0-9-]+)\.ya?ml$")


class LineDict(dict):
    """A mapping read from YAML that knows its own line and the line of each key (1-based)."""

    line: int | None = None
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int | None:
        return getattr(self, "key_lines", {}).get(key, self.line)


class LineList(list):
    """A list read from YAML that knows its own line and the line of each entry (1-based)."""

    line: int | None = None
    item_lines: list[int]


class LineLoader(yaml.SafeLoader):
    """PyYAML's safe loader, recording lines on mappings and lists; flags duplicate keys."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[Any, int, int]] = []  # (key, first line, again line)

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Refuse aliases (``*name``): a 500-byte file of nested aliases expands to
        gigabytes (a "billion laughs"), and a bank file never needs one."""
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                f"found the alias *{event.anchor[:20]}; "
                "aliases (*name) are not allowed: write each value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> Any:
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping",
                node.start_mark,
                "found an unhashable key",
                key_node.start_mark,
            ) from None
        line = key_node.start_mark.line + 1
        if key in data.key_lines:
            loader.duplicate_keys.append((key, data.key_lines[key], line))
        data.key_lines[key] = line
        data[key] = loader.construct_object(value_node, deep=True)


def _construct_sequence(loader: LineLoader, node: yaml.SequenceNode) -> Any:
    data = LineList()
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


# The C parser when PyYAML was built with libyaml (it is, from the wheels), for _precheck.
_FastLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Most YAML events (scalars, list and mapping starts and ends) one file may hold; the
# largest bank file has about 1,300, and the line-keeping loader with the rules reads some
# 8,000 a second.
MAX_YAML_VALUES = 20_000

LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


class BankError(ValueError):
    """The bank has problems; ``problems`` lists them all."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the question bank:\n{lines}")


@dataclass
class Bank:
    """The loaded bank: valid questions in article order, and every problem found."""

    questions: list[Question] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}


# --- one file ----------------------------------------------------------------------------------


@dataclass
class _Parsed:
    """What one file yields: questions, problems, its section and where each id sits."""

    questions: list[Question] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    section: str | None = None
    id_lines: dict[str, int | None] = field(default_factory=dict)
    # (item id, line of its related:, the ids it names) for the bank-wide check
    related: list[tuple[str, int | None, list[str]]] = field(default_factory=list)


def parse_bank_text(text: str, filename: str) -> tuple[list[Question], list[Problem]]:
    """Read one bank file's text: its valid questions and every problem (never raises).

    Only items without any problem become questions; callers that must import all or
    nothing check that the problem list is empty.
    """
    parsed = _parse_text(text, filename)
    return parsed.questions, parsed.problems


def _parse_text(text: str, filename: str) -> _Parsed:
    result = _Parsed()
    data, duplicates, problem = _read_yaml(text, filename)
    if problem is not None:
        result.problems.append(problem)
        return result
    section, items = _check_header(data, filename, result.problems)
    result.section = section
    if len(items) > MAX_ITEMS:
        result.problems.append(
            Problem(
                filename,
                items.item_lines[MAX_ITEMS],
                None,
                "questions",
                f"more than {MAX_ITEMS} questions in one file: split it",
            )
        )
        return result
    _parse_items(items, filename=filename, section=section, duplicates=duplicates, result=result)
    result.problems.sort(key=lambda p: (p.line is None, p.line or 0))
    result.problems = limit_problems(result.problems)
    return result


def _precheck(text: str, filename: str) -> Problem | None:
    """The one problem that stops a file before the line-keeping loader reads it.

    libyaml's event stream (C, fast) is read first: an alias, or more values than any bank
    file needs, refuses the file in a fraction of a second, where the pure-Python loader
    would spend seconds building what is then refused. A syntax error is left to the
    loader, which words it.
    """
    depth = 0
    events = items = 0
    try:
        for event in yaml.parse(text, Loader=_FastLoader):
            events += 1
            mark = event.start_mark
            line = mark.line + 1 if mark is not None else None
            if isinstance(event, yaml.AliasEvent):
                return Problem(
                    filename,
                    line,
                    None,
                    None,
                    f"not valid YAML here: found the alias *{str(event.anchor)[:20]}; "
                    "aliases (*name) are not allowed: write each value out",
                )
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                items += depth == 3  # an item of the list under questions:
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            if items > MAX_ITEMS:
                return Problem(
                    filename,
                    line,
                    None,
                    "questions",
                    f"more than {MAX_ITEMS} questions in one file: split it",
                )
            if events > MAX_YAML_VALUES:
                return Problem(
                    filename,
                    line,
                    None,
                    None,
                    f"more than {MAX_YAML_VALUES:,} values in one file (a bank file of a "
                    "hundred questions has about 4,000): split it",
                )
    except yaml.YAMLError:
        return None
    return None


def _read_yaml(text: str, filename: str) -> tuple[Any, list[Problem], Problem | None]:
    """The document, its duplicated keys (as problems), or the one problem that stops it."""
    stop = _precheck(text, filename)
    if stop is not None:
        return None, [], stop
    loader = None
    try:
        loader = LineLoader(text)  # the reader already rejects control characters
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        message = f"not valid YAML: {what}" + (f" ({context})" if context else "")
        return None, [], Problem(filename, line, None, None, message)
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # e.g. a date like 2021-02-30 that YAML reads as a timestamp
        return None, [], Problem(filename, None, None, None, f"not valid YAML: {exc}")
    finally:
        if loader is not None:
            loader.dispose()
    duplicates = [
        Problem(
            filename,
            again,
            None,
            str(key),
            f"key {shown(key)} appears twice in one mapping (lines {first} and "
            f"{again}); YAML keeps only the last",
        )
        for key, first, again in loader.duplicate_keys
    ]
    if data is None:
        return (
            None,
            [],
            Problem(
                filename,
                1,
                None,
                None,
                "the file is empty; a bank file is a mapping with section: and questions:",
            ),
        )
    if not isinstance(data, LineDict):
        return (
            None,
            [],
            Problem(
                filename,
                getattr(data, "line", 1),
                None,
                None,
                "a bank file must be a mapping with section: and questions:",
            ),
        )
    return data, duplicates, None


def _check_header(
    data: LineDict, filename: str, problems: list[Problem]
) -> tuple[str | None, LineList]:
    """Check the file's own keys; return its known section (or None) and its item list."""

    def report(line: int | None, field_name: str, message: str) -> None:
        problems.append(Problem(filename, line, None, field_name, message))

    for key in data:
        if key not in FILE_KEYS:
            report(
                data.line_of(key),
                str(key),
                f"unknown key {shown(key)} at the top of the file "
                f"(a bank file has {' and '.join(FILE_KEYS)})",
            )
    known = ", ".join(SECTIONS_BY_SLUG)
    section = data.get("section")
    if section is None:
        report(data.line, "section", f"the file needs section: (one of {known})")
    elif not isinstance(section, str) or section not in SECTIONS_BY_SLUG:
        report(
            data.line_of("section"),
            "section",
            f"unknown section {shown(section)}; known sections: {known}",
        )
    items = data.get("questions")
    if items is None:
        report(data.line, "questions", "the file needs questions: (a list of items)")
    elif not isinstance(items, LineList):
        report(
            data.line_of("questions"),
            "questions",
            "questions: must be a list of items (each starting with '- id: ...')",
        )
    elif not items:
        report(data.line_of("questions"), "questions", "questions: is empty; add at least one item")
    if not isinstance(items, LineList):
        items = LineList()
        items.item_lines = []
    known_section = section if isinstance(section, str) and section in SECTIONS_BY_SLUG else None
    return known_section, items


def _parse_items(
    items: LineList,
    *,
    filename: str,
    section: str | None,
    duplicates: list[Problem],
    result: _Parsed,
) -> None:
    """Validate each item; build the questions of those without a problem."""
    first_seen = result.id_lines
    starts = [*items.item_lines, float("inf")]
    for index, item in enumerate(items):
        item_line = items.item_lines[index]
        found = _check_item(
            item, filename=filename, section=section, item_line=item_line, index=index
        )
        item_id = item.get("id") if isinstance(item, LineDict) else None
        label = item_id if isinstance(item_id, str) and item_id else f"#{index + 1}"
        # A duplicated key inside this item (however deep) makes the item unusable.
        inside = [
            d for d in duplicates if d.line is not None and item_line <= d.line < starts[index + 1]
        ]
        duplicates = [d for d in duplicates if d not in inside]
        found.extend(replace(d, item=label) for d in inside)
        if isinstance(item_id, str):
            if item_id in first_seen:
                found.append(
                    Problem(
                        filename,
                        item.line_of("id"),
                        item_id,
                        "id",
                        f"duplicate id: also used at line {first_seen[item_id]}",
                    )
                )
            else:
                first_seen[item_id] = item.line_of("id")
            if isinstance(item.get("related"), list):
                named = [r for r in item["related"] if isinstance(r, str)]
                result.related.append((item_id, item.line_of("related"), named))
        if found or section is None:  # no known section: the file is reported already
            result.problems.extend(found)
            continue
        try:
            result.questions.append(Question.from_dict(item, section=section))
        except (KeyError, ValueError, TypeError) as exc:  # a shape validation let through
            result.problems.append(
                Problem(filename, item_line, label, None, f"cannot build this item: {exc}")
            )
    result.problems.extend(duplicates)  # those outside any item


def _check_item(
    item: Any, *, filename: str, section: str | None, item_line: int, index: int
) -> list[Problem]:
    """Validate one raw item and place each problem at its field's line."""
    found = validate_item(item, section=section)
    if section is None and isinstance(item, dict) and "section" not in item:
        # The file's missing or unknown section is reported once, not again for each item.
        found = [p for p in found if p.field != "section"]
    placed = []
    for p in found:
        line = item.line_of(p.field) if isinstance(item, LineDict) and p.field else None
        placed.append(
            replace(p, file=filename, line=line or item_line, item=p.item or f"#{index + 1}")
        )
    return placed


def load_file(path: str | os.PathLike[str]) -> tuple[list[Question], list[Problem]]:
    """Read one bank file from disk (never raises; an unreadable file is a problem)."""
    parsed = _load_path(path)
    return parsed.questions, parsed.problems


def _load_path(path: str | os.PathLike[str]) -> _Parsed:
    name = display_path(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return _Parsed(problems=[Problem(name, None, None, None, f"not UTF-8 text: {exc.reason}")])
    except OSError as exc:
        return _Parsed(
            problems=[Problem(name, None, None, None, f"cannot read the file: {exc.strerror}")]
        )
    return _parse_text(text, name)


def display_path(path: str | os.PathLike[str]) -> str:
    """The path as a user would type it: relative to the working directory when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


# --- the whole bank ----------------------------------------------------------------------------


def bank_files(directory: str | os.PathLike[str] = BANK_DIR) -> list[Path]:
    """The bank's YAML files in name (= article) order."""
    d = Path(directory)
    if not d.is_dir():
        return []
    return sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_bank(directory: str | os.PathLike[str] = BANK_DIR, *, strict: bool = False) -> Bank:
    """Load every bank file: questions in article order and all problems.

    With ``strict=True`` any problem raises ``BankError`` listing them all.
    """
    bank = Bank(files=bank_files(directory))
    if not Path(directory).is_dir():
        bank.problems.append(
            Problem(display_path(directory), None, None, None, "no such directory")
        )
    elif not bank.files:
        bank.problems.append(
            Problem(
                display_path(directory),
                None,
                None,
                None,
                "no bank files (*.yaml) in this directory",
            )
        )
    file_order: list[tuple[int, int, list[Question]]] = []
    id_places: dict[str, str] = {}
    section_files: dict[str, str] = {}
    related: list[tuple[str, str, int | None, list[str]]] = []
    for position, path in enumerate(bank.files):
        name = display_path(path)
        parsed = _load_path(path)
        related.extend((name, item, line, ids) for item, line, ids in parsed.related)
        bank.problems.extend(parsed.problems)
        bank.problems.extend(_check_file_name(path, name, parsed.section, section_files))
        duplicates = set()
        for item_id, line in parsed.id_lines.items():  # every id, valid item or not
            if item_id in id_places:
                duplicates.add(item_id)
                bank.problems.append(
                    Problem(
                        name,
                        line,
                        item_id,
                        "id",
                        f"duplicate id: also used at {id_places[item_id]}",
                    )
                )
            else:
                id_places[item_id] = f"{name}:{line}"
        kept = [q for q in parsed.questions if q.id not in duplicates]
        last = len(SECTIONS_BY_SLUG)  # files without a known section go at the end
        number = SECTIONS_BY_SLUG[parsed.section].number if parsed.section else last
        file_order.append((number, position, kept))
    bank.problems.extend(_check_related(related, id_places))
    # Article order: by section number, then file order (stable within a file).
    for _, _, questions in sorted(file_order, key=lambda t: (t[0], t[1])):
        bank.questions.extend(questions)
    if strict and bank.problems:
        raise BankError(bank.problems)
    return bank


def _check_related(
    related: list[tuple[str, str, int | None, list[str]]], id_places: dict[str, str]
) -> list[Problem]:
    """Every id an item names in related: must be an item of the bank."""
    return [
        Problem(
            name, line, item, "related", f"related names {shown(other)}, which no bank item has"
        )
        for name, item, line, ids in related
        for other in ids
        if other not in id_places
    ]


def _check_file_name(
    path: Path, name: str, section: str | None, section_files: dict[str, str]
) -> list[Problem]:
    """Bank files are NN-slug.yaml after their section, one file per section."""
    if section not in SECTIONS_BY_SLUG:
        return []  # the unknown section itself is already reported
    problems = []
    s = SECTIONS_BY_SLUG[section]
    expected = f"{s.number:02d}-{s.slug}.yaml"
    if not FILE_NAME_PATTERN.match(path.name) or path.name != expected:
        problems.append(
            Problem(
                name,
                None,
                None,
                "section",
                f"a file of section {shown(section)} should be named {expected}",
            )
        )
    if section in section_files:
        problems.append(
            Problem(
                name,
                None,
                None,
                "section",
                f"section {shown(section)} also has the file {section_files[section]}"
                "; keep one file per section",
            )
        )
    else:
        section_files[section] = name
    return problems
