"""Assessment and indicator periods: a month, quarter, half-year or year, with 环比 and 同比."""
from dataclasses import dataclass
from datetime import date, timedelta

LENGTH = {"month": 1, "quarter": 3, "half": 6, "year": 12}
LABEL_MARK = {"month": "", "quarter": "Q", "half": "H", "year": ""}


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    year: int
    n: int  # month 1–12, quarter 1–4, half 1–2, year 1

    def __post_init__(self):
        if self.kind not in LENGTH:
            raise ValueError(f"unknown period kind {self.kind!r}; one of {', '.join(LENGTH)}")
        if not 1 <= self.n <= 12 // LENGTH[self.kind]:
            raise ValueError(f"{self.kind} number {self.n} is out of range")

    @property
    def first_month(self) -> int:
        return (self.n - 1) * LENGTH[self.kind] + 1

    @property
    def last_month(self) -> int:
        return self.first_month + LENGTH[self.kind] - 1

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        nxt = date(self.year + 1, 1, 1) if self.last_month == 12 else date(self.year, self.last_month + 1, 1)
        return nxt - timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == "year":
            return str(self.year)
        if self.kind == "month":
            return f"{self.year}-{self.n:02d}"
        return f"{self.year}-{LABEL_MARK[self.kind]}{self.n}"

    def previous(self) -> "Period":
        """环比: the period of the same kind just before."""
        return Period(self.kind, self.year, self.n - 1) if self.n > 1 else Period(
            self.kind, self.year - 1, 12 // LENGTH[self.kind])

    def same_last_year(self) -> "Period":
        """同比: the same period a year earlier."""
        return Period(self.kind, self.year - 1, self.n)

    def contains_month(self, month: "Period") -> bool:
        return month.year == self.year and self.first_month <= month.n <= self.last_month

    @classmethod
    def parse(cls, label: str) -> "Period":
        """'2025' · '2025-03' · '2025-Q1' · '2025-H2'."""
        try:
            if "-" not in label:
                return cls("year", int(label), 1)
            year, rest = label.split("-", 1)
            if rest[:1] in ("Q", "H"):
                return cls("quarter" if rest[0] == "Q" else "half", int(year), int(rest[1:]))
            return cls("month", int(year), int(rest))
        except ValueError as exc:
            raise ValueError(f"not a period: {label!r} (use 2025, 2025-03, 2025-Q1 or 2025-H1)") from exc

    @classmethod
    def month_of(cls, day: date) -> "Period":
        return cls("month", day.year, day.month)


def month_before(day: date) -> Period:
    """The last whole month before `day` (the month an assessment run on `day` assesses)."""
    return Period.month_of(day).previous()


def periods_ending_with(month: Period) -> list[Period]:
    """The month and each longer period that ends with it (quarter, half-year, year)."""
    found = [month]
    for kind, length in (("quarter", 3), ("half", 6), ("year", 12)):
        if month.n % length == 0:
            found.append(Period(kind, month.year, month.n // length))
    return found
