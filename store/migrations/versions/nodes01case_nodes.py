"""Process nodes (流程节点管理) and publication online (裁判文书上网): case_node; a reassignment request may
name a panel member's seat (变更合议庭成员); parties on record (当事人); the 终本 checklist

Revision ID: nodes01case_nodes
Revises: int02merge
Create Date: 2026-11-24 15:50:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = 'nodes01case_nodes'
down_revision = 'int02merge'
branch_labels = None
depends_on = None

OPEN_UNFLAGGED = "done_on IS NULL AND flagged_on IS NULL"


def _text() -> sa.types.TypeEngine:
    return sqlmodel.sql.sqltypes.AutoString()


def upgrade() -> None:
    op.create_table('case_node',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('court_id', sa.Integer(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=True),
    sa.Column('node', _text(), nullable=False),
    sa.Column('source', _text(), nullable=False),
    sa.Column('trigger_on', sa.Date(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('flagged_on', sa.Date(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('note', _text(), nullable=False),
    sa.Column('reference', _text(), nullable=False),
    sa.Column('exemption_ground', _text(), nullable=True),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['court_id'], ['court.id'], ),
    sa.ForeignKeyConstraint(['division_id'], ['division.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['approved_by'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_case_node_case_id', 'case_node', ['case_id'], unique=False)
    op.create_index('uq_case_node_open', 'case_node', ['case_id', 'node'], unique=True,
                    sqlite_where=sa.text('done_on IS NULL'), postgresql_where=sa.text('done_on IS NULL'))
    op.create_index('ix_case_node_open_unflagged', 'case_node', ['planned_on', 'court_id'], unique=False,
                    sqlite_where=sa.text(OPEN_UNFLAGGED), postgresql_where=sa.text(OPEN_UNFLAGGED))
    op.create_index('ix_case_node_court_planned', 'case_node', ['court_id', 'node', 'planned_on'], unique=False)
    op.create_index('ix_case_node_court_done', 'case_node', ['court_id', 'node', 'done_on'], unique=False,
                    sqlite_where=sa.text('done_on IS NOT NULL'), postgresql_where=sa.text('done_on IS NOT NULL'))
    op.create_table('party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('court_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', _text(), nullable=False),
    sa.Column('role', _text(), nullable=False),
    sa.Column('id_number_masked', _text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['court_id'], ['court.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_party_case_id', 'party', ['case_id'], unique=False)
    op.create_index('ix_party_name_case', 'party', ['name', 'case_id'], unique=False)
    op.create_table('enforcement_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('item', _text(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('evidence', _text(), nullable=False),
    sa.Column('not_applicable', sa.Boolean(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', 'item')
    )
    op.create_index('ix_enforcement_check_case_id', 'enforcement_check', ['case_id'], unique=False)
    with op.batch_alter_table('reassignmentrequest') as batch:
        batch.add_column(sa.Column('seat_user_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_reassignmentrequest_seat_user_id_users', 'users', ['seat_user_id'], ['id'])


def downgrade() -> None:
    op.drop_index('ix_enforcement_check_case_id', table_name='enforcement_check')
    op.drop_table('enforcement_check')
    op.drop_index('ix_party_name_case', table_name='party')
    op.drop_index('ix_party_case_id', table_name='party')
    op.drop_table('party')
    with op.batch_alter_table('reassignmentrequest') as batch:
        batch.drop_constraint('fk_reassignmentrequest_seat_user_id_users', type_='foreignkey')
        batch.drop_column('seat_user_id')
    for name in ('ix_case_node_court_done', 'ix_case_node_court_planned', 'ix_case_node_open_unflagged',
                 'uq_case_node_open', 'ix_case_node_case_id'):
        op.drop_index(name, table_name='case_node')
    op.drop_table('case_node')
