"""The SLA clock of DOMAIN.md §4 in SQL: each ticket's first-response and resolution times, the age of an open one,
and the targets it is held to, computed where the rows lie (a Parquet scan, a DuckDB table, a registered frame).

A working-time duration is W(t2) − W(t1), W(t) the working minutes from 1970-01-01 to t: the whole working days
before t's day times the day's working minutes, plus the part of t's own day already worked (a time outside
working hours has the W of the next opening, so W never decreases and a duration is never negative).  The day
part comes from a table of days (``core.clock.day_table``: per clock and day, the working days before it, whether
it is worked, and the n-th working day after it for the complaint target on the calendar clock) joined on each
time's date: numpy builds those few thousand rows, SQL does the millions.  The arithmetic is the one the pandas
clock did, step for step (working minutes as microseconds / 6·10⁷, clipped as ``np.clip``; calendar durations as
seconds, then / 60 or / 3600), so no figure moves, to the last digit, when the engine changes.

Parameters are typed values written as literals (``metrics.literal``); the text keeps to what sqlglot carries to
Spark SQL."""
from __future__ import annotations

from dataclasses import dataclass, field

from .metrics import literal

EPOCH = "TIMESTAMP '1970-01-01 00:00:00'"


@dataclass(frozen=True)
class ClockSpec:
    """One set of opening hours: its number in the day table, the channels that keep it (none: the default)."""

    id: int
    channels: tuple[str, ...]
    start: float  # minutes after midnight
    day_minutes: float
    round_the_clock: bool


@dataclass(frozen=True)
class Timing:
    """What the clock needs besides the rows: the clock kind and hours, as_of, and the targets."""

    working: bool
    clocks: tuple[ClockSpec, ...]  # the default first
    as_of: object  # pd.Timestamp
    floor_fr: bool  # a first response or creation time written to the minute: both floored (core.minutes)
    floor_res: bool
    fr_targets: dict[str, float] = field(default_factory=dict)  # priority → minutes
    res_targets: dict[str, float] = field(default_factory=dict)  # priority → hours
    complaint_fr: float = 30.0
    complaint_days: float = 5.0


def minutes(a: str, b: str) -> str:
    """Minutes from ``a`` to ``b`` (microseconds / 6·10⁷, as numpy divides nanoseconds)."""
    return f"CAST(DATE_DIFF('microsecond', {a}, {b}) AS DOUBLE) / 60000000.0"


def seconds(a: str, b: str) -> str:
    """Seconds from ``a`` to ``b`` (microseconds / 10⁶, as pandas' ``total_seconds`` divides nanoseconds)."""
    return f"CAST(DATE_DIFF('microsecond', {a}, {b}) AS DOUBLE) / 1000000.0"


def _by_clock(timing: Timing, value) -> str:
    """A per-clock constant as a CASE on the ticket's clock."""
    if len(timing.clocks) == 1:
        return literal(value(timing.clocks[0]))
    whens = " ".join(f"WHEN {c.id} THEN {literal(value(c))}" for c in timing.clocks[1:])
    return f"(CASE clk__ {whens} ELSE {literal(value(timing.clocks[0]))} END)"


def _clock_of(timing: Timing) -> str:
    if not timing.working or len(timing.clocks) == 1:
        return "0"
    whens = " ".join(f"WHEN CAST(channel AS VARCHAR) = {literal(ch)} THEN {c.id}"
                     for c in timing.clocks[1:] for ch in c.channels)
    return f"CASE {whens} ELSE 0 END"


def _worked(timing: Timing, ts: str, day: str) -> str:
    """W(ts) on the ticket's clock, ``day`` the day-table row of ts's date."""
    start, dm = _by_clock(timing, lambda c: float(c.start)), _by_clock(timing, lambda c: float(c.day_minutes))
    round_ = _by_clock(timing, lambda c: bool(c.round_the_clock))
    today = f"LEAST(GREATEST({minutes(f'CAST(CAST({ts} AS DATE) AS TIMESTAMP)', ts)} - {start}, 0.0), {dm})"
    return (f"CASE WHEN {ts} IS NULL THEN NULL WHEN {round_} THEN {minutes(EPOCH, ts)} "
            f"ELSE CAST({day}.before AS DOUBLE) * {dm} + {today} * (CASE WHEN {day}.working THEN 1.0 ELSE 0.0 END) END")


def _not_below_zero(x: str) -> str:
    return f"CASE WHEN ({x}) IS NULL THEN NULL ELSE GREATEST({x}, 0.0) END"


def _target(targets: dict[str, float]) -> str:
    whens = " ".join(f"WHEN {literal(k)} THEN {literal(float(v))}" for k, v in targets.items())
    return f"CASE COALESCE(CAST(priority AS VARCHAR), 'normal') {whens} ELSE NULL END" if whens else \
        "CAST(NULL AS DOUBLE)"


def sla_sql(rows: str, days: str, timing: Timing, keep: tuple[str, ...]) -> str:
    """The columns ``keep`` of ``rows`` with ``fr_min``, ``res_h``, ``age_min``, ``fr_target``, ``res_target`` and
    ``cfr_target``: the relation ``metrics.ticket_flags_sql`` reads.  Complaints are held to the stricter of their
    priority's target and the complaint target (first response: the complaint minutes; resolution: the complaint
    working days, on the working clock as days of working minutes, on the calendar clock as the same clock time that
    many working days later)."""
    floor = lambda on, col: f"DATE_TRUNC('minute', {col})" if on else col  # noqa: E731
    as_of = literal(timing.as_of)
    whole = int(timing.complaint_days // 1)
    part = float(timing.complaint_days - whole)
    if timing.working:
        fr = _not_below_zero(f"{_worked(timing, 'fr_at__', 'd1')} - {_worked(timing, 'fr_from__', 'd0')}")
        res = _not_below_zero(f"{_worked(timing, 'res_at__', 'd2')} - {_worked(timing, 'res_from__', 'd0')}")
        res = f"({res}) / 60.0"
        age = _not_below_zero(f"{_worked(timing, as_of, 'd3')} - {_worked(timing, 'created_at', 'd0')}")
        c_res = f"{literal(float(timing.complaint_days))} * {_by_clock(timing, lambda c: float(c.day_minutes))} / 60.0"
        joins = (f"LEFT JOIN {days} d1 ON d1.clock = p.clk__ AND d1.day = CAST(p.fr_at__ AS DATE)\n"
                 f"LEFT JOIN {days} d2 ON d2.clock = p.clk__ AND d2.day = CAST(p.res_at__ AS DATE)\n"
                 f"LEFT JOIN {days} d3 ON d3.clock = p.clk__ AND d3.day = CAST({as_of} AS DATE)")
    else:  # seconds first, then minutes or hours: pandas' total_seconds() / 60 (or / 3600), to the last digit
        fr = f"{seconds('fr_from__', 'fr_at__')} / 60.0"
        res = f"{seconds('res_from__', 'res_at__')} / 3600.0"
        age = f"{seconds('created_at', as_of)} / 60.0"
        later = f"CAST(DATE_DIFF('day', d0.day, d0.late_day) AS DOUBLE) * 24.0 + {literal(part * 24.0)}"
        c_res = literal(part * 24.0) if whole == 0 else f"CASE WHEN d0.day IS NULL THEN NULL ELSE {later} END"
        joins = ""
    c_fr = literal(float(timing.complaint_fr))
    passed = ", ".join(f"p.{c}" for c in keep)
    return f"""
WITH p AS (
  SELECT *, {_clock_of(timing)} AS clk__,
    {floor(timing.floor_fr, "created_at")} AS fr_from__, {floor(timing.floor_fr, "first_response_at")} AS fr_at__,
    {floor(timing.floor_res, "created_at")} AS res_from__, {floor(timing.floor_res, "resolved_at")} AS res_at__,
    COALESCE(CAST(is_complaint AS BOOLEAN), FALSE) AS complaint__,
    {_target(timing.fr_targets)} AS fr_goal__, {_target(timing.res_targets)} AS res_goal__
  FROM {rows}
), t AS (
  SELECT {passed}, p.complaint__, p.fr_goal__, p.res_goal__,
    {fr} AS fr_min, {res} AS res_h, {age} AS age_min, {c_res} AS c_res__
  FROM p
  LEFT JOIN {days} d0 ON d0.clock = p.clk__ AND d0.day = CAST(p.created_at AS DATE)
  {joins}
)
SELECT {", ".join(keep)}, fr_min, res_h, age_min,
  CASE WHEN complaint__ AND fr_goal__ IS NOT NULL THEN LEAST(fr_goal__, {c_fr}) ELSE fr_goal__ END AS fr_target,
  CASE WHEN NOT complaint__ THEN res_goal__ WHEN res_goal__ IS NULL THEN c_res__ WHEN c_res__ IS NULL THEN res_goal__
       ELSE LEAST(res_goal__, c_res__) END AS res_target,
  {c_fr} AS cfr_target
FROM t"""


def profile_sql(rows: str, columns: tuple[str, ...]) -> str:
    """One pass over the tickets for what the calculation must know of the whole table: each time column's first
    and last value and whether it is written to the minute (``core.minutes``), and how many rows fill each of
    ``columns`` (a metric whose columns were never supplied is empty, DOMAIN.md §4)."""
    parts = ["COUNT(*) AS n__"]
    for c in ("created_at", "first_response_at", "resolved_at"):
        parts += [f"MIN({c}) AS min__{c}", f"MAX({c}) AS max__{c}",
                  f"COALESCE(BOOL_AND(DATE_TRUNC('minute', {c}) = {c}), FALSE) AS minute__{c}"]
    parts += [f"COUNT({c}) AS filled__{c}" for c in columns]
    return f"SELECT {', '.join(parts)} FROM {rows}"
