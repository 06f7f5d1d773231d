"""What a control-chart signal means for a manager (DOMAIN.md §7): which weeks may signal, whether a signal
is a worsening or an improvement, and which signals are one incident.

A week not wholly inside the data (the first or the last, cut by the export) is drawn but never
tested: a three-day week is not a shift.  A signal is 恶化 (worse) or 好转 (better) by its
indicator's direction; only worse ones are alerts.  Consecutive signalling weeks of one indicator,
scope and direction are one incident, keyed by (indicator, scope, direction, first week), so that
running the alerts again never opens the same problem twice.
"""
from __future__ import annotations

import pandas as pd

LOWER_IS_BETTER = ("complaint_rate_pct", "abandon_rate_pct", "reopen_rate_pct", "qa_fail_rate_pct", "backlog",
                   "asa_s", "aht_s")
WEEK = pd.Timedelta(days=7)


def higher_is_better(metric: str, targets: dict) -> bool:
    """By the indicator's direction on 监控标准; times (…_min, …_h) and the rates of bad things are lower-is-better."""
    if metric in targets:
        return targets[metric][0] != "le"
    return not (metric in LOWER_IS_BETTER or metric.endswith(("_min", "_h")))


def partial_weeks(weeks: pd.Index, first: pd.Timestamp, last: pd.Timestamp) -> pd.Series:
    """True for a week (Monday start) not wholly inside [first day, last day] of the data."""
    start, end = pd.Timestamp(first).normalize(), pd.Timestamp(last).normalize() + pd.Timedelta(days=1)
    w = pd.Series(pd.to_datetime(weeks), index=weeks)
    return (w < start) | (w + WEEK > end)


def window(weeks: pd.Index, n: int) -> pd.Index:
    """The last ``n`` weeks of data, whatever the report's period."""
    return weeks[-n:] if n and len(weeks) > n else weeks


def baseline(partial: pd.Series, n: int) -> pd.Series:
    """The first ``n`` complete weeks: the control limits come from them."""
    complete = ~partial
    return complete & (complete.cumsum() <= n)


def direction(value: float, centre: float, higher_better: bool) -> str:
    up = value > centre
    return "better" if up == higher_better else "worse"


def number_incidents(signals: list[dict]) -> list[dict]:
    """Each signal gains ``incident``: consecutive weeks of one indicator, scope and direction share a number (a
    week without a signal, or a change of direction, ends an incident).  Numbers follow the first week."""
    keyed = sorted(signals, key=lambda s: (s["indicator"], s.get("scope", "overall"), s["week"]))
    runs: list[list[dict]] = []
    prev = None
    for s in keyed:
        week = pd.Timestamp(s["week"])
        key = (s["indicator"], s.get("scope", "overall"), s["direction"])
        if prev is not None and prev[0] == key and week - prev[1] == WEEK:
            runs[-1].append(s)
        else:
            runs.append([s])
        prev = (key, week)
    runs.sort(key=lambda run: (run[0]["week"], run[0]["indicator"], run[0].get("scope", "overall")))
    for n, run in enumerate(runs, start=1):
        for s in run:
            s["incident"] = n
    return signals


def incidents(signals: list[dict]) -> list[dict]:
    """One row per incident: its key, weeks, and the signal furthest from the centre."""
    out: dict[int, dict] = {}
    for s in sorted(signals, key=lambda s: s["week"]):
        i = s["incident"]
        if i not in out:
            out[i] = {"incident": i, "indicator": s["indicator"], "scope": s.get("scope", "overall"),
                      "group": s.get("group", ""), "direction": s["direction"], "first_week": s["week"],
                      "last_week": s["week"], "weeks": 0, "worst": s}
        row = out[i]
        row["last_week"], row["weeks"] = s["week"], row["weeks"] + 1
        if abs(s["value"] - s["centre"]) > abs(row["worst"]["value"] - row["worst"]["centre"]):
            row["worst"] = s
    return [out[k] for k in sorted(out)]


def lateness(minutes: float) -> tuple[float, str]:
    """How late, in the unit that fits: hours under two days, else days (one decimal)."""
    hours = minutes / 60.0
    return (round(hours, 1), "h") if hours < 48 else (round(hours / 24.0, 1), "d")
