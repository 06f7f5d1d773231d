"""The improvement loop: fishbone of a problem (绘制鱼骨图), the plan check (检查计划), effect verification (效果验证)."""
from __future__ import annotations

from pathlib import Path

from .. import schema
from ..action import Outcome, action
from ..errors import QBError
from ..locale import LANGS, current, listing, metric_name, say, text
from .kpi import data_times, read_inputs

WORK = (schema.PROBLEMS.name, schema.ROOTCAUSE.name, schema.PLAN.name)
VERIFY_DAYS = 28  # equal windows before and after: four weeks each (DOMAIN.md §6)
SIGNIFICANCE = 0.05


def _today(ctx, as_of):
    import pandas as pd

    if as_of is None and ctx.as_of is None:
        return pd.Timestamp(ctx.now())
    try:
        value = pd.Timestamp(as_of or ctx.as_of)
    except (ValueError, TypeError):
        raise QBError("bad_as_of", value=str(as_of)) from None
    if pd.isna(value):
        raise QBError("bad_as_of", value=str(as_of))
    return value


def worklists(book):
    from ..core import kpi  # noqa: F401  (pandas is in by now)

    parsed = book.read_many([schema.PROBLEMS, schema.ROOTCAUSE, schema.PLAN])
    issues = [i for p in parsed.values() for i in p.issues]
    if issues:
        from .data import problem_lines

        raise QBError("worklist_unreadable", exit_code=1, count=len(issues), details=problem_lines(issues))
    return parsed["problems"].data, parsed["rootcause"].data, parsed["plan"].data


@action("fishbone", group="improvement", icon="ChartInsert", reads=WORK, writes=(schema.ROOTCAUSE.name,))
def draw_fishbone(ctx, book, problem: str | None = None, output: str | Path | None = None) -> Outcome:
    """Draws a problem's 6M fishbone and places it beside the root-cause table, replacing the previous one.

    Without ``problem`` (the ribbon), the open problem with the most causes is drawn."""
    from ..charts.fishbone import draw

    problems, causes, _ = worklists(book)
    if problem is None:
        open_ = problems[problems["status"].fillna("open") != "closed"]["problem_id"]
        counts = causes[causes["problem_id"].isin(open_)].groupby("problem_id").size()
        if counts.empty:
            raise QBError("no_causes", exit_code=1)
        problem = counts.sort_index().idxmax()
    row = problems[problems["problem_id"] == problem]
    if row.empty:
        raise QBError("no_such_problem", problem=problem)
    mine = causes[causes["problem_id"] == problem]
    png = draw(f"{problem} {row.iloc[0]['description']}", mine, book.lang)  # the head names the problem
    if output:
        Path(output).write_bytes(png)
    book.place_picture(schema.ROOTCAUSE, png, "QB_fishbone")
    return Outcome("fishbone_done", {"problem": problem, "n": len(mine), "sheet": book.sheet_name(schema.ROOTCAUSE)},
                   log_target=book.sheet_name(schema.ROOTCAUSE))


@action("plan", group="improvement", icon="CalendarInsert", reads=WORK,
        writes=(schema.PLAN.name, schema.PROBLEMS.name, schema.PLAN_BY_DEPARTMENT.name))
def check_plan(ctx, book, as_of=None) -> Outcome:
    """SMART check, overdue actions (marked 已逾期), progress by department, PDCA stage of each problem,
    and problems past 分析中 without a verified root cause."""
    from ..core import pdca

    day = _today(ctx, as_of)
    problems, causes, plan = worklists(book)
    late = pdca.overdue(plan, day)
    marked = plan.copy()
    marked.loc[late & (marked["status"] != "overdue"), "status"] = "overdue"
    days = pdca.days_overdue(plan, day)
    missing = pdca.smart_missing(plan)
    stages = pdca.pdca_stage(problems, marked)
    lang = current()
    marked["days_overdue"] = days.where(late).astype("Int64")
    marked["smart_missing"] = [listing(schema.PLAN.field(f).label(lang) for f in m) or None for m in missing]
    book.write(schema.PLAN, marked)
    words = LANGS[lang].PDCA_STAGES
    book.write(schema.PROBLEMS, problems.assign(pdca_stage=[words[stages.get(p, "plan")]
                                                            for p in problems["problem_id"]]))
    book.write(schema.PLAN_BY_DEPARTMENT, pdca.by_department(plan, day).reindex(columns=schema.PLAN_BY_DEPARTMENT.keys))
    actions = [{"action_id": r.action_id, "problem_id": r.problem_id, "department": _s(r.department),
                "owner": _s(r.owner), "deadline": r.deadline.date().isoformat() if r.deadline == r.deadline else None,
                "status": marked.at[i, "status"], "progress_pct": _f(r.progress_pct), "overdue": bool(late[i]),
                "days_overdue": int(days[i]), "smart_missing": missing[i]}
               for i, r in zip(plan.index, plan.itertuples(index=False))]
    deps = [{"department": r.department, "actions": int(r.actions), "done": int(r.done), "overdue": int(r.overdue),
             "done_on_time_pct": _f(r.done_on_time_pct)} for r in pdca.by_department(plan, day).itertuples()]
    probs = [{"problem_id": r.problem_id, "status": r.status or "open", "pdca_stage": stages.get(r.problem_id, "plan")}
             for r in problems.itertuples(index=False)]
    ungated = problems[problems["status"].isin(pdca.NEEDS_ROOT_CAUSE)
                       & ~problems["problem_id"].isin(pdca.verified_causes(causes))]
    details = [say("no_verified_cause", problem=p, status=schema.PROBLEM_STATUS.label(s, current()))
               for p, s in zip(ungated["problem_id"], ungated["status"])]
    details += [say("smart_line", action=a["action_id"], missing=listing(
        schema.PLAN.field(f).label(current()) for f in a["smart_missing"])) for a in actions if a["smart_missing"]]
    details += [say("overdue_line", action=a["action_id"], days=a["days_overdue"], department=a["department"] or "-")
                for a in actions if a["overdue"]]
    data = {"as_of": day.isoformat(), "actions": actions, "by_department": deps, "problems": probs}
    checked = {"n": len(actions), "overdue": int(late.sum()), "smart": sum(1 for a in actions if a["smart_missing"]),
               "gate": len(ungated)}
    return Outcome("plan_checked", checked, 1 if len(ungated) else 0, details, data, log_target=book.sheet_name(schema.PLAN),
                   log_detail=text("log_as_of", book.lang, as_of=str(day.date()),
                                   message=text("plan_checked", book.lang, **checked)))


def _s(v):
    return None if v is None or v != v else str(v)


def _f(v):
    return None if v is None or v != v else float(v)


def metric_key(name) -> str | None:
    """A KPI named by its key or its Chinese or English name."""
    from ..core.kpi import METRICS
    from ..schema import norm

    for m in METRICS:
        if norm(name) in {norm(m), *(norm(LANGS[lang].METRICS.get(m, m)) for lang in LANGS)}:
            return m
    return None


@action("verify", group="improvement", icon="ReviewAcceptChange",
        reads=(schema.TICKETS.name, schema.SURVEYS.name, schema.STANDARDS.name, schema.CALENDAR.name) + WORK,
        writes=(schema.PLAN.name, schema.PROBLEMS.name))
def verify_effects(ctx, book, action_id: str | None = None, days: int = VERIFY_DAYS) -> Outcome:
    """For each done action: its metric over equal windows before its start and after its completion, the
    change, whether the goal is reached and, for rates, whether the change is larger than noise. A problem
    closes when the effects of all its actions are verified."""


    frames, std = read_inputs(book, ("tickets", "surveys"), where_they_lie=True)
    problems, _, plan = worklists(book)
    done = plan[(plan["status"] == "done") & plan["start"].notna() & plan["completed_on"].notna()]
    if action_id:
        done = done[done["action_id"] == action_id]
        if done.empty:
            raise QBError("not_verifiable", action=action_id)
    results, plan = [], plan.copy()
    data_end = data_times({"tickets": frames["tickets"]}).max()
    for i, a in done.iterrows():
        metric = metric_key(a["target_metric"])
        if metric is None:
            results.append({"action_id": a["action_id"], "metric": _s(a["target_metric"]), "window_days": days,
                            "before": None, "after": None, "change": None, "goal": _f(a["goal"]), "goal_met": None,
                            "p_value": None, "significant": None, "result": None})
            continue
        result = verify_one(a, metric, problems, frames, std, days, data_end)
        results.append(result)
        if result["pending_until"]:
            plan.loc[i, "effect_result"] = say("effect_pending", date=result["pending_until"])
            continue
        plan.loc[i, ["effect_before", "effect_after"]] = [result["before"], result["after"]]
        plan.loc[i, "effect_p"] = p_text(result["p_value"])
        plan.loc[i, "effect_verified"] = result["verified"]
        plan.loc[i, "effect_result"] = result["result"]
    if results:
        book.write(schema.PLAN, plan)
        closed = _close_problems(book, problems, plan)
    else:
        closed = []
    verified = [r["action_id"] for r in results if r.get("verified")]
    details = [say("effect_line", action=r["action_id"],
                   result=r["result"] or say("effect_no_metric", metric=r["metric"] or "—"),
                   verdict=say("verified_yes" if r.get("verified") else "verified_no"))
               for r in results if not r.get("pending_until")]
    details += [say("effect_pending_line", action=r["action_id"], date=r["pending_until"])
                for r in results if r.get("pending_until")]
    return Outcome("verify_done", {"n": len(results), "verified": len(verified), "closed": listing(closed) or "—"},
                   0, details, {"actions": results}, log_target=book.sheet_name(schema.PLAN))


def scope_of(t, s, category, department):
    """The tickets an action's effect is judged on, and their surveys: its problem's category, else its department
    (frames, or the engine's rows of an outside source, filtered where they lie)."""
    import pandas as pd

    from ..engine.metrics import literal
    from ..engine.rows import Rows

    if isinstance(t, Rows):
        if category is not None:
            t = t.select(f"category = {literal(category)}")
            return t, s.select(f"ticket_id IN (SELECT ticket_id FROM {t.sql})")
        if pd.notna(department) and t.select(f"department = {literal(department)}").count():
            return t.select(f"department = {literal(department)}"), s.select(f"department = {literal(department)}")
        return t, s
    if category is not None:
        ids = t.loc[t["category"] == category, "ticket_id"]
        return t[t["category"] == category], s[s["ticket_id"].isin(ids)]
    if pd.notna(department) and (t["department"] == department).any():
        return t[t["department"] == department], s[s["department"] == department]
    return t, s


def verify_one(a, metric: str, problems, frames, std, days: int, data_end) -> dict:
    """One done action's effect over equal windows before its start and after its completion, on the tickets
    of its problem's category (else its department); pending while the data do not yet cover the after-window."""
    import pandas as pd

    from ..core import kpi, pdca

    prob = problems[problems["problem_id"] == a["problem_id"]]
    category = prob["category"].iloc[0] if len(prob) and "category" in prob and prob["category"].notna().any() else None
    t, s = scope_of(frames["tickets"], frames["surveys"], category, a["department"])
    spans = pdca.windows(a["start"], a["completed_on"], days)
    out = {"action_id": a["action_id"], "metric": metric, "window_days": days, "goal": _f(a["goal"]),
           "windows": [], "pending_until": None, "verified": False}
    if pd.isna(data_end) or spans[1][1] > pd.Timestamp(data_end).normalize() + pd.Timedelta(days=1):
        out.update(before=None, after=None, change=None, goal_met=None, p_value=None, significant=None, result=None,
                   pending_until=(spans[1][1] - pd.Timedelta(days=1)).date().isoformat())
        return out
    values, counts = [], []
    for start, end in spans:
        v = kpi.view(t, s, frames["inspections"].iloc[0:0], std, kpi.Period(start, end, end))
        values.append(kpi.result(v, dims=())["overall"][metric])
        counts.append(kpi.rate_counts(v, metric))
        size = counts[-1][1] if counts[-1] else (v.sizes(None)["surveys" if metric == "csat_pct" else "tickets"].sum())
        out["windows"].append({"start": start.date().isoformat(),
                               "end": (end - pd.Timedelta(days=1)).date().isoformat(), "n": int(size)})
    before, after = values
    direction = std.targets[metric][0] if metric in std.targets else ("le" if metric in kpi.LOWER_IS_BETTER else "ge")
    met = pdca.goal_met(after, out["goal"], direction)
    p_value = pdca.two_proportions(*counts[0], *counts[1]) if counts[0] and counts[1] else None
    better = before is not None and after is not None and ((after > before) if direction == "ge" else (after < before))
    significant = None if p_value is None else bool(p_value < SIGNIFICANCE and better)
    out.update(before=before, after=after, change=None if before is None or after is None else after - before,
               goal_met=met, p_value=p_value, significant=significant,
               verified=bool(met) and (significant if significant is not None else True))
    out["result"] = effect_sentence(out)
    return out


def p_text(p) -> str | None:
    """p < 0.001 rather than 0.00; else three decimals."""
    if p is None or p != p:
        return None
    return "p<0.001" if p < 0.001 else f"p={p:.3f}"


def effect_sentence(r: dict) -> str:
    """The result as a manager repeats it (§6): 改进后首次响应SLA达成率由60.4%升至85.1%,达到目标85%;变化显著,
    非随机波动(p<0.001), with both windows' dates and sizes."""
    unit = "%" if r["metric"].endswith("_pct") else ""
    name = metric_name(r["metric"], current()).rstrip("%")
    b, a = r["before"], r["after"]
    if b is None or a is None:
        move = say("effect_no_data")
    else:
        verb = "effect_up" if a > b else "effect_down" if a < b else "effect_flat"
        move = say(verb, metric=name, before=f"{b:.1f}{unit}", after=f"{a:.1f}{unit}")
    goal = "" if r["goal"] is None else say("effect_goal_met" if r["goal_met"] else "effect_goal_missed",
                                            goal=f"{r['goal']:g}{unit}")
    noise = "" if r["p_value"] is None else say("effect_significant" if r["significant"] else "effect_noise",
                                                p=p_text(r["p_value"]))
    w0, w1 = r["windows"]
    return move + goal + noise + say("effect_windows", b_start=w0["start"], b_end=w0["end"], b_n=w0["n"],
                                     a_start=w1["start"], a_end=w1["end"], a_n=w1["n"])


def _close_problems(book, problems, plan) -> list[str]:
    """A problem whose actions are all done closes when all their effects are verified; else it is being verified."""
    out, changed = [], problems.copy()
    for i, p in problems.iterrows():
        acts = plan[(plan["problem_id"] == p["problem_id"]) & (plan["status"] != "cancelled")]
        if acts.empty or not (acts["status"] == "done").all() or p["status"] == "closed":
            continue
        if acts["effect_verified"].fillna(False).astype(bool).all():
            changed.loc[i, "status"] = "closed"
            out.append(p["problem_id"])
        else:
            changed.loc[i, "status"] = "verifying"
    if (changed["status"].fillna("") != problems["status"].fillna("")).any():
        book.write(schema.PROBLEMS, changed)
    return out


def _fmt(v):
    return "—" if v is None else f"{v:.1f}"
