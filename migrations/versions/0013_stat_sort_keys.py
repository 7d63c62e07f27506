"""the statistics page's sort keys kept beside the item sums: the question's uid, section
and state, facility, discrimination (with a "has none" key) and the review level, each
order with an index; filled from the sums already stored

Revision ID: 0013_stat_sort_keys
Revises: 0012_student_attempts
Create Date: 2026-11-29 13:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013_stat_sort_keys"
down_revision = "0012_student_attempts"
branch_labels = None
depends_on = None

# an index per order of the page, ties by uid ascending (webapp/models/aggregates.py)
INDEXES = {
    "ix_question_stat_uid": ["uid"],
    "ix_question_stat_section_uid": ["section", "uid"],
    "ix_question_stat_status_uid": ["status", "uid"],
    "ix_question_stat_review_uid": ["review", "uid"],
    "ix_question_stat_answers_uid": ["answers", "uid"],
    "ix_question_stat_answers_desc_uid": [sa.text("answers DESC"), "uid"],
    "ix_question_stat_students_uid": ["students", "uid"],
    "ix_question_stat_students_desc_uid": [sa.text("students DESC"), "uid"],
    "ix_question_stat_facility_uid": ["facility", "uid"],
    "ix_question_stat_facility_desc_uid": [sa.text("facility DESC"), "uid"],
    "ix_question_stat_discrimination_uid": ["no_discrimination", "discrimination", "uid"],
    "ix_question_stat_discrimination_desc_uid": [
        "no_discrimination",
        sa.text("discrimination DESC"),
        "uid",
    ],
    "ix_question_stat_keyed": ["keyed"],
}

# pearson()'s r from the sums, as webapp/stat_keys.py computes it
_VX = "(answers * sxx - sx * sx)"
_VY = "(answers * syy - sy * sy)"
_DEFINED = f"answers >= 2 AND {_VX} > 1e-12 AND {_VY} > 1e-12"


def upgrade():
    with op.batch_alter_table("question_stat", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("uid", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("section", sa.String(length=60), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("status", sa.String(length=20), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("facility", sa.Float(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("discrimination", sa.Float(), nullable=True))
        batch_op.add_column(
            sa.Column("no_discrimination", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(sa.Column("review", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("keyed", sa.Integer(), server_default="0", nullable=False))
    # The review level depends on a setting (STATS_MIN_STUDENTS) the migration does not
    # know: keyed 0 is no setting's version, so the statistics page re-keys the rows with
    # the app's own setting on its first visit (webapp.aggregates.rekey), as
    # ``flask stats rebuild`` would.
    op.execute(
        f"""
        UPDATE question_stat SET
            uid = (SELECT uid FROM question WHERE question.id = question_stat.question_id),
            section = (SELECT section FROM question
                WHERE question.id = question_stat.question_id),
            status = (SELECT status FROM question WHERE question.id = question_stat.question_id),
            facility = COALESCE(sx / NULLIF(answers, 0), 0.0),
            discrimination = CASE WHEN {_DEFINED}
                THEN (answers * sxy - sx * sy) / sqrt({_VX} * {_VY}) END,
            no_discrimination = CASE WHEN {_DEFINED} THEN 0 ELSE 1 END,
            review = 0,
            keyed = 0
        """
    )
    for name, columns in INDEXES.items():
        op.create_index(name, "question_stat", columns, unique=False)


def downgrade():
    for name in reversed(INDEXES):
        op.drop_index(name, table_name="question_stat")
    with op.batch_alter_table("question_stat", schema=None) as batch_op:
        for column in (
            "keyed",
            "review",
            "no_discrimination",
            "discrimination",
            "facility",
            "status",
            "section",
            "uid",
        ):
            batch_op.drop_column(column)
