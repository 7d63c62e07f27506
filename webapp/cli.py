"""Flask commands: thin wrappers over ``questions`` and the models."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import IntegrityError

from questions import load_bank
from questions.anki import ExportError, export_anki

from . import aggregates
from .bank_export import write_bank
from .bank_sync import lock_bank, sync_bank
from .export.deck import published_questions
from .extensions import db
from .models import Role, User, normalize_email, utcnow

bank_cli = AppGroup("bank", help="Load the question bank into the database, or dump it.")
users_cli = AppGroup("users", help="Manage accounts.")
attempts_cli = AppGroup("attempts", help="Housekeeping of quiz attempts.")
stats_cli = AppGroup("stats", help="The figures kept up to date as answers come in.")


@stats_cli.command("rebuild")
def stats_rebuild() -> None:
    """Recompute every kept figure from the answers and the bank, in one transaction."""
    counts = aggregates.rebuild()
    db.session.commit()
    click.echo("stats rebuild: " + ", ".join(f"{n} {table} rows" for table, n in counts.items()))


@bank_cli.command("load")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
def bank_load(directory: str | None) -> None:
    """Load the bank (default: questions/bank): add new, update changed, retire removed."""
    directory = directory or current_app.config["BANK_DIR"]
    bank = load_bank(directory)
    if bank.problems:
        for problem in bank.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"{len(bank.problems)} problem(s) in {directory}; nothing was loaded."
        )
    lock_bank(
        on_wait=lambda: click.echo("bank load: another bank load is running; waiting for it.")
    )
    try:
        report = sync_bank(bank.questions)
        for uid in report.conflicts:
            click.echo(f"skipped {uid}: an instructor's question already has this id", err=True)
        db.session.commit()
    except IntegrityError as exc:  # a writer that does not take the lock got there first
        db.session.rollback()
        raise click.ClickException(
            "another change to the questions was saved meanwhile; nothing was loaded. "
            "Run bank load again."
        ) from exc
    click.echo(f"bank load: {report.summary()}.")


@bank_cli.command("dump")
@click.argument("directory", type=click.Path(file_okay=False))
def bank_dump(directory: str) -> None:
    """Write the published questions as bank files into DIRECTORY (e.g. questions/bank)."""
    paths = write_bank(directory)
    for path in paths:
        click.echo(f"wrote {path}")
    click.echo(f"bank dump: {len(paths)} file(s) written to {directory}.")


@users_cli.command("create")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.STUDENT.value,
    show_default=True,
)
@click.password_option(help="Prompted for (twice) when not given.")
def users_create(email: str, role: str, password: str) -> None:
    """Create an account, e.g. an instructor: users create EMAIL --role instructor."""
    email = normalize_email(email)
    if "@" not in email:
        raise click.BadParameter(f"{email!r} is not an email address", param_hint="EMAIL")
    if len(password) < 8:
        raise click.BadParameter("use at least 8 characters", param_hint="--password")
    if db.session.scalar(db.select(User).where(User.email == email)) is not None:
        raise click.ClickException(f"an account for {email} already exists")
    user = User(email=email, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {role} {email}")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def users_set_role(email: str, role: str) -> None:
    """Make an existing account a student or an instructor."""
    email = normalize_email(email)
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        raise click.ClickException(f"no account for {email}")
    user.role = role
    db.session.commit()
    click.echo(f"{email} is now {'an' if role == 'instructor' else 'a'} {role}")


@users_cli.command("reset-link")
@click.argument("email")
@click.option(
    "--base-url", default="http://127.0.0.1:5000", show_default=True, help="The site's address."
)
@click.option("--mail/--no-mail", default=False, help="Also mail the link to the account.")
def users_reset_link(email: str, base_url: str, mail: bool) -> None:
    """Print a single-use password reset link (valid for an hour) for a student who asks."""
    from flask import current_app, url_for

    from .account.service import reset_token, send_reset_link

    email = normalize_email(email)
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        raise click.ClickException(f"no account for {email}")
    with current_app.test_request_context(base_url=base_url):
        link = (
            send_reset_link(user)
            if mail
            else url_for("account.reset", token=reset_token(user), _external=True)
        )
    click.echo(link)


@attempts_cli.command("purge-guests")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="Delete guests' attempts started more than this many days ago.",
)
def attempts_purge_guests(days: int) -> None:
    """Delete old guest attempts (never counted anywhere; students' attempts stay)."""
    from .quiz.service import purge_guest_attempts

    count = purge_guest_attempts(utcnow() - timedelta(days=days))
    click.echo(f"deleted {count} guest attempt(s) older than {days} day(s)")


@click.command("export-anki")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="The .apkg file to write (replaced if it exists).",
)
@click.option("--section", metavar="SLUG", help="Export one section only.")
@with_appcontext
def export_anki_command(output: Path, section: str | None) -> None:
    """Write the published questions (instructors' included) as an Anki deck (.apkg)."""
    try:
        questions, modified, _ = published_questions(section)
        result = export_anki(questions, output, modified=modified)
    except ExportError as exc:  # one line, exit 1, and export_anki leaves no file
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {result.count} notes to {result.path}")


export_cli = AppGroup("export", help="Write the published questions in a Moodle format.")


def _export_command(fmt: str, label: str) -> None:
    @export_cli.command(fmt, help=f"Write the published questions as {label}.")
    @click.option(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        type=click.Path(path_type=Path),
        help="The file to write (replaced if it exists).",
    )
    @click.option("--section", metavar="SLUG", help="Export one section only.")
    @with_appcontext
    def command(output: Path, section: str | None) -> None:
        from questions.formats import EXPORT_FORMATS

        from .bank_export import published_questions as published

        questions = [q for q in published() if not section or q.section == section]
        text, notes = EXPORT_FORMATS[fmt][1](questions)
        for note in notes:
            click.echo(f"not exported as it is: {note}", err=True)
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")


_export_command("gift", "Moodle GIFT")
_export_command("moodle-xml", "Moodle XML")


def register(app: Flask) -> None:
    """Attach the command groups to ``flask``."""
    app.cli.add_command(bank_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(attempts_cli)
    app.cli.add_command(stats_cli)
    app.cli.add_command(export_anki_command)
    app.cli.add_command(export_cli)
