"""Sending mail: Flask-Mail over SMTP when ``MAIL_SERVER`` is set.

In development (no ``MAIL_SERVER``) a message is written to the log instead; with
``MAIL_OUTBOX_DIR`` set, each message is also saved there as a file, so a browser test
against a separate server process can read it. Tests in-process read
``mail.record_messages()``.
"""

from __future__ import annotations

import time
from pathlib import Path

from flask import current_app
from flask_mail import Mail, Message

mail = Mail()


def send(to: str, subject: str, body: str) -> None:
    """Send one plain-text message (or log it where no SMTP server is configured)."""
    message = Message(subject=subject, recipients=[to], body=body)
    outbox = current_app.config.get("MAIL_OUTBOX_DIR")
    if outbox:
        folder = Path(outbox)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns()}.txt"
        (folder / name).write_text(f"To: {to}\nSubject: {subject}\n\n{body}", encoding="utf-8")
    if not current_app.config.get("MAIL_SERVER_SET"):
        current_app.logger.info("mail to %s: %s\n%s", to, subject, body)
    mail.send(message)  # suppressed (recorded only) unless an SMTP server is configured
