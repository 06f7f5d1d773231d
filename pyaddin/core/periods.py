"""The periods a figure is computed over (DOMAIN.md §4): a month, a quarter, an ISO week, a year or a span of days,
each from midnight of its first day to midnight after its last, with the moment (``as_of``) the clock stops."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Period:
    start: pd.Timestamp  # first day, 00:00
    end: pd.Timestamp  # exclusive: the start of the day after the last day
    as_of: pd.Timestamp

    def as_json(self) -> dict:
        return {"start": self.start.date().isoformat(), "end": (self.end - pd.Timedelta(days=1)).date().isoformat(),
                "as_of": self.as_of.isoformat()}


def period(start, last_day, as_of=None) -> Period:
    s = pd.Timestamp(start).normalize()
    e = pd.Timestamp(last_day).normalize() + pd.Timedelta(days=1)
    return Period(s, e, pd.Timestamp(as_of) if as_of is not None else e)


def month_period(ym: str, as_of=None) -> Period:
    s = pd.Timestamp(ym + "-01")
    return period(s, s + pd.offsets.MonthEnd(0), as_of)


def quarter_period(q: str, as_of=None) -> Period:
    year, n = int(q[:4]), int(q[-1])
    s = pd.Timestamp(year=year, month=3 * n - 2, day=1)
    return period(s, s + pd.offsets.QuarterEnd(0), as_of)


def week_period(w: str, as_of=None) -> Period:
    """An ISO week, ``2026-W38``: Monday to Sunday."""
    year, n = w.upper().split("-W")
    s = pd.Timestamp.fromisocalendar(int(year), int(n), 1)
    return period(s, s + pd.Timedelta(days=6), as_of)


def year_period(y: str, as_of=None) -> Period:
    s = pd.Timestamp(year=int(y), month=1, day=1)
    return period(s, s + pd.offsets.YearEnd(0), as_of)


def previous_period(p: Period) -> Period:
    """The period to compare with: the months before when the period is whole calendar months (September →
    August, Q3 → Q2), else as many days just before."""
    if p.start.day == 1 and p.end.day == 1:
        months = (p.end.year - p.start.year) * 12 + p.end.month - p.start.month
        return period(p.start - pd.DateOffset(months=months), p.start - pd.Timedelta(days=1))
    return period(p.start - (p.end - p.start), p.start - pd.Timedelta(days=1))


def last_month_with_tickets(created: pd.Series, as_of=None) -> Period | None:
    """The last calendar month that holds tickets (None when there are none)."""
    latest = created.max()
    if pd.isna(latest):
        return None
    return month_period(latest.strftime("%Y-%m"), as_of)

