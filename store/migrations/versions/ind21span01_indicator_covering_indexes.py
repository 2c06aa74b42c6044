"""the indicator catalogue's covering indexes (issue 21): cases by closing day with every column a case set may
name (it replaces ix_cases_closed_on, its first column); case nodes by planned day

Revision ID: ind21span01
Revises: policy01stamp
Create Date: 2026-11-24 20:30:00

A province's month of the catalogue reads the pending cases, those closed after the month and those closed in it
as three ranges of ix_cases_indicator_span, never the table (services/assessment/indicator_counts.py: Slice).
"""
from alembic import op

revision = 'ind21span01'
down_revision = 'policy01stamp'
branch_labels = None
depends_on = None

SPAN = ["closed_on", "filed_on", "court_id", "division_id", "lead_judge_id", "related_to_id", "procedure",
        "closing_method", "state", "deadline", "remanded"]
NODES = ["planned_on", "case_id", "node", "done_on", "late", "note", "exemption_ground"]


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_indicator_span', SPAN, unique=False)
        batch_op.drop_index('ix_cases_closed_on')
    with op.batch_alter_table('case_node', schema=None) as batch_op:
        batch_op.create_index('ix_case_node_planned', NODES, unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_node', schema=None) as batch_op:
        batch_op.drop_index('ix_case_node_planned')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_closed_on', ['closed_on'], unique=False)
        batch_op.drop_index('ix_cases_indicator_span')
