"""study: each student's FSRS card per question, the log of every rating, reviews per day

Revision ID: study_0001_cards
Revises: 0001_initial_schema
Create Date: 2026-11-28 14:13:55.951740

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "study_0001_cards"
down_revision = "0001_initial_schema"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "study_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_review", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN (1, 2, 3)", name=op.f("ck_study_card_state")),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_study_card_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_study_card_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_card")),
        sa.UniqueConstraint("user_id", "question_id", name=op.f("uq_study_card_user_id")),
    )
    with op.batch_alter_table("study_card", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_study_card_question_id"), ["question_id"], unique=False
        )
        batch_op.create_index("ix_study_card_user_due", ["user_id", "due"], unique=False)

    op.create_table(
        "review_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("review_number", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state_before", sa.Integer(), nullable=False),
        sa.Column("state_after", sa.Integer(), nullable=False),
        sa.Column("elapsed_days", sa.Integer(), nullable=True),
        sa.Column("due_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stability_after", sa.Float(), nullable=True),
        sa.Column("difficulty_after", sa.Float(), nullable=True),
        sa.CheckConstraint("rating BETWEEN 1 AND 4", name=op.f("ck_review_log_rating")),
        sa.ForeignKeyConstraint(
            ["card_id"],
            ["study_card.id"],
            name=op.f("fk_review_log_card_id_study_card"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["question.id"],
            name=op.f("fk_review_log_question_id_question"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_review_log_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_log")),
        sa.UniqueConstraint("card_id", "review_number", name=op.f("uq_review_log_card_id")),
    )
    with op.batch_alter_table("review_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_log_question_id"), ["question_id"], unique=False
        )
        batch_op.create_index(
            "ix_review_log_user_reviewed_at", ["user_id", "reviewed_at"], unique=False
        )

    op.create_table(
        "study_day",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("known", sa.Integer(), nullable=False),
        sa.Column("kept", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_study_day_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_study_day")),
    )


def downgrade():
    op.drop_table("study_day")
    with op.batch_alter_table("review_log", schema=None) as batch_op:
        batch_op.drop_index("ix_review_log_user_reviewed_at")
        batch_op.drop_index(batch_op.f("ix_review_log_question_id"))

    op.drop_table("review_log")
    with op.batch_alter_table("study_card", schema=None) as batch_op:
        batch_op.drop_index("ix_study_card_user_due")
        batch_op.drop_index(batch_op.f("ix_study_card_question_id"))

    op.drop_table("study_card")
