"""The what-if of the withdrawal: a share of the troops out by a chosen month, as a monthly schedule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Step:
    """The end of one month of the schedule."""

    month: dt.date  # last day of the month
    withdrawn: float
    remaining: float


@dataclass(frozen=True)
class Schedule:
    base: float
    share: Fraction
    start: dt.date
    end: dt.date
    steps: tuple[Step, ...]

    @property
    def withdrawn(self) -> float:
        return self.base * float(self.share)

    @property
    def remaining(self) -> float:
        return self.base - self.withdrawn

    @property
    def months(self) -> int:
        return len(self.steps)

    @property
    def per_month(self) -> float:
        return self.withdrawn / self.months if self.months else 0.0


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from the month of start to the month of end."""
    return (end.year - start.year) * 12 + end.month - start.month


def schedule(base: float, share: Fraction | float | str, start: dt.date, end: dt.date) -> Schedule:
    """Withdraw share of base at an even pace from the month after start to the end of end's month."""
    share = Fraction(share).limit_denominator(1000) if not isinstance(share, Fraction) else share
    if not 0 <= share <= 1:
        raise ValueError(f"the share withdrawn must be between 0 and 1, not {float(share):g}")
    if base < 0:
        raise ValueError("the number of troops cannot be negative")
    n = months_between(start, end)
    if n < 1:
        raise ValueError(f"the completion month must come after {start:%B %Y}")
    total = base * float(share)
    steps = []
    for k in range(1, n + 1):
        y, m = divmod(start.month - 1 + k, 12)
        done = total * k / n
        steps.append(Step(month_end(start.year + y, m + 1), done, base - done))
    return Schedule(base, share, start, end, tuple(steps))
