"""Server time of the student pages now against an earlier commit, in the same run.

    .venv/bin/python bench/time_against.py REV [--rounds 5] [--requests 150] [--no-write]
    # e.g. REV = 3681cd6, the last commit before the redesign of issue 16

Checks REV out into a temporary git worktree. In each tree (REV's and this one) a separate
process builds the app on a fresh SQLite database with the test fixture bank and, as a
guest (the one path both trees share), measures the CPU milliseconds per request of
``/healthz``, the home page, a quiz's start page, a question page, an answer (a POST that
stores it and redirects) and the results of a finished quiz. The trees take turns, round
after round, so both see the same machine; each figure is the lowest of the rounds'
medians. The answer picks each question's first option (or types "1"): a right or a wrong
answer costs the same to store, and a POST the tree refuses (a 422) is left out.

What it says: whether a page costs the server more now than at REV, in milliseconds and
against each tree's own ``/healthz`` (what every request pays: Flask, the session cookie,
one statement). Records the table in bench/RESULTS.md unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]
from _results import command_line, stamp, write_block  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("healthz", "home", "quiz start", "question page", "answer", "results")

# Runs with the tree as its working directory: only what both trees have is used.
PROBE = r"""
import json, re, statistics, sys, tempfile, time
from html.parser import HTMLParser
sys.path.insert(0, ".")
from flask_migrate import upgrade
from webapp import create_app
from webapp.extensions import db
from webapp.bank_sync import sync_bank
from tests.webapp import fixture_bank

N = int(sys.argv[1])
tmp = tempfile.mkdtemp()
unlimited = (10**9, 60, "x")
app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/t.sqlite", "SECRET_KEY": "t" * 32,
                  "WTF_CSRF_ENABLED": False,
                  "RATE_LIMITS": {k: unlimited for k in ("register", "guest_quiz", "answer")}})
with app.app_context():
    upgrade()
    sync_bank(fixture_bank.questions())
    db.session.commit()
client = app.test_client()


class Form(HTMLParser):
    # the answer form's fields: the first option of each choice, "1" in each text box
    def __init__(self):
        super().__init__()
        self.data, self.select = {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrf_token":
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                self.data.setdefault(name, a.get("value", "on"))
            elif kind not in ("hidden", "submit"):
                self.data.setdefault(name, "1")
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and a.get("value"):
            self.data.setdefault(self.select, a["value"])
        elif tag == "textarea" and name:
            self.data.setdefault(name, "1")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def start():
    page = client.get("/quiz/all").get_data(as_text=True)
    size = re.findall(r'<option[^>]*value="(\d+)"', page)[-1]
    r = client.post("/quiz/all", data={"size": size})
    return re.search(r"/attempts/(\d+)", r.headers["Location"]).group(1), int(size)


# the answers to time: every item of enough quizzes, with its form read beforehand
posts = []
while len(posts) < N:
    attempt, size = start()
    for n in range(1, size + 1):
        url = f"/attempts/{attempt}/items/{n}"
        form = Form()
        form.feed(client.get(url).get_data(as_text=True))
        posts.append((url, form.data))
done, _ = start()
client.post(f"/attempts/{done}/finish")
question = f"/attempts/{start()[0]}/items/1"


def cpu(request):
    times = []
    for _ in range(N):
        began = time.process_time()
        ok = request()
        if ok is not False:
            times.append(time.process_time() - began)
    return statistics.median(times) * 1000 if times else None


answers = iter(posts)


def answer():
    url, data = next(answers)
    return client.post(url, data=data).status_code == 302


for warm in ("/healthz", "/", "/quiz/all", question, f"/attempts/{done}"):
    client.get(warm)
print(json.dumps({
    "healthz": cpu(lambda: client.get("/healthz")),
    "home": cpu(lambda: client.get("/")),
    "quiz start": cpu(lambda: client.get("/quiz/all")),
    "question page": cpu(lambda: client.get(question)),
    "answer": cpu(answer),
    "results": cpu(lambda: client.get(f"/attempts/{done}")),
}))
"""


def probe(tree: Path, requests: int) -> dict[str, float | None]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(requests)],
        cwd=tree,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"the probe failed in {tree}:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    runs: dict[str, list[dict]] = {"old": [], "now": []}
    with tempfile.TemporaryDirectory() as tmp:
        old_tree = Path(tmp) / "old"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(old_tree), args.rev],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            for n in range(args.rounds):
                for label, tree in (("old", old_tree), ("now", ROOT)):
                    runs[label].append(probe(tree, args.requests))
                print(f"round {n + 1} of {args.rounds}", file=sys.stderr)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old_tree)], cwd=ROOT)

    def best(label: str, page: str) -> float | None:
        seen = [run[page] for run in runs[label] if run.get(page) is not None]
        return min(seen) if seen else None

    lines = [
        f"`{command_line()}`, {stamp()}: CPU ms per request in-process (Flask test client, "
        f"SQLite, a guest, the test fixture bank), lowest of {args.rounds} rounds' medians of "
        f"{args.requests} requests; the two trees take turns.",
        "",
        f"| page | ms at {args.rev} | ms now | now / {args.rev} | x healthz at {args.rev} "
        "| x healthz now |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    base_old, base_now = best("old", "healthz"), best("now", "healthz")
    for page in PAGES:
        old, now = best("old", page), best("now", page)
        if old is None or now is None or base_old is None or base_now is None:
            lines.append(f"| {page} | {old} | {now} | – | – | – |")
            continue
        lines.append(
            f"| {page} | {old:.3f} | {now:.3f} | {now / old:.2f} | {old / base_old:.2f} "
            f"| {now / base_now:.2f} |"
        )
    lines += [
        "",
        "Where the pages differ: since the redesign the results page draws the grid, the "
        "score explained, a table per section and every question's marked feedback (32 KB "
        "of HTML for nine questions, where 3681cd6 drew 6 KB: `weight_against.py`), and "
        "home offers the unfinished quiz.",
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        write_block(
            "time_against",
            "## Server time against the design before issue 16 (`bench/time_against.py`)\n\n"
            + body,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
