"""告知当事人: the parties are told of every extension, exclusion and reassignment.

Parties are not users: the notice is a written text kept on the case for the clerk to
serve, and the clerks of the division get a task to serve it.
"""
from services.kernel.tasks import open_task
from store.models import PartyNotice

TEXTS = {
    "extension_approved": "本案审理期限经批准延长{length}，延长后审限届满日为{deadline}。",
    "exclusion_opened": "本案因{kind}自{start}起扣除审理期限。",
    "exclusion_closed": "本案因{kind}扣除审理期限的期间自{start}至{end}，审限届满日相应顺延至{deadline}。",
    "reassignment_approved": "因{reason_code}，本案承办法官变更为{judge}。",
}


def inform_parties(cmd, case, notice_kind: str, **values) -> None:
    text = TEXTS[notice_kind].format(**{k: ("" if v is None else v) for k, v in values.items()})
    notice = PartyNotice(case_id=case.id, kind=notice_kind, text=f"{case.case_number}：{text}", at=cmd.now)
    cmd.session.add(notice)
    cmd.session.flush()
    open_task(cmd.session, kind="serve_party_notice", title=f"向当事人送达告知：{case.case_number}",
              subject_kind="cases", subject_id=case.id, court_id=case.court_id, division_id=case.division_id,
              assignee_role="clerk", at=cmd.now, dedupe_key=f"party_notice:{notice.id}",
              context={"party_notice_id": notice.id, "text": notice.text})
