"""Schema of indicators.yaml and the indicator arithmetic of SPEC §8 (审判质效指标).

Every indicator is a ratio of counts gathered in SQL per (court, division, lead judge);
counts add up from judge to division to court, so the ratios are computed last, from the
summed counts, never averaged.
"""
from pydantic import BaseModel, ConfigDict, Field, model_validator

AGE_BUCKETS = ((0, 6), (6, 12), (12, 18), (18, 36), (36, None))  # months since filing, [low, high)
COUNTS = ("carried", "received", "closed", "closed_within", "days", "mediated_withdrawn", "first_closed",
          "remanded", "pending_end", "carried_closed", "disputes_received", "appeals",
          *(f"age_{i}" for i in range(len(AGE_BUCKETS))))
INDICATORS = ("closure_rate", "within_limit_rate", "closed_received_ratio", "long_pending_share",
              "avg_days_to_disposition", "acceptance_rate", "mediation_withdrawal_rate", "revise_remand_rate",
              "case_dispute_ratio", "clearance_rate")
# Their words are the catalog's `indicator.<name>` and `age_bucket.<i>` (i18n/locale/*/LC_MESSAGES/assessment.po).


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
    """区间参考值; `by_period` overrides the range for a period kind (a month's closure rate is lower)."""
    by_period: dict[str, Range] = {}

    def for_period(self, kind: str) -> Range:
        return self.by_period.get(kind, self)


class IndicatorPolicy(_Strict):
    first_instance_procedures: list[str] = Field(min_length=1)
    appeal_procedures: list[str] = Field(min_length=1)
    mediation_withdrawal_methods: list[str]
    reference_ranges: dict[str, ReferenceRange] = {}

    @model_validator(mode="after")
    def _known_indicators(self):
        unknown = set(self.reference_ranges) - set(INDICATORS)
        if unknown:
            raise ValueError(f"reference ranges for unknown indicators: {sorted(unknown)}; known: {', '.join(INDICATORS)}")
        return self

    def range_for(self, indicator: str, period_kind: str) -> Range | None:
        ref = self.reference_ranges.get(indicator)
        return ref.for_period(period_kind) if ref else None


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def indicator_values(c: dict[str, float]) -> dict[str, float | None]:
    """The indicators from one unit's summed counts (None where the denominator is zero)."""
    first_closed = c["first_closed"]
    return {
        "closure_rate": _ratio(c["closed"], c["carried"] + c["received"]),
        "within_limit_rate": _ratio(c["closed_within"], c["closed"]),
        "closed_received_ratio": _ratio(c["closed"], c["received"]),
        "long_pending_share": _ratio(sum(c[f"age_{i}"] for i in (2, 3, 4)), c["pending_end"]),
        "avg_days_to_disposition": round(c["days"] / c["closed"], 1) if c["closed"] else None,
        "acceptance_rate": round(max(0.0, 1 - c["appeals"] / first_closed), 4) if first_closed else None,
        "mediation_withdrawal_rate": _ratio(c["mediated_withdrawn"], c["closed"]),
        "revise_remand_rate": _ratio(c["remanded"], first_closed),
        "case_dispute_ratio": _ratio(c["received"], c["disputes_received"]),
        "clearance_rate": _ratio(c["carried_closed"], c["carried"]),
    }


def change(now: float | None, before: float | None) -> float | None:
    """同比/环比 as a difference (percentage points for rates, days for durations)."""
    return None if now is None or before is None else round(now - before, 4)
