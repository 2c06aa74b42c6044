"""Cases and test doubles for the assessment tests."""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from policies.deadline import add_months
from store.models import Case

SHANGHAI = ZoneInfo("Asia/Shanghai")


def month_starts(first: date, n: int) -> list[date]:
    return [add_months(first, i) for i in range(n)]


def moment(day: date) -> datetime:
    return datetime.combine(day, time(1, 0), tzinfo=SHANGHAI).astimezone(timezone.utc)


def add_cases(s, world, judge: str, n: int, filed: str, closed: str | None = None, procedure="civil-first-ordinary",
              prefix: str = "") -> list[int]:
    ids = []
    for i in range(n):
        case = Case(case_number=f"（2024）辽0102民初{prefix}{judge}{i}号", procedure=procedure,
                    court_id=world.courts["hp"].id, division_id=world.divisions["hp_civil"].id,
                    lead_judge_id=world.users[judge].id, filed_on=date.fromisoformat(filed),
                    deadline=add_months(date.fromisoformat(filed), 6),
                    closed_on=date.fromisoformat(closed) if closed else None, closing_method="判决" if closed else None,
                    state="closed" if closed else "in_trial")
        s.add(case)
        s.flush()
        ids.append(case.id)
    return ids
