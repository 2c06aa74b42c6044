"""login throttling: failed attempts and lockouts per account and per address

Revision ID: acc355login01
Revises: e819fd8b7f8d
Create Date: 2026-11-24 08:40:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'acc355login01'
down_revision = 'e819fd8b7f8d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'login_throttle',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('window_start', sa.DateTime(timezone=True), nullable=True),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('scope', 'key', name='uq_login_throttle_scope_key'),
    )


def downgrade() -> None:
    op.drop_table('login_throttle')
