"""A visitor downloads the Anki decks in chromium; the files import into the Anki library."""

from __future__ import annotations

import re

import pytest
from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
from playwright.sync_api import Page, expect

from questions import ARTICLE_TITLE, SECTIONS_BY_SLUG
from tests.webapp import fixture_bank

pytestmark = pytest.mark.browser


def _download(page: Page, link, directory) -> str:
    """Click ``link`` and save what the browser downloads; returns the saved path."""
    with page.expect_download() as info:
        link.click()
    download = info.value
    path = directory / download.suggested_filename
    download.save_as(path)
    return str(path)


def _import(col, path: str):
    """Import with Anki's default options, as its import dialog does; the import log."""
    return col.import_anki_package(
        ImportAnkiPackageRequest(package_path=path, options=ImportAnkiPackageOptions())
    ).log


def _ids(col) -> set[str]:
    return {col.get_note(nid)["Id"] for nid in col.find_notes("")}


def test_visitor_downloads_the_deck_and_it_imports_into_anki(
    page, live_server, tmp_path, anki_collection
):
    every = {i["id"] for i in fixture_bank.ITEMS}
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Anki decks").click()
    expect(page.get_by_role("heading", name="Study in Anki")).to_be_visible()

    whole = _download(page, page.get_by_role("link", name="Download the whole deck"), tmp_path)
    assert whole.endswith(".apkg")
    col = anki_collection("whole")
    log = _import(col, whole)
    assert len(log.new) == len(every) and not log.duplicate
    assert _ids(col) == every
    decks = {d.name for d in col.decks.all_names_and_ids()}
    assert ARTICLE_TITLE in {name.split("::")[0] for name in decks}
    assert any(name.endswith(SECTIONS_BY_SLUG["economy-energy"].title) for name in decks), decks

    # The same deck downloaded again adds and changes nothing: unchanged notes are skipped.
    (tmp_path / "again").mkdir()
    again = _download(
        page, page.get_by_role("link", name="Download the whole deck"), tmp_path / "again"
    )
    log = _import(col, again)
    assert not log.new and not log.updated
    assert len(col.find_notes("")) == len(every)

    section = SECTIONS_BY_SLUG["economy-energy"]
    link = page.get_by_role("link", name=re.compile(rf"^Download this section\W*{section.title}$"))
    one = _download(page, link, tmp_path)
    col = anki_collection("section")
    _import(col, one)
    assert _ids(col) == {i["id"] for i in fixture_bank.ITEMS if i["section"] == section.slug}
