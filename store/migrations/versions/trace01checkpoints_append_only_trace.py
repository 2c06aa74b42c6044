"""trace checkpoints; the trace and its checkpoints refuse UPDATE, DELETE and TRUNCATE

Revision ID: trace01checkpoints
Revises: e819fd8b7f8d
Create Date: 2026-11-24 08:40:00.000000

The trigger statements are copied here as they were at this revision (store/models/trace.py builds
the same ones for `create_all`), so later edits to the model cannot change what this migration did.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'trace01checkpoints'
down_revision = 'e819fd8b7f8d'
branch_labels = None
depends_on = None

TABLES = ('traceentry', 'tracecheckpoint')
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
    return [f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION courtflow_refuse_change()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION courtflow_refuse_change()"]


def upgrade() -> None:
    op.create_table('tracecheckpoint',
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('head_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entry_count', sa.Integer(), nullable=False),
    sa.Column('signature', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('day')
    )
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        op.execute(PG_FUNCTION)
    for table in TABLES:
        for statement in _triggers(table, dialect):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        names = ([f'{table}_no_update', f'{table}_no_delete'] if dialect == 'sqlite'
                 else [f'{table}_append_only', f'{table}_no_truncate'])
        for name in names:
            op.execute(f'DROP TRIGGER IF EXISTS {name}' + ('' if dialect == 'sqlite' else f' ON {table}'))
    if dialect == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS courtflow_refuse_change()')
    op.drop_table('tracecheckpoint')
