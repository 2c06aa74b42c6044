"""People's assessors (人民陪审员) on panels: a case's assessors' ground; a panel seat is lead, member or
assessor (checked), and a case has one lead (who presides)

Revision ID: assessors01
Revises: admin02division
Create Date: 2026-11-25 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

revision = 'assessors01'
down_revision = 'admin02division'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.add_column(sa.Column('assessor_ground', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table('panelmember') as batch:
        batch.create_check_constraint('ck_panel_role', "role IN ('lead', 'member', 'assessor')")
    op.create_index('uq_panel_lead', 'panelmember', ['case_id'], unique=True,
                    sqlite_where=sa.text("role = 'lead'"), postgresql_where=sa.text("role = 'lead'"))


def downgrade() -> None:
    op.drop_index('uq_panel_lead', table_name='panelmember')
    with op.batch_alter_table('panelmember') as batch:
        batch.drop_constraint('ck_panel_role', type_='check')
    with op.batch_alter_table('cases') as batch:
        batch.drop_column('assessor_ground')
