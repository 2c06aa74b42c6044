"""one head: administration (admin01people) and the four-type rule check (cluster01ruleck), built in parallel

Revision ID: admin02merge
Revises: admin01people, cluster01ruleck
Create Date: 2026-11-24 13:50:00
"""

revision = 'admin02merge'
down_revision = ('admin01people', 'cluster01ruleck')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
