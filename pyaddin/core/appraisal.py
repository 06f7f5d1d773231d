"""Quarterly appraisal of agents and departments (DOMAIN.md §9), on pandas frames only.

Each component is scored by how far it reaches its indicator's target (attainment, capped), so that
someone exactly on every target scores 100 before deductions; the rules table may choose the raw
value instead.  Agents and departments have their own weights (rectification is the department's
alone); a missing component drops out and the weights of the others are scaled up to sum to 100;
then the complaint deduction, which counts only what lies above the complaint target, plus major
complaints; the score is clamped to 0–100 and rounded half away from zero to one decimal; grades
from the bands; agents with too few tickets are listed as 样本不足, not graded; ranks within a
department share the better rank.  An agent belongs to the department the staff list (人员名单)
gives for most of the quarter, else to the one of most of their tickets, and those are listed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ..schema import AGENT_WEIGHT_DEFAULTS, AGENT_WEIGHT_PREFIX, WEIGHT_DEFAULTS
from . import kpi
from .pdca import done_on_time

COMPONENTS = ("csat_pct", "first_response_sla_pct", "fcr_pct", "qa_score_pct", "rectification_pct")
GRADES = ("A", "B", "C", "D")
RAW_ALWAYS = ("rectification_pct",)  # its own scale: a share of actions done on time, no target


@dataclass
class Rules:
    weights: dict[str, float] = field(default_factory=lambda: dict(WEIGHT_DEFAULTS))  # a department's
    agent_weights: dict[str, float] = field(default_factory=lambda: dict(AGENT_WEIGHT_DEFAULTS))
    points_per_pct: float = 2.0
    deduction_cap: float = 20.0
    major_points: float = 5.0
    attainment_cap: float = 100.0
    raw: bool = False  # 原值: the component's own value is its score (else 达成率, attainment against the target)
    bands: tuple[float, float, float] = (90.0, 80.0, 70.0)
    min_tickets: int = 30
    consequences: dict[str, str] = field(default_factory=dict)  # grade → what follows (bonus, 表彰, training)

    @classmethod
    def from_standards(cls, std: kpi.Standards, consequences: dict[str, str] | None = None) -> Rules:
        s, d = std.settings, cls()
        return cls({c: float(s.get(c, w)) for c, w in d.weights.items()},
                   {c: float(s.get(AGENT_WEIGHT_PREFIX + c, w)) for c, w in d.agent_weights.items()},
                   float(s.get("appraisal_complaint_points_per_pct", d.points_per_pct)),
                   float(s.get("appraisal_complaint_cap", d.deduction_cap)),
                   float(s.get("appraisal_major_points", d.major_points)),
                   float(s.get("appraisal_cap", d.attainment_cap)), bool(s.get("appraisal_raw", 0)),
                   (float(s.get("grade_a", 90)), float(s.get("grade_b", 80)), float(s.get("grade_c", 70))),
                   int(s.get("appraisal_min_tickets", 30)), consequences or {})


def attainment(value: float | None, target: tuple[str, float, float] | None, cap: float) -> float | None:
    """How far a value reaches its target, in points: min(cap, 100·v/T) when higher is better,
    min(cap, 100·T/v) when lower is (cap at v = 0); None without a value or with a target of 0 or none."""
    if value is None or value != value or target is None or not target[1]:
        return None
    direction, goal, _ = target
    if direction == "le":
        return cap if value <= 0 else min(cap, 100.0 * goal / value)
    return min(cap, 100.0 * value / goal)


def component_scores(values: dict[str, float | None], std: kpi.Standards, rules: Rules) -> dict[str, float | None]:
    """Each component's score (0–cap): attainment against its indicator's target, or its raw value."""
    out = {}
    for c, v in values.items():
        v = _num(v)
        out[c] = v if rules.raw or c in RAW_ALWAYS else attainment(v, std.targets.get(c), rules.attainment_cap)
    return out


def weighted(components: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """The weighted mean of the components present, their weights scaled up to sum to 100."""
    present = {c: v for c, v in components.items() if v is not None and v == v and weights.get(c, 0) > 0}
    total = sum(weights[c] for c in present)
    if not present or total <= 0:
        return None
    return sum(v * weights[c] for c, v in present.items()) / total


def round_half_away(value: float, places: int = 1) -> float:
    """84.25 → 84.3 (not Python's banker's 84.2); the float noise of a weighted mean is cut first."""
    q = Decimal(f"{value:.9f}").quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return float(q)


def deduction(complaint_rate: float | None, complaint_target: float | None, majors: int, rules: Rules) -> float:
    """Points per percentage point above the complaint target (continuous), plus points per major complaint,
    together at most the cap."""
    over = 0.0
    if complaint_rate is not None and complaint_rate == complaint_rate and complaint_target is not None:
        over = max(0.0, complaint_rate - complaint_target)
    return min(rules.deduction_cap, rules.points_per_pct * over + rules.major_points * majors)


def score(components: dict[str, float | None], weights: dict[str, float], cut: float) -> float | None:
    """The weighted mean of the component scores less the deduction, clamped to 0–100, one decimal."""
    base = weighted(components, weights)
    if base is None:
        return None
    return round_half_away(min(100.0, max(0.0, base - cut)))


def grade(value: float | None, rules: Rules) -> str | None:
    if value is None:
        return None
    a, b, c = rules.bands
    return "A" if value >= a else "B" if value >= b else "C" if value >= c else "D"


def rank(scores: pd.Series) -> pd.Series:
    """1 for the best; equal scores share the better rank (1, 2, 2, 4)."""
    return scores.rank(method="min", ascending=False).astype("Int64")


def home_department(tickets: pd.DataFrame) -> pd.Series:
    """Each agent's department: where most of their tickets were; a tie goes to the name that sorts first
    (``view.home_departments``, over all of ``tickets``)."""
    from .view import home_departments

    rows = kpi.rows_of(tickets, {"agent": kpi.TEXT, "department": kpi.TEXT})  # registered while it lives
    return home_departments(rows.sql)


def roster_department(staff: pd.DataFrame | None, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """Each listed agent's department: the staff row covering most days of [start, end) (a blank from/to is
    open-ended; a tie goes to the department that sorts first); rows not touching the quarter count for nothing."""
    if staff is None or staff.empty:
        return pd.Series(dtype=object)
    s = staff.dropna(subset=["agent", "department"])
    lo = pd.to_datetime(s["active_from"]).dt.normalize().fillna(start).clip(lower=start)
    hi = (pd.to_datetime(s["active_to"]).dt.normalize() + pd.Timedelta(days=1)).fillna(end).clip(upper=end)
    days = (hi - lo).dt.days
    cover = pd.DataFrame({"agent": s["agent"].astype(str).str.strip(), "department": s["department"].astype(str).str.strip(),
                          "days": days})
    cover = cover[cover["days"] > 0].groupby(["agent", "department"], as_index=False)["days"].sum()
    cover = cover.sort_values(["agent", "days", "department"], ascending=[True, False, True])
    return cover.drop_duplicates("agent").set_index("agent")["department"]


def rectification(plan: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """By department: 100 × actions due in the quarter done by their deadline / actions due in it.  The plan's
    deadline is the one in force at the quarter's end (``deadline_at_end`` when the caller knows a later
    extension); cancelled actions are left out."""
    deadline = plan["deadline_at_end"] if "deadline_at_end" in plan else plan["deadline"]
    plan = plan.assign(deadline=deadline)
    in_q = plan[plan["deadline"].notna() & (plan["deadline"] >= start) & (plan["deadline"] < end)
                & (plan["status"] != "cancelled")]
    if in_q.empty:
        return pd.Series(dtype=float)
    d = done_on_time(in_q, end - pd.Timedelta(seconds=1)).assign(department=in_q["department"])
    g = d.groupby("department")
    return (100.0 * g["on_time"].sum() / g["due"].sum().where(g["due"].sum() > 0)).astype(float)


def major_complaints(t: pd.DataFrame, by: str) -> pd.Series:
    """Major complaints (重大投诉) per group of all of ``t`` (``view.majors_by``); none while the tickets carry no
    complaint level."""
    from .view import majors_by

    if "complaint_level" not in t or t["complaint_level"].isna().all():
        return pd.Series(0, index=pd.Index(t[by].dropna().unique()), dtype=int)
    rows = kpi.rows_of(t, {by: kpi.TEXT, "complaint_level": kpi.TEXT, "status": kpi.TEXT})  # registered while it lives
    return majors_by(rows.sql, by)


def appraise(tickets, surveys, inspections, plan, std: kpi.Standards, p: kpi.Period, rules: Rules,
             staff: pd.DataFrame | None = None) -> dict:
    """The whole appraisal: {"agents": [...], "departments": [...], "placed_by_tickets": [...]} (§9)."""
    tickets = kpi.rows_of(tickets, kpi.TICKET_COLUMNS)  # a survey or inspection without an agent takes its ticket's
    surveys = kpi.with_ticket_owner(kpi.rows_of(surveys, kpi.SURVEY_COLUMNS), tickets)
    inspections = kpi.with_ticket_owner(kpi.rows_of(inspections, kpi.INSPECTION_COLUMNS), tickets)
    v = kpi.view(tickets, surveys, inspections, std, p)
    res = kpi.result(v)
    rect = rectification(plan, p.start, p.end)
    complaint = std.targets.get("complaint_rate_pct")
    complaint_target = complaint[1] if complaint else None
    by_tickets = v.agent_departments()
    listed = roster_department(staff, p.start, p.end)
    majors_a, majors_d = v.majors("agent"), v.majors("department")
    agents, placed = [], []
    for agent, m in sorted(res["by_agent"].items()):
        if agent == kpi.UNASSIGNED or agent not in by_tickets.index:
            continue
        if agent in listed.index:
            dept = listed[agent]
        else:
            dept = by_tickets[agent]
            placed.append(agent)
        values = {c: m.get(c) for c in COMPONENTS if c != "rectification_pct"}
        comps = component_scores(values, std, rules)
        cut = deduction(m.get("complaint_rate_pct"), complaint_target, int(majors_a.get(agent, 0)), rules)
        value = score(comps, rules.agent_weights, cut)
        n = int(m["tickets"])
        enough = n >= rules.min_tickets
        agents.append({"agent": agent, "department": dept, "tickets": n, "score": value,
                       "grade": grade(value, rules) if enough else None,
                       "status": "graded" if enough else "insufficient_sample", "rank": None,
                       "placed_by_tickets": agent in placed,
                       "components": {**{c: _num(x) for c, x in values.items()}, "rectification_pct": None,
                                      "complaint_rate_pct": _num(m.get("complaint_rate_pct"))},
                       "scores": comps, "deduction": cut})
    frame = pd.DataFrame(agents)
    if len(frame):
        graded = frame[(frame["status"] == "graded") & frame["score"].notna()]
        ranks = graded.groupby("department")["score"].transform(rank)
        for i, r in ranks.items():
            agents[i]["rank"] = int(r)
    departments = []
    for dept, m in sorted(res["by_department"].items()):
        values = {c: m.get(c) for c in COMPONENTS if c != "rectification_pct"}
        values["rectification_pct"] = _num(rect.get(dept))
        comps = component_scores(values, std, rules)
        cut = deduction(m.get("complaint_rate_pct"), complaint_target, int(majors_d.get(dept, 0)), rules)
        value = score(comps, rules.weights, cut)
        departments.append({"department": dept, "tickets": int(m["tickets"]), "score": value,
                            "grade": grade(value, rules),
                            "components": {**{c: _num(x) for c, x in values.items()},
                                           "complaint_rate_pct": _num(m.get("complaint_rate_pct"))},
                            "scores": comps, "deduction": cut})
    scored = pd.Series({d["department"]: d["score"] for d in departments if d["score"] is not None}, dtype=float)
    ranks = rank(scored) if len(scored) else pd.Series(dtype="Int64")
    for d in departments:
        d["rank"] = int(ranks[d["department"]]) if d["department"] in ranks.index else None
    return {"agents": agents, "departments": departments, "placed_by_tickets": placed}


def _num(v):
    return None if v is None or v != v else float(v)
