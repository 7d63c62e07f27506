"""Store each answer's grade as data: score, marks per part, expected answer.

The feedback page builds its words from the grade; answers from before this keep their
``feedback`` text and are graded again from their response when shown.

Revision ID: 0003_answer_grade
Revises: 0002_login_failure
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_answer_grade"
down_revision = "0002_login_failure"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answer") as batch:
        batch.add_column(sa.Column("grade", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("answer") as batch:
        batch.drop_column("grade")
