"""三个规定: interference records (append-only), monthly reports, quarterly summaries

Revision ID: integrity01records
Revises: w13merge0001
Create Date: 2026-11-24 12:30:00

The trigger statements are copied here as they are at this revision (store/models/trace.py builds the
same ones for `create_all`), so later edits to the model cannot change what this migration did.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = 'integrity01records'
down_revision = 'w13merge0001'
branch_labels = None
depends_on = None

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION courtflow_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = TG_OP || ' on ' || TG_TABLE_NAME || ' refused, the table is append-only';
END
$$"""


def _triggers(table: str, dialect: str) -> list[str]:
    if dialect == 'sqlite':
        return [f"CREATE TRIGGER {table}_no_{op_name.lower()} BEFORE {op_name} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{op_name} on {table} refused, the table is append-only'); END"
                for op_name in ('UPDATE', 'DELETE')]
    return [PG_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION courtflow_refuse_change()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION courtflow_refuse_change()"]


def _text() -> sa.types.TypeEngine:
    return sqlmodel.sql.sqltypes.AutoString()


def upgrade() -> None:
    op.create_table('interference_record',
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('court_id', sa.Integer(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=False),
    sa.Column('source', _text(), nullable=False),
    sa.Column('person_name', _text(), nullable=False),
    sa.Column('person_post', _text(), nullable=False),
    sa.Column('person_org', _text(), nullable=False),
    sa.Column('person_user_id', sa.Integer(), nullable=True),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('manner', _text(), nullable=False),
    sa.Column('asked', _text(), nullable=False),
    sa.Column('response', _text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id']),
    sa.ForeignKeyConstraint(['court_id'], ['court.id']),
    sa.ForeignKeyConstraint(['division_id'], ['division.id']),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id']),
    sa.ForeignKeyConstraint(['person_user_id'], ['users.id']),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_interference_record_case_id', 'interference_record', ['case_id'])
    op.create_index('ix_interference_record_person_user_id', 'interference_record', ['person_user_id'])
    op.create_index('ix_interference_record_court_day', 'interference_record', ['court_id', 'occurred_on'])
    op.create_index('ix_interference_record_recorder', 'interference_record', ['recorded_by', 'occurred_on'])
    op.create_table('interference_report',
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('record_ids', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=False),
    sa.Column('court_id', sa.Integer(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=True),
    sa.Column('month', _text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('state', _text(), nullable=False),
    sa.Column('zero', sa.Boolean(), nullable=False),
    sa.Column('note', _text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['judge_id'], ['users.id']),
    sa.ForeignKeyConstraint(['court_id'], ['court.id']),
    sa.ForeignKeyConstraint(['division_id'], ['division.id']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('judge_id', 'month')
    )
    op.create_index('ix_interference_report_court_month', 'interference_report', ['court_id', 'month'])
    op.create_table('interference_summary',
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('court_id', sa.Integer(), nullable=False),
    sa.Column('to_court_id', sa.Integer(), nullable=False),
    sa.Column('quarter', _text(), nullable=False),
    sa.ForeignKeyConstraint(['court_id'], ['court.id']),
    sa.ForeignKeyConstraint(['to_court_id'], ['court.id']),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('court_id', 'quarter')
    )
    op.create_index('ix_interference_summary_to_court_id', 'interference_summary', ['to_court_id'])
    for statement in _triggers('interference_record', op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table('interference_summary')
    op.drop_table('interference_report')
    op.drop_table('interference_record')
