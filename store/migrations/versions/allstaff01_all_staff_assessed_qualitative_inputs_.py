"""all staff assessed: the record's scheme, evaluations, score items, leaders' caseloads, unit results;
the procedural events indexed by day and actor (a month's recorded work per person)

Revision ID: allstaff01
Revises: w13merge0001
Create Date: 2026-11-24 12:25:19.239755
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'allstaff01'
down_revision = 'w13merge0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('unit_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('court_id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('targets_met', sa.Integer(), nullable=False),
    sa.Column('targets', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['court_id'], ['court.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('level', 'unit_id', 'period')
    )
    with op.batch_alter_table('unit_result', schema=None) as batch_op:
        batch_op.create_index('ix_unit_result_court', ['court_id', 'period'], unique=False)

    op.create_table('assessment_evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('court_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['court_id'], ['court.id'], ),
    sa.ForeignKeyConstraint(['evaluator_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'kind', 'period')
    )
    with op.batch_alter_table('assessment_evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_evaluation_court_id'), ['court_id'], unique=False)

    op.create_table('leader_caseload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('court_id', sa.Integer(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=True),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('share', sa.Float(), nullable=False),
    sa.Column('basis', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('average', sa.Float(), nullable=False),
    sa.Column('required', sa.Float(), nullable=False),
    sa.Column('own', sa.Float(), nullable=False),
    sa.Column('closed', sa.Integer(), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['court_id'], ['court.id'], ),
    sa.ForeignKeyConstraint(['division_id'], ['division.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'period')
    )
    with op.batch_alter_table('leader_caseload', schema=None) as batch_op:
        batch_op.create_index('ix_leader_caseload_court', ['court_id', 'period'], unique=False)

    op.create_table('score_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('court_id', sa.Integer(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=True),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('evidence', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('approver_role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entered_by', sa.Integer(), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decision_note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('counts_in', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('objection', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('objected_on', sa.Date(), nullable=True),
    sa.Column('objection_decision', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['court_id'], ['court.id'], ),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['division_id'], ['division.id'], ),
    sa.ForeignKeyConstraint(['entered_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('score_item', schema=None) as batch_op:
        batch_op.create_index('ix_score_item_counts', ['counts_in', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_score_item_court_id'), ['court_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_score_item_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('assessment_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scheme', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default='judge'))

    with op.batch_alter_table('proceduralevent', schema=None) as batch_op:
        batch_op.create_index('ix_procedural_event_on_actor', ['on', 'actor_id', 'kind'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('proceduralevent', schema=None) as batch_op:
        batch_op.drop_index('ix_procedural_event_on_actor')

    with op.batch_alter_table('assessment_record', schema=None) as batch_op:
        batch_op.drop_column('scheme')

    with op.batch_alter_table('score_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_item_user_id'))
        batch_op.drop_index(batch_op.f('ix_score_item_court_id'))
        batch_op.drop_index('ix_score_item_counts')

    op.drop_table('score_item')
    with op.batch_alter_table('leader_caseload', schema=None) as batch_op:
        batch_op.drop_index('ix_leader_caseload_court')

    op.drop_table('leader_caseload')
    with op.batch_alter_table('assessment_evaluation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_evaluation_court_id'))

    op.drop_table('assessment_evaluation')
    with op.batch_alter_table('unit_result', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_result_court')

    op.drop_table('unit_result')
