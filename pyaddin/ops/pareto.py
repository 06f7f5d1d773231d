"""Pareto analysis (帕累托分析) and the problem list it feeds (加入问题清单)."""
from __future__ import annotations

from .. import schema
from ..action import Outcome, action
from ..errors import QBError
from ..locale import current, listing, metric_name, say
from .kpi import choose_period, read_inputs

MAX_PROBLEMS = 5  # the seeds' TOP 3–5 into the problem list


def _column(table, frame, by: str) -> str:
    """A ticket column named by its key, its label or its header as pasted."""
    from ..mapping import resolve_field

    key = resolve_field(table, by)
    if key and key in frame:
        return key
    if by in frame:
        return by
    raise QBError("unknown_column", column=by, table=table.sheet(current()))


def _label(column: str) -> str:
    """A ticket column as the workbook names it (问题类别, not ``category``)."""
    from ..mapping import resolve_field

    key = resolve_field(schema.TICKETS, column)
    return next((f.label(current()) for f in schema.TICKETS.fields if f.key == key), column)


def pareto_frame(book, by="category", weight=None, period=None, quarter=None, date_from=None, date_to=None,
                 as_of=None):
    from ..core import kpi
    from ..core.pareto import pareto

    frames, std = read_inputs(book)
    t = frames["tickets"]
    p = choose_period(t["created_at"], period, quarter, date_from, date_to, as_of)
    t = kpi.in_period(t, "created_at", p)
    if t.empty:
        pj = p.as_json()
        raise QBError("no_tickets_in_period", exit_code=1, start=pj["start"], end=pj["end"])
    col = _column(schema.TICKETS, t, by)
    wcol = _column(schema.TICKETS, t, weight) if weight else None
    return pareto(t[col], t[wcol] if wcol else None), col, p, t, std


@action("pareto", group="analysis", icon="ChartTypeColumnInsertGallery",
        reads=(schema.TICKETS.name, schema.SURVEYS.name, schema.INSPECTIONS.name, schema.STANDARDS.name),
        writes=(schema.PARETO.name,))
def run_pareto(ctx, book, by="category", weight=None, period=None, quarter=None, date_from=None, date_to=None,
               as_of=None) -> Outcome:
    from ..core.pareto import as_json

    frame, col, p, _, _ = pareto_frame(book, by, weight, period, quarter, date_from, date_to, as_of or ctx.as_of)
    book.write(schema.PARETO, frame)
    pj = p.as_json()
    book.set_cells(schema.PARETO, {"A1": say("pareto_title"), "A2": say(
        "pareto_header", by=_label(col), weight=_label(weight) if weight else say("count_word"),
        start=pj["start"], end=pj["end"])})
    book.fit_charts(schema.PARETO)
    vital = frame[frame["vital_few"]]
    return Outcome("pareto_done", {"n": len(vital), "names": listing(vital["category"].head(5)),
                                   "pct": f"{vital['pct'].sum():.1f}"}, data=as_json(frame, col),
                   log_target=book.sheet_name(schema.PARETO), log_detail=f"{col} {pj['start']}..{pj['end']}")


def new_ids(existing, n: int, prefix: str = "P") -> list[str]:
    """The next free ids (P001, P002…): never reused, whatever the list's order."""
    import re

    nums = [int(m.group(1)) for x in existing if isinstance(x, str) and (m := re.fullmatch(prefix + r"(\d+)", x))]
    start = max(nums, default=0) + 1
    return [f"{prefix}{i:03d}" for i in range(start, start + n)]


def problem_rows(frame, tickets, std, today, lang: str):
    """The vital few as problems: frequency from the share, impact from the worst indicator gap among the
    category's tickets, priority = frequency × impact, the department with most of its tickets as owner."""
    import pandas as pd

    from ..core import kpi
    from ..core.pareto import UNCLASSIFIED

    rows = []
    flags = kpi.ticket_flags(tickets, std, pd.Timestamp(today) + pd.Timedelta(days=1))
    for r in frame[frame["vital_few"]].head(MAX_PROBLEMS).itertuples(index=False):
        mine = (tickets["category"].astype(object).where(tickets["category"].notna(), UNCLASSIFIED) == r.category)
        sub = kpi.ticket_metrics(flags[mine.to_numpy()])
        worst, gap = None, 0.0
        for m in ("first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "complaint_rate_pct"):
            value = sub[m].iloc[0] if len(sub) else None
            target = std.targets.get(m)
            if value is None or target is None or value != value:
                continue
            g = (target[1] - value) if target[0] == "ge" else (value - target[1])
            if worst is None or g > gap:
                worst, gap = m, g
        depts = tickets.loc[mine.to_numpy(), "department"].value_counts(normalize=True)
        frequency = 5 if r.pct >= 30 else 4 if r.pct >= 20 else 3 if r.pct >= 10 else 2 if r.pct >= 5 else 1
        impact = 5 if gap >= 20 else 4 if gap >= 10 else 3 if gap >= 5 else 2 if gap > 0 else 1
        rows.append({
            "description": say("problem_from_pareto", category=r.category, pct=f"{r.pct:.1f}", count=int(r.count)),
            "source": "pareto", "metric": metric_name(worst, lang) if worst else None,
            "scope": listing(f"{d} {100 * s:.0f}%" for d, s in depts.head(3).items()),
            "frequency": frequency, "impact": impact, "priority": frequency * impact,
            "owner_department": depts.index[0] if len(depts) else None, "status": "open",
            "created_at": today, "category": r.category})
    return rows


def alert_problems(ctx, book, existing, today, lang: str) -> list[dict]:
    """Control-chart signals as problems: one per indicator that signalled, unless one is already open."""
    from .alerts import alert_data

    data, _ = alert_data(ctx, book)
    open_ = existing[(existing["status"].fillna("open") != "closed") & (existing["source"] == "alert")]
    taken = set(open_["metric"].dropna())
    rows, seen = [], set()
    for s in data["signals"]:
        name = metric_name(s["indicator"], lang)
        if name in taken or name in seen:
            continue
        seen.add(name)
        weeks = sum(1 for x in data["signals"] if x["indicator"] == s["indicator"])
        frequency = 4 if weeks >= 3 else 3 if weeks == 2 else 2
        rows.append({"description": say("problem_from_alert", indicator=name, week=s["week"], value=f"{s['value']:.1f}",
                                        lcl=f"{s['lcl']:.1f}", ucl=f"{s['ucl']:.1f}"),
                     "source": "alert", "metric": name, "scope": say("scope_overall"), "frequency": frequency,
                     "impact": 3, "priority": frequency * 3, "owner_department": None, "status": "open",
                     "created_at": today, "category": None})
    return rows


@action("problems", group="improvement", icon="TableInsert",
        reads=(schema.TICKETS.name, schema.SURVEYS.name, schema.INSPECTIONS.name, schema.STANDARDS.name,
               schema.PROBLEMS.name),
        writes=(schema.PROBLEMS.name,))
def add_problems(ctx, book, from_pareto: bool = True, by="category", period=None, quarter=None, date_from=None,
                 date_to=None, as_of=None, from_alerts: bool = False) -> Outcome:
    """Adds the vital few (at most five) to the problem list, never twice while one is still open; or, with
    ``from_alerts``, the indicators the control charts flagged."""
    import pandas as pd

    if from_alerts:
        existing = book.read(schema.PROBLEMS).data
        today = pd.Timestamp(ctx.now().date())
        rows = alert_problems(ctx, book, existing, today, book.lang)
        if not rows:
            return Outcome("problems_none_alerts")
        ids = new_ids(existing["problem_id"], len(rows))
        new = pd.DataFrame([{"problem_id": i, **r} for i, r in zip(ids, rows)])
        book.write(schema.PROBLEMS, pd.concat([existing, new], ignore_index=True) if len(existing) else new)
        return Outcome("problems_added", {"n": len(new), "ids": listing(ids)},
                       log_target=book.sheet_name(schema.PROBLEMS), log_detail="alerts: " + ", ".join(ids))

    frame, _, p, tickets, std = pareto_frame(book, by, None, period, quarter, date_from, date_to,
                                             as_of or ctx.as_of)
    existing = book.read(schema.PROBLEMS).data
    open_ = existing[existing["status"].fillna("open") != "closed"]
    taken = set(open_["category"].dropna())
    today = ctx.now().date()
    candidates = [r for r in problem_rows(frame, tickets, std, pd.Timestamp(today), book.lang)
                  if r["category"] not in taken]
    if not candidates:
        return Outcome("problems_none", {"n": int(frame["vital_few"].sum())})
    ids = new_ids(existing["problem_id"], len(candidates))
    new = pd.DataFrame([{"problem_id": i, **r} for i, r in zip(ids, candidates)])
    new["created_at"] = pd.to_datetime(new["created_at"])
    book.write(schema.PROBLEMS, pd.concat([existing, new], ignore_index=True) if len(existing) else new)
    return Outcome("problems_added", {"n": len(new), "ids": listing(ids)}, data=new,
                   log_target=book.sheet_name(schema.PROBLEMS), log_detail=", ".join(ids))
