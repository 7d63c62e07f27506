"""After an import the instructor lands on exactly what was imported, with links."""

from __future__ import annotations

from webapp.extensions import db
from webapp.models import Question

from .test_import import GOOD_BANK, _upload


def test_an_import_lands_on_the_list_of_what_it_imported(app, client, instructor, bank):
    response = _upload(client, GOOD_BANK.encode(), fmt="bank", name="security.yaml")
    assert response.status_code == 302
    assert "/instructor/import/done?" in response.headers["Location"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        ids = dict(
            db.session.execute(
                db.select(Question.uid, Question.id).where(
                    Question.uid.startswith("security-imported")
                )
            ).all()
        )
    assert "Imported from security.yaml" in html and "2 questions imported" in html
    for uid, qid in ids.items():
        assert f'<a href="/instructor/questions/{qid}">{uid}</a>' in html
    # the bank's other questions are not on it
    assert "history-single" not in html


def test_the_landing_page_shows_only_that_import(app, client, instructor, bank):
    first = _upload(client, GOOD_BANK.encode(), fmt="bank", name="one.yaml")
    other = GOOD_BANK.replace("security-imported-", "security-other-")
    second = _upload(client, other.encode(), fmt="bank", name="two.yaml")
    html = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "security-imported-one" in html and "security-other-one" not in html
    html = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "security-other-two" in html and "security-imported-two" not in html
    # a made-up range with another file name lists nothing
    html = client.get(
        "/instructor/import/done", query_string={"first": 1, "last": 10**6, "source": "x.csv"}
    ).get_data(as_text=True)
    assert "No questions from this import" in html
