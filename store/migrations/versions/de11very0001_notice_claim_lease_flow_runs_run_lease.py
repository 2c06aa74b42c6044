"""notice claim lease (claimed_until, claim_token), flow runs, the run lease

Revision ID: de11very0001
Revises: e819fd8b7f8d
Create Date: 2026-11-24 08:40:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'de11very0001'
down_revision = 'e819fd8b7f8d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claim_token', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    # a claim taken before the upgrade has no lease: it expires at once and the next run takes it over
    op.execute("UPDATE notice SET claimed_until = claimed_at WHERE state = 'sending'")
    op.create_table(
        'flow_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('as_of', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('summary', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_flow_run_name_started', 'flow_run', ['name', 'started_at'], unique=False)
    op.create_table(
        'run_lease',
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('holder', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('held_until', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('run_lease')
    op.drop_index('ix_flow_run_name_started', table_name='flow_run')
    op.drop_table('flow_run')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_column('claim_token')
        batch_op.drop_column('claimed_until')
