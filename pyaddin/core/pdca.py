"""The improvement loop on pandas frames (DOMAIN.md §6): SMART and overdue checks, PDCA stage, effect tests.

Nothing here reads or writes a workbook: the actions pass the problem, root-cause and plan
tables in and write back what comes out.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

OPEN_ACTION = ("planned", "in_progress", "overdue")
SMART_FIELDS = ("owner", "deadline", "target_metric", "goal")  # "a measurable target": the metric and its goal
NEEDS_ROOT_CAUSE = ("improving", "verifying", "closed")


def new_ids(existing, n: int, prefix: str = "P") -> list[str]:
    """The next free ids (P001, P002…): never reused, whatever the list's order."""
    nums = [int(m.group(1)) for x in existing if isinstance(x, str) and (m := re.fullmatch(prefix + r"(\d+)", x))]
    start = max(nums, default=0) + 1
    return [f"{prefix}{i:03d}" for i in range(start, start + n)]


def overdue(plan: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Past its deadline day and neither done nor cancelled: overdue the day after the deadline, not on it."""
    day = pd.Timestamp(as_of).normalize()
    open_ = ~plan["status"].isin(["done", "cancelled"])
    return (plan["deadline"].notna() & (day > plan["deadline"].dt.normalize()) & open_).astype(bool)


def days_overdue(plan: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    late = (pd.Timestamp(as_of).normalize() - plan["deadline"].dt.normalize()).dt.days
    return late.where(overdue(plan, as_of), 0).astype(int)  # an overdue action has a deadline: no NaN is left


def smart_missing(plan: pd.DataFrame) -> pd.Series:
    """Which SMART fields each action lacks (owner, deadline, measurable target: metric and goal)."""
    miss = {f: plan[f].isna() | (plan[f].astype(str).str.strip() == "") for f in SMART_FIELDS}
    return pd.Series([[f for f in SMART_FIELDS if miss[f].iloc[i]] for i in range(len(plan))], index=plan.index)


def done_on_time(plan: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Actions due by ``as_of`` done by their deadline (the appraisal's rectification rate counts the same)."""
    due = plan["deadline"].notna() & (plan["deadline"] <= pd.Timestamp(as_of)) & (plan["status"] != "cancelled")
    on_time = (plan["status"] == "done") & plan["completed_on"].notna() & (plan["completed_on"] <= plan["deadline"])
    return pd.DataFrame({"due": due, "on_time": due & on_time})


def by_department(plan: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    d = plan.assign(department=plan["department"].fillna(""), done=plan["status"] == "done",
                    overdue=overdue(plan, as_of), **done_on_time(plan, as_of))
    g = d.groupby("department", sort=True)
    out = pd.DataFrame({"actions": g.size(), "done": g["done"].sum(), "overdue": g["overdue"].sum(),
                        "due": g["due"].sum(), "on_time": g["on_time"].sum()})
    out["done_on_time_pct"] = (100.0 * out["on_time"] / out["due"].where(out["due"] > 0)).astype(float)
    return out.reset_index()


def root_cause(whys) -> str | None:
    """The root cause a 5-Why chain reached: the answer of its last step ("为什么只有1人?排班表未考虑夜间高峰"
    → "排班表未考虑夜间高峰"), not the question; a step that is only a question gives way to the one before."""
    import re

    for why in reversed([w for w in whys if isinstance(w, str) and w.strip()]):
        answer = re.sub(r"^[\s,,。;;:：]+|[\s,,。;;:：]+$", "", re.split(r"[?？]", why)[-1])
        if answer:
            return answer
    return None


def verified_causes(rootcause: pd.DataFrame) -> set:
    return set(rootcause.loc[rootcause["verified"].fillna(False).astype(bool), "problem_id"].dropna())


def pdca_stage(problems: pd.DataFrame, plan: pd.DataFrame) -> pd.Series:
    """plan: nothing under way yet; do: actions under way; check: all done, effects not all verified;
    act: effects verified, to standardise before closing; closed."""
    stages = {}
    for p in problems.itertuples(index=False):
        acts = plan[(plan["problem_id"] == p.problem_id) & (plan["status"] != "cancelled")]
        if p.status == "closed":
            stages[p.problem_id] = "closed"
        elif acts.empty or (acts["status"] == "planned").all():
            stages[p.problem_id] = "plan"
        elif (acts["status"] == "done").all():
            verified = acts["effect_verified"].fillna(False).astype(bool).all()
            stages[p.problem_id] = "act" if verified else "check"
        else:
            stages[p.problem_id] = "do"
    return pd.Series(stages, dtype=object)


def two_proportions(met1: int, n1: int, met2: int, n2: int) -> float | None:
    """Two-sided p-value of a pooled two-proportion z-test: is the change larger than noise?"""
    if min(n1, n2) == 0:
        return None
    p = (met1 + met2) / (n1 + n2)
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    if se == 0:  # the pooled p is 0 or 1: both rates are that same 0 or 1, no change at all
        return 1.0
    z = (met2 / n2 - met1 / n1) / se
    return math.erfc(abs(z) / math.sqrt(2))


def windows(start, completed, days: int) -> tuple[tuple[pd.Timestamp, pd.Timestamp], tuple[pd.Timestamp, pd.Timestamp]]:
    """Equal windows: ``days`` before the action started, ``days`` after it was completed."""
    s, c = pd.Timestamp(start).normalize(), pd.Timestamp(completed).normalize() + pd.Timedelta(days=1)
    return (s - pd.Timedelta(days=days), s), (c, c + pd.Timedelta(days=days))


def goal_met(value, goal, direction: str) -> bool | None:
    if value is None or goal is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(goal):
        return None
    return bool(value >= goal) if direction == "ge" else bool(value <= goal)
