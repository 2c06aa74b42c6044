"""a delegation ended early (ended_on, ended_by); the lifecycles' due dates join the one chase

Revision ID: chase02
Revises: int02merge
Create Date: 2026-11-24 15:45:00

The petitions', quality reviews', committee exit windows' and four-type reports' own sweeps are replaced by
the daily chase of their tasks (issue 17). Their open tasks were never chased (chase_stage 0): so that the
first chase after this upgrade does not say again what those sweeps already said, a task past its due date
is taken as noticed overdue (2), and as chased to the end (9) if its old sweep already escalated it (the
petition's or the exit window's supervision task, a review stage's escalation notice) or it has no
escalation (the four-type report); a task inside its old reminder window is taken as reminded (1). The old
supervision tasks of a late petition or an overdue exit window are linked to the task they chase, so they
close with it.

The policy keys those sweeps read are gone (petitions.yaml reminder / warning / escalation, quality_review.yaml
reminders, quota_exit.yaml escalate_to, supervision.yaml report.missed_recipients: monitoring.yaml
`chase.kinds` says it now): a court's stored override of them is dropped, so that the override still reads
(a court that had changed them sets the kind's rule under the monitoring policy instead).
"""
import json

from alembic import op
import sqlalchemy as sa


revision = 'chase02'
down_revision = 'int02merge'
branch_labels = None
depends_on = None

REMIND_DAYS = {"answer_petition": 3, "review_case": 3, "rereview_case": 3, "decide_review_objection": 3,
               "rectify_review": 7, "exit_decide": 3, "exit_decide_reconsideration": 3}
OVERDUE_FIRST = (
    "UPDATE task SET chase_stage = 2 WHERE state = 'open' AND chase_stage = 0 AND due_on < CURRENT_DATE "
    "AND kind IN ('answer_petition', 'review_case', 'rereview_case', 'decide_review_objection', 'rectify_review', "
    "'exit_decide', 'exit_decide_reconsideration')")
ESCALATED = [
    "UPDATE task SET chase_stage = 9 WHERE state = 'open' AND kind = 'four_type_report' AND due_on < CURRENT_DATE",
    "UPDATE task SET chase_stage = 9 WHERE state = 'open' AND chase_stage = 2 AND kind = 'answer_petition' "
    "AND EXISTS (SELECT 1 FROM task earlier WHERE earlier.kind = 'supervise_late_petition' AND earlier.subject_kind = 'petitions' "
    "AND earlier.subject_id = task.subject_id)",
    "UPDATE task SET chase_stage = 9 WHERE state = 'open' AND chase_stage = 2 "
    "AND kind IN ('exit_decide', 'exit_decide_reconsideration') AND EXISTS (SELECT 1 FROM task earlier "
    "WHERE earlier.kind LIKE 'exit_overdue:%' AND earlier.subject_kind = 'exit_proceedings' "
    "AND earlier.subject_id = task.subject_id)",
    "UPDATE task SET chase_stage = 9 WHERE state = 'open' AND chase_stage = 2 "
    "AND kind IN ('review_case', 'rereview_case', 'decide_review_objection', 'rectify_review') "
    "AND EXISTS (SELECT 1 FROM notice n WHERE n.kind = 'review_escalation' AND n.subject_kind = 'reviews' "
    "AND n.subject_id = task.subject_id)",
]
LINK_OLD_SUPERVISION = [
    "UPDATE task SET escalates_task_id = (SELECT t.id FROM task t WHERE t.kind = 'answer_petition' "
    "AND t.state = 'open' AND t.subject_kind = 'petitions' AND t.subject_id = task.subject_id ORDER BY t.id DESC "
    "LIMIT 1) WHERE kind = 'supervise_late_petition' AND state = 'open' AND escalates_task_id IS NULL",
    "UPDATE task SET escalates_task_id = (SELECT t.id FROM task t WHERE t.kind IN ('exit_decide', "
    "'exit_decide_reconsideration') AND t.subject_kind = 'exit_proceedings' AND t.subject_id = task.subject_id "
    "ORDER BY t.id DESC LIMIT 1) WHERE kind LIKE 'exit_overdue:%' AND state = 'open' AND escalates_task_id IS NULL",
]


GONE = {"petitions": [("reminder",), ("warning",), ("escalation",)], "quality_review": [("reminders",)],
        "quota_exit": [("escalate_to",)], "supervision": [("report", "missed_recipients")]}


def _without_gone(name: str, data):
    if not isinstance(data, dict) or name not in GONE:
        return data
    data = json.loads(json.dumps(data))
    for path in GONE[name]:
        holder = data
        for part in path[:-1]:
            holder = holder.get(part) if isinstance(holder, dict) else None
        if isinstance(holder, dict):
            holder.pop(path[-1], None)
    return data


def _drop_gone_keys() -> None:
    bind = op.get_bind()
    for table_name in ("policyoverride", "policy_override_version"):
        table = sa.table(table_name, sa.column("id", sa.Integer), sa.column("name", sa.String),
                         sa.column("data", sa.JSON))
        rows = bind.execute(sa.select(table.c.id, table.c.name, table.c.data)
                            .where(table.c.name.in_(list(GONE)))).all()
        for row_id, name, data in rows:
            kept = _without_gone(name, data)
            if kept != data:
                bind.execute(table.update().where(table.c.id == row_id).values(data=kept))


def upgrade() -> None:
    with op.batch_alter_table('delegation') as batch:
        batch.add_column(sa.Column('ended_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('ended_by', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_delegation_ended_by', 'users', ['ended_by'], ['id'])
    op.execute(OVERDUE_FIRST)
    for statement in ESCALATED + LINK_OLD_SUPERVISION:
        op.execute(statement)
    _drop_gone_keys()
    for kind, days in REMIND_DAYS.items():   # inside the old reminder window: reminded already
        op.execute(f"UPDATE task SET chase_stage = 1 WHERE kind = '{kind}' AND state = 'open' AND chase_stage = 0 "
                   f"AND due_on >= CURRENT_DATE AND due_on <= {_plus_days(days)}")


def _plus_days(days: int) -> str:
    """CURRENT_DATE plus some days, in the dialect running the migration."""
    if op.get_bind().dialect.name == "sqlite":
        return f"date('now', '+{days} days')"
    return f"CURRENT_DATE + {days}"


def downgrade() -> None:
    with op.batch_alter_table('delegation') as batch:
        batch.drop_constraint('fk_delegation_ended_by', type_='foreignkey')
        batch.drop_column('ended_by')
        batch.drop_column('ended_on')
