"""Command line for the bank: ``python -m questions validate [DIR]``, ``lint [DIR]``,
``stats [--json]``, ``export-anki -o FILE [--section SLUG]``, ``export-gift`` and
``export-moodle-xml`` (``[-o FILE] [--section SLUG]``).

Each subcommand is one ``add_<name>`` function that declares its arguments and one
``cmd_<name>`` function that runs it and returns the exit status; ``COMMANDS`` lists the
``add_`` functions, so a new subcommand is two small functions and one line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .digests import DIGESTS_FILE, read_digests
from .loader import BANK_DIR, display_path, load_bank
from .stats import bank_stats, format_stats


def cmd_validate(args: argparse.Namespace) -> int:
    """Print every problem of the bank and the digests (exit 1), or one summary line (exit 0)."""
    bank = load_bank(args.directory)
    digests, digest_problems = read_digests(args.digests)
    problems = [*bank.problems, *digest_problems]
    if problems:
        for problem in problems:
            print(problem)
        files = len({p.file for p in problems})
        print(f"{len(problems)} problem(s) in {files} file(s)", file=sys.stderr)
        return 1
    n_files = len(bank.files)
    print(
        f"ok: {len(bank.questions)} questions in {n_files} file{'s' if n_files != 1 else ''}, "
        f"{len(digests)} paragraph digests"
    )
    return 0


def add_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check every bank file; print problems with file:line")
    p.add_argument(
        "directory",
        nargs="?",
        type=Path,
        default=BANK_DIR,
        help=f"bank directory (default: {display_path(BANK_DIR)})",
    )
    p.add_argument(
        "--digests",
        type=Path,
        default=DIGESTS_FILE,
        metavar="FILE",
        help=f"the paragraph digests (default: {display_path(DIGESTS_FILE)})",
    )
    p.set_defaults(func=cmd_validate)


def cmd_stats(args: argparse.Namespace) -> int:
    """Print counts per section, kind and difficulty (valid questions only)."""
    bank = load_bank(args.directory)
    stats = bank_stats(bank.questions)
    if args.json:
        print(json.dumps(stats, indent=2))
    else:
        print(format_stats(stats))
    if bank.problems:
        print(
            f"note: {len(bank.problems)} problem(s) left some items out; "
            "run python -m questions validate",
            file=sys.stderr,
        )
    return 0


def add_stats(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="count questions per section, kind and difficulty")
    p.add_argument("--json", action="store_true", help="print a JSON object instead of a table")
    p.add_argument(
        "--dir",
        dest="directory",
        type=Path,
        default=BANK_DIR,
        help=f"bank directory (default: {display_path(BANK_DIR)})",
    )
    p.set_defaults(func=cmd_stats)


def cmd_export_anki(args: argparse.Namespace) -> int:
    """Write the bank, or one section of it, as an Anki package (exit 1 if refused)."""
    # Imported here so that validate and stats do not load genanki.
    from .anki import ExportError, export_anki
    from .revisions import bank_modified_times

    bank = load_bank(args.directory)
    if bank.problems:
        print(
            f"export-anki: the bank has {len(bank.problems)} problem(s); nothing written. "
            "Run python -m questions validate",
            file=sys.stderr,
        )
        return 1
    try:
        result = export_anki(
            bank.questions,
            args.output,
            section=args.section,
            modified=bank_modified_times(bank.files),
        )
    except ExportError as exc:
        print(f"export-anki: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {result.count} notes to {result.path}")
    return 0


def add_export_anki(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export-anki", help="write the bank as an Anki deck (.apkg)")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="FILE",
        help="the .apkg file to write (replaced if it exists)",
    )
    p.add_argument("--section", metavar="SLUG", help="export one section only")
    p.add_argument(
        "--dir",
        dest="directory",
        type=Path,
        default=BANK_DIR,
        help=f"bank directory (default: {display_path(BANK_DIR)})",
    )
    p.set_defaults(func=cmd_export_anki)


def cmd_lint(args: argparse.Namespace) -> int:
    """Print every unwaived giveaway warning (exit 1), or one summary line (exit 0)."""
    from .lint import lint_bank

    result = lint_bank(args.directory)
    for warning in result.warnings:
        print(warning)
    if args.waived:
        for warning, reason in result.waived:
            print(f"{warning} [waived: {reason}]")
    waived = f" ({len(result.waived)} waived)" if result.waived else ""
    if result.warnings:
        print(f"{len(result.warnings)} warning(s){waived}", file=sys.stderr)
        return 1
    print(f"ok: no giveaway warnings{waived}")
    return 0


def add_lint(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lint", help="warn where an item gives its answer away (exit 1 on unwaived warnings)"
    )
    p.add_argument("--waived", action="store_true", help="also list waived warnings")
    p.add_argument(
        "directory",
        nargs="?",
        type=Path,
        default=BANK_DIR,
        help=f"bank directory (default: {display_path(BANK_DIR)})",
    )
    p.set_defaults(func=cmd_lint)


def cmd_export_format(args: argparse.Namespace) -> int:
    """Write the bank in a Moodle format; list on stderr what the format could not hold."""
    from .formats import EXPORT_FORMATS

    bank = load_bank(args.directory)
    if bank.problems:
        print(
            f"{args.command}: the bank has {len(bank.problems)} problem(s); nothing written. "
            "Run python -m questions validate",
            file=sys.stderr,
        )
        return 1
    questions = [q for q in bank.questions if not args.section or q.section == args.section]
    if not questions:
        print(f"{args.command}: no questions in section {args.section!r}", file=sys.stderr)
        return 1
    _, dump, _, _ = EXPORT_FORMATS[args.format]
    text, notes = dump(questions)
    for note in notes:
        print(f"not exported as it is: {note}", file=sys.stderr)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


def add_export_formats(sub: argparse._SubParsersAction) -> None:
    for command, fmt, what in (
        ("export-gift", "gift", "Moodle GIFT"),
        ("export-moodle-xml", "moodle-xml", "Moodle XML"),
    ):
        p = sub.add_parser(command, help=f"write the bank as {what}")
        p.add_argument(
            "-o", "--output", type=Path, metavar="FILE", help="the file to write (default: stdout)"
        )
        p.add_argument("--section", metavar="SLUG", help="export one section only")
        p.add_argument(
            "--dir",
            dest="directory",
            type=Path,
            default=BANK_DIR,
            help=f"bank directory (default: {display_path(BANK_DIR)})",
        )
        p.set_defaults(func=cmd_export_format, format=fmt)


COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    add_validate,
    add_lint,
    add_stats,
    add_export_anki,
    add_export_formats,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m questions", description="Tools for the question bank."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; return its exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        sys.stdout = open(os.devnull, "w")  # so the flush at exit does not fail again
        return 1


if __name__ == "__main__":
    sys.exit(main())
