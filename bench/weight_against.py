"""Page weight now against an earlier commit: the HTML of the same pages and the static files.

    .venv/bin/python bench/weight_against.py REV      # e.g. 3681cd6, before the redesign

Checks REV out into a temporary git worktree, then in each tree (this one and REV's) builds
the app on a fresh SQLite database with the test fixture bank and fetches, as a guest, the
home page, log-in, the whole article's start page, every question of a quiz over it (the
fixture bank holds one or two of each kind) and the results of that quiz, ended
unanswered; prints the bytes of each page's HTML and of the CSS, scripts, font and icons
it links. Static files are asked for as a browser does (``Accept-Encoding: gzip``) and counted
as sent: compressed where that tree's app compresses them (``webapp/static_gzip.py``, and
nginx in production does the same), as they are where it does not; the files' own sizes are
printed beside. The HTML is counted as the app sends it (behind nginx it goes out gzipped too).
Both trees run in separate processes of this machine's Python, one after the other. Not run
by `make bench`: it needs a commit to compare with. Writes nothing; the figures go into
bench/RESULTS.md by hand.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import json, re, sys, tempfile
from pathlib import Path
sys.path.insert(0, ".")
from flask_migrate import upgrade
from webapp import create_app
from webapp.extensions import db
from webapp.bank_sync import sync_bank
from tests.webapp import fixture_bank

tmp = tempfile.mkdtemp()
app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/w.sqlite", "SECRET_KEY": "w",
                  "WTF_CSRF_ENABLED": False, "TESTING": True})
with app.app_context():
    upgrade()
    sync_bank(fixture_bank.questions())
    db.session.commit()
client = app.test_client()
pages = {}
statics = {}
files = {}

def get(name, url):
    r = client.get(url)
    html = r.get_data()
    pages[name] = len(html)
    for link in re.findall(rb'(?:href|src)="(/static/[^"#?]+)', html):
        link = link.decode()
        if link not in statics:
            s = client.get(link, headers={"Accept-Encoding": "gzip"})
            statics[link] = len(s.get_data())
            s.close()
            files[link] = len(Path(app.static_folder, link.removeprefix("/static/")).read_bytes())
    return html.decode()

get("home", "/")
get("login", "/login")
start = get("quiz-start", "/quiz/all")
size = re.findall(r'<option[^>]*value="(\d+)"', start)[-1]
r = client.post("/quiz/all", data={"size": size})
attempt = re.search(r"/attempts/(\d+)", r.headers["Location"]).group(1)
n = 1
while True:
    url = f"/attempts/{attempt}/items/{n}"
    r = client.get(url)
    if r.status_code != 200:
        break
    get(f"question {n}", url)
    n += 1
client.post(f"/attempts/{attempt}/finish")
get("results", f"/attempts/{attempt}")
print(json.dumps({"pages": pages, "static": statics, "files": files}))
"""


def probe(tree: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tree, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    rev = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        old_tree = Path(tmp) / "old"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(old_tree), rev],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            old, new = probe(old_tree), probe(ROOT)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old_tree)], cwd=ROOT)
    print(f"| page | HTML KB at {rev} | HTML KB now |")
    print("| --- | ---: | ---: |")
    for name in new["pages"]:
        before = old["pages"].get(name)
        shown = f"{before / 1024:.1f}" if before is not None else "–"
        print(f"| {name} | {shown} | {new['pages'][name] / 1024:.1f} |")
    for label, data in ((rev, old), ("now", new)):
        sent, size = sum(data["static"].values()), sum(data["files"].values())
        files = ", ".join(
            f"{k.rsplit('/', 1)[-1]} {v / 1024:.1f}"
            + (f" of {data['files'][k] / 1024:.1f}" if v != data["files"][k] else "")
            for k, v in data["static"].items()
        )
        print(
            f"static files linked at {label}: {sent / 1024:.1f} KB sent, files of"
            f" {size / 1024:.1f} KB ({files})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
