"""one head: the features built in parallel

Revision ID: e13da5da58c7
Revises: 1cc63fe359ae, 26c61db3d244, a4a5f381b359, c4e6fd0eca7b, c77dfa744b26, daaf2d5cd5cd
Create Date: 2026-11-21 09:06:39.771613
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'e13da5da58c7'
down_revision = ('1cc63fe359ae', '26c61db3d244', 'a4a5f381b359', 'c4e6fd0eca7b', 'c77dfa744b26', 'daaf2d5cd5cd')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
