"""Schema of indicators.yaml: the catalogue of 审判质效指标 (the 体检表, SPEC §8) as policy data.

A court's indicator is a ratio of two sums of named case sets (`case_sets`), each set a conjunction
of conditions on the cases (or on the appeals and retrial petitions against them, the petitions
registered at the court, or the process nodes and publications of the cases) anchored on the period. services/assessment/indicator_counts.py turns each set
into one SQL condition: summed per (court, division, lead judge) for the figures, and used as the WHERE
of the drill-down, so the list behind a figure is exactly what it counts. Counts add up from judge to
division to court; the ratios are computed last, from the summed counts, never averaged.

Adding an indicator is adding its sets and its entry under `catalogue` (a court may do it in its
override): no code. An indicator whose data courtflow does not record yet names it in `awaiting`
and is listed, not computed.
"""
from itertools import repeat
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

AGE_BUCKETS = ((0, 6), (6, 12), (12, 18), (18, 36), (36, None))  # months since filing, [low, high)
AGE_SETS = tuple(f"age_{i}" for i in range(len(AGE_BUCKETS)))
NODE_ANCHORS = ("planned", "triggered", "done")
GROUPS = ("quality", "efficiency", "effect")  # 质量、效率、效果
CORE = ("closure_rate", "within_limit_rate", "closed_received_ratio", "long_pending_share",
        "avg_days_to_disposition", "acceptance_rate", "mediation_withdrawal_rate", "revise_remand_rate",
        "case_dispute_ratio", "clearance_rate")
"""The indicators the assessment (unit targets) and the quarterly report rely on: every catalogue keeps them."""
INDICATORS = CORE  # the names other policies (assessment.unit_targets) may refer to
# Their words are the catalog's `indicator.<name>`, `indicator_group.<group>` and `age_bucket.<i>`.


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Range(_Strict):
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _ordered(self):
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError("low must not exceed high")
        return self

    def holds(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


class ReferenceRange(Range):
    """区间参考值; `by_period` overrides it for a period kind (a month's closure rate is lower),
    `by_court_level` for a court level (basic, intermediate, high), the level winning over the period."""
    by_period: dict[str, Range] = {}
    by_court_level: dict[str, Range] = {}

    def for_period(self, kind: str, court_level: str | None = None) -> Range:
        if court_level in self.by_court_level:
            return self.by_court_level[court_level]
        return self.by_period.get(kind, self)


class Months(_Strict):
    """Age at the period's end in whole months since filing, [low, high)."""
    low: int = Field(default=0, ge=0)
    high: int | None = None


class Condition(_Strict):
    """Conditions on one case; every one given must hold. Procedure lists may name a group of
    `procedure_groups` (first_instance, appeal …) as well as procedures."""
    procedures: list[str] | None = None
    closing_methods: list[str] | None = None
    states: list[str] | None = None
    court_levels: list[str] | None = None
    within_limit: bool | None = None
    original: bool | None = Field(default=None, description="a dispute of its own (not related to an earlier case)")
    revised_or_remanded: bool | None = Field(default=None, description="改判 or 发回重审 (flag or recorded outcome)")
    pending_months: Months | None = None
    checklist_complete: bool | None = Field(
        default=None, description="终本: every item of the enforcement policy's checklist recorded on the case")
    any_of: list["Condition"] = []


class CaseSet(Condition):
    """A set counted per unit and period. `at`: the anchors that must all hold in the period —
    filed (收案), closed (结案), carried (旧存), pending_end (期末未结); petitions: registered.
    `window`: the report's period, or from 1 January to its end. `of`: cases (default); `against`: cases
    (appeals, retrial petitions) counted for the unit of the case they are against, which must meet
    `against`; `petitions`: petitions (信访) registered at the unit. `measure`: count, or days from
    filing to closing (for an average). `nodes`: the process nodes of the cases (case_node, publication
    included), anchored on planned (its latest day), triggered or done in the period, counted for the unit
    of their case, which must meet the case conditions; `nodes` names the node codes, `done` done by the
    period's end (a node no longer anyone's to do is `dropped`, never done), `late` done after its planned
    day or flagged overdue, `exempted` publication not made on a ground of the rules."""
    of: Literal["cases", "against", "petitions", "nodes"] = "cases"
    at: list[Literal["filed", "closed", "carried", "pending_end", "registered", "planned", "triggered", "done"]] = (
        Field(min_length=1))
    window: Literal["period", "year_to_date"] = "period"
    measure: Literal["count", "days"] = "count"
    against: Condition | None = None
    nodes: list[str] | None = None
    done: bool | None = None
    late: bool | None = None
    exempted: bool | None = None
    dropped: bool | None = None

    @model_validator(mode="after")
    def _consistent(self):
        if (self.of == "against") != (self.against is not None):
            raise ValueError("`against` is given exactly when `of: against`")
        if (self.of == "petitions") != (self.at == ["registered"]):
            raise ValueError("petitions are counted at: [registered], and only they")
        node_anchors = set(self.at) <= set(NODE_ANCHORS)
        if (self.of == "nodes") != node_anchors:
            raise ValueError(f"nodes are counted at {list(NODE_ANCHORS)}, and only they")
        node_fields = (self.nodes, self.done, self.late, self.exempted, self.dropped)
        if self.of != "nodes" and any(v is not None for v in node_fields):
            raise ValueError("nodes, done, late, exempted and dropped are conditions of `of: nodes` sets")
        if self.of == "nodes" and self.measure != "count":
            raise ValueError("nodes are counted, not measured")
        return self


class Indicator(_Strict):
    """One line of the 体检表. value = numerator ÷ denominator (sums of the named sets), as a `ratio`,
    its `complement` (1 − ratio), or an `average` (days); times `per` (100: per hundred cases)."""
    group: Literal["quality", "efficiency", "effect"]
    numerator: list[str] = []
    denominator: list[str] = []
    form: Literal["ratio", "complement", "average"] = "ratio"
    per: int = 1
    better: Literal["higher", "lower"] = "higher"
    shown_as: Literal["percent", "number"] = "percent"
    range: ReferenceRange | None = None
    source: str = Field(min_length=1, description="where the definition comes from")
    awaiting: str | None = Field(default=None, description="the data it waits for; listed, not computed")
    title: dict[str, str] = Field(default={}, description="its name per language when the catalog has none")

    @model_validator(mode="after")
    def _defined(self):
        if self.awaiting is None and not (self.numerator and self.denominator):
            raise ValueError("a computed indicator names its numerator and denominator sets")
        return self

    @property
    def sets(self) -> tuple[str, ...]:
        return (*self.numerator, *self.denominator)

    def value(self, counts: dict[str, float]) -> float | None:
        return self.values_of([counts])[0]

    def values_of(self, many: list[dict[str, float]]) -> list[float | None]:
        """The indicator from each of many units' counts (a report's thousands at once): None where the
        denominator is zero or the data awaited."""
        if self.awaiting is not None:
            return [None] * len(many)
        per = self.per
        pairs = zip(_summed(many, self.numerator), _summed(many, self.denominator))
        if self.form == "average":
            return [round(top * per / bottom, 1) if bottom else None for top, bottom in pairs]
        if self.form == "complement":
            return [round(max(0.0, 1 - top / bottom), 4) if bottom else None for top, bottom in pairs]
        return [round(top / bottom * per, 4) if bottom else None for top, bottom in pairs]


_NOTHING = repeat(0)  # the count of a set a unit has no cases in


def _summed(many: list[dict[str, float]], sets: list[str]) -> list[float]:
    """Each unit's count of the sets (a set it lacks counts 0): without a generator's cost per unit."""
    if len(sets) == 1:
        name = sets[0]
        return [c.get(name, 0) for c in many]
    return [sum(map(c.get, sets, _NOTHING)) for c in many]


class AlertPolicy(_Strict):
    """预警: which units' figures raise an alert when outside their range, for which period kinds, and
    whether the higher court's trial office hears of them too (the court's own always does)."""
    levels: list[Literal["court", "division"]] = ["court", "division"]
    period_kinds: list[Literal["month", "quarter", "half", "year"]] = ["month", "quarter", "half", "year"]
    tell_higher_court: bool = True


def _age_sets() -> dict[str, CaseSet]:
    return {f"age_{i}": CaseSet(at=["pending_end"], pending_months=Months(low=low, high=high))
            for i, (low, high) in enumerate(AGE_BUCKETS)}


class IndicatorPolicy(_Strict):
    procedure_groups: dict[str, list[str]]
    case_sets: dict[str, CaseSet]
    catalogue: dict[str, Indicator]
    alerts: AlertPolicy = AlertPolicy()

    @model_validator(mode="after")
    def _complete(self):
        sets = {**_age_sets(), **self.case_sets}
        object.__setattr__(self, "case_sets", sets)
        missing_core = set(CORE) - set(self.catalogue)
        if missing_core:
            raise ValueError(f"the catalogue must keep {sorted(missing_core)} (the assessment uses them)")
        for name, ind in self.catalogue.items():
            unknown = set(ind.sets) - set(sets)
            if unknown:
                raise ValueError(f"catalogue.{name}: unknown case sets {sorted(unknown)}; known: {', '.join(sets)}")
        return self

    def procedures(self, names: list[str]) -> list[str]:
        return [p for n in names for p in self.procedure_groups.get(n, [n])]

    @property
    def first_instance_procedures(self) -> list[str]:
        return self.procedure_groups["first_instance"]

    @property
    def appeal_procedures(self) -> list[str]:
        return self.procedure_groups["appeal"]

    def shown_as_number(self) -> tuple[str, ...]:
        return tuple(n for n, ind in self.catalogue.items() if ind.shown_as == "number")

    def computed(self) -> tuple[str, ...]:
        return tuple(n for n, ind in self.catalogue.items() if ind.awaiting is None)

    def counts_for(self, indicators) -> tuple[str, ...]:
        """The sets the given indicators are computed from: a report of a few gathers only theirs."""
        wanted = {s for name in indicators for s in self.catalogue[name].sets}
        return tuple(s for s in self.case_sets if s in wanted)

    def range_for(self, indicator: str, period_kind: str, court_level: str | None = None) -> Range | None:
        ind = self.catalogue.get(indicator)
        return ind.range.for_period(period_kind, court_level) if ind and ind.range else None

    def values(self, counts: dict[str, float], names=None) -> dict[str, float | None]:
        """The indicators from one unit's summed counts (None where the denominator is zero or the data awaited)."""
        return {name: self.catalogue[name].value(counts) for name in (names or self.catalogue)}


def counts_for(policy: IndicatorPolicy, indicators) -> tuple[str, ...]:
    return policy.counts_for(indicators)


def improving(value: float | None, before: float | None, better: str) -> bool | None:
    """同比趋优: moved the better way (None when either is unknown or it did not move)."""
    if value is None or before is None or value == before:
        return None
    return (value > before) == (better == "higher")


def change(now: float | None, before: float | None) -> float | None:
    """同比/环比 as a difference (percentage points for rates, days for durations)."""
    return None if now is None or before is None else round(now - before, 4)
