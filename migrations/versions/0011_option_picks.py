"""option picks kept on write: per revision and option, the answers that picked it and
their pickers' rest-of-quiz sum (finished attempts by users), filled from the answers
already stored; indexes on question (section|kind|status, uid) for the instructor's list;
student_section's answers in finished attempts and their score (the class overview)

Revision ID: 0011_option_picks
Revises: 0010_search_index
Create Date: 2026-11-29 07:10:00

"""

import json

import sqlalchemy as sa
from alembic import op

from questions import Question, spec

# revision identifiers, used by Alembic.
revision = "0011_option_picks"
down_revision = "0010_search_index"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "option_stat",
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("option", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("picks", sa.Integer(), nullable=False),
        sa.Column("rest_sum", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["question_revision.id"],
            name=op.f("fk_option_stat_revision_id_question_revision"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("revision_id", "option", name=op.f("pk_option_stat")),
    )
    with op.batch_alter_table("question", schema=None) as batch_op:
        for column in INDEXED:
            batch_op.create_index(f"ix_question_{column}_uid", [column, "uid"], unique=False)
    with op.batch_alter_table("student_section", schema=None) as batch_op:
        batch_op.add_column(sa.Column("graded", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("graded_score", sa.Float(), server_default="0", nullable=False)
        )
    op.execute(GRADED)
    _fill()


# ``flask stats rebuild`` computes the same.
GRADED = """
    UPDATE student_section SET
        graded = (
            SELECT COUNT(*) FROM answer a
            JOIN attempt_item ai ON ai.id = a.attempt_item_id
            JOIN attempt x ON x.id = ai.attempt_id
            JOIN question q ON q.id = ai.question_id
            WHERE x.user_id = student_section.user_id AND x.finished_at IS NOT NULL
                AND q.section = student_section.section),
        graded_score = (
            SELECT COALESCE(SUM(a.score), 0) FROM answer a
            JOIN attempt_item ai ON ai.id = a.attempt_item_id
            JOIN attempt x ON x.id = ai.attempt_id
            JOIN question q ON q.id = ai.question_id
            WHERE x.user_id = student_section.user_id AND x.finished_at IS NOT NULL
                AND q.section = student_section.section)
"""


INDEXED = ("section", "kind", "status")


# The picks of the answers already there (``flask stats rebuild`` computes the same): the
# database groups answers by revision and stored response, the kind reads each response.
GROUPED = """
    SELECT g.revision_id, g.response, COUNT(*),
        SUM(COALESCE((t.total - g.score) / NULLIF(t.size - 1, 0), 0.0)), r.data
    FROM (
        SELECT ai.attempt_id, ai.revision_id, a.score, CAST(a.response AS TEXT) AS response
        FROM answer a
        JOIN attempt_item ai ON ai.id = a.attempt_item_id
        JOIN attempt x ON x.id = ai.attempt_id
        WHERE x.finished_at IS NOT NULL AND x.user_id IS NOT NULL
    ) g
    JOIN (
        SELECT ai.attempt_id, SUM(a.score) AS total, COUNT(*) AS size
        FROM answer a
        JOIN attempt_item ai ON ai.id = a.attempt_item_id
        GROUP BY ai.attempt_id
    ) t ON t.attempt_id = g.attempt_id
    JOIN question_revision r ON r.id = g.revision_id
    GROUP BY g.revision_id, g.response, r.id
"""


def _loads(value):
    try:
        return json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return None


def _fill():
    bind = op.get_bind()
    questions = {}
    counts = {}
    for revision_id, response, n, rest_sum, data in bind.execute(sa.text(GROUPED)):
        data = _loads(data) or {}
        options = len(data.get("options") or ())
        if not options:
            continue
        if revision_id not in questions:
            questions[revision_id] = Question.from_dict(data)
        q = questions[revision_id]
        for index in spec(q.kind).option_picks(q, _loads(response)):
            if 0 <= index < options:
                row = counts.setdefault((revision_id, index), [0, 0.0])
                row[0] += int(n)
                row[1] += float(rest_sum or 0.0)
    if counts:
        bind.execute(
            sa.text(
                "INSERT INTO option_stat (revision_id, option, picks, rest_sum)"
                " VALUES (:revision_id, :option, :picks, :rest_sum)"
            ),
            [
                {"revision_id": r, "option": o, "picks": n, "rest_sum": s}
                for (r, o), (n, s) in sorted(counts.items())
            ],
        )


def downgrade():
    with op.batch_alter_table("student_section", schema=None) as batch_op:
        batch_op.drop_column("graded_score")
        batch_op.drop_column("graded")
    with op.batch_alter_table("question", schema=None) as batch_op:
        for column in INDEXED:
            batch_op.drop_index(f"ix_question_{column}_uid")
    op.drop_table("option_stat")
