"""The SLA clock (DOMAIN.md §4): calendar time, or working time — the service hours of a ticket's channel (default
Monday–Friday 09:00–18:00), less the holidays of 工作日历, plus its make-up working days (调休, worked with the
weekday hours) — and the complaint targets every SLA figure holds complaints to.

A working-time duration is W(t2) − W(t1), where W(t) counts the working minutes from a fixed origin to t: the whole
working days before t's day (numpy's business-day count, plus the 调休 days before it) times the day's working
minutes, plus the part of t's own day already worked.  A time outside working hours has the W of the next
opening, so a ticket created at night starts its clock when the office opens; W never decreases, so a duration is
never negative.  numpy makes the table of days (a few thousand rows); the SQL of ``engine.timing`` computes W for
every ticket where the rows lie.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..settings import Hours

ORIGIN = np.datetime64("1970-01-01", "D")


@dataclass(frozen=True)
class Calendar:
    """工作日历 as two sorted arrays of days."""

    holidays: np.ndarray  # datetime64[D]
    workdays: np.ndarray  # datetime64[D]: 调休 days worked with the weekday hours
    years: frozenset[int]  # years with at least one row

    @classmethod
    def from_table(cls, rows: pd.DataFrame | None) -> Calendar:
        if rows is None or rows.empty:
            return cls(np.array([], "datetime64[D]"), np.array([], "datetime64[D]"), frozenset())
        days = pd.to_datetime(rows["date"]).dt.normalize()
        pick = lambda kind: np.sort(days[(rows["kind"] == kind).to_numpy()].dropna().to_numpy().astype("datetime64[D]"))  # noqa: E731
        return cls(pick("holiday"), pick("workday"), frozenset(int(y) for y in days.dt.year.dropna().unique()))


@dataclass(frozen=True)
class Clock:
    """One set of opening hours with the calendar: how many working minutes lie between two times."""

    hours: Hours
    days: frozenset[int]  # Monday 0
    calendar: Calendar

    @property
    def round_the_clock(self) -> bool:
        """24×7: every minute counts, holidays too (a night-staffed phone line)."""
        return self.hours.start == 0 and self.hours.end == 1440 and len(self.days) == 7

    @property
    def day_minutes(self) -> float:
        return float(self.hours.end - self.hours.start)

    def _mask(self) -> str:
        return "".join("1" if d in self.days else "0" for d in range(7))

    def is_working_day(self, days: np.ndarray) -> np.ndarray:
        regular = np.is_busday(days, weekmask=self._mask(), holidays=self.calendar.holidays)
        return regular | np.isin(days, self.calendar.workdays)

    def day_parts(self, span: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per day of ``span``: the working days from the origin to it (numpy's business-day count, plus the 调休
        days before it) and whether it is worked — the two numbers W(t) needs of t's day."""
        extra = self.calendar.workdays[~np.is_busday(self.calendar.workdays, weekmask=self._mask(),
                                                     holidays=self.calendar.holidays)]
        before = (np.busday_count(ORIGIN, span, weekmask=self._mask(), holidays=self.calendar.holidays)
                  + np.searchsorted(extra, span, side="left") - np.searchsorted(extra, ORIGIN, side="left"))
        return before, self.is_working_day(span)

    def nth_working_day(self, span: np.ndarray, n: float) -> np.ndarray:
        """Per day of ``span``: the ``n``-th working day after it (the day itself when ``n`` < 1, the calendar
        clock's complaint target keeping the clock time of day)."""
        whole = int(np.floor(n))
        if whole == 0 or not len(span):
            return span
        ahead = np.arange(span[0], span[-1] + np.timedelta64(whole * 3 + 60, "D"), dtype="datetime64[D]")
        open_days = ahead[self.is_working_day(ahead)]
        if not len(open_days):
            return np.full(len(span), np.datetime64("NaT"), dtype="datetime64[D]")
        k = np.searchsorted(open_days, span, side="right") + whole - 1
        return open_days[np.minimum(k, len(open_days) - 1)]


def day_table(clocks_: list[Clock], first, last, complaint_days: float):
    """The days the SQL clock joins on (``engine.timing``), per clock (its place in ``clocks_``) from ``first``'s
    day to ``last``'s: working days before it, worked or not, and for the first clock the complaint's n-th working
    day after it.  A few thousand rows whatever the number of tickets, as an Arrow table with real dates."""
    import pyarrow as pa

    span = np.arange(np.datetime64(pd.Timestamp(first).date(), "D"),
                     np.datetime64(pd.Timestamp(last).date(), "D") + 1, dtype="datetime64[D]")
    cols = {"clock": [], "day": [], "before": [], "working": [], "late_day": []}
    for cid, clock in enumerate(clocks_):
        before, working = clock.day_parts(span)
        late = clock.nth_working_day(span, complaint_days) if cid == 0 else np.full(len(span), np.datetime64("NaT"),
                                                                                    dtype="datetime64[D]")
        for k, v in (("clock", np.full(len(span), cid)), ("day", span), ("before", before), ("working", working),
                     ("late_day", late)):
            cols[k].append(v)
    joined = {k: np.concatenate(v) for k, v in cols.items()}
    return pa.table({"clock": pa.array(joined["clock"], pa.int32()), "day": pa.array(joined["day"], pa.date32()),
                     "before": pa.array(joined["before"], pa.int64()), "working": pa.array(joined["working"]),
                     "late_day": pa.array(joined["late_day"], pa.date32())})


def clocks(std, calendar: Calendar) -> tuple[Clock, dict[str, Clock]]:
    """The default clock (working hours and days) and each channel's own where its service hours are set."""
    default = Clock(std.setting("working_hours"), std.setting("working_days"), calendar)
    own = {}
    for key in ("phone", "chat", "email", "app", "store", "social", "onsite", "other"):
        h = std.setting(f"service_hours_{key}")
        if h is not None:
            own[key] = Clock(Hours(h.start, h.end), h.days if h.days is not None else default.days, calendar)
    return default, own


def timing(std, as_of: pd.Timestamp, floor_fr: bool, floor_res: bool, first, last):
    """The SQL clock's parameters (``engine.timing.Timing``) and its day table from ``first`` to ``last``: the
    workbook's clock (calendar or working), each channel's own service hours, the targets by priority and the
    complaint targets."""
    from ..engine import timing as sql

    calendar = Calendar.from_table(std.calendar)
    default, own = clocks(std, calendar)
    working = std.setting("sla_clock") == "working"
    chosen = [default, *own.values()] if working else [default]
    specs = tuple(sql.ClockSpec(i, () if i == 0 else (key,), c.hours.start, c.day_minutes, c.round_the_clock)
                  for i, (key, c) in enumerate([(None, default), *own.items()][: len(chosen)]))
    plan = sql.Timing(working, specs, pd.Timestamp(as_of), floor_fr, floor_res, dict(std.first_response_min),
                      dict(std.resolution_h), float(std.setting("complaint_first_response_min")),
                      float(std.setting("complaint_resolution_days")))
    return plan, day_table(chosen, first, last, plan.complaint_days)


def years_without_calendar(calendar_rows: pd.DataFrame | None, start: pd.Timestamp, end: pd.Timestamp) -> list[int]:
    """Years of [start, end) for which 工作日历 lists nothing: computed with weekdays only, and said so."""
    have = Calendar.from_table(calendar_rows).years
    return [y for y in range(start.year, (end - pd.Timedelta(days=1)).year + 1) if y not in have]
