"""one head: the administration and all-staff assessment work built in parallel

Revision ID: int01merge
Revises: admin02merge, allstaff02merge
Create Date: 2026-11-24 14:25:00
"""

revision = 'int01merge'
down_revision = ('admin02merge', 'allstaff02merge')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
