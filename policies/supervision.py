"""四类案件监管 and 阅核 as data (SPEC §2, §3): the automatic flag rules, the report duty,
who flags and supervises, the professional judges' meeting quorum, and the review chains.

`matching_rules` is the one statement of what each automatic rule means; the daily
monitor's SQL says the same thing set-based (services/supervision/sweeps.py).
"""
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from policies.duties import duty
from policies.deadline import add_months
from policies.roles import Role

CATEGORIES = {1: "重大、疑难、复杂、敏感", 2: "群体性纠纷或社会广泛关注、可能影响社会稳定",
              3: "与本院或上级法院类案裁判可能发生冲突", 4: "有关单位或个人反映法官有违法审判行为"}
Category = Field(ge=1, le=4)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PartyCountRule(_Strict):
    min_parties: int = Field(ge=2)
    category: int = Category


class KeywordRule(_Strict):
    category: int = Category
    words: list[str] = Field(min_length=1)


class MonthsRule(_Strict):
    months: int = Field(ge=1)
    category: int = Category


class CategoryRule(_Strict):
    category: int = Category


class ComplaintRule(_Strict):
    category: int = Category
    decider_role: Role


class Rules(_Strict):
    party_count: PartyCountRule
    keywords: list[KeywordRule] = []
    long_pending: MonthsRule
    remanded: CategoryRule
    complaint: ComplaintRule


class ReportDuty(_Strict):
    days: int = Field(ge=1, json_schema_extra=duty("judge"))
    working_days: bool = False
    to_role: Role


class Meeting(_Strict):
    min_opinions: int = Field(ge=1)


class Committee(_Strict):
    recorder_roles: list[Role] = Field(min_length=1)
    president_roles: list[Role] = Field(min_length=1)
    secretary_role: Role


class DraftReview(_Strict):
    document_kinds: list[str] = Field(min_length=1)
    four_type_chain: list[Role]
    default_chain: list[Role] = []


class SupervisionPolicy(_Strict):
    division_scope: ClassVar[bool] = True  # a division may override it (its flag rules, report days, chains…)
    flag_roles: list[Role] = Field(min_length=1)
    supervisor_roles: list[Role] = Field(min_length=1)
    rules: Rules
    report: ReportDuty
    meeting: Meeting
    committee: Committee
    draft_review: DraftReview

    @model_validator(mode="after")
    def _chains_are_supervisors(self):
        unknown = set(self.draft_review.four_type_chain + self.draft_review.default_chain) - set(self.supervisor_roles)
        if unknown:
            raise ValueError(f"draft_review chains name roles that are not supervisor_roles: {sorted(unknown)}")
        return self

    def chain_for(self, four_type: bool) -> list[str]:
        """阅核 chain: default 庭长 → 分管副院长 for four-type cases, the default chain otherwise."""
        return list(self.draft_review.four_type_chain if four_type else self.draft_review.default_chain)


@dataclass(frozen=True)
class CaseFacts:
    """What the automatic rules look at."""
    cause: str
    party_count: int
    filed_on: date
    remanded: bool


@dataclass(frozen=True)
class RuleMatch:
    source: str
    category: int
    reason: str


def long_pending_cutoff(rules: Rules, as_of: date) -> date:
    """A pending case filed on or before this day has been pending over the rule's months."""
    return add_months(as_of, -rules.long_pending.months)


def matching_rules(rules: Rules, case: CaseFacts, as_of: date) -> list[RuleMatch]:
    """Every automatic rule the case meets (the complaint rule comes through proposals)."""
    found = []
    if case.party_count >= rules.party_count.min_parties:
        found.append(RuleMatch("rule:party_count", rules.party_count.category,
                               f"当事人{case.party_count}人（≥{rules.party_count.min_parties}）"))
    for rule in rules.keywords:
        hits = [w for w in rule.words if w in case.cause]
        if hits:
            found.append(RuleMatch("rule:keywords", rule.category, f"案由含关键词：{'、'.join(hits)}"))
    if case.filed_on <= long_pending_cutoff(rules, as_of):
        found.append(RuleMatch("rule:long_pending", rules.long_pending.category,
                               f"立案超过{rules.long_pending.months}个月未结"))
    if case.remanded:
        found.append(RuleMatch("rule:remanded", rules.remanded.category, "发回重审案件"))
    return found


def report_due(duty: ReportDuty, flagged_on: date, calendar) -> date:
    """The lead judge's report to the division chief is due this many (working or calendar) days later."""
    if duty.working_days:
        return calendar.add_working_days(flagged_on, duty.days).date
    return flagged_on + timedelta(days=duty.days)


def majority_view(views: list[str]) -> tuple[str | None, bool]:
    """(the view held by more than half of the opinions, whether it is unanimous); (None, False) without one."""
    if not views:
        return None, False
    counts = {v: views.count(v) for v in set(views)}
    top = max(counts, key=counts.get)
    if counts[top] * 2 > len(views):
        return top, counts[top] == len(views)
    return None, False
