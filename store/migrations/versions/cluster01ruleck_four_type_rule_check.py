"""four-type rule check: how far the daily monitor has checked the rules of a case's own facts

Revision ID: cluster01ruleck
Revises: w13merge0001
Create Date: 2026-11-24 13:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'cluster01ruleck'
down_revision = 'w13merge0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'four_type_rule_check',
        sa.Column('rules_key', sa.String(), nullable=False),
        sa.Column('last_case_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('rules_key'),
    )


def downgrade() -> None:
    op.drop_table('four_type_rule_check')
