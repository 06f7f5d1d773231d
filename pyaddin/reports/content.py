"""What a monitoring report says, computed from the workbook's tables (pandas only, no files).

Overview, KPIs against targets with the previous period beside them, the main problems (the Pareto's
vital few and the open problems), typical cases good and bad, overdue actions, a forecast of the main
indicators for the next period (a linear trend over the recent weeks with a 95 % interval), and
recommendations that follow from these numbers.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..core import kpi, pdca
from ..core.pareto import UNCLASSIFIED, pareto
from ..schema import HEADLINE_KEYS

FORECAST = ("first_response_sla_pct", "resolution_sla_pct", "csat_pct", "complaint_rate_pct")
FORECAST_WEEKS = 12


def trend_forecast(values: pd.Series, ahead: int) -> dict | None:
    """The mean of the next ``ahead`` weeks on a least-squares line through the recent weekly values, with a
    95 % prediction interval (± t·s·√(1 + 1/n + (x̄ₐ − x̄)²/Sxx), t ≈ 2)."""
    y = values.dropna().astype(float)
    n = len(y)
    if n < 4:
        return None
    x = np.arange(n, dtype=float)
    slope, intercept = np.polyfit(x, y.to_numpy(), 1)
    resid = y.to_numpy() - (intercept + slope * x)
    s = math.sqrt((resid ** 2).sum() / (n - 2))
    xa = n - 1 + (ahead + 1) / 2.0  # the middle of the next period
    sxx = ((x - x.mean()) ** 2).sum()
    half = 2.0 * s * math.sqrt(1 / ahead + 1 / n + (xa - x.mean()) ** 2 / sxx)
    mid = intercept + slope * xa
    return {"value": float(mid), "low": float(mid - half), "high": float(mid + half), "slope": float(slope),
            "weeks": n}


def report(frames: dict, std: kpi.Standards, p: kpi.Period, prev: kpi.Period, problems: pd.DataFrame,
           plan: pd.DataFrame) -> dict:
    t, s, i = frames["tickets"], frames["surveys"], frames["inspections"]
    # the twelve weeks first: their view holds most of a large table's rows, freed before the period's is made
    weeks = kpi.weekly_trend(kpi.view(t, s, i, std, kpi.Period(p.end - pd.Timedelta(weeks=FORECAST_WEEKS), p.end,
                                                               p.end)))
    v = kpi.view(t, s, i, std, p)
    now, before = kpi.result(v), kpi.result(kpi.view(t, s, i, std, prev), dims=())
    rows = kpi.headline(now["overall"], before["overall"], std)
    worst = {}
    for m in HEADLINE_KEYS:
        target = std.targets.get(m)
        groups = [(g, r[m]) for g, r in now["by_department"].items() if r[m] is not None]
        if target and groups:
            worst[m] = (min if target[0] == "ge" else max)(groups, key=lambda gv: gv[1])
    par = pareto(v.t["category"]) if len(v.t) else pd.DataFrame(columns=["category", "count", "pct", "vital_few"])
    open_problems = problems[problems["status"].fillna("open") != "closed"].sort_values(
        ["priority", "problem_id"], ascending=[False, True])
    late = plan[pdca.overdue(plan, p.end)] if len(plan) else plan
    good = v.s[(v.s["csat"] == 5) & v.s["comment"].notna()].sort_values("submitted_at").head(3)
    bad_t = v.t[v.t["is_complaint"].fillna(False).astype(bool)].assign(res_h=v.flags["res_h"])
    bad = bad_t.sort_values("res_h", ascending=False, na_position="first").head(3)
    ahead = max(1, round((p.end - p.start).days / 7))
    forecast = {m: trend_forecast(weeks[m], ahead) for m in FORECAST if m in weeks and m not in v.missing}
    return {"period": p.as_json(), "previous": prev.as_json(),
            "overview": {"tickets": int(len(v.t)), "surveys": int(len(v.s)),
                         "inspections": int(v.i["inspection_id"].nunique()) if len(v.i) else 0},
            "kpis": rows, "worst": worst, "pareto": par, "problems": open_problems, "overdue": late,
            "good": good, "bad": bad, "forecast": forecast, "weeks": weeks, "unclassified": UNCLASSIFIED}
