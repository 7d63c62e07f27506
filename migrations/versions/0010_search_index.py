"""the instructor search by a text index: a GIN index over to_tsvector('simple',
search_text) on PostgreSQL, an FTS5 table kept by triggers on SQLite, filled from the
revisions already saved; question's (section, status) index takes the id, so the study
queue reads a section's next new card in id order from it

Revision ID: 0010_search_index
Revises: 0009_aggregates
Create Date: 2026-11-29 05:30:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0010_search_index"
down_revision = "0009_aggregates"
branch_labels = None
depends_on = None

# A frozen copy of webapp/models/bank.py's SQLITE_SEARCH_DDL as of this migration.
FTS = "question_revision_fts"
SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text,"
    " content='question_revision', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON question_revision BEGIN"
    f" INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON question_revision BEGIN"
    f" INSERT INTO {FTS}({FTS}, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF search_text ON question_revision"
    f" BEGIN INSERT INTO {FTS}({FTS}, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text);"
    f" INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
)


def upgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_index("ix_question_section_status")
        batch_op.create_index(
            "ix_question_section_status_id", ["section", "status", "id"], unique=False
        )
    if op.get_context().dialect.name == "sqlite":
        for statement in SQLITE_DDL:
            op.execute(statement)
        # An external-content table is filled from its content table by 'rebuild'.
        op.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
    else:
        # Building a GIN index reads every existing row: nothing else to fill.
        op.execute(
            "CREATE INDEX ix_question_revision_search ON question_revision"
            " USING gin (to_tsvector('simple'::regconfig, search_text))"
        )


def downgrade():
    if op.get_context().dialect.name == "sqlite":
        for suffix in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {FTS}")
    else:
        op.execute("DROP INDEX IF EXISTS ix_question_revision_search")
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_index("ix_question_section_status_id")
        batch_op.create_index("ix_question_section_status", ["section", "status"], unique=False)
