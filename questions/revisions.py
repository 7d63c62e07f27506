"""When each question of the bank files last changed, for Anki's "update if newer".

Anki applies a re-imported note only when its modification time is newer than the copy in
the collection, and it keeps the time a note was first imported with. The bank files carry
no timestamps, so a question's time is read from history without any extra state:

* the newest commit (committer time) among the lines that hold the question, from
  ``git blame``: an edit moves it forward, an untouched question keeps it on every export
  and on every machine with the same history;
* the file's modification time for lines not committed yet (an edit in progress), which
  is later than the commit it changes;
* the file's modification time for every question of a file git cannot blame (no git, not
  a checkout, an untracked file).

A commit that only reformats a question also moves its time forward; Anki then reports the
note "updated" with the same fields, which is harmless.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import yaml

__all__ = ["bank_modified_times", "question_line_ranges"]

_UNCOMMITTED = "0" * 40


def question_line_ranges(text: str) -> dict[str, tuple[int, int]]:
    """Question id -> (first line, last line), 1-based and inclusive, in a bank file's text.

    Entries without a scalar ``id`` are left out; a file that is not a bank mapping
    gives an empty result (the loader reports such files, not this).
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(root, yaml.MappingNode):
        return {}
    seq = next(
        (v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "questions"),
        None,
    )
    if not isinstance(seq, yaml.SequenceNode):
        return {}
    ranges: dict[str, tuple[int, int]] = {}
    for item in seq.value:
        if not isinstance(item, yaml.MappingNode):
            continue
        qid = next(
            (
                v.value
                for k, v in item.value
                if isinstance(k, yaml.ScalarNode)
                and k.value == "id"
                and isinstance(v, yaml.ScalarNode)
            ),
            None,
        )
        if qid is None:
            continue
        first = item.start_mark.line
        ranges[str(qid)] = (first + 1, max(_last_line(item), first) + 1)
    return ranges


def _last_line(node: yaml.Node) -> int:
    """The 0-based line of a node's last character.

    A block collection's end mark sits on the next token (the following ``- id:`` line),
    and a block scalar's at the start of the next line, so look at the last child instead.
    """
    if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
        return _last_line(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _last_line(node.value[-1])
    end = node.end_mark
    return end.line if end.column else max(end.line - 1, node.start_mark.line)


def _blame_times(path: Path) -> dict[int, int | None] | None:
    """Line number -> committer time (None if uncommitted), or None if git cannot blame."""
    try:
        proc = subprocess.run(
            ["git", "blame", "--porcelain", "--", path.name],
            cwd=path.parent,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    commit_times: dict[str, int] = {}
    line_commits: dict[int, str] = {}
    current = None
    for row in proc.stdout.splitlines():
        if row.startswith("\t"):
            continue  # the line's content
        parts = row.split(" ")
        if len(parts[0]) == 40 and len(parts) >= 3 and parts[2].isdigit():
            # "<sha> <original line> <final line> [<group size>]"
            current = parts[0]
            line_commits[int(parts[2])] = current
        elif parts[0] == "committer-time" and current is not None and len(parts) > 1:
            commit_times[current] = int(parts[1])
    return {
        n: (None if sha == _UNCOMMITTED else commit_times.get(sha))
        for n, sha in line_commits.items()
    }


def bank_modified_times(paths: Iterable[str | os.PathLike[str]]) -> dict[str, datetime]:
    """Question id -> UTC datetime of its last change, for the questions in these files."""
    out: dict[str, datetime] = {}
    for raw in paths:
        path = Path(raw)
        text = path.read_text(encoding="utf-8")
        file_time = int(path.stat().st_mtime)
        blame = _blame_times(path)
        for qid, (first, last) in question_line_ranges(text).items():
            if blame is None:
                stamp = file_time
            else:
                times = [blame.get(n) for n in range(first, last + 1)]
                stamp = max(file_time if t is None else t for t in times)
            out[qid] = datetime.fromtimestamp(stamp, tz=UTC)
    return out
