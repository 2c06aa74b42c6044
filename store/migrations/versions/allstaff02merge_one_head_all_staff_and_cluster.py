"""one head: the all-staff assessment (allstaff01) and the four-type rule check (cluster01ruleck)

Revision ID: allstaff02merge
Revises: allstaff01, cluster01ruleck
Create Date: 2026-11-24 13:50:00
"""

revision = 'allstaff02merge'
down_revision = ('allstaff01', 'cluster01ruleck')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
