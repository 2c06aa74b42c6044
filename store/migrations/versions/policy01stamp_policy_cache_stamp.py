"""policy_stamp: one row whose stamp a trigger renews on every write to policyoverride (the key of each
process's cache of the policies in force)

Revision ID: policy01stamp
Revises: assessors01
Create Date: 2026-11-26 19:40:00

The statements are copied here as they were at this revision (store/models/policy.py builds the same ones
for `create_all`), so later edits to the model cannot change what this migration did.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'policy01stamp'
down_revision = 'assessors01'
branch_labels = None
depends_on = None

RANDOM_STAMP = {'sqlite': 'lower(hex(randomblob(16)))', 'postgresql': 'gen_random_uuid()::text'}


def _restamp(dialect: str) -> str:
    return (f"INSERT INTO policy_stamp (id, stamp) VALUES (1, {RANDOM_STAMP[dialect]}) "
            f"ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp")


def _triggers(dialect: str) -> list[str]:
    if dialect == 'sqlite':
        return [f"CREATE TRIGGER policyoverride_restamp_{op_name.lower()} AFTER {op_name} ON policyoverride "
                f"BEGIN {_restamp(dialect)}; END" for op_name in ('INSERT', 'UPDATE', 'DELETE')]
    return ["CREATE OR REPLACE FUNCTION courtflow_restamp_policies() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {_restamp(dialect)}; RETURN NULL; END $$",
            "CREATE TRIGGER policyoverride_restamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON policyoverride "
            "FOR EACH STATEMENT EXECUTE FUNCTION courtflow_restamp_policies()"]


def upgrade() -> None:
    op.create_table('policy_stamp',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stamp', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    dialect = op.get_bind().dialect.name
    op.execute(_restamp(dialect))
    for statement in _triggers(dialect):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for op_name in ('insert', 'update', 'delete'):
            op.execute(f'DROP TRIGGER IF EXISTS policyoverride_restamp_{op_name}')
    else:
        op.execute('DROP TRIGGER IF EXISTS policyoverride_restamp ON policyoverride')
        op.execute('DROP FUNCTION IF EXISTS courtflow_restamp_policies()')
    op.drop_table('policy_stamp')
