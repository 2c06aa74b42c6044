"""administration: invitations, first-login change, grant start and end dates, override versions

Revision ID: admin01people
Revises: w13merge0001
Create Date: 2026-11-24 12:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'admin01people'
down_revision = 'w13merge0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (SQLite has it): a batch copy of users would have to drop a table every other one refers to
    op.add_column('users', sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('rolegrant', sa.Column('starts_on', sa.Date(), nullable=True))
    op.add_column('rolegrant', sa.Column('ends_on', sa.Date(), nullable=True))
    op.create_table(
        'invitation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_sha256', sa.String(length=64), nullable=False),
        sa.Column('purpose', sa.String(), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.ForeignKeyConstraint(['created_by'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_invitation_user_id', 'invitation', ['user_id'])
    op.create_index('ix_invitation_token_sha256', 'invitation', ['token_sha256'], unique=True)
    op.create_table(
        'policy_override_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('court_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('locked_keys', sa.JSON(), nullable=False),
        sa.Column('effective_from', sa.Date(), nullable=False),
        sa.Column('why', sa.String(), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['court_id'], ['court.id']),
        sa.ForeignKeyConstraint(['created_by'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('court_id', 'name', 'version'),
    )
    op.create_index('ix_policy_override_version_court_id', 'policy_override_version', ['court_id'])


def downgrade() -> None:
    op.drop_table('policy_override_version')
    op.drop_table('invitation')
    with op.batch_alter_table('rolegrant') as batch:
        batch.drop_column('ends_on')
        batch.drop_column('starts_on')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('must_change_password')
