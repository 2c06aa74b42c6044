"""告知当事人: the parties are told of every extension, exclusion, reassignment and conversion to ordinary procedure.

Parties are not users: the notice is a written text kept on the case for the clerk to
serve, and the clerks of the division get a task to serve it. It is written in Chinese, as the
court writes to parties: the catalog's `party_notice_text.<kind>`, dates as 2025年3月4日 and
lengths in words (延长六个月).
"""
from datetime import date

import i18n
from i18n.words import date_words, length_words
from services.kernel.tasks import open_task
from store.models import PartyNotice


def _written(name: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return date_words(value, "zh_CN")
    return length_words(value, "zh_CN") if name == "length" else str(value)


def inform_parties(cmd, case, notice_kind: str, **values) -> None:
    text = i18n.gettext(f"party_notice_text.{notice_kind}", "zh_CN",
                        **{k: _written(k, v) for k, v in values.items()})
    notice = PartyNotice(case_id=case.id, kind=notice_kind, text=f"{case.case_number}：{text}", at=cmd.now)
    cmd.session.add(notice)
    cmd.session.flush()
    open_task(cmd.session, kind="serve_party_notice", title=f"向当事人送达告知：{case.case_number}",
              subject_kind="cases", subject_id=case.id, court_id=case.court_id, division_id=case.division_id,
              assignee_role="clerk", at=cmd.now, dedupe_key=f"party_notice:{notice.id}",
              context={"party_notice_id": notice.id, "text": notice.text})
