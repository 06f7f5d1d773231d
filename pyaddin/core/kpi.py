"""Every indicator of DOMAIN.md §4, on pandas frames: no Excel, no files.

Each ticket gets its flags once (SLA met / breached, first-contact resolution, complete
record…); every breakdown is then a group-by sum of those flags, so the overall figure
and the per-channel, per-department and per-agent figures share one definition and one
pass over the data, fast enough for a million tickets.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine import duck, metrics
from ..schema import HEADLINE_KEYS, SETTING_DEFAULTS, SLA_DEFAULTS, TARGET_DEFAULTS, warning_band
from .clock import sla_times

METRICS = ("tickets", "first_response_sla_pct", "resolution_sla_pct", "median_first_response_min",
           "p90_first_response_min", "median_resolution_h", "fcr_pct", "reopen_rate_pct", "complaint_rate_pct",
           "record_completeness_pct", "backlog", "csat_pct", "nps", "qa_score_pct", "qa_fail_rate_pct",
           "complaint_first_response_sla_pct")
DIMENSIONS = ("channel", "department", "agent")


@dataclass
class Standards:
    """Targets and SLA as read from 监控标准 (defaults of DOMAIN.md §4 when a row is missing)."""

    first_response_min: dict[str, float] = field(default_factory=lambda: {p: v[0] for p, v in SLA_DEFAULTS.items()})
    resolution_h: dict[str, float] = field(default_factory=lambda: {p: v[1] for p, v in SLA_DEFAULTS.items()})
    targets: dict[str, tuple[str, float, float]] = field(default_factory=dict)  # metric → (ge|le, target, band)
    settings: dict[str, float] = field(default_factory=dict)
    calendar: pd.DataFrame | None = None  # 工作日历 (date, kind): the working-time clock's holidays and 调休 days
    texts: dict[str, str] = field(default_factory=dict)  # settings that are not numbers (the 取值 column)
    benchmarks: dict[str, float] = field(default_factory=dict)  # metric → 行业参考, where 监控标准 gives one

    def setting(self, key: str):
        """A setting's typed value (pyaddin.settings), its default when missing."""
        from ..settings import typed

        return typed(self.settings, self.texts)[key]

    @property
    def qa_pass_mark(self) -> float:
        return float(self.settings.get("qa_pass_mark", dict(SETTING_DEFAULTS)["qa_pass_mark"]))

    @classmethod
    def from_table(cls, rows: pd.DataFrame) -> Standards:
        std = cls(
            targets={m: (d, float(t), warning_band(m, t)) for m, d, t in TARGET_DEFAULTS},
            settings={k: float(v) for k, v in SETTING_DEFAULTS},
        )
        for r in rows.itertuples(index=False):
            if r.kind == "setting" and isinstance(getattr(r, "text", None), str):
                std.texts[r.key] = r.text
            if r.kind == "target" and not pd.isna(getattr(r, "benchmark", None)):
                std.benchmarks[r.key] = float(r.benchmark)
            if pd.isna(r.value):
                continue
            if r.kind == "sla_first_response":
                std.first_response_min[r.key] = float(r.value)
            elif r.kind == "sla_resolution":
                std.resolution_h[r.key] = float(r.value)
            elif r.kind == "target":
                band = float(r.warning_band) if not pd.isna(r.warning_band) else warning_band(r.key, r.value)
                direction = r.direction if isinstance(r.direction, str) and r.direction else "ge"  # blank: NaN
                std.targets[r.key] = (direction, float(r.value), band)
            elif r.kind in ("setting", "weight"):
                std.settings[r.key] = float(r.value)
        return std


def status(value, target: tuple[str, float, float] | None) -> str | None:
    """met / warning (within the band on the wrong side) / missed; None without a value or a target."""
    if target is None or value is None or pd.isna(value):
        return None
    direction, goal, band = target
    gap = value - goal if direction == "ge" else goal - value
    if gap >= 0:
        return "met"
    return "warning" if gap >= -band else "missed"


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


def headline(now: dict, before: dict, std: Standards, keys=HEADLINE_KEYS) -> list[dict]:
    """The main indicators as a manager reads them: value, target, status, the previous period and the change
    (None wherever a side has no data, never 0).  ``keys``: the phone line's card row passes its own."""
    rows = []
    for m in keys:
        value, old, target = now.get(m), before.get(m), std.targets.get(m)
        rows.append({"metric": m, "value": value, "target": target[1] if target else None,
                     "direction": target[0] if target else None, "band": target[2] if target else None,
                     "status": status(value, target), "previous": old, "benchmark": std.benchmarks.get(m),
                     "change": None if value is None or old is None else value - old})
    return rows


def last_month_with_tickets(created: pd.Series, as_of=None) -> Period | None:
    """The last calendar month that holds tickets (None when there are none)."""
    latest = created.max()
    if pd.isna(latest):
        return None
    return month_period(latest.strftime("%Y-%m"), as_of)


def is_major_or_minor(t: pd.DataFrame) -> pd.Series:
    """A filled complaint level makes the ticket a complaint, whatever its complaint flag says (DOMAIN.md §3)."""
    return t["complaint_level"].notna() if "complaint_level" in t else pd.Series(False, index=t.index)


def major_complaint(t: pd.DataFrame) -> pd.Series:
    """重大投诉: the complaints whose level is major; each opens a problem of its own and costs points (§6, §9)."""
    return (t["complaint_level"] == "major").fillna(False).astype(bool) if "complaint_level" in t \
        else pd.Series(False, index=t.index)


UNASSIGNED = "未分配"  # the by-agent group of rows without an agent; never appraised

# metric → (table, the columns it needs): a metric is empty when its table supplied none of them; a tuple inside
# names alternatives (a ticket is resolved by its resolution time or, where that is blank, by its status)
RESOLUTION = ("resolved_at", "status")
NEEDS = {
    "first_response_sla_pct": ("tickets", ("first_response_at",)),
    "median_first_response_min": ("tickets", ("first_response_at",)),
    "p90_first_response_min": ("tickets", ("first_response_at",)),
    "resolution_sla_pct": ("tickets", ("resolved_at",)),
    "median_resolution_h": ("tickets", ("resolved_at",)),
    "fcr_pct": ("tickets", (RESOLUTION, "contacts")),
    "reopen_rate_pct": ("tickets", (RESOLUTION, "reopened")),
    "complaint_rate_pct": ("tickets", (("is_complaint", "complaint_level"),)),
    "complaint_first_response_sla_pct": ("tickets", ("first_response_at", ("is_complaint", "complaint_level"))),
    "record_completeness_pct": ("tickets", ("agent", "category", "resolution_note")),
    "backlog": ("tickets", (RESOLUTION,)),
    "csat_pct": ("surveys", ("csat",)),
    "nps": ("surveys", ("nps",)),
}


def _supplied(frame: pd.DataFrame, column) -> bool:
    if isinstance(column, tuple):
        return any(_supplied(frame, c) for c in column)
    return column in frame and not frame[column].isna().all()


def unsupplied(frames: dict[str, pd.DataFrame]) -> set[str]:
    """Metrics whose data the exports never supplied: a needed column blank in every row of its table.

    Such a metric is empty (无数据), never 0 % or 100 % (DOMAIN.md §4)."""
    out = set()
    for metric, (table, columns) in NEEDS.items():
        frame = frames.get(table)
        if frame is None or not all(_supplied(frame, c) for c in columns):
            out.add(metric)
    tickets = frames.get("tickets")
    if tickets is not None and all(_supplied(tickets, c) for c in RESOLUTION):
        out.discard("reopen_rate_pct")  # a resolution time beside an open status says the ticket was reopened
    return out


DONE_STATUSES, OPEN_STATUSES = metrics.DONE_STATUSES, metrics.OPEN_STATUSES


def status_decides(tickets: pd.DataFrame, as_of: pd.Timestamp) -> bool:
    """The status is a snapshot taken when the export was made: it decides only for an ``as_of`` at or after the
    latest time in the data; for an earlier ``as_of`` only ``resolved_at`` does (DOMAIN.md §3)."""
    if "status" not in tickets or tickets["status"].isna().all():
        return False
    times = [tickets[c].max() for c in ("created_at", "first_response_at", "resolved_at") if c in tickets]
    latest = max((x for x in times if pd.notna(x)), default=None)
    return latest is None or as_of >= latest


def _grouped(sql, frame: pd.DataFrame, keys) -> pd.DataFrame:
    """Run a group query of ``engine.metrics`` over ``frame`` with ``keys`` (a Series, or None for one overall
    group) as its column ``key``; the result indexed by the key, sorted."""
    rel = frame.assign(key=0 if keys is None else keys)
    out = duck.query(sql, rows=rel).set_index("key")
    out.index.name = None
    return out


def _column(t: pd.DataFrame, name: str, dtype) -> pd.Series:
    """A column as the SQL reads it; text stays Arrow text (pandas' ``str``) or becomes it in one C pass, never
    a Python object per row (``astype("string")`` of an object column costs 50 ms a million rows, a query each)."""
    if name not in t:
        return pd.Series(None, index=t.index, dtype=dtype)
    col = t[name]
    if dtype == "string" and (pd.api.types.is_string_dtype(col.dtype) and col.dtype != object):
        return col  # Arrow text already
    if dtype == "string" and col.dtype == object:
        import pyarrow as pa

        try:
            return pd.Series(pd.arrays.ArrowStringArray(pa.array(col.to_numpy(), type=pa.large_string(),
                                                                 from_pandas=True)), index=t.index)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass  # not all text: pandas' own conversion
    return col.astype(dtype)


# ----------------------------------------------------------------------------- tickets

def timed_tickets(t: pd.DataFrame, std: Standards, as_of: pd.Timestamp) -> pd.DataFrame:
    """The columns ``engine.metrics.ticket_flags_sql`` reads: the tickets' own, and their times and targets on the
    workbook's SLA clock (``clock.sla_times``: calendar or working minutes, at the minute where the export writes
    minutes; complaints held to the stricter target), which numpy computes before the SQL."""
    codes, priorities = pd.factorize(t["priority"].fillna("normal"))  # a lookup per priority, not per ticket
    fr_target, res_target = (pd.Series(np.array([table.get(p, np.nan) for p in priorities], dtype=float)[codes]
                                       if len(priorities) else np.full(len(t), np.nan), index=t.index)
                             for table in (std.first_response_min, std.resolution_h))
    times = sla_times(t, std, as_of, fr_target, res_target)
    return pd.DataFrame({
        "status": _column(t, "status", "string"), "resolved_at": t["resolved_at"],
        "is_complaint": _column(t, "is_complaint", "boolean"), "complaint_level": _column(t, "complaint_level", "string"),
        "contacts": _column(t, "contacts", "Float64"), "reopened": _column(t, "reopened", "boolean"),
        "resolution_note": _column(t, "resolution_note", "string"), "agent": _column(t, "agent", "string"),
        "category": _column(t, "category", "string"),
        "fr_min": times.fr_min, "res_h": times.res_h, "age_min": times.age_min, "fr_target": times.fr_target,
        "res_target": times.res_target, "cfr_target": float(times.complaint_fr_target),
    }, index=t.index)


def ticket_flags(t: pd.DataFrame, std: Standards, as_of: pd.Timestamp, decides: bool | None = None) -> pd.DataFrame:
    """One row per ticket with the numbers every ticket metric is a sum or a quantile of (``engine.metrics.
    ticket_flags_sql``, on DuckDB, over ``timed_tickets``).  Where the status decides (``status_decides``) a
    cancelled ticket counts in ``tickets`` only, and a solved or closed one without ``resolved_at`` is resolved at
    an unknown time."""
    decides = status_decides(t, as_of) if decides is None else decides
    flags = duck.query(metrics.ticket_flags_sql("rows", decides), rows=timed_tickets(t, std, as_of))
    flags.index = t.index
    return flags


_SUMS = metrics.FLAG_SUMS
_TICKET_COLUMNS = ["tickets", "first_response_sla_pct", "resolution_sla_pct", "median_first_response_min",
                   "p90_first_response_min", "median_resolution_h", "fcr_pct", "reopen_rate_pct", "complaint_rate_pct",
                   "record_completeness_pct", "complaint_first_response_sla_pct"]


def _ticket_groups(flags: pd.DataFrame, keys, quantiles: bool = True) -> pd.DataFrame:
    """The ticket metrics per group and the flag counts behind them (``n_<flag>``); the medians and P90 only
    with ``quantiles`` (the one costly part)."""
    return _grouped(metrics.ticket_groups_sql("rows", "key", quantiles), flags[[*_SUMS, "fr_min", "res_h"]], keys)


def _ticket_frame(flags: pd.DataFrame, keys, quantiles: bool = True) -> pd.DataFrame:
    """Ticket metrics per group (keys: a Series to group by, or None for one overall row)."""
    return _ticket_groups(flags, keys, quantiles)[_TICKET_COLUMNS]


def ticket_metrics(flags: pd.DataFrame, keys: pd.Series | None = None, quantiles: bool = True) -> pd.DataFrame:
    """The ticket metrics of a set of tickets: one row, or one per group of ``keys`` (an hour band, a category);
    without ``quantiles`` the medians and P90 are blank (a caller that weighs rates only)."""
    return _ticket_frame(flags, keys, quantiles)


def backlog(all_tickets: pd.DataFrame, as_of: pd.Timestamp, keys: pd.Series | None,
            decides: bool | None = None) -> pd.Series:
    """Open at ``as_of``: created before it and not resolved before it — over the whole table (``engine.metrics.
    backlog_sql``)."""
    decides = status_decides(all_tickets, as_of) if decides is None else decides
    rel = pd.DataFrame({"created_at": all_tickets["created_at"], "resolved_at": all_tickets["resolved_at"],
                        "status": _column(all_tickets, "status", "string")}, index=all_tickets.index)
    return _grouped(metrics.backlog_sql("rows", "key", as_of, decides), rel, keys)["backlog"]


# ----------------------------------------------------------------------------- surveys and inspections

def _survey_groups(s: pd.DataFrame, keys) -> pd.DataFrame:
    rel = pd.DataFrame({"csat": s["csat"].astype(float), "nps": s["nps"].astype(float)}, index=s.index)
    return _grouped(metrics.survey_groups_sql("rows", "key"), rel, keys)


def survey_metrics(s: pd.DataFrame, keys: pd.Series | None = None) -> pd.DataFrame:
    """CSAT % and NPS of a set of survey answers, one row or one per group of ``keys``, with the answers counted
    (``n_csat_n``) and satisfied (``n_csat_ok``)."""
    return _survey_groups(s, keys)


def _survey_frame(s: pd.DataFrame, keys) -> pd.DataFrame:
    return _survey_groups(s, keys)[["csat_pct", "nps"]]


def inspection_scores(i: pd.DataFrame) -> pd.DataFrame:
    """One row per inspection: its score %, zero when a critical item is below its max (``engine.metrics.
    inspection_scores_sql``)."""
    rel = pd.DataFrame({"inspection_id": i["inspection_id"], "score": i["score"].astype(float),
                        "max_score": i["max_score"].astype(float), "critical": _column(i, "critical", "boolean"),
                        "department": _column(i, "department", "string"), "agent": _column(i, "agent", "string")})
    return duck.query(metrics.inspection_scores_sql("rows"), rows=rel).set_index("inspection_id")


def _inspection_frame(scores: pd.DataFrame, keys, pass_mark: float) -> pd.DataFrame:
    return _grouped(metrics.inspection_groups_sql("rows", "key", pass_mark), scores[["pct"]], keys)


# ----------------------------------------------------------------------------- putting it together

def in_period(frame: pd.DataFrame, column: str, p: Period) -> pd.DataFrame:
    """The rows of the period; the frame itself when all are (no copy of a million rows)."""
    keep = (frame[column] >= p.start) & (frame[column] < p.end)
    return frame if keep.all() else frame[keep]


@dataclass
class View:
    """The period's rows and each ticket's flags, made once and shared by the result, trend and heat map."""

    tickets: pd.DataFrame  # the whole table (the backlog looks beyond the period)
    t: pd.DataFrame
    s: pd.DataFrame
    i: pd.DataFrame
    flags: pd.DataFrame
    std: Standards
    p: Period
    missing: set[str] = field(default_factory=set)  # metrics the data never supplied
    decides: bool = False  # whether the tickets' status decides at this as_of (``status_decides``)


def group_keys(frame: pd.DataFrame, dim: str | None) -> pd.Series | None:
    """The column a breakdown groups by; rows without an agent form the group 未分配 (no copy of the frame)."""
    if dim is None:
        return None
    col = frame[dim]
    if dim != "agent" or not col.isna().any():
        return col
    if isinstance(col.dtype, pd.StringDtype):
        return col.fillna(UNASSIGNED)  # stays Arrow text: no Python object per ticket
    return col.astype(object).where(col.notna(), UNASSIGNED)


def view(tickets: pd.DataFrame, surveys: pd.DataFrame, inspections: pd.DataFrame, std: Standards, p: Period,
         calls: pd.DataFrame | None = None, known: View | None = None) -> View:
    """The period's rows and their flags; ``known``, a view already made whose tickets may be these very rows (the
    months around a quarter that holds every ticket): its flags are taken, not computed again, when they are the
    same rows on the same standards and as_of."""
    if calls is not None and len(calls):  # satisfaction given on a call counts like a survey answer (§4)
        from .calls import survey_answers

        answers = survey_answers(calls)
        surveys = pd.concat([surveys, answers.astype({"csat": surveys["csat"].dtype})], ignore_index=True) \
            if len(surveys) else answers
    missing = unsupplied({"tickets": tickets, "surveys": surveys})
    t = in_period(tickets, "created_at", p)
    decides = status_decides(tickets, p.as_of)
    same = known is not None and known.t is t and known.std is std and known.p.as_of == p.as_of
    return View(tickets, t, in_period(surveys, "submitted_at", p), in_period(inspections, "inspected_at", p),
                known.flags if same else ticket_flags(t, std, p.as_of, decides), std, p, missing, decides)


def result(v: View, dims: tuple[str, ...] = DIMENSIONS) -> dict:
    """Overall and by each of ``dims`` (the previous period's comparison needs only the overall figures)."""
    tickets, t, s, flags, std, p = v.tickets, v.t, v.s, v.flags, v.std, v.p
    scores = inspection_scores(v.i)
    out = {"period": p.as_json()}
    for dim in (None, *dims):
        parts = [
            _ticket_frame(flags, group_keys(t, dim)),
            backlog(tickets, p.as_of, group_keys(tickets, dim), v.decides).rename("backlog"),
            _survey_frame(s, group_keys(s, dim)),
        ]
        if dim != "channel":  # inspections carry no channel
            parts.append(_inspection_frame(scores, group_keys(scores, dim), std.qa_pass_mark))
        frame = pd.concat(parts, axis=1).reindex(columns=list(METRICS))
        for m in v.missing:
            frame[m] = np.nan
        frame["tickets"] = frame["tickets"].fillna(0)
        if dim is None:
            out["overall"] = _metrics(frame.iloc[0]) if len(frame) else _metrics(pd.Series(dtype=float))
        else:
            out[f"by_{dim}"] = {str(k): _metrics(row) for k, row in frame.iterrows()}
    if "overall" in out:
        out["overall"]["tickets"] = int(len(t))
    return out


def _metrics(row: pd.Series) -> dict:
    out = {}
    for m in METRICS:
        v = row.get(m)
        if v is None or pd.isna(v):
            out[m] = 0 if m == "tickets" else None
        elif m in ("tickets", "backlog"):
            out[m] = int(v)
        else:
            out[m] = float(v)
    return out


def monthly(v: View, keys: tuple[str, ...]) -> pd.DataFrame:
    """Rates (``keys``, no quantile among them) and ticket counts per calendar month of the view, one query per
    table over the whole span instead of a view per month: each ticket's flags depend on the ticket, the standards
    and ``as_of`` alone, so the months' figures are those of a view of each month."""
    month = lambda times: times.dt.to_period("M").astype(str)  # noqa: E731
    return _rates_by(v, month(v.t["created_at"]), month(v.s["submitted_at"])).reindex(columns=["tickets", *keys])


def _rates_by(v: View, ticket_keys: pd.Series, survey_keys: pd.Series) -> pd.DataFrame:
    """The ticket rates and counts (no quantiles) and the survey figures per key (a week, a month), a metric the
    data never supplied left empty."""
    out = pd.concat([_ticket_frame(v.flags, ticket_keys, quantiles=False), _survey_frame(v.s, survey_keys)],
                    axis=1, sort=True)
    for m in v.missing & set(out.columns):
        out[m] = np.nan
    return out


def weekly_trend(v: View) -> pd.DataFrame:
    """Main indicators per ISO week (weeks starting Monday) within the period."""
    p = v.p
    weeks = pd.period_range(p.start, p.end - pd.Timedelta(days=1), freq="W-SUN").start_time
    out = _rates_by(v, week_of(v.t["created_at"]), week_of(v.s["submitted_at"])).reindex(weeks)  # empty weeks too
    out["tickets"] = out["tickets"].fillna(0)
    out.index.name = "week"
    cols = ["tickets", "first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "csat_pct", "complaint_rate_pct"]
    return out.reindex(columns=cols).reset_index()


def hour_weekday(v: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Volume and first-response SLA % by hour of day (rows 0–23) × weekday (columns Mon–Sun)."""
    t, flags = v.t, v.flags
    cell = t["created_at"].dt.hour * 7 + t["created_at"].dt.day_of_week
    m = _ticket_frame(flags, cell, quantiles=False).reindex(range(24 * 7))
    grid = pd.MultiIndex.from_product([range(24), range(7)], names=["hour", "weekday"])
    vol = pd.Series(m["tickets"].fillna(0).astype("int64").to_numpy(), index=grid).unstack()
    sla = pd.Series(m["first_response_sla_pct"].to_numpy(dtype=float), index=grid).unstack()
    if "first_response_sla_pct" in v.missing:
        sla[:] = np.nan
    return vol, sla


# metric → (table, numerator flag, denominator flags): the counts behind a rate, for tests of a change
RATE_PARTS = {
    "first_response_sla_pct": ("tickets", "fr_met", ("fr_met", "fr_breached")),
    "resolution_sla_pct": ("tickets", "res_met", ("res_met", "res_breached")),
    "fcr_pct": ("tickets", "fcr", ("resolved",)),
    "reopen_rate_pct": ("tickets", "reopened", ("resolved",)),
    "complaint_rate_pct": ("tickets", "complaint", ("counted",)),
    "record_completeness_pct": ("tickets", "complete", ("counted",)),
    "csat_pct": ("surveys", "csat_ok", ("csat_n",)),
    "complaint_first_response_sla_pct": ("tickets", "cfr_met", ("cfr_met", "cfr_breached")),
}
LOWER_IS_BETTER = {"complaint_rate_pct", "reopen_rate_pct", "median_first_response_min", "p90_first_response_min",
                   "median_resolution_h", "backlog", "qa_fail_rate_pct"}


def rate_counts(v: View, metric: str) -> tuple[int, int] | None:
    """(successes, trials) of a rate metric over a view; None for a metric that is not a rate."""
    if metric not in RATE_PARTS:
        return None
    table, num, den = RATE_PARTS[metric]
    counts = _ticket_groups(v.flags, None, quantiles=False) if table == "tickets" else _survey_groups(v.s, None)
    if counts.empty:
        return 0, 0
    row = counts.iloc[0]
    return int(row[f"n_{num}"]), int(sum(row[f"n_{d}"] for d in den))


def week_of(times: pd.Series) -> pd.Series:
    """The Monday that starts each time's ISO week."""
    return times.dt.to_period("W-SUN").dt.start_time


MEDIAN_TIMES = {"median_first_response_min", "median_resolution_h"}


def weekly_counts(v: View, metric: str) -> tuple[pd.Series, pd.Series]:
    """Per week: (successes, trials) of a rate, as floats; for a median time, (its weekly value, an empty series)."""
    if metric in MEDIAN_TIMES:
        g = _ticket_groups(v.flags, week_of(v.t["created_at"]))
        return g[metric].astype(float), pd.Series(dtype=float)
    table, num, den = RATE_PARTS[metric]
    g = _ticket_groups(v.flags, week_of(v.t["created_at"]), quantiles=False) if table == "tickets" \
        else _survey_groups(v.s, week_of(v.s["submitted_at"]))
    return g[f"n_{num}"].astype(float), sum(g[f"n_{d}"] for d in den).astype(float)
