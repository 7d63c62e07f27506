"""Which way imports go inside ``webapp``: the models import no feature package."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
FEATURES = {
    "auth",
    "quiz",
    "study",
    "instructor",
    "dashboard",
    "export",
    "main",
    "article",
    "account",
    "classes",
}


def _imported_modules(path: Path, package: str) -> set[str]:
    """Every module ``path`` imports (absolute names), at any depth of the file."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            out.add(module)
            # ``from .. import study`` names the package in the imported names
            out.update(f"{module}.{alias.name}" for alias in node.names)
    return out


def _feature(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "webapp" and parts[1] in FEATURES:
        return parts[1]
    return None


def test_every_feature_package_is_known():
    """A new blueprint package must join FEATURES, or the check below misses it."""
    packages = {p.parent.name for p in WEBAPP.glob("*/__init__.py")} - {"models"}
    assert packages <= FEATURES


@pytest.mark.parametrize("path", sorted(WEBAPP.glob("models/*.py")), ids=lambda p: p.name)
def test_models_import_no_feature_package(path):
    found = {m: _feature(m) for m in _imported_modules(path, "webapp.models") if _feature(m)}
    assert found == {}, f"{path.name} imports feature packages: {sorted(found)}"


def test_the_check_sees_relative_and_absolute_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from ..study.scheduling import State\n"
        "from .. import quiz\n"
        "import webapp.auth.views\n"
        "from .base import utcnow\n"
        "def f():\n    from webapp.main import views\n",
        encoding="utf-8",
    )
    features = {_feature(m) for m in _imported_modules(sample, "webapp.models")} - {None}
    assert features == {"study", "quiz", "auth", "main"}
