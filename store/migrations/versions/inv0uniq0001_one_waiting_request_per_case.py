"""invariants in the database: partial unique indexes for every "at most one … per …" rule

Revision ID: inv0uniq0001
Revises: e819fd8b7f8d
Create Date: 2026-11-24 09:00:00

One waiting extension or reassignment request per case, each extension ordinal approved once per
case, one open excluded period per (case, kind), one outstanding required report per (case, kind),
one open meeting, committee referral and draft review per case, one running quota exit per judge.
A database that already holds duplicates (e.g. from the race this closes) must have them resolved
(refused or withdrawn) before this runs: the index cannot be built over them.
"""
from alembic import op
import sqlalchemy as sa


revision = 'inv0uniq0001'
down_revision = 'e819fd8b7f8d'
branch_labels = None
depends_on = None

INDEXES = [
    ("uq_extension_waiting", "extensionrequest", ["case_id"], "state = 'requested'"),
    ("uq_extension_approved_ordinal", "extensionrequest", ["case_id", "ordinal"], "state = 'approved'"),
    ("uq_reassignment_waiting", "reassignmentrequest", ["case_id"], "state = 'requested'"),
    ("uq_excluded_period_open", "excludedperiod", ["case_id", "kind"], '"end" IS NULL'),
    ("uq_required_report_outstanding", "required_report", ["case_id", "kind"], "state = 'required'"),
    ("uq_meeting_open", "meeting_referral", ["case_id"], "state IN ('referred', 'concluded')"),
    ("uq_committee_open", "committee_referral", ["case_id"], "state IN ('proposed', 'referred')"),
    ("uq_draft_review_open", "draft_review", ["case_id"], "state IN ('in_review', 'returned')"),
    ("uq_exit_running", "exitproceeding", ["judge_id"], "closed_on IS NULL"),
]


def upgrade() -> None:
    for name, table, columns, where in INDEXES:
        op.create_index(name, table, columns, unique=True, sqlite_where=sa.text(where),
                        postgresql_where=sa.text(where))


def downgrade() -> None:
    for name, table, _, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
