"""On-site visits (DOMAIN.md §4): on-time visit rate, median visit duration, first-visit fix rate — overall and by
channel, department and agent.  A visit is a ticket with an appointment or an arrival; tickets of the period are
those created in it.  A rate over no visit is empty (None), never 0: a book whose exports carry no visit fields
shows no visit figures."""
from __future__ import annotations

import pandas as pd

METRICS = ("visits", "on_time_visit_pct", "median_visit_min", "first_visit_fix_pct")
DIMENSIONS = ("channel", "department", "agent")


def visit_flags(t: pd.DataFrame, grace_min: float) -> pd.DataFrame:
    """One row per visit.  Early counts as on time; an appointment at 00:00 is a date only, kept by arriving that
    day."""
    if "appointment_at" not in t:
        return pd.DataFrame(columns=["on_time", "timed", "minutes", "fixed", "fix_known"])
    v = t[t["appointment_at"].notna() | t["arrived_at"].notna()]
    appointment, arrived = v["appointment_at"], v["arrived_at"]
    date_only = appointment.notna() & appointment.eq(appointment.dt.normalize())
    timed = appointment.notna() & arrived.notna()
    kept = ((date_only & (arrived < appointment + pd.Timedelta(days=1)))
            | (~date_only & (arrived <= appointment + pd.Timedelta(minutes=float(grace_min)))))
    fixed = v["fixed_first_visit"].astype("boolean")
    return pd.DataFrame({
        "timed": timed,
        "on_time": timed & kept,
        "minutes": (v["visit_end_at"] - arrived).dt.total_seconds() / 60.0,
        "fixed": fixed.fillna(False).astype(bool),
        "fix_known": fixed.notna(),
    }, index=v.index)


def _frame(flags: pd.DataFrame, keys) -> pd.DataFrame:
    by = keys if keys is not None else pd.Series(0, index=flags.index)
    g = flags.groupby(by, sort=True, dropna=True)
    s = g[["timed", "on_time", "fixed", "fix_known"]].sum()
    out = pd.DataFrame(index=s.index)
    out["visits"] = g.size()
    out["on_time_visit_pct"] = (100.0 * s["on_time"] / s["timed"].where(s["timed"] > 0)).astype(float)
    out["median_visit_min"] = g["minutes"].median()
    out["first_visit_fix_pct"] = (100.0 * s["fixed"] / s["fix_known"].where(s["fix_known"] > 0)).astype(float)
    return out


def _metrics(row) -> dict:
    out = {}
    for m in METRICS:
        v = None if row is None else row.get(m)
        out[m] = (0 if v is None or pd.isna(v) else int(v)) if m == "visits" else \
            (None if v is None or pd.isna(v) else float(v))
    return out


def result(tickets_in_period: pd.DataFrame, grace_min: float = 15) -> dict:
    flags = visit_flags(tickets_in_period, grace_min)
    overall = _frame(flags, None)
    out = {"overall": _metrics(overall.iloc[0] if len(overall) else None)}
    for dim in DIMENSIONS:
        if dim in tickets_in_period:
            keys = tickets_in_period.loc[flags.index, dim]
            out[f"by_{dim}"] = {str(k): _metrics(r) for k, r in _frame(flags, keys).iterrows()}
    return out
