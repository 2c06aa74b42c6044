"""one head: the interference records (issue 20), the team inbox (issue 17) and the cluster's rule check

Revision ID: integ02merge
Revises: cluster01ruleck, inbox01tasks, integrity01records
Create Date: 2026-11-24 13:40:00
"""

revision = 'integ02merge'
down_revision = ('cluster01ruleck', 'inbox01tasks', 'integrity01records')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
