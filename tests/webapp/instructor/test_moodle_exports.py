"""GIFT and Moodle XML out of the site: the export page, the downloads, the commands."""

import io

from questions.formats import ImportDefaults, parse_gift, parse_moodle_xml

from .. import fixture_bank
from ..helpers import post_form


def _load(runner, tmp_path):
    source = fixture_bank.write_bank(tmp_path / "source")
    assert runner.invoke(args=["bank", "load", str(source)]).exit_code == 0


def test_the_export_page_links_each_format_and_lists_what_it_cannot_hold(
    app, runner, client, instructor, tmp_path
):
    _load(runner, tmp_path)
    page = client.get("/instructor/export/").get_data(as_text=True)
    assert "/instructor/export/gift/questions.gift.txt" in page
    assert "/instructor/export/moodle-xml/questions.xml" in page
    assert "has no GIFT form" in page  # the cloze item


def test_the_downloads_import_back(app, runner, client, instructor, tmp_path):
    _load(runner, tmp_path)
    defaults = ImportDefaults(paragraphs=(1,))
    gift = client.get("/instructor/export/gift/questions.gift.txt")
    assert gift.status_code == 200 and "attachment" in gift.headers["Content-Disposition"]
    items, problems = parse_gift(gift.get_data(as_text=True), defaults=defaults)
    assert items and problems == []
    xml = client.get("/instructor/export/moodle-xml/questions.xml")
    assert xml.mimetype == "application/xml"
    items, problems = parse_moodle_xml(xml.get_data(as_text=True), defaults=defaults)
    assert items and problems == []
    assert client.get("/instructor/export/gift/other.txt").status_code == 404


def test_flask_export_commands_write_the_files(app, runner, tmp_path):
    _load(runner, tmp_path)
    for fmt, name in (("gift", "q.gift.txt"), ("moodle-xml", "q.xml")):
        result = runner.invoke(args=["export", fmt, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).read_text().strip()


def test_a_moodle_xml_upload_imports_as_drafts(app, client, instructor):
    xml = (
        '<?xml version="1.0"?><quiz><question type="truefalse"><name><text>Sun</text></name>'
        "<questiontext><text>The sun rises in the east.</text></questiontext>"
        "<generalfeedback><text>It does.</text></generalfeedback>"
        '<answer fraction="100"><text>true</text></answer></question></quiz>'
    )
    data = {
        "format": "moodle_xml",
        "section": "history",
        "paragraph": "1",
        "difficulty": "1",
        "decimal": "",
        "status": "draft",
        "file": (io.BytesIO(xml.encode()), "q.xml"),
    }
    response = post_form(client, "/instructor/import", data, content_type="multipart/form-data")
    assert response.status_code == 302
