"""Every indicator of DOMAIN.md §4: no Excel, no files.

Each ticket gets its flags once (SLA met / breached, first-contact resolution, complete record…) in the engine
(``core.view``); every breakdown is then a group-by sum of those flags, so the overall figure and the per-channel,
per-department and per-agent figures share one definition (``engine.metrics``) and one pass over the data, fast
enough for tens of millions of tickets.  The periods, the standards and the view are in modules of their own and
named here too, as the callers have always found them.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..engine import duck, metrics
from ..schema import HEADLINE_KEYS
from .periods import (  # noqa: F401
    Period,
    last_month_with_tickets,
    month_period,
    period,
    previous_period,
    quarter_period,
    week_period,
    year_period,
)
from .standards import Standards, status  # noqa: F401
from .view import (  # noqa: F401
    FLAG_INPUTS,
    INSPECTION_COLUMNS,
    NEEDS,
    NUMBER,
    SCORE,
    SURVEY_COLUMNS,
    TEXT,
    TICKET_COLUMNS,
    TIME,
    UNASSIGNED,
    YES_NO,
    View,
    _column,
    _decides,
    _flags_sql,
    _indexed,
    _profile,
    _timed_sql,
    group_keys,
    in_period,
    key_of,
    missing_metrics,
    rows_of,
    unsupplied,
    view,
    with_ticket_owner,
)

METRICS = ("tickets", "first_response_sla_pct", "resolution_sla_pct", "median_first_response_min",
           "p90_first_response_min", "median_resolution_h", "fcr_pct", "reopen_rate_pct", "complaint_rate_pct",
           "record_completeness_pct", "backlog", "csat_pct", "nps", "qa_score_pct", "qa_fail_rate_pct",
           "complaint_first_response_sla_pct")
DIMENSIONS = ("channel", "department", "agent")


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


def major_complaint(t: pd.DataFrame) -> pd.Series:
    """重大投诉: the complaints whose level is major; each opens a problem of its own and costs points (§6, §9)."""
    return (t["complaint_level"] == "major").fillna(False).astype(bool) if "complaint_level" in t \
        else pd.Series(False, index=t.index)


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


# ----------------------------------------------------------------------------- a ticket's times and flags

def _per_ticket(t: pd.DataFrame, sql_and_days: tuple[str, object]) -> pd.DataFrame:
    """A query with one row per ticket of ``t`` (its ``row__``), in ``t``'s order and on its index."""
    sql, days = sql_and_days
    return duck.query(sql + " ORDER BY row__", days__=days).drop(columns="row__").set_axis(t.index)


def timed_tickets(t: pd.DataFrame, std: Standards, as_of: pd.Timestamp) -> pd.DataFrame:
    """The columns ``engine.metrics.ticket_flags_sql`` reads, as a frame on ``t``'s index: the tickets' own, and
    their times and targets on the workbook's SLA clock."""
    rows = rows_of(t, TICKET_COLUMNS)
    return _per_ticket(t, _timed_sql(rows, _profile(rows), std, as_of, None, ("row__",)))


def late_tickets(t, std: Standards, as_of: pd.Timestamp) -> pd.DataFrame:
    """Open tickets past their response or resolution target at ``as_of`` on the SLA clock (``engine.metrics.
    breaches_sql``): only those come back, from a frame or from where an outside source's rows lie."""
    rows = rows_of(t, TICKET_COLUMNS)
    keep = ("row__", "ticket_id", "department", "created_at", "first_response_at", "resolved_at")
    sql, days = _timed_sql(rows, _profile(rows), std, as_of, None, keep)
    return duck.query(metrics.breaches_sql(f"({sql}) timed", as_of), days__=days)


def ticket_flags(t: pd.DataFrame, std: Standards, as_of: pd.Timestamp, decides: bool | None = None) -> pd.DataFrame:
    """One row per ticket with the numbers every ticket metric is a sum or a quantile of.  Where the status
    decides (``status_decides``) a cancelled ticket counts in ``tickets`` only, and a solved or closed one without
    ``resolved_at`` is resolved at an unknown time."""
    rows = rows_of(t, TICKET_COLUMNS)
    profile = _profile(rows)
    decides = _decides(profile, as_of) if decides is None else decides
    return _per_ticket(t, _flags_sql(rows, profile, std, as_of, decides, None, ("row__",)))


_SUMS = metrics.FLAG_SUMS
_TICKET_COLUMNS = ["tickets", "first_response_sla_pct", "resolution_sla_pct", "median_first_response_min",
                   "p90_first_response_min", "median_resolution_h", "fcr_pct", "reopen_rate_pct", "complaint_rate_pct",
                   "record_completeness_pct", "complaint_first_response_sla_pct"]


def _ticket_groups(flags: pd.DataFrame, keys, quantiles: bool = True) -> pd.DataFrame:
    """The ticket metrics per group of a pandas Series of keys and the flag counts behind them (``n_<flag>``);
    the medians and P90 only with ``quantiles`` (the one costly part)."""
    return _grouped(metrics.ticket_groups_sql("rows", "key", quantiles), flags[[*_SUMS, "fr_min", "res_h"]], keys)


def ticket_metrics(flags: pd.DataFrame, keys: pd.Series | None = None, quantiles: bool = True) -> pd.DataFrame:
    """The ticket metrics of a set of tickets: one row, or one per group of ``keys`` (an hour band, a category);
    without ``quantiles`` the medians and P90 are blank (a caller that weighs rates only)."""
    return _ticket_groups(flags, keys, quantiles)[_TICKET_COLUMNS]


def inspection_scores(i: pd.DataFrame) -> pd.DataFrame:
    """One row per inspection: its score %, zero when a critical item is below its max (``engine.metrics.
    inspection_scores_sql``)."""
    rel = pd.DataFrame({"inspection_id": i["inspection_id"], "score": i["score"].astype(float),
                        "max_score": i["max_score"].astype(float), "critical": _column(i, "critical", "boolean"),
                        "department": _column(i, "department", "string"), "agent": _column(i, "agent", "string")})
    return duck.query(metrics.inspection_scores_sql("rows"), rows=rel).set_index("inspection_id")


# ----------------------------------------------------------------------------- the figures of a view

def result(v: View, dims: tuple[str, ...] = DIMENSIONS, quantiles: bool = True) -> dict:
    """Overall and by each of ``dims`` (the previous period's comparison needs only the overall figures, and the
    cards compare no median or P90: ``quantiles=False`` leaves those blank and spares sorting a period's times)."""
    out = {"period": v.p.as_json()}
    for dim in (None, *dims):
        k = key_of(dim)
        parts = [v.ticket_groups(k, quantiles)[_TICKET_COLUMNS], v.backlog(k).rename("backlog"),
                 v.survey_groups(k)[["csat_pct", "nps"]]]
        if dim != "channel":  # inspections carry no channel
            parts.append(v.inspection_groups(k))
        frame = pd.concat(parts, axis=1).reindex(columns=list(METRICS))
        for m in v.missing:
            frame[m] = np.nan
        frame["tickets"] = frame["tickets"].fillna(0)
        if dim is None:
            out["overall"] = _metrics(frame.iloc[0]) if len(frame) else _metrics(pd.Series(dtype=float))
        else:
            out[f"by_{dim}"] = {str(k): _metrics(row) for k, row in frame.iterrows()}
    out["overall"]["tickets"] = v.n
    return out


def _metrics(row: pd.Series) -> dict:
    out = {}
    for m in METRICS:
        v = row.get(m)
        if v is None or pd.isna(v):
            out[m] = None  # a group's ticket count is never blank: ``result`` fills it
        elif m in ("tickets", "backlog"):
            out[m] = int(v)
        else:
            out[m] = float(v)
    return out


MONTH = "STRFTIME({}, '%Y-%m')"
WEEK = "DATE_TRUNC('week', {})"


def monthly(v: View, keys: tuple[str, ...]) -> pd.DataFrame:
    """Rates (``keys``, no quantile among them) and ticket counts per calendar month of the view, one query per
    table over the whole span instead of a view per month: each ticket's flags depend on the ticket, the standards
    and ``as_of`` alone, so the months' figures are those of a view of each month."""
    return _rates_by(v, MONTH).reindex(columns=["tickets", *keys])


def _rates_by(v: View, key: str) -> pd.DataFrame:
    """The ticket rates and counts (no quantiles) and the survey figures per time key (a week, a month: ``key``
    formats the time column), a metric the data never supplied left empty."""
    out = pd.concat([v.ticket_groups(key.format("created_at"), quantiles=False)[_TICKET_COLUMNS],
                     v.survey_groups(key.format("submitted_at"))], axis=1, sort=True)
    for m in v.missing & set(out.columns):
        out[m] = np.nan
    return out


def weekly_trend(v: View) -> pd.DataFrame:
    """Main indicators per ISO week (weeks starting Monday) within the period."""
    p = v.p
    weeks = pd.period_range(p.start, p.end - pd.Timedelta(days=1), freq="W-SUN").start_time
    out = _rates_by(v, WEEK)
    out.index = pd.DatetimeIndex(out.index).as_unit("ns") if len(out) else pd.DatetimeIndex([])
    out = out.reindex(weeks)  # empty weeks too
    out["tickets"] = out["tickets"].fillna(0)
    out.index.name = "week"
    cols = ["tickets", "first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "csat_pct", "complaint_rate_pct"]
    return out.reindex(columns=cols).reset_index()


def hour_weekday(v: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Volume and first-response SLA % by hour of day (rows 0–23) × weekday (columns Mon–Sun)."""
    m = v.ticket_groups("HOUR(created_at) * 7 + ISODOW(created_at) - 1", quantiles=False).reindex(range(24 * 7))
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
    counts = v.ticket_groups(key_of(None), quantiles=False) if table == "tickets" else v.survey_groups(key_of(None))
    if counts.empty:
        return 0, 0
    row = counts.iloc[0]
    return int(row[f"n_{num}"]), int(sum(row[f"n_{d}"] for d in den))


MEDIAN_TIMES = {"median_first_response_min", "median_resolution_h"}
QUANTILES = MEDIAN_TIMES | {"p90_first_response_min"}  # what ``result(quantiles=False)`` leaves blank


def weekly_counts(v: View, metric: str) -> tuple[pd.Series, pd.Series]:
    """Per week: (successes, trials) of a rate, as floats; for a median time, (its weekly value, an empty series)."""
    def weekly(frame):
        frame.index = pd.DatetimeIndex(frame.index).as_unit("ns") if len(frame) else pd.DatetimeIndex([])
        return frame

    if metric in MEDIAN_TIMES:
        g = weekly(v.ticket_groups(WEEK.format("created_at")))
        return g[metric].astype(float), pd.Series(dtype=float)
    table, num, den = RATE_PARTS[metric]
    # the weeks' ticket groups with their medians: one query for every chart (the view keeps it), rates and times
    g = weekly(v.ticket_groups(WEEK.format("created_at")) if table == "tickets"
               else v.survey_groups(WEEK.format("submitted_at")))
    return g[f"n_{num}"].astype(float), sum(g[f"n_{d}"] for d in den).astype(float)
