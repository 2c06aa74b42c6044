"""one head: the chase of the lifecycles' due dates, the indicator catalogue and the case nodes joined

Revision ID: s6merge01
Revises: chase02, ind21alert01, nodes01case_nodes
Create Date: 2026-11-24 16:30:00
"""

revision = 's6merge01'
down_revision = ('chase02', 'ind21alert01', 'nodes01case_nodes')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
