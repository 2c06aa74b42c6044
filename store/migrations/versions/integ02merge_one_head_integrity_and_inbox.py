"""one head: the interference records (issue 20) and the team inbox (issue 17), both on w13merge0001

Revision ID: integ02merge
Revises: inbox01tasks, integrity01records
Create Date: 2026-11-24 13:40:00
"""

revision = 'integ02merge'
down_revision = ('inbox01tasks', 'integrity01records')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
