"""indicator alerts (issue 21): one per court or division, indicator and period; the trial office's comment
on an analysis report

Revision ID: ind21alert01
Revises: int02merge
Create Date: 2026-11-24 15:40:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = 'ind21alert01'
down_revision = 'int02merge'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('indicator_alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('court_id', sa.Integer(), nullable=False),
    sa.Column('indicator', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('low', sa.Float(), nullable=True),
    sa.Column('high', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['court_id'], ['court.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('level', 'unit_id', 'indicator', 'period')
    )
    with op.batch_alter_table('indicator_alert', schema=None) as batch_op:
        batch_op.create_index('ix_indicator_alert_court', ['court_id', 'period'], unique=False)
    op.create_table('report_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('comment', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('measures', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], ),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('report_id')
    )


def downgrade() -> None:
    op.drop_table('report_comment')
    with op.batch_alter_table('indicator_alert', schema=None) as batch_op:
        batch_op.drop_index('ix_indicator_alert_court')
    op.drop_table('indicator_alert')
