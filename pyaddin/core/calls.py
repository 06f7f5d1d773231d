"""The phone line's indicators (DOMAIN.md §4): calls offered, answer and abandon rates, service level, ASA, AHT
and transfer rate — overall, by queue, department, agent and hour × weekday.  Pure pandas, no Excel.

As for tickets, each call gets its flags once and every breakdown is a group-by sum of them.  A metric is empty
(None) when the column it needs was never supplied (answered for the rates, wait_s for service level and ASA,
talk_s for AHT, transferred for the transfer rate), and a rate over no call is empty, never 0.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema import WEEKDAY_KEYS

METRICS = ("calls_offered", "answer_rate_pct", "abandon_rate_pct", "service_level_pct", "asa_s", "aht_s",
           "transfer_rate_pct")
DIMENSIONS = ("queue", "department", "agent")
UNASSIGNED = "未分配"  # as in core.kpi: the by-agent group of calls without an agent (abandoned calls)
NEEDS = {"answer_rate_pct": ("answered",), "abandon_rate_pct": ("answered",),
         "service_level_pct": ("answered", "wait_s"), "asa_s": ("answered", "wait_s"),
         "aht_s": ("answered", "talk_s"), "transfer_rate_pct": ("answered", "transferred")}


def unsupplied(calls: pd.DataFrame) -> set[str]:
    """Metrics whose columns are blank in every row of the whole call table: the export did not supply them."""
    return {m for m, cols in NEEDS.items() if any(c not in calls or calls[c].isna().all() for c in cols)}


def departments(calls: pd.DataFrame) -> pd.Series:
    """A call's department: its own, else its queue (DOMAIN.md §3)."""
    return calls["department"].where(calls["department"].notna(), calls["queue"])


def call_flags(c: pd.DataFrame, short_abandon_s: float, service_level_s: float) -> pd.DataFrame:
    """One row per call: whether it is offered (not a short abandon), answered, within the service level; its wait
    and handling time when answered."""
    answered = c["answered"].astype("boolean").fillna(False).astype(bool)
    wait = pd.to_numeric(c["wait_s"], errors="coerce").astype(float)
    short = ~answered & (wait < short_abandon_s)  # a blank wait is never a short abandon
    offered = ~short
    talk = pd.to_numeric(c["talk_s"], errors="coerce").astype(float)
    extra = sum(pd.to_numeric(c[k], errors="coerce").astype(float).fillna(0) for k in ("hold_s", "after_call_s"))
    return pd.DataFrame({
        "offered": offered,
        "answered": answered,
        "in_level": answered & (wait <= service_level_s),
        "wait": wait.where(answered),
        "handle": (talk + extra).where(answered),
        "transferred": answered & c["transferred"].astype("boolean").fillna(False).astype(bool),
    }, index=c.index)


def _pct(num, den):
    return (100.0 * num / den.where(den > 0)).astype(float)


def _frame(flags: pd.DataFrame, keys) -> pd.DataFrame:
    by = keys if keys is not None else pd.Series(0, index=flags.index)
    g = flags.groupby(by, sort=True, dropna=True)
    s = g[["offered", "answered", "in_level", "transferred"]].sum()
    out = pd.DataFrame(index=s.index)
    out["calls_offered"] = s["offered"]
    out["answer_rate_pct"] = _pct(s["answered"], s["offered"])
    out["abandon_rate_pct"] = _pct(s["offered"] - s["answered"], s["offered"])
    out["service_level_pct"] = _pct(s["in_level"], s["offered"])
    out["asa_s"] = g["wait"].mean()
    out["aht_s"] = g["handle"].mean()
    out["transfer_rate_pct"] = _pct(s["transferred"], s["answered"])
    return out


def _metrics(row, missing: set[str]) -> dict:
    out = {}
    for m in METRICS:
        v = None if row is None else row.get(m)
        if m == "calls_offered":
            out[m] = 0 if v is None or pd.isna(v) else int(v)
        else:
            out[m] = None if m in missing or v is None or pd.isna(v) else float(v)
    return out


def _keys(c: pd.DataFrame, dim: str) -> pd.Series:
    if dim == "department":
        return departments(c)
    col = c[dim]
    return col.astype(object).where(col.notna(), UNASSIGNED) if dim == "agent" else col


def result(calls: pd.DataFrame, period, short_abandon_s: float = 0, service_level_s: float = 30) -> dict:
    """The calls of ``period`` (by started_at): overall, by queue, department, agent and hour × weekday."""
    missing = unsupplied(calls)
    c = calls[(calls["started_at"] >= period.start) & (calls["started_at"] < period.end)]
    flags = call_flags(c, short_abandon_s, service_level_s)
    # short abandons are not offered: they count in no metric, in no group
    flags, c = flags[flags["offered"]], c[flags["offered"].to_numpy()]
    overall = _frame(flags, None)
    out = {"overall": _metrics(overall.iloc[0] if len(overall) else None, missing),
           "unsupplied": sorted(missing), "service_level_s": float(service_level_s),
           "short_abandon_s": float(short_abandon_s)}
    for dim in DIMENSIONS:
        frame = _frame(flags, _keys(c, dim))
        out[f"by_{dim}"] = {str(k): _metrics(r, missing) for k, r in frame.iterrows()}
    when = c["started_at"]
    cell = (pd.Series(np.asarray(WEEKDAY_KEYS, dtype=object)[when.dt.day_of_week.to_numpy(dtype=int)], index=c.index)
            + " " + when.dt.hour.map("{:02d}".format))  # "mon 09": the hour × weekday grid, only cells with calls
    frame = _frame(flags, cell)
    out["by_hour_weekday"] = {str(k): _metrics(r, missing) for k, r in frame.iterrows()}
    return out


WEEKLY_RATES = {"answer_rate_pct": "answered", "service_level_pct": "in_level", "abandon_rate_pct": "abandoned"}


def weekly(calls: pd.DataFrame, short_abandon_s: float = 0, service_level_s: float = 30) -> pd.DataFrame:
    """The phone line week by week (Monday start) for the control charts (DOMAIN.md §7): calls offered, answered,
    within the service level and abandoned (the p-charts' successes and trials), and ASA (the XmR chart's value)."""
    flags = call_flags(calls, short_abandon_s, service_level_s)
    flags = flags[flags["offered"]]
    week = calls.loc[flags.index, "started_at"].dt.to_period("W-SUN").dt.start_time
    g = flags.groupby(week)
    out = g[["offered", "answered", "in_level"]].sum().astype(float)
    out["abandoned"] = out["offered"] - out["answered"]
    out["asa_s"] = g["wait"].mean()
    return out


def survey_answers(calls: pd.DataFrame) -> pd.DataFrame:
    """Satisfaction given on a call as survey answers (it counts in csat_pct like one: DOMAIN.md §4)."""
    c = calls[calls["csat"].notna()]  # the call table always has the column (schema.CALLS)
    return pd.DataFrame({"survey_id": "call:" + c["call_id"].astype(str), "ticket_id": None,
                         "submitted_at": c["started_at"], "channel": "phone", "department": departments(c),
                         "agent": c["agent"], "csat": c["csat"], "nps": np.nan, "comment": None}, index=c.index)
