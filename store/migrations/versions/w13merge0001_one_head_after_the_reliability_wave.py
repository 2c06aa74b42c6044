"""one head: the deployed-path and reliability work built in parallel

Revision ID: w13merge0001
Revises: acc355login01, de11very0001, inv0uniq0001, n0tices0001, trace01checkpoints
Create Date: 2026-11-24 09:30:00
"""

revision = 'w13merge0001'
down_revision = ('acc355login01', 'de11very0001', 'inv0uniq0001', 'n0tices0001', 'trace01checkpoints')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
