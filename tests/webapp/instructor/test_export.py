"""Files -> database -> files is lossless, by the command and by the download."""

import io
import zipfile

from questions import BANK_DIR, load_bank
from webapp.extensions import db
from webapp.models import Question, Status

from .. import fixture_bank
from ..helpers import post_form
from .conftest import payload


def _load_then_dump(runner, tmp_path):
    source = fixture_bank.write_bank(tmp_path / "source")
    assert runner.invoke(args=["bank", "load", str(source)]).exit_code == 0
    result = runner.invoke(args=["bank", "dump", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    return source, tmp_path / "out"


def test_files_to_database_to_files_keeps_every_question(app, runner, tmp_path):
    source, out = _load_then_dump(runner, tmp_path)
    before, after = load_bank(source), load_bank(out)
    assert before.problems == [] and after.problems == []
    assert after.questions == before.questions  # every field, in file order
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in source.iterdir())


def test_a_dumped_bank_loads_back_and_dumps_to_the_same_bytes(app, runner, tmp_path):
    _, out = _load_then_dump(runner, tmp_path)
    # Load the dump into the same database (nothing changes), dump again, compare texts.
    result = runner.invoke(args=["bank", "load", str(out)])
    assert "0 added, 0 updated, 0 retired" in result.output
    assert runner.invoke(args=["bank", "dump", str(tmp_path / "again")]).exit_code == 0
    for path in out.iterdir():
        assert (tmp_path / "again" / path.name).read_text() == path.read_text()


def test_the_dump_has_published_questions_only(app, runner, client, instructor, tmp_path):
    _load_then_dump(runner, tmp_path)
    post_form(
        client,
        "/instructor/questions/new/true_false",
        payload("true_false", uid="history-still-a-draft"),
    )
    with app.app_context():
        row = db.session.scalar(db.select(Question).where(Question.uid == "history-tf"))
        row.status = Status.RETIRED.value
        db.session.commit()
    runner.invoke(args=["bank", "dump", str(tmp_path / "later")])
    ids = {q.id for q in load_bank(tmp_path / "later").questions}
    assert "history-still-a-draft" not in ids and "history-tf" not in ids
    assert "history-single" in ids


def test_an_instructors_edit_reaches_the_files(app, runner, client, instructor, tmp_path):
    _load_then_dump(runner, tmp_path)
    with app.app_context():
        qid = db.session.scalar(db.select(Question.id).where(Question.uid == "history-tf"))
    post_form(
        client,
        f"/instructor/questions/{qid}/edit",
        payload("true_false", uid=None, prompt="The shared land border is long."),
    )
    runner.invoke(args=["bank", "dump", str(tmp_path / "edited")])
    q = load_bank(tmp_path / "edited").by_id()["history-tf"]
    assert q.prompt == "The shared land border is long."


def test_the_download_is_a_zip_of_the_same_files(app, runner, client, instructor, tmp_path):
    _, out = _load_then_dump(runner, tmp_path)
    response = client.get("/instructor/export/bank.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    assert files == {f"bank/{p.name}": p.read_text() for p in out.iterdir()}


def test_bank_load_does_not_undo_an_instructors_edit_or_retirement(
    app, runner, client, instructor, tmp_path
):
    source, _ = _load_then_dump(runner, tmp_path)
    with app.app_context():
        ids = dict(db.session.execute(db.select(Question.uid, Question.id)).all())
    post_form(
        client,
        f"/instructor/questions/{ids['history-tf']}/edit",
        payload("true_false", uid=None, prompt="An edited statement."),
    )
    page = f"/instructor/questions/{ids['history-single']}"
    post_form(client, f"{page}/status", {"status": "retired"}, page=page)
    result = runner.invoke(args=["bank", "load", str(source)])  # the old files again
    assert result.exit_code == 0
    with app.app_context():
        tf = db.session.get(Question, ids["history-tf"])
        assert tf.current_revision.data["prompt"] == "An edited statement."
        assert db.session.get(Question, ids["history-single"]).status == "retired"


def test_the_real_bank_survives_files_to_database_to_files(app, runner, tmp_path):
    real = load_bank(BANK_DIR)
    assert real.problems == []
    assert runner.invoke(args=["bank", "load", str(BANK_DIR)]).exit_code == 0
    assert runner.invoke(args=["bank", "dump", str(tmp_path / "out")]).exit_code == 0
    dumped = load_bank(tmp_path / "out")
    assert dumped.problems == [] and dumped.questions == real.questions
