"""the dashboard's most missed questions read from the top of an index: the student's
(misses) index gains the question id, so the first rows in (misses, question) order are
read backwards instead of sorting every question the student ever missed

Revision ID: 0014_missed_order
Revises: 0013_stat_sort_keys
Create Date: 2026-11-29 14:05:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0014_missed_order"
down_revision = "0013_stat_sort_keys"
branch_labels = None
depends_on = None

NAME = "ix_student_question_user_misses"


def upgrade():
    op.drop_index(NAME, table_name="student_question")
    op.create_index(NAME, "student_question", ["user_id", "misses", "question_id"])


def downgrade():
    op.drop_index(NAME, table_name="student_question")
    op.create_index(NAME, "student_question", ["user_id", "misses"])
