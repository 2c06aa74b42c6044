"""courtflow_locked_trace_tail(): on PostgreSQL the chain's lock and its tail in one round trip

Revision ID: trace02tail
Revises: ind21span01
Create Date: 2026-11-24 23:15:00

The function is copied here as it was at this revision (store/models/trace.py builds the same one for
`create_all`), so later edits to the model cannot change what this migration did. SQLite needs nothing: its
write transactions are serial already.
"""
from alembic import op


revision = 'trace02tail'
down_revision = 'ind21span01'
branch_labels = None
depends_on = None

LOCKED_TAIL = """
CREATE OR REPLACE FUNCTION courtflow_locked_trace_tail() RETURNS TABLE (seq integer, hash varchar)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7260001);
    RETURN QUERY SELECT t.seq, t.hash::varchar FROM traceentry t ORDER BY t.seq DESC LIMIT 1;
END
$$"""


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(LOCKED_TAIL)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION IF EXISTS courtflow_locked_trace_tail()')
