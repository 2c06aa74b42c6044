"""team inbox: task priority, chase stage, delegation and escalation links; delegations; supervision lapses

Revision ID: inbox01tasks
Revises: w13merge0001
Create Date: 2026-11-24 12:45:00

Open tasks already past due when this runs are chased by the next daily monitor like any other
(an overdue notice, then the escalations their kind's policy names); the approvals the replaced
overdue-approval sweep already escalated (and its supervision tasks) are not chased again.
"""
from alembic import op
import sqlalchemy as sa


revision = 'inbox01tasks'
down_revision = 'w13merge0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('task') as batch:
        batch.add_column(sa.Column('priority', sa.String(), nullable=False, server_default='normal'))
        batch.add_column(sa.Column('chase_stage', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('delegated_from_user_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('escalates_task_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_task_delegated_from_user', 'users', ['delegated_from_user_id'], ['id'])
        batch.create_foreign_key('fk_task_escalates_task', 'task', ['escalates_task_id'], ['id'])
    op.create_index('ix_task_chase', 'task', ['state', 'chase_stage', 'due_on'])
    op.execute("UPDATE task SET chase_stage = 9 WHERE escalation_level > 0 OR kind = 'supervise_overdue_approval'")
    op.create_index('ix_task_escalates', 'task', ['state', 'escalates_task_id'])
    op.create_table(
        'delegation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('delegate_user_id', sa.Integer(), nullable=False),
        sa.Column('court_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(), nullable=False),
        sa.Column('state', sa.String(), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.ForeignKeyConstraint(['delegate_user_id'], ['users.id']),
        sa.ForeignKeyConstraint(['created_by'], ['users.id']),
        sa.ForeignKeyConstraint(['court_id'], ['court.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_delegation_user_state', 'delegation', ['user_id', 'state'])
    op.create_table(
        'supervision_lapse',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('court_id', sa.Integer(), nullable=False),
        sa.Column('division_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(), nullable=False),
        sa.Column('title', sa.String(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=True),
        sa.Column('chased_task_id', sa.Integer(), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('recorded_on', sa.Date(), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.Column('dedupe_key', sa.String(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.ForeignKeyConstraint(['court_id'], ['court.id']),
        sa.ForeignKeyConstraint(['division_id'], ['division.id']),
        sa.ForeignKeyConstraint(['task_id'], ['task.id']),
        sa.ForeignKeyConstraint(['chased_task_id'], ['task.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('dedupe_key'),
    )
    op.create_index('ix_lapse_court_recorded', 'supervision_lapse', ['court_id', 'recorded_on'])
    op.create_index('ix_lapse_user', 'supervision_lapse', ['user_id', 'recorded_on'])


def downgrade() -> None:
    op.drop_table('supervision_lapse')
    op.drop_table('delegation')
    op.drop_index('ix_task_escalates', table_name='task')
    op.drop_index('ix_task_chase', table_name='task')
    with op.batch_alter_table('task') as batch:
        batch.drop_constraint('fk_task_escalates_task', type_='foreignkey')
        batch.drop_constraint('fk_task_delegated_from_user', type_='foreignkey')
        batch.drop_column('escalates_task_id')
        batch.drop_column('delegated_from_user_id')
        batch.drop_column('chase_stage')
        batch.drop_column('priority')
