"""The SLA clock (DOMAIN.md §4): calendar time, or working time — the service hours of a ticket's channel (default
Monday–Friday 09:00–18:00), less the holidays of 工作日历, plus its make-up working days (调休, worked with the
weekday hours) — and the complaint targets every SLA figure holds complaints to.

A working-time duration is W(t2) − W(t1), where W(t) counts the working minutes from a fixed origin to t: the whole
working days before t's day (numpy's business-day count, plus the 调休 days before it) times the day's working
minutes, plus the part of t's own day already worked.  A time outside working hours has the W of the next
opening, so a ticket created at night starts its clock when the office opens; W never decreases, so a duration is
never negative.  Every step is a numpy operation on whole columns; the only loop is over the channels' clocks.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..settings import Hours
from .minutes import at_the_minute

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

    def worked(self, ts: pd.Series) -> np.ndarray:
        """W(t): working minutes from the origin to each t (NaN where t is blank)."""
        stamps = ts.to_numpy(dtype="datetime64[ns]")
        blank = np.isnat(stamps)
        if self.round_the_clock:
            out = (stamps - np.datetime64("1970-01-01T00:00", "ns")) / np.timedelta64(1, "m")
            return np.where(blank, np.nan, out)
        day = np.where(blank, ORIGIN, stamps.astype("datetime64[D]"))
        extra = self.calendar.workdays[~np.is_busday(self.calendar.workdays, weekmask=self._mask(),
                                                     holidays=self.calendar.holidays)]
        before = (np.busday_count(ORIGIN, day, weekmask=self._mask(), holidays=self.calendar.holidays)
                  + np.searchsorted(extra, day, side="left") - np.searchsorted(extra, ORIGIN, side="left"))
        minute = (np.where(blank, day.astype("datetime64[ns]"), stamps) - day.astype("datetime64[ns]")) \
            / np.timedelta64(1, "m")
        today = np.clip(minute - self.hours.start, 0, self.day_minutes) * self.is_working_day(day)
        return np.where(blank, np.nan, before * self.day_minutes + today)

    def minutes(self, t1: pd.Series, t2: pd.Series) -> np.ndarray:
        """Working minutes in [t1, t2]; 0 when t2 precedes t1; NaN where either is blank."""
        return np.clip(self.worked(t2) - self.worked(t1), 0, None)

    def working_days_later(self, ts: pd.Series, n: float) -> pd.Series:
        """The same clock time ``n`` working days after each t (the calendar clock's n-working-day target)."""
        whole, part = int(np.floor(n)), n - np.floor(n)
        valid = ts.dropna()
        if valid.empty:
            return pd.Series(pd.NaT, index=ts.index, dtype="datetime64[ns]")
        first = valid.min().normalize().to_datetime64().astype("datetime64[D]")
        span = np.arange(first, first + np.timedelta64(int(whole * 3 + 60) + int((valid.max() - valid.min()).days), "D"))
        open_days = span[self.is_working_day(span)]
        day = ts.dt.normalize().to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        k = np.searchsorted(open_days, np.where(np.isnat(day), first, day), side="right") + max(whole, 1) - 1
        target = open_days[np.minimum(k, len(open_days) - 1)].astype("datetime64[ns]") + (ts - ts.dt.normalize()).to_numpy()
        if whole == 0:  # under one working day: a share of a calendar day from t
            target = ts.to_numpy(dtype="datetime64[ns]")
        out = pd.Series(target, index=ts.index) + pd.to_timedelta(part * 24, unit="h")
        return out.where(ts.notna())


def clocks(std, calendar: Calendar) -> tuple[Clock, dict[str, Clock]]:
    """The default clock (working hours and days) and each channel's own where its service hours are set."""
    default = Clock(std.setting("working_hours"), std.setting("working_days"), calendar)
    own = {}
    for key in ("phone", "chat", "email", "app", "store", "social", "onsite", "other"):
        h = std.setting(f"service_hours_{key}")
        if h is not None:
            own[key] = Clock(Hours(h.start, h.end), h.days if h.days is not None else default.days, calendar)
    return default, own


@dataclass
class SlaTimes:
    fr_min: pd.Series
    res_h: pd.Series
    age_min: pd.Series  # as_of − created: how long an unanswered ticket has waited
    fr_target: pd.Series
    res_target: pd.Series
    complaint_fr_target: float


def sla_times(t: pd.DataFrame, std, as_of: pd.Timestamp, fr_target: pd.Series, res_target: pd.Series) -> SlaTimes:
    """First-response and resolution times on the workbook's SLA clock, and the targets each ticket is held to: its
    priority's, or for a complaint the stricter of that and the complaint target."""
    created = t["created_at"]
    complaint = t["is_complaint"].astype("boolean").fillna(False).to_numpy(dtype=bool) if "is_complaint" in t \
        else np.zeros(len(t), dtype=bool)
    c_fr = float(std.setting("complaint_first_response_min"))
    c_days = float(std.setting("complaint_resolution_days"))
    calendar = Calendar.from_table(std.calendar)
    default, own = clocks(std, calendar)
    now = pd.Series(as_of, index=t.index, dtype="datetime64[ns]")
    responded, since_fr = at_the_minute(t["first_response_at"], created)  # a time written to the minute: both sides
    resolved, since_res = at_the_minute(t["resolved_at"], created)
    if std.setting("sla_clock") == "working":
        fr, res, age = (np.full(len(t), np.nan) for _ in range(3))
        c_res = np.full(len(t), np.nan)
        channel = t["channel"].astype(object).to_numpy() if "channel" in t else np.full(len(t), None, dtype=object)
        for key, clock in [(None, default), *own.items()]:
            rows = np.isin(channel, list(own), invert=True) if key is None else channel == key
            if not rows.any():
                continue
            fr[rows] = clock.minutes(since_fr[rows], responded[rows])
            res[rows] = clock.minutes(since_res[rows], resolved[rows]) / 60.0
            age[rows] = clock.minutes(created[rows], now[rows])
            c_res[rows] = c_days * clock.day_minutes / 60.0
        fr_min, res_h, age_min = (pd.Series(x, index=t.index) for x in (fr, res, age))
        complaint_res = pd.Series(c_res, index=t.index)
    else:
        fr_min = (responded - since_fr).dt.total_seconds() / 60.0
        res_h = (resolved - since_res).dt.total_seconds() / 3600.0
        age_min = (as_of - created).dt.total_seconds() / 60.0
        complaint_res = (default.working_days_later(created, c_days) - created).dt.total_seconds() / 3600.0
    fr_target = fr_target.where(~complaint, np.minimum(fr_target, c_fr))
    res_target = res_target.where(~complaint, np.fmin(res_target, complaint_res))
    return SlaTimes(fr_min, res_h, age_min, fr_target, res_target, c_fr)


def years_without_calendar(calendar_rows: pd.DataFrame | None, start: pd.Timestamp, end: pd.Timestamp) -> list[int]:
    """Years of [start, end) for which 工作日历 lists nothing: computed with weekdays only, and said so."""
    have = Calendar.from_table(calendar_rows).years
    return [y for y in range(start.year, (end - pd.Timedelta(days=1)).year + 1) if y not in have]
