"""Fixtures shared by every test tree: fresh collections of the real Anki library."""

from __future__ import annotations

import pytest


@pytest.fixture
def anki_collection(tmp_path):
    """A factory of fresh, empty Anki collections (the real ``anki`` library) in tmp_path."""
    from anki.collection import Collection

    opened = []

    def make(name: str = "collection"):
        folder = tmp_path / name
        folder.mkdir()
        col = Collection(str(folder / "collection.anki2"))
        opened.append(col)
        return col

    yield make
    for col in opened:
        col.close()
