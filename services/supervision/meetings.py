"""专业法官会议 (SPEC §2): a referral with the question and the positions, each member's opinion,
the majority view; the panel adopts it, or records why not and the division chief is alerted."""
from pydantic import Field
from sqlmodel import select

from policies.supervision import majority_view
from policies.roles import LEADERS
from services.kernel.clock import local_today
from services.cases.facts import on_case
from services.integrity.facts import BARRED, NAMED, named_on_case
from services.kernel.errors import Invalid, Refused
from services.kernel.lists import TextList
from services.kernel.notify import notify_users
from services.kernel.policy import policy
from store.recipients import holders
from services.kernel.record import record
from services.kernel.subjects import EventSpec, NoPayload, Payload, SubjectKind
from services.supervision.gate import decide_facts, on_panel
from services.kernel.tasks import cancel_open_tasks, close_tasks, open_task

from services.kernel.bounds import Id
from statemachines.meeting import MeetingMachine
from store.models import Case, MeetingOpinion, MeetingReferral, PanelMember, Task, User
from store.models.supervision import OPEN_MEETING


def default_members(session, case: Case) -> list[int]:
    """The active quota judges of the case's division who do not sit on its panel, nor are named in its
    interference records (三个规定)."""
    panel = set(session.exec(select(PanelMember.user_id).where(PanelMember.case_id == case.id)).all())
    panel.add(case.lead_judge_id)
    ids = session.exec(select(User.id).where(User.division_id == case.division_id, User.is_quota_judge,
                                             User.active)).all()
    return sorted(set(ids) - panel - named_on_case(session, case.id))


def refuse_named_members(session, case: Case, member_ids: list[int]) -> None:
    """A member chosen by name who is named in the case's interference records may not sit on its meeting."""
    named = sorted(set(member_ids) & named_on_case(session, case.id))
    if named:
        names = session.exec(select(User.display_name).where(User.id.in_(named)).order_by(User.id)).all()
        raise Refused(BARRED, name="、".join(names), case_number=case.case_number)


def refer_to_meeting(cmd, case: Case, question: str, options: list[str], source: str,
                     member_ids: list[int] | None = None) -> MeetingReferral:
    s = cmd.session
    if decide_facts(s, case)["outstanding_searches"]:
        raise Refused("refused.supervision.similar_case_search_report_required_before")
    if s.exec(select(MeetingReferral.id).where(MeetingReferral.case_id == case.id,
                                               MeetingReferral.state.in_(OPEN_MEETING))).first():
        raise Refused("refused.supervision.professional_judges_meeting_on_case_still")
    options = list(dict.fromkeys(o.strip() for o in options if o.strip()))
    if len(options) < 2:
        raise Invalid("payload.options", "invalid.supervision.meeting_needs_at_least_two_positions")
    members = sorted(set(member_ids)) if member_ids else default_members(s, case)
    refuse_named_members(s, case, members)
    if len(members) < policy(s, case.court_id, "supervision", case.division_id).meeting.min_opinions:
        raise Refused("refused.supervision.division_has_too_few_professional_judges")
    meeting = MeetingReferral(case_id=case.id, court_id=case.court_id, division_id=case.division_id,
                              question=question, options=options, member_ids=members, source=source,
                              referred_by=cmd.actor.user_id, referred_at=cmd.now)
    s.add(meeting)
    s.flush()
    for member in members:
        open_task(s, kind="meeting_opinion", title=f"专业法官会议发表意见：{case.case_number}", subject_kind="meetings",
                  subject_id=meeting.id, court_id=case.court_id, assignee_user_id=member, at=cmd.now,
                  dedupe_key=f"meeting_opinion:{meeting.id}:{member}")
    notify_users(cmd, "meeting_referred", members, f"meeting_referred:{meeting.id}", case, question=question)
    record(s, cmd.actor, "meetings.refer", at=cmd.now, subject_kind="meetings", subject_id=meeting.id,
           court_id=case.court_id, why=question, after={"case_id": case.id, "source": source, "members": members})
    return meeting


class MeetingCreate(Payload):
    question: str = Field(min_length=2, max_length=1000, description="提请讨论的问题")
    options: TextList = Field(min_length=2, description="可选意见（以“；”分隔）")
    member_ids: list[Id] | None = Field(default=None, description="参会法官（默认本庭非合议庭成员的员额法官）")


def panel_refers(db, actor, case_id: int, data: MeetingCreate, now) -> int:
    """The lead judge or panel refers its own case to the meeting."""
    def run(cmd, case):
        if not on_panel(cmd.session, actor.user_id, case):
            raise Refused("refused.supervision.only_case_panel_supervisor_reviewer_refers")
        return refer_to_meeting(cmd, case, data.question, data.options, "panel", data.member_ids).id
    return on_case(db, actor, "cases.refer_to_meeting", case_id, now, run)


class Opinion(Payload):
    view: str = Field(min_length=1, max_length=500, description="意见（从可选意见中选择）")
    reasoning: str = Field(default="", max_length=4000, description="理由")


class Reason(Payload):
    reason: str = Field(min_length=2, max_length=2000, description="不采纳的理由")


def _case(session, meeting) -> Case:
    return session.get(Case, meeting.case_id)


def _opined(session, meeting) -> frozenset[int]:
    return frozenset(session.exec(select(MeetingOpinion.user_id).where(MeetingOpinion.meeting_id == meeting.id)).all())


def _member(session, actor, meeting, now):
    if actor.user_id not in meeting.member_ids:
        return Refused("refused.supervision.only_member_professional_judges_meeting_gives")
    if actor.user_id in named_on_case(session, meeting.case_id):  # named after the meeting was called
        return Refused(NAMED)
    return Refused("refused.supervision.you_have_already_given_your_opinion") if actor.user_id in _opined(session, meeting) else None


def _convener(session, actor, meeting, now):
    from services.kernel.access import roles_here

    if actor.user_id == meeting.referred_by or roles_here(session, actor, MEETINGS, meeting) & CONVENERS:
        return None
    return Refused("refused.supervision.meeting_concluded_whoever_referred_it_division")


def _lead(session, actor, meeting, now):
    return None if actor.user_id == _case(session, meeting).lead_judge_id else Refused("refused.supervision.only_panel_lead_judge_answers")


def _facts(session, meeting, now):
    return {"opined": _opined(session, meeting), "opinions": len(_opined(session, meeting)),
            "min_opinions": policy(session, meeting.court_id, "supervision", meeting.division_id).meeting.min_opinions}


def _give_opinion(cmd, meeting: MeetingReferral, data: Opinion):
    if data.view.strip() not in meeting.options:
        raise Invalid("payload.view", "invalid.supervision.choose_one", options='；'.join(meeting.options))
    cmd.session.add(MeetingOpinion(meeting_id=meeting.id, user_id=cmd.actor.user_id, view=data.view.strip(),
                                   reasoning=data.reasoning, given_on=local_today(cmd.now)))
    cmd.session.flush()
    _close_own_task(cmd, meeting)
    if _opined(cmd.session, meeting) >= set(meeting.member_ids):
        MeetingMachine(model=meeting, state_field="state").send("conclude", **_facts(cmd.session, meeting, cmd.now))
        _conclude(cmd, meeting, None)


def _close_own_task(cmd, meeting) -> None:
    for task in cmd.session.exec(select(Task).where(Task.dedupe_key == f"meeting_opinion:{meeting.id}:"
                                                    f"{cmd.actor.user_id}", Task.state == "open")).all():
        task.state, task.done_at, task.done_by = "done", cmd.now, cmd.actor.user_id
        cmd.session.add(task)


def _conclude(cmd, meeting: MeetingReferral, data):
    views = list(cmd.session.exec(select(MeetingOpinion.view).where(MeetingOpinion.meeting_id == meeting.id)).all())
    meeting.majority_view, meeting.unanimous = majority_view(views)
    meeting.concluded_on = local_today(cmd.now)
    cancel_open_tasks(cmd.session, "meetings", meeting.id, cmd.now)
    case = _case(cmd.session, meeting)
    open_task(cmd.session, kind="meeting_answer", title=f"答复专业法官会议意见：{case.case_number}",
              subject_kind="meetings", subject_id=meeting.id, court_id=case.court_id, division_id=case.division_id,
              assignee_user_id=case.lead_judge_id, at=cmd.now, dedupe_key=f"meeting_answer:{meeting.id}")
    notify_users(cmd, "meeting_concluded", [case.lead_judge_id], f"meeting_concluded:{meeting.id}", case,
                 question=meeting.question, majority_view=meeting.majority_view or "", unanimous=meeting.unanimous,
                 opinions=len(views))


def _answered(cmd, meeting: MeetingReferral, reason: str) -> Case:
    meeting.answered_by, meeting.answered_on, meeting.answer_reason = cmd.actor.user_id, local_today(cmd.now), reason
    close_tasks(cmd.session, subject_kind="meetings", subject_id=meeting.id, kinds=("meeting_answer",),
                actor=cmd.actor, at=cmd.now)
    return _case(cmd.session, meeting)


def _not_adopt(cmd, meeting: MeetingReferral, data: Reason):
    case = _answered(cmd, meeting, data.reason)
    if meeting.majority_view:
        notify_users(cmd, "meeting_not_adopted", holders(cmd.session, "division_chief", case.court_id,
                                                         case.division_id, on=local_today(cmd.now)),
                     f"meeting_not_adopted:{meeting.id}", case, question=meeting.question,
                     majority_view=meeting.majority_view, unanimous=meeting.unanimous, reason=data.reason)


def meeting_public(m: MeetingReferral) -> dict:
    return {"case_id": m.case_id, "question": m.question, "options": m.options, "member_ids": m.member_ids,
            "source": m.source, "majority_view": m.majority_view, "unanimous": m.unanimous,
            "concluded_on": m.concluded_on, "answer_reason": m.answer_reason, "answered_on": m.answered_on}


CONVENERS = LEADERS
MEETINGS = SubjectKind(
    name="meetings", model=MeetingReferral, machine=MeetingMachine, public=meeting_public,
    title=lambda m: f"专业法官会议 #{m.id}",
    events={
        "give_opinion": EventSpec("give_opinion", frozenset({"judge", "division_chief"}),
                                  Opinion, _member, _give_opinion, _facts),
        "conclude": EventSpec("conclude", frozenset({"judge"}) | CONVENERS, NoPayload,
                              _convener, _conclude, _facts),
        "adopt": EventSpec("adopt", frozenset({"judge"}), NoPayload, _lead,
                           lambda c, m, d: _answered(c, m, "")),
        "not_adopt": EventSpec("not_adopt", frozenset({"judge"}),
                               Reason, _lead, _not_adopt),
    },
)


def meeting_members(session, meeting_id: int) -> dict:
    """Who sits on the meeting and who has given an opinion (when); each view is shown once the meeting has
    concluded, never while members are still to speak."""
    meeting = session.get(MeetingReferral, meeting_id)
    given = {o.user_id: o for o in session.exec(select(MeetingOpinion).where(MeetingOpinion.meeting_id == meeting_id))}
    names = dict(session.exec(select(User.id, User.display_name).where(User.id.in_(meeting.member_ids or [0]))).all())
    open_ = meeting.state == "referred"
    return {"concluded": not open_,
            "members": [{"name": names.get(uid, ""), "given_on": given[uid].given_on if uid in given else None,
                         "view": "" if open_ or uid not in given else given[uid].view,
                         "reasoning": "" if open_ or uid not in given else given[uid].reasoning}
                        for uid in meeting.member_ids or []]}
