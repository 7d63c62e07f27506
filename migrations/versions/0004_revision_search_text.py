"""question_revision.search_text: the instructor search matches text, not JSON keys

Revision ID: 0004_revision_search_text
Revises: 0003_answer_grade
Create Date: 2026-11-29 01:10:00

"""

from typing import Any

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004_revision_search_text"
down_revision = "0003_answer_grade"
branch_labels = None
depends_on = None

# A frozen copy of webapp.models.bank.search_text as of this migration, so that a later
# change to the model cannot change what this migration does.
_NOT_SEARCHED = frozenset({"id", "kind", "section"})
_MAX = 4000


def _search_text(data: Any) -> str:
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if value.strip():
                out.append(value.strip())
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in _NOT_SEARCHED:
                    walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(data)
    return "\n".join(out).lower()[:_MAX]


def upgrade():
    with op.batch_alter_table("question_revision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), server_default="", nullable=False))

    revisions = sa.table(
        "question_revision",
        sa.column("id", sa.Integer),
        sa.column("data", sa.JSON),
        sa.column("search_text", sa.Text),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(revisions.c.id, revisions.c.data)).all()
    if rows:
        conn.execute(
            revisions.update()
            .where(revisions.c.id == sa.bindparam("rid"))
            .values(search_text=sa.bindparam("text")),
            [{"rid": rid, "text": _search_text(data)} for rid, data in rows],
        )


def downgrade():
    with op.batch_alter_table("question_revision", schema=None) as batch_op:
        batch_op.drop_column("search_text")
