"""``/article``: every section and paragraph with its digest, questions and mastery."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

from flask import Blueprint, render_template
from flask_login import current_user

from questions import SECTIONS, Section, load_digests
from questions import Question as BankQuestion
from questions.kinds import spec

from ..extensions import db
from ..models import Question, QuestionRevision, Status, StudentQuestion

bp = Blueprint("article", __name__)


@functools.cache
def digests() -> dict[tuple[str, int], str]:
    """The paragraph digests, read once per process (``python -m questions validate``
    checks the file)."""
    return load_digests()


def digest_lines(section: str, paragraphs: tuple[int, ...]) -> list[tuple[int, str]]:
    """(paragraph, digest) for the cited paragraphs that have one."""
    found = digests()
    return [(p, found[(section, p)]) for p in paragraphs if (section, p) in found]


@dataclass
class Paragraph:
    """One paragraph: its digest, the prompts of the questions citing it, the mastery."""

    number: int
    digest: str
    prompts: list[str] = field(default_factory=list)
    answered: int = 0
    right: int = 0


@dataclass
class SectionMap:
    section: Section
    paragraphs: list[Paragraph]
    questions: int = 0


# Prompts listed under a paragraph at most (the count says how many there are).
MAX_PROMPTS = 12


@bp.route("/article")
def index() -> str:
    """The article, section by section, in our own words, with the questions on each part."""
    rows = db.session.execute(
        db.select(Question.id, Question.section, Question.kind, QuestionRevision.data)
        .join(QuestionRevision, QuestionRevision.id == Question.current_revision_id)
        .where(Question.status == Status.PUBLISHED.value)
        .order_by(Question.id)
    ).all()
    latest: dict[int, bool] = {}
    if current_user.is_authenticated:
        sq = StudentQuestion
        pairs = db.session.execute(
            db.select(sq.question_id, sq.last_correct).where(sq.user_id == current_user.id)
        )
        latest = {qid: bool(ok) for qid, ok in pairs}
    found = digests()
    maps = {
        s.slug: SectionMap(
            s, [Paragraph(n, found.get((s.slug, n), "")) for n in range(1, s.paragraphs + 1)]
        )
        for s in SECTIONS
    }
    counts: dict[tuple[str, int], int] = defaultdict(int)
    for qid, section, kind, data in rows:
        if section not in maps:
            continue
        maps[section].questions += 1
        prompt = spec(kind).prompt_text(BankQuestion.from_dict(data))
        for p in data.get("paragraphs") or []:
            if not isinstance(p, int) or not 1 <= p <= len(maps[section].paragraphs):
                continue
            paragraph = maps[section].paragraphs[p - 1]
            counts[(section, p)] += 1
            if len(paragraph.prompts) < MAX_PROMPTS:
                paragraph.prompts.append(prompt)
            if qid in latest:
                paragraph.answered += 1
                paragraph.right += latest[qid]
    return render_template(
        "article/index.html",
        maps=list(maps.values()),
        counts=counts,
        signed_in=current_user.is_authenticated,
    )
