"""Fill in deploy/nginx-quiz.conf's @NAMES@ and print the nginx site (or write it with -o).

    .venv/bin/python deploy/render.py --server-name quiz.example.org --app-root /srv/quiz \\
        --cert /etc/ssl/quiz.pem --key /etc/ssl/quiz.key -o /etc/nginx/sites-available/quiz

The body size limit is read from the app's MAX_CONTENT_LENGTH (webapp/config.py), so nginx
and the app never disagree. The deployment test renders it the same way, for a temp dir.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
TEMPLATE = DEPLOY / "nginx-quiz.conf"


def max_body() -> int:
    """The app's request limit (``Config.MAX_CONTENT_LENGTH``)."""
    sys.path.insert(0, str(ROOT))
    from webapp.config import Config

    return int(Config.MAX_CONTENT_LENGTH)


def render(
    *,
    server_name: str,
    app_root: str,
    cert: str,
    key: str,
    upstream: str = "127.0.0.1:8000",
    http_port: int = 80,
    https_port: int = 443,
) -> str:
    """The nginx site with every @NAME@ filled in; fails on one left over."""
    values = {
        "SERVER_NAME": server_name,
        "APP_ROOT": app_root.rstrip("/"),
        "CERT": cert,
        "KEY": key,
        "UPSTREAM": upstream,
        "HTTP_PORT": str(http_port),
        "HTTPS_PORT": str(https_port),
        "MAX_BODY": str(max_body()),
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise ValueError(f"deploy/nginx-quiz.conf: no value for {', '.join(sorted(set(left)))}")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-name", required=True, help="the site's host name")
    parser.add_argument("--app-root", default=str(ROOT), help="the checkout (static/ in it)")
    parser.add_argument("--cert", required=True, help="TLS certificate chain (PEM)")
    parser.add_argument("--key", required=True, help="TLS private key (PEM)")
    parser.add_argument("--upstream", default="127.0.0.1:8000", help="gunicorn's address")
    parser.add_argument("--http-port", type=int, default=80)
    parser.add_argument("--https-port", type=int, default=443)
    parser.add_argument("-o", "--output", help="write here instead of stdout")
    args = parser.parse_args(argv)
    text = render(
        server_name=args.server_name,
        app_root=args.app_root,
        cert=args.cert,
        key=args.key,
        upstream=args.upstream,
        http_port=args.http_port,
        https_port=args.https_port,
    )
    if args.output:
        Path(args.output).write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
