"""Quarterly appraisal of agents and departments (DOMAIN.md §9), on pandas frames only.

Components are KPIs of §4 over the quarter (csat, first-response SLA, FCR, QA score) and the
rectification rate of the department's improvement actions; a missing component drops out and
the weights of the others are scaled up to sum to 100; then the complaint deduction; the score
is clamped to 0–100 and rounded to one decimal; grades from the bands; agents with too few
tickets are listed as 样本不足, not graded; ranks within a department share the better rank.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import kpi
from .pdca import done_on_time

COMPONENTS = ("csat_pct", "first_response_sla_pct", "fcr_pct", "qa_score_pct", "rectification_pct")
GRADES = ("A", "B", "C", "D")


@dataclass
class Rules:
    weights: dict[str, float] = field(default_factory=lambda: {"csat_pct": 30, "first_response_sla_pct": 20,
                                                               "fcr_pct": 20, "qa_score_pct": 20,
                                                               "rectification_pct": 10})
    points_per_pct: float = 2.0
    cap: float = 20.0
    bands: tuple[float, float, float] = (90.0, 80.0, 70.0)
    min_tickets: int = 30
    consequences: dict[str, str] = field(default_factory=dict)  # grade → what follows (bonus, 表彰, training)

    @classmethod
    def from_standards(cls, std: kpi.Standards, consequences: dict[str, str] | None = None) -> Rules:
        s = std.settings
        return cls({c: float(s.get(c, w)) for c, w in cls().weights.items()},
                   float(s.get("appraisal_complaint_points_per_pct", 2)), float(s.get("appraisal_complaint_cap", 20)),
                   (float(s.get("grade_a", 90)), float(s.get("grade_b", 80)), float(s.get("grade_c", 70))),
                   int(s.get("appraisal_min_tickets", 30)), consequences or {})


def weighted(components: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """The weighted mean of the components present, their weights scaled up to sum to 100."""
    present = {c: v for c, v in components.items() if v is not None and v == v and weights.get(c, 0) > 0}
    total = sum(weights[c] for c in present)
    if not present or total <= 0:
        return None
    return sum(v * weights[c] for c, v in present.items()) / total


def score(components: dict[str, float | None], complaint_rate: float | None, rules: Rules) -> tuple[float | None, float]:
    """(score, deduction): the weighted mean less the complaint deduction, clamped to 0–100, one decimal."""
    base = weighted(components, rules.weights)
    deduction = 0.0 if complaint_rate is None or complaint_rate != complaint_rate else \
        min(rules.cap, rules.points_per_pct * complaint_rate)
    if base is None:
        return None, deduction
    return round(min(100.0, max(0.0, base - deduction)) + 1e-9, 1), deduction


def grade(value: float | None, rules: Rules) -> str | None:
    if value is None:
        return None
    a, b, c = rules.bands
    return "A" if value >= a else "B" if value >= b else "C" if value >= c else "D"


def rank(scores: pd.Series) -> pd.Series:
    """1 for the best; equal scores share the better rank (1, 2, 2, 4)."""
    return scores.rank(method="min", ascending=False).astype("Int64")


def home_department(tickets: pd.DataFrame) -> pd.Series:
    """Each agent's department: where most of their tickets were; a tie goes to the name that sorts first."""
    counts = tickets.groupby(["agent", "department"]).size().reset_index(name="n")
    counts = counts.sort_values(["agent", "n", "department"], ascending=[True, False, True])
    return counts.drop_duplicates("agent").set_index("agent")["department"]


def rectification(plan: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """By department: 100 × actions due in the quarter done by their deadline / actions due in it."""
    in_q = plan[plan["deadline"].notna() & (plan["deadline"] >= start) & (plan["deadline"] < end)]
    if in_q.empty:
        return pd.Series(dtype=float)
    d = done_on_time(in_q, end - pd.Timedelta(seconds=1)).assign(department=in_q["department"])
    g = d.groupby("department")
    return (100.0 * g["on_time"].sum() / g["due"].sum().where(g["due"].sum() > 0)).astype(float)


def appraise(tickets, surveys, inspections, plan, std: kpi.Standards, p: kpi.Period, rules: Rules) -> dict:
    """The whole appraisal: {"agents": [...], "departments": [...]} as DOMAIN.md §9 defines it."""
    v = kpi.view(tickets, surveys, inspections, std, p)
    res = kpi.result(v)
    rect = rectification(plan, p.start, p.end)
    t = v.t[v.t["agent"].notna()]
    home = home_department(t) if len(t) else pd.Series(dtype=object)
    agents = []
    for agent, m in sorted(res["by_agent"].items()):
        if agent == kpi.UNASSIGNED or agent not in home.index:
            continue
        dept = home[agent]
        comps = {c: m.get(c) for c in COMPONENTS if c != "rectification_pct"}
        comps["rectification_pct"] = _num(rect.get(dept))
        value, deduction = score(comps, m.get("complaint_rate_pct"), rules)
        n = int(m["tickets"])
        enough = n >= rules.min_tickets
        agents.append({"agent": agent, "department": dept, "tickets": n, "score": value,
                       "grade": grade(value, rules) if enough else None,
                       "status": "graded" if enough else "insufficient_sample", "rank": None,
                       "components": {**comps, "complaint_rate_pct": m.get("complaint_rate_pct")},
                       "deduction": deduction})
    frame = pd.DataFrame(agents)
    if len(frame):
        graded = frame[(frame["status"] == "graded") & frame["score"].notna()]
        ranks = graded.groupby("department")["score"].transform(rank)
        for i, r in ranks.items():
            agents[i]["rank"] = int(r)
    departments = []
    for dept, m in sorted(res["by_department"].items()):
        comps = {c: m.get(c) for c in COMPONENTS if c != "rectification_pct"}
        comps["rectification_pct"] = _num(rect.get(dept))
        value, deduction = score(comps, m.get("complaint_rate_pct"), rules)
        departments.append({"department": dept, "tickets": int(m["tickets"]), "score": value,
                            "grade": grade(value, rules), "components": {**comps,
                                                                         "complaint_rate_pct": m.get("complaint_rate_pct")},
                            "deduction": deduction})
    return {"agents": agents, "departments": departments}


def _num(v):
    return None if v is None or v != v else float(v)
