"""Early warning (DOMAIN.md §7) on pandas frames: SLA breaches, control charts and worsened indicators.

Control charts follow ISO 7870-2 / Shewhart: a p-chart for a rate (limits from the baseline's
pooled proportion, widening and narrowing with each week's count), an XmR chart for a time
(limits from the baseline's mean and mean moving range, σ = MR̄ / 1.128). Rule 1 (a point beyond
3σ) is on by default; the Western Electric rules 2 of 3 beyond 2σ, 4 of 5 beyond 1σ and 8 in a row
on one side can be switched on.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

RULES = ("1", "2of3", "4of5", "8run")
D2 = 1.128  # the moving-range constant for subgroups of two


def p_chart(successes: pd.Series, trials: pd.Series, baseline: pd.Series) -> pd.DataFrame:
    """Weekly percentages with centre line and 3σ limits (percent), limits varying with each week's count."""
    s, n = successes.astype(float), trials.astype(float)
    base_n = n[baseline].sum()
    pbar = s[baseline].sum() / base_n if base_n else np.nan
    sigma = np.sqrt(pbar * (1 - pbar) / n.where(n > 0))
    value = 100.0 * s / n.where(n > 0)
    return pd.DataFrame({"value": value, "centre": 100.0 * pbar, "sigma": 100.0 * sigma,
                         "lcl": (100.0 * (pbar - 3 * sigma)).clip(lower=0.0),
                         "ucl": (100.0 * (pbar + 3 * sigma)).clip(upper=100.0)}, index=successes.index)


def xmr(values: pd.Series, baseline: pd.Series, floor: float | None = 0.0) -> pd.DataFrame:
    """Individual values with centre and 3σ limits from the baseline's mean and mean moving range."""
    v = values.astype(float)
    base = v[baseline].dropna()
    centre = base.mean() if len(base) else np.nan
    mr = base.diff().abs().dropna()
    sigma = mr.mean() / D2 if len(mr) else 0.0
    lcl = centre - 3 * sigma
    if floor is not None:
        lcl = max(floor, lcl)
    return pd.DataFrame({"value": v, "centre": centre, "sigma": sigma, "lcl": lcl, "ucl": centre + 3 * sigma},
                        index=values.index)


def signals(chart: pd.DataFrame, rules=("1",)) -> list[tuple[object, str]]:
    """(index, rule) of every point that signals; a point is listed once, under the first rule that catches it."""
    out: dict[object, str] = {}
    x, c, s = chart["value"].to_numpy(float), chart["centre"].to_numpy(float), chart["sigma"].to_numpy(float)
    lcl, ucl = chart["lcl"].to_numpy(float), chart["ucl"].to_numpy(float)
    idx = list(chart.index)
    ok = ~np.isnan(x)
    z = np.where(s > 0, (x - c) / np.where(s > 0, s, 1), np.where(x > c, np.inf, np.where(x < c, -np.inf, 0.0)))
    for i in range(len(x)):
        if not ok[i]:
            continue
        if "1" in rules and (x[i] > ucl[i] + 1e-9 or x[i] < lcl[i] - 1e-9):
            out.setdefault(idx[i], "1")
        for rule, k, m, limit in (("2of3", 2, 3, 2.0), ("4of5", 4, 5, 1.0)):
            if rule in rules and i >= m - 1 and ok[i - m + 1:i + 1].all():
                window = z[i - m + 1:i + 1]
                for sign in (1, -1):
                    if (sign * window > limit).sum() >= k and sign * z[i] > limit:
                        out.setdefault(idx[i], rule)
        if "8run" in rules and i >= 7 and ok[i - 7:i + 1].all():
            window = x[i - 7:i + 1] - c[i - 7:i + 1]
            if (window > 0).all() or (window < 0).all():
                out.setdefault(idx[i], "8run")
    return sorted(out.items(), key=lambda kv: idx.index(kv[0]))


def breaches(tickets: pd.DataFrame, fr_target_min: pd.Series, res_target_h: pd.Series, as_of: pd.Timestamp,
             age_min: pd.Series | None = None) -> pd.DataFrame:
    """Open tickets past their response or resolution target at ``as_of``, with how late (minutes).  ``age_min``:
    each ticket's age on the SLA clock (core.clock; calendar minutes when not given)."""
    from ..engine import duck, metrics

    created = tickets["created_at"]
    if age_min is None:
        age_min = (as_of - created).dt.total_seconds() / 60.0
    rows = pd.DataFrame({"ticket_id": tickets["ticket_id"].to_numpy(), "department": tickets["department"].to_numpy(),
                         "created_at": created.to_numpy(), "resolved_at": tickets["resolved_at"].to_numpy(),
                         "first_response_at": tickets["first_response_at"].to_numpy(),
                         "age_min": np.asarray(age_min, dtype=float), "fr_target": np.asarray(fr_target_min, dtype=float),
                         "res_target": np.asarray(res_target_h, dtype=float), "row__": np.arange(len(tickets))})
    return duck.query(metrics.breaches_sql("rows", as_of), rows=rows)


ORDER = {"met": 0, "warning": 1, "missed": 2}


def worsened(before: dict, after: dict, targets: dict, status) -> list[dict]:
    """Indicators whose status got worse from one period to the next, overall and by channel and department."""
    out = []
    for scope, key in (("overall", None), ("channel", "by_channel"), ("department", "by_department")):
        groups = {"": (before["overall"], after["overall"])} if key is None else {
            g: (before[key].get(g), m) for g, m in after[key].items()}
        for group, (b, a) in groups.items():
            if b is None or a is None:
                continue
            for metric, target in targets.items():
                s0, s1 = status(b.get(metric), target), status(a.get(metric), target)
                if s0 is not None and s1 is not None and ORDER[s1] > ORDER[s0]:
                    out.append({"indicator": metric, "scope": scope, "group": group, "from": s0, "to": s1})
    return out


def is_finite(v) -> bool:
    return v is not None and not (isinstance(v, float) and (math.isnan(v) or math.isinf(v)))
