"""What a monitoring report says, computed from the workbook's tables (pandas only, no files).

Everything is of the report's one period (a week, a month, a quarter or a year): the KPIs against targets with
the previous period beside them; what happened (the worse control-chart signals and SLA breaches of the period,
the verified effects of completed actions, the plan's progress with what is overdue); the main problems (the
period's Pareto, and the open problems with the period's figures); the departments and channels with their
sample sizes; typical cases good and bad; a forecast of the main indicators (a linear trend over the last 12
weeks with a 95 % interval, withheld when it is wider than what those weeks themselves spanned); and
recommendations drawn from these numbers (the indicator, the scope, the gap, where to look next).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..core import kpi, pdca
from ..core.pareto import UNCLASSIFIED
from ..engine import duck, metrics
from ..engine.metrics import literal
from ..schema import HEADLINE_KEYS, MIN_SAMPLE, SAMPLE_OF

FORECAST = ("first_response_sla_pct", "resolution_sla_pct", "csat_pct", "complaint_rate_pct")
FORECAST_WEEKS = 12
GROUP_METRICS = ("first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "csat_pct", "complaint_rate_pct")
HOUR_BAND = 2  # hours per band when looking for the worst time of day
CASES = 3


def trend_forecast(values: pd.Series, ahead: int) -> dict | None:
    """The mean of the next ``ahead`` weeks on a least-squares line through the recent weekly values, with a
    95 % prediction interval (± t·s·√(1 + 1/n + (x̄ₐ − x̄)²/Sxx), t ≈ 2), and the range the weeks spanned: an
    interval wider than that range says more about noise than about next period."""
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
    seen = float(y.max() - y.min())
    return {"value": float(mid), "low": float(mid - half), "high": float(mid + half), "slope": float(slope),
            "weeks": n, "seen_low": float(y.min()), "seen_high": float(y.max()), "uncertain": 2 * half > seen}


def direction(metric: str, std: kpi.Standards) -> str:
    """'ge' when higher is better, 'le' when lower is (DOMAIN.md §4)."""
    t = std.targets.get(metric)
    return t[0] if t else ("le" if metric in kpi.LOWER_IS_BETTER else "ge")


def group_table(v: kpi.View, result: dict, dim: str) -> pd.DataFrame:
    """One row per channel or department: its sample sizes (tickets, surveys) beside its rates."""
    rows = []
    surveys = v.sizes(dim)["surveys"]
    for g, m in sorted(result[f"by_{dim}"].items(), key=lambda gm: -gm[1]["tickets"]):
        rows.append({"group": g, "tickets": int(m["tickets"]), "surveys": int(surveys.get(g, 0)),
                     **{k: m[k] for k in GROUP_METRICS}})
    return pd.DataFrame(rows, columns=["group", "tickets", "surveys", *GROUP_METRICS])


def worse_signals(signals, std: kpi.Standards, p: kpi.Period) -> list[dict]:
    """The period's control-chart signals on the wrong side of their limits (the better ones are no alert)."""
    out = []
    for s in signals or ():
        week = pd.Timestamp(s["week"])
        if not (p.start <= week < p.end):
            continue
        worse = s.get("direction") == "worse" if "direction" in s else (
            s["value"] < s["centre"] if direction(s["indicator"], std) == "ge" else s["value"] > s["centre"])
        if worse:
            out.append({**s, "scope": s.get("scope")})
    return out


def breach_summary(v: kpi.View) -> list[dict]:
    """The period's SLA breaches by kind: how many of how many, and the department with most."""
    out = []
    n = v.ticket_groups(kpi.key_of(None), quantiles=False)
    for kind, met, breached in (("first_response", "fr_met", "fr_breached"), ("resolution", "res_met", "res_breached")):
        n_b = int(n[f"n_{breached}"].sum()) if len(n) else 0
        if not n_b:
            continue
        of = int(n[f"n_{met}"].sum()) + n_b
        top = duck.query(f"SELECT department, COUNT(*) AS n FROM {v.flags_table} WHERE {v.in_period} AND {breached} "
                         f"AND department IS NOT NULL GROUP BY department ORDER BY n DESC, MIN(row__) LIMIT 1")
        out.append({"kind": kind, "breached": n_b, "of": of, "department": top["department"].iloc[0] if len(top) else None,
                    "department_n": int(top["n"].iloc[0]) if len(top) else 0})
    return out


def plan_progress(plan: pd.DataFrame, end: pd.Timestamp) -> dict:
    """Counts by status, the verified effects of done actions, and the overdue actions with days late."""
    if plan.empty:
        return {"counts": {}, "effects": plan, "overdue": plan}
    late = pdca.overdue(plan, end)
    status = plan["status"].fillna("planned").where(~late, "overdue")
    overdue = plan[late].assign(days_late=pdca.days_overdue(plan, end)[late]).sort_values("days_late", ascending=False)
    effects = plan[(plan["status"] == "done") & plan["effect_before"].notna() & plan["effect_after"].notna()]
    return {"counts": status.value_counts().to_dict(), "effects": effects, "overdue": overdue}


def worst_hour_band(v: kpi.View, metric: str) -> dict | None:
    """The time of day (2-hour band) with the lowest value of a ticket rate, among bands with enough tickets."""
    if metric not in ("first_response_sla_pct", "resolution_sla_pct") or v.n == 0:
        return None
    m = v.ticket_groups(f"CAST(FLOOR(HOUR(created_at) / {HOUR_BAND}) AS INTEGER) * {HOUR_BAND}", quantiles=False)
    m = m[(m["tickets"] >= MIN_SAMPLE) & m[metric].notna()]
    if m.empty:
        return None
    h = int(m[metric].idxmin())
    return {"from": h, "to": h + HOUR_BAND, "value": float(m.at[h, metric]), "n": int(m.at[h, "tickets"])}


def worst_category(v: kpi.View, metric: str, std: kpi.Standards) -> dict | None:
    """The problem category where a ticket indicator is worst, among categories with enough tickets."""
    if v.n == 0:
        return None
    category = f"COALESCE(CAST(category AS VARCHAR), {literal(UNCLASSIFIED)})"
    if metric == "csat_pct":  # each answer under its ticket's category (the period's tickets; the last row of an id)
        owners = (f"(SELECT ticket_id AS tid__, {category} AS cat__ FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY "
                  f"ticket_id ORDER BY row__ DESC) AS k__ FROM {v.flags_table} WHERE {v.in_period}) x WHERE k__ = 1)")
        answers = f"(SELECT a.*, o.cat__ FROM {v.survey_table} a JOIN {owners} o ON o.tid__ = a.ticket_id)"
        g = kpi._indexed(duck.query(metrics.survey_groups_sql(answers, "cat__")))  # the engine's CSAT, as the period's
        m = pd.DataFrame({"tickets": g["n_csat_n"], metric: g["csat_pct"]})
    else:
        m = v.ticket_groups(category, quantiles=metric not in kpi.RATE_PARTS)
    if metric not in m:
        return None
    m = m[(m["tickets"] >= MIN_SAMPLE) & m[metric].notna()]
    if m.empty:
        return None
    c = m[metric].idxmin() if direction(metric, std) == "ge" else m[metric].idxmax()
    return {"category": c, "value": float(m.at[c, metric]), "n": int(m.at[c, "tickets"])}


CASE_COLUMNS = ["date", "ticket_id", "channel", "department", "agent", "category", "res_h", "csat", "comment", "what"]
CURATED = 10  # the good cases the team wrote up on 亮点案例: each is shown, up to this many


def curated_cases(highlights: pd.DataFrame | None, p: kpi.Period) -> pd.DataFrame:
    """The good cases the team curated on 亮点案例 (DOMAIN.md §1: typical cases, good ones as well as bad) dated
    in the period, in date order, each with what happened in the team's own words and the score and comment."""
    if highlights is None or highlights.empty:
        return pd.DataFrame(columns=CASE_COLUMNS)
    h = highlights[(highlights["date"] >= p.start) & (highlights["date"] < p.end)].sort_values("date").head(CURATED)
    return pd.DataFrame({"date": h["date"].dt.date, "ticket_id": h["ticket_id"], "channel": h["channel"],
                         "department": h["department"], "agent": h["agent"], "category": None, "res_h": None,
                         "csat": h["score"], "comment": h["comment"], "what": h["what"]}, columns=CASE_COLUMNS)


def cases(v: kpi.View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Typical cases: the period's best-rated tickets with a comment (亮点) and its complaints that took longest,
    each with date, channel, department, agent, what happened and the customer's score and words — chosen by the
    engine, only those tickets coming back."""
    said = (f"(SELECT ticket_id AS tid__, csat AS csat__, comment AS comment__ FROM (SELECT *, ROW_NUMBER() OVER "
            f"(PARTITION BY ticket_id ORDER BY row__ DESC) AS k__ FROM {v.survey_table} WHERE comment IS NOT NULL) x "
            f"WHERE k__ = 1)")
    pick = (f"SELECT created_at, ticket_id, channel, department, agent, category, res_h, csat__ AS csat, "
            f"comment__ AS comment FROM {v.flags_table} LEFT JOIN {said} s ON s.tid__ = ticket_id WHERE {v.in_period}")
    five = f"SELECT ticket_id FROM {v.survey_table} WHERE csat = 5 AND comment IS NOT NULL"
    good = duck.query(f"{pick} AND ticket_id IN ({five}) ORDER BY row__ LIMIT {CASES}")
    bad = duck.query(f"{pick} AND complaint ORDER BY res_h DESC NULLS FIRST, row__ LIMIT {CASES}")

    def frame(rows: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"date": pd.to_datetime(rows["created_at"]).dt.date, **{c: rows[c] for c in CASE_COLUMNS[1:-1]}},
                            columns=CASE_COLUMNS)
    return frame(good), frame(bad)


def region_table(v: kpi.View) -> pd.DataFrame | None:
    """The regions as the departments are shown (sample sizes beside the rates); None without regions."""
    return group_table(v, kpi.result(v, ("region",)), "region") if v.regions else None


def problems_of_period(problems: pd.DataFrame, par: pd.DataFrame) -> pd.DataFrame:
    """The open problems with the period's own figures for their category (not the figures they were opened with)."""
    open_ = problems[problems["status"].fillna("open") != "closed"].sort_values(
        ["priority", "problem_id"], ascending=[False, True])
    counts = par.set_index("category") if len(par) else pd.DataFrame(columns=["count", "pct"])
    return open_.assign(period_count=open_["category"].map(counts["count"]),
                        period_pct=open_["category"].map(counts["pct"]))


PHONE_REPORT = ("answer_rate_pct", "service_level_pct", "abandon_rate_pct", "asa_s", "aht_s",
                "transfer_rate_pct")
VISIT_REPORT = ("on_time_visit_pct", "median_visit_min", "first_visit_fix_pct")


def phone_and_visits(frames: dict, std: kpi.Standards, p: kpi.Period, prev: kpi.Period, v: kpi.View) -> dict:
    """The phone line (DOMAIN.md §4 Calls: overall against targets with the previous period, and by queue) and the
    on-site visits of the period (on-time rate, median duration, first-visit fix against targets); None for what
    the workbook holds no data of (no call in the period, no visit among the tickets)."""
    from ..core import calls as phone
    from ..core import visits

    out: dict = {"phone": None, "queues": {}, "queue_dim": None, "visits": None, "calls_offered": None,
                 "calls_before": None, "visit_count": None}
    c = frames.get("calls")
    if c is not None and len(c):
        args = (std.setting("short_abandon_s"), std.setting("service_level_s"))
        now, before = phone.result(c, p, *args), phone.result(c, prev, *args)
        if now["overall"]["calls_offered"]:
            out["phone"] = kpi.headline(now["overall"], before["overall"], std, PHONE_REPORT)
            out["calls_offered"], out["calls_before"] = now["overall"]["calls_offered"], before["overall"]["calls_offered"]
            # by queue; a call log without queues by department (the queue when blank); neither: no table
            out["queue_dim"] = next((d for d in ("queue", "department") if now[f"by_{d}"]), None)
            out["queues"] = now[f"by_{out['queue_dim']}"] if out["queue_dim"] else {}
    def of(period):
        return visits.result(v.visits(period), std.setting("visit_grace_min"))["overall"]
    now_v = of(p)
    if now_v["visits"]:
        out["visits"], out["visit_count"] = kpi.headline(now_v, of(prev), std, VISIT_REPORT), now_v["visits"]
    return out


def report(frames: dict, std: kpi.Standards, p: kpi.Period, prev: kpi.Period, problems: pd.DataFrame,
           plan: pd.DataFrame, signals=(), highlights: pd.DataFrame | None = None, known=None) -> dict:
    """``known``: a view of the same tables already made (the control charts' history to the period's end): the
    twelve weeks and the period take its tickets' flags."""
    t, s, i = frames["tickets"], frames["surveys"], frames["inspections"]
    c = frames.get("calls")  # satisfaction given on a call counts in CSAT, as on the dashboard (DOMAIN.md §4)
    # the twelve weeks first: their view holds most of a large table's rows, freed before the period's is made
    weeks = kpi.weekly_trend(kpi.view(t, s, i, std, kpi.Period(p.end - pd.Timedelta(weeks=FORECAST_WEEKS), p.end,
                                                               p.end), c, known=known))
    v = kpi.view(t, s, i, std, p, c, known=known)
    now, before = kpi.result(v), kpi.result(kpi.view(t, s, i, std, prev, c, known=v), dims=(), quantiles=False)
    rows = kpi.headline(now["overall"], before["overall"], std)
    worst = {}
    sizes, overall = v.sizes("department"), v.sizes(None)  # the rates' sample sizes, by department and overall
    for m in HEADLINE_KEYS:
        target = std.targets.get(m)
        n = sizes[SAMPLE_OF.get(m, "tickets")]
        groups = [(g, r[m], int(n.get(g, 0))) for g, r in now["by_department"].items()
                  if r[m] is not None and n.get(g, 0) >= MIN_SAMPLE]
        if target and groups:
            worst[m] = (min if target[0] == "ge" else max)(groups, key=lambda gv: gv[1])
    par = v.pareto() if v.n else pd.DataFrame(columns=["category", "count", "pct", "cum_pct", "vital_few"])
    ahead = max(1, round((p.end - p.start).days / 7))
    forecast = {m: trend_forecast(weeks[m], ahead) for m in FORECAST if m in weeks and m not in v.missing}
    good, bad = cases(v)
    chosen = curated_cases(highlights, p)  # the team's own good cases; without any, the 5-star comments as candidates
    good, good_from = (chosen, "highlights") if len(chosen) else (good, "five_star")
    progress = plan_progress(plan, p.end)
    next_steps = {m: {"hours": worst_hour_band(v, m), "category": worst_category(v, m, std)} for m in HEADLINE_KEYS}
    return {"period": p.as_json(), "previous": prev.as_json(),
            "overview": {"tickets": v.n, "surveys": int(overall["surveys"].sum()),
                         "inspections": int(overall["inspections"].sum())},
            "kpis": rows, "worst": worst, "pareto": par, "problems": problems_of_period(problems, par),
            "overdue": progress["overdue"], "progress": progress, "signals": worse_signals(signals, std, p),
            "breaches": breach_summary(v), "departments": group_table(v, now, "department"),
            "channels": group_table(v, now, "channel"), "good": good, "good_from": good_from, "bad": bad,
            "forecast": forecast,
            "weeks": weeks, "next_steps": next_steps, "unclassified": UNCLASSIFIED,
            "dimensions": v.dimension_rates(), "regions": region_table(v), **phone_and_visits(frames, std, p, prev, v)}
