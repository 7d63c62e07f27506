"""Log-in throttling: a limited number of password checks per account and address.

Each try takes a slot *before* the password is checked, with one atomic upsert per counter
(``ratelimit.hit``), so parallel tries cannot all slip under the limit: of 15 at once, at
most ``LOGIN_MAX_FAILURES_PER_ACCOUNT`` are checked. Two counters:

- per (account, address): a few failures lock that account out from that address only, so
  one student behind a school's NAT never locks the rest of the class out of theirs;
- per address: a higher limit on failures over all accounts (guessing across accounts);
- per account: a still higher limit on failures from all addresses together (a botnet
  guessing one password), which only a reset link gets past before the window ends.

A successful log-in gives its slots back. A locked-out student can still get in at once
through a password reset link, which logs them in and forgets the account's failures.
"""

from __future__ import annotations

import math

from flask import current_app

from .. import ratelimit


def _account_key(email: str, ip: str) -> str:
    return f"login:{ip}:{email}"


def _address_key(ip: str) -> str:
    return f"login-ip:{ip}"


def _everywhere_key(email: str) -> str:
    return f"login-all:{email}"


def take_slot(email: str, ip: str) -> int:
    """Count one log-in try; 0 when its password may be checked, else seconds to wait."""
    cfg = current_app.config
    window = int(cfg["LOGIN_FAILURE_WINDOW_SECONDS"])
    wait = 0
    for key, limit in (
        (_account_key(email, ip), cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
        (_address_key(ip), cfg["LOGIN_MAX_FAILURES_PER_IP"]),
        (_everywhere_key(email), cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT_ALL_ADDRESSES"]),
    ):
        count, seconds_left = ratelimit.hit(key, window)
        if count > int(limit):
            wait = max(wait, seconds_left)
    return wait


def succeeded(email: str, ip: str) -> None:
    """The password was right: forget the account's failures from here, give the slot back."""
    ratelimit.take_back(_account_key(email, ip))
    ratelimit.give_back(_address_key(ip))
    ratelimit.give_back(_everywhere_key(email))


def forget_account(email: str, ip: str) -> None:
    """A reset link was used from ``ip``: the account's failures from there, and from
    everywhere, are forgotten (the new password is unknown to whoever was guessing)."""
    ratelimit.take_back(_account_key(email, ip))
    ratelimit.take_back(_everywhere_key(email))


def wait_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return (
        f"Too many failed log-ins. Wait {minutes} {unit} and try again, "
        "or get back in now with a reset link (Forgot your password?)."
    )
