"""the dashboard's attempt totals kept on write: per student, finished attempts, how many
have a score, their scores' sum and the best, filled from the attempts already stored

Revision ID: 0012_student_attempts
Revises: 0011_option_picks
Create Date: 2026-11-29 07:55:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012_student_attempts"
down_revision = "0011_option_picks"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "student_attempts",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("finished", sa.Integer(), nullable=False),
        sa.Column("scored", sa.Integer(), nullable=False),
        sa.Column("score_sum", sa.Float(), nullable=False),
        sa.Column("best", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_student_attempts_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_student_attempts")),
    )
    # ``flask stats rebuild`` computes the same (webapp.aggregates._recompute_attempts).
    op.execute(
        """
        INSERT INTO student_attempts (user_id, finished, scored, score_sum, best)
        SELECT user_id, COUNT(id), COUNT(score), COALESCE(SUM(score), 0.0), MAX(score)
        FROM attempt
        WHERE user_id IS NOT NULL AND finished_at IS NOT NULL
        GROUP BY user_id
        """
    )


def downgrade():
    op.drop_table("student_attempts")
