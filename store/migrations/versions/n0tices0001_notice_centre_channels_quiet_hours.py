"""notice centre: read marks on notices, channel labels and one active copy of a channel, quiet hours, digest

Revision ID: n0tices0001
Revises: e819fd8b7f8d
Create Date: 2026-11-24 09:30:00

A database that already holds the same active channel twice for a user must have the copies
deactivated before this runs: the partial unique index cannot be built over them.
"""
from alembic import op
import sqlalchemy as sa


revision = 'n0tices0001'
down_revision = 'e819fd8b7f8d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notice') as batch:
        batch.add_column(sa.Column('read_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_notice_recipient_unread', 'notice', ['recipient_user_id', 'read_at'])
    with op.batch_alter_table('channel') as batch:
        batch.add_column(sa.Column('label', sa.String(), nullable=False, server_default=''))
    op.create_index('uq_channel_active_target', 'channel', ['user_id', 'kind', 'target'], unique=True,
                    sqlite_where=sa.text('active = true'), postgresql_where=sa.text('active = true'))
    op.create_table(
        'notice_preference',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('quiet_start', sa.Integer(), nullable=True),
        sa.Column('quiet_end', sa.Integer(), nullable=True),
        sa.Column('daily_digest', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.CheckConstraint('(quiet_start IS NULL) = (quiet_end IS NULL)', name='ck_quiet_hours_both_or_neither'),
        sa.CheckConstraint('quiet_start IS NULL OR (quiet_start BETWEEN 0 AND 1439 AND quiet_end BETWEEN 0 AND 1439 '
                           'AND quiet_start <> quiet_end)', name='ck_quiet_hours_range'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('user_id'),
    )


def downgrade() -> None:
    op.drop_table('notice_preference')
    op.drop_index('uq_channel_active_target', table_name='channel')
    with op.batch_alter_table('channel') as batch:
        batch.drop_column('label')
    op.drop_index('ix_notice_recipient_unread', table_name='notice')
    with op.batch_alter_table('notice') as batch:
        batch.drop_column('read_at')
