"""one head: integrity records and the team inbox joined with administration and all-staff assessment

Revision ID: int02merge
Revises: int01merge, integ02merge
Create Date: 2026-11-24 14:30:00
"""

revision = 'int02merge'
down_revision = ('int01merge', 'integ02merge')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
