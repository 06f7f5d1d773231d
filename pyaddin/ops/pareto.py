"""Pareto analysis (帕累托分析) and the problem list it feeds (加入问题清单)."""
from __future__ import annotations

from .. import schema
from ..action import Outcome, action
from ..errors import QBError
from ..locale import current, listing, metric_name, say, text
from .kpi import choose_period, read_inputs

MAX_PROBLEMS = 5  # the seeds' TOP 3–5 into the problem list


def _column(table, frame, by: str) -> str:
    """A ticket column named by its key, its label or its header as pasted (``frame``: a frame, or the engine's
    rows of an outside source)."""
    from ..mapping import resolve_field

    names = frame.columns
    key = resolve_field(table, by)
    if key and key in names:
        return key
    if by in names:
        return by
    raise QBError("unknown_column", column=by, table=table.sheet(current()))


def _label(column: str, lang: str | None = None) -> str:
    """A ticket column as the workbook names it (问题类别, not ``category``)."""
    from ..mapping import resolve_field

    key = resolve_field(schema.TICKETS, column)
    return next((f.label(lang or current()) for f in schema.TICKETS.fields if f.key == key), column)


def pareto_frame(book, by="category", weight=None, period=None, quarter=None, date_from=None, date_to=None,
                 as_of=None):
    from ..core import kpi
    from ..core.pareto import pareto, pareto_of
    from ..core.view import between
    from ..engine.rows import Rows
    from .kpi import data_times

    frames, std = read_inputs(book, ("tickets",), where_they_lie=True)
    t = frames["tickets"]
    p = choose_period(data_times(frames), period, quarter, date_from, date_to, as_of)
    if isinstance(t, Rows):  # an outside source: DuckDB counts where the rows lie
        col = _column(schema.TICKETS, t, by)
        wcol = _column(schema.TICKETS, t, weight) if weight else None
        rows = t.select(between("created_at", p))
        if rows.count() == 0:
            pj = p.as_json()
            raise QBError("no_tickets_in_period", exit_code=1, start=pj["start"], end=pj["end"])
        return pareto_of(rows.sql, col, wcol), col, p, rows, std
    t = kpi.in_period(t, "created_at", p)
    if t.empty:
        pj = p.as_json()
        raise QBError("no_tickets_in_period", exit_code=1, start=pj["start"], end=pj["end"])
    col = _column(schema.TICKETS, t, by)
    wcol = _column(schema.TICKETS, t, weight) if weight else None
    return pareto(t[col], t[wcol] if wcol else None), col, p, t, std


@action("pareto", group="analysis", icon="ChartTypeColumnInsertGallery",
        reads=(schema.TICKETS.name, schema.STANDARDS.name, schema.CALENDAR.name),
        writes=(schema.PARETO.name,))
def run_pareto(ctx, book, by="category", weight=None, period=None, quarter=None, date_from=None, date_to=None,
               as_of=None) -> Outcome:
    from ..core.pareto import UNCLASSIFIED, as_json, unclassified_alarm, unclassified_pct

    frame, col, p, _, _ = pareto_frame(book, by, weight, period, quarter, date_from, date_to, as_of or ctx.as_of)
    frame["category"] = frame["category"].replace({UNCLASSIFIED: text("unclassified", book.lang)})  # the book's words
    book.write(schema.PARETO, frame)
    pj = p.as_json()
    book.set_cells(schema.PARETO, {"A1": say("pareto_title"), "A2": say(
        "pareto_header", by=_label(col), weight=_label(weight) if weight else say("count_word"),
        start=pj["start"], end=pj["end"])})
    book.fit_charts(schema.PARETO)
    vital = frame[frame["vital_few"]]
    first = say("pareto_unclassified", pct=f"{unclassified_pct(frame):.1f}", by=_label(col)) if unclassified_alarm(frame) else ""
    found = {"n": len(vital), "names": listing(vital["category"].head(5)), "pct": f"{vital['pct'].sum():.1f}"}
    return Outcome("pareto_done", {**found, "first": first}, data=as_json(frame, col),
                   log_target=book.sheet_name(schema.PARETO),
                   log_detail=text("log_pareto", book.lang, by=_label(col, book.lang), start=pj["start"], end=pj["end"],
                                   **found))


def responsibilities(book) -> dict[str, str]:
    """责任分工: category → the department that owns its problems (empty in a book made before it existed)."""
    if not book.has_table(schema.RESPONSIBILITY):
        return {}
    d = book.read(schema.RESPONSIBILITY).data.dropna(subset=["category", "department"])
    return {str(c).strip(): str(v).strip() for c, v in zip(d["category"], d["department"])}


def period_words(p) -> str:
    """本季度 / 本月 for a whole quarter or month, else the dates: how the problem's statement names its period."""
    import pandas as pd

    months = (p.end.year - p.start.year) * 12 + p.end.month - p.start.month
    if p.start.day == 1 and p.end.day == 1 and p.end == p.start + pd.DateOffset(months=months):
        if months == 3 and p.start.month % 3 == 1:
            return say("period_this_quarter")
        if months == 1:
            return say("period_this_month")
    pj = p.as_json()
    return say("period_dates", start=pj["start"], end=pj["end"])


def problem_statement(category: str, pct: float, count: int, when: str, worst, value, target) -> str:
    """What, where, how much, against which target (§6: 物流延迟类工单占本季度29.4%(1175件),其首次响应SLA
    达成率62%,目标90%)."""
    head = say("problem_from_pareto", category=category, when=when, pct=f"{pct:.1f}", count=count)
    if worst is None:
        return head + say("problem_targets_met")
    unit = "%" if worst.endswith("_pct") else ""
    name = metric_name(worst, current()).rstrip("%")
    return head + say("problem_against_target", metric=name, value=f"{value:.1f}{unit}", target=f"{target:g}{unit}")


def problem_rows(frame, tickets, std, today, lang: str, owners: dict[str, str] | None = None, when: str = ""):
    """The vital few as problems: frequency from the share, impact from the worst indicator gap among the
    category's tickets, priority = frequency × impact; the owner is the department 责任分工 names for the
    category, else the one with most of its tickets (and the statement says so)."""
    import pandas as pd

    from ..core import kpi
    from ..core.pareto import UNCLASSIFIED

    rows = []
    owners = owners or {}
    flags = kpi.ticket_flags(tickets, std, pd.Timestamp(today) + pd.Timedelta(days=1))
    for r in frame[frame["vital_few"]].head(MAX_PROBLEMS).itertuples(index=False):
        mine = (tickets["category"].astype(object).where(tickets["category"].notna(), UNCLASSIFIED) == r.category)
        sub = kpi.ticket_metrics(flags[mine.to_numpy()], quantiles=False)  # rates only
        worst, gap, worst_value = None, 0.0, None
        for m in ("first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "complaint_rate_pct"):
            value = sub[m].iloc[0] if len(sub) else None
            target = std.targets.get(m)
            if value is None or target is None or value != value:
                continue
            g = (target[1] - value) if target[0] == "ge" else (value - target[1])
            if g > 0 and (worst is None or g > gap):
                worst, gap, worst_value = m, g, float(value)
        depts = tickets.loc[mine.to_numpy(), "department"].value_counts(normalize=True)
        frequency = 5 if r.pct >= 30 else 4 if r.pct >= 20 else 3 if r.pct >= 10 else 2 if r.pct >= 5 else 1
        impact = 5 if gap >= 20 else 4 if gap >= 10 else 3 if gap >= 5 else 2 if gap > 0 else 1
        owner = owners.get(str(r.category).strip())
        description = problem_statement(r.category, r.pct, int(r.count), when, worst, worst_value,
                                        std.targets[worst][1] if worst else None)
        if owner is None and len(depts):
            owner = depts.index[0]
            description += say("problem_owner_by_tickets", department=owner)
        rows.append({
            "description": description,
            "source": "pareto", "metric": metric_name(worst, lang) if worst else None,
            "scope": listing(f"{d} {100 * s:.0f}%" for d, s in depts.head(3).items()),
            "frequency": frequency, "impact": impact, "priority": frequency * impact,
            "owner_department": owner, "status": "open",
            "created_at": today, "category": r.category})
    return rows


def indicator_owners(book) -> dict[str, str]:
    """The owner department set on 监控标准 for each indicator (its target row's 负责部门)."""
    d = book.read(schema.STANDARDS).data
    if "owner" not in d:
        return {}
    rows = d[(d["kind"] == "target") & d["owner"].notna()]
    return {str(k): str(v).strip() for k, v in zip(rows["key"], rows["owner"]) if str(v).strip()}


def incident_origin(incident: dict, lang: str) -> str:
    """The incident's key as the problem list shows it: indicator · scope · 恶化 · first week (opened once)."""
    from .alerts import scope_words

    return " · ".join((metric_name(incident["indicator"], lang), scope_words(incident["scope"], incident["group"]),
                       say("direction_worse") if incident["direction"] == "worse" else say("direction_better"), incident["first_week"]))


def alert_problems(ctx, book, existing, today, lang: str) -> list[dict]:
    """One problem per worsening incident of the control charts (consecutive weeks of one indicator and scope),
    opened once however often the alerts run; improvements open none.  The owner is the department of the
    incident's scope, or, overall and by channel, the indicator's owner on 监控标准 (blank: the quality team)."""
    from ..core.incidents import incidents
    from .alerts import control_signals, scope_words

    signals = control_signals(ctx, book)
    taken = set(existing["origin"].dropna()) if "origin" in existing else set()
    owners = indicator_owners(book)
    rows = []
    for inc in incidents([s for s in signals if s["direction"] == "worse"]):
        origin = incident_origin(inc, lang)
        if origin in taken:
            continue
        name, worst = metric_name(inc["indicator"], lang), inc["worst"]
        frequency = 4 if inc["weeks"] >= 3 else 3 if inc["weeks"] == 2 else 2
        owner = inc["group"] if inc["scope"] == "department" else owners.get(inc["indicator"], say("quality_team"))
        unit = "%" if inc["indicator"].endswith("_pct") else ""
        rows.append({"description": say("problem_from_alert", indicator=name.rstrip("%"), week=worst["week"],
                                        value=f"{worst['value']:.1f}{unit}", centre=f"{worst['centre']:.1f}{unit}",
                                        lcl=f"{worst['lcl']:.1f}", ucl=f"{worst['ucl']:.1f}", weeks=inc["weeks"]),
                     "source": "alert", "metric": name, "scope": scope_words(inc["scope"], inc["group"]),
                     "frequency": frequency, "impact": 3, "priority": frequency * 3, "owner_department": owner,
                     "status": "open", "created_at": today, "category": None, "origin": origin})
    return rows


def complaint_problems(tickets, existing, today, lang: str) -> list[dict]:
    """A problem of its own (专项改进) for each major complaint of the period, opened once: its origin names the
    ticket, so running the action again opens nothing new.  The owner is the ticket's department."""
    from ..core.kpi import major_complaint

    taken = set(existing["origin"].dropna()) if "origin" in existing else set()
    rows = []
    for r in tickets[major_complaint(tickets).to_numpy()].sort_values("created_at").itertuples(index=False):
        origin = say("major_complaint_origin", ticket=r.ticket_id)
        if origin in taken:
            continue
        category = r.category if isinstance(r.category, str) else say("unclassified")
        rows.append({"description": say("problem_major_complaint", ticket=r.ticket_id, date=f"{r.created_at:%Y-%m-%d}",
                                        department=r.department, category=category,
                                        channel=schema.CHANNEL.label(r.channel, lang) if isinstance(r.channel, str)
                                        else "-"),
                     "source": "complaint", "metric": metric_name("complaint_rate_pct", lang), "scope": r.department,
                     "frequency": 1, "impact": 5, "priority": 5, "owner_department": r.department,
                     "status": "open", "created_at": today, "category": r.category, "origin": origin})
    return rows


@action("problems", group="improvement", icon="TableInsert",
        reads=(schema.TICKETS.name, schema.SURVEYS.name, schema.INSPECTIONS.name, schema.STANDARDS.name, schema.CALENDAR.name,
               schema.PROBLEMS.name, schema.RESPONSIBILITY.name, schema.CALLS.name),  # calls: the alerts' phone line
        writes=(schema.PROBLEMS.name,))
def add_problems(ctx, book, from_pareto: bool = True, by="category", period=None, quarter=None, date_from=None,
                 date_to=None, as_of=None, from_alerts: bool = False) -> Outcome:
    """Adds the vital few (at most five) to the problem list, never twice while one is still open; or, with
    ``from_alerts``, the indicators the control charts flagged."""
    import pandas as pd

    from ..core.pdca import new_ids

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
                       log_target=book.sheet_name(schema.PROBLEMS),
                       log_detail=text("log_problems_from_alerts", book.lang, n=len(new), ids=listing(ids)))

    frame, _, p, tickets, std = pareto_frame(book, by, None, period, quarter, date_from, date_to,
                                             as_of or ctx.as_of)
    if not isinstance(tickets, pd.DataFrame):  # an outside source's period, for the statements' figures
        tickets = tickets.to_frame().drop(columns="row__")
    existing = book.read(schema.PROBLEMS).data
    open_ = existing[existing["status"].fillna("open") != "closed"]
    taken = set(open_.loc[open_["source"] != "complaint", "category"].dropna())  # a major complaint's own problem
    today = ctx.now().date()                                                      # does not stand for its category
    candidates = [r for r in problem_rows(frame, tickets, std, pd.Timestamp(today), book.lang,
                                          responsibilities(book), period_words(p))
                  if r["category"] not in taken]
    candidates += complaint_problems(tickets, existing, pd.Timestamp(today), book.lang)  # 重大投诉: 专项改进
    if not candidates:
        return Outcome("problems_none", {"n": int(frame["vital_few"].sum())})
    ids = new_ids(existing["problem_id"], len(candidates))
    new = pd.DataFrame([{"problem_id": i, **r} for i, r in zip(ids, candidates)])
    new["created_at"] = pd.to_datetime(new["created_at"])
    book.write(schema.PROBLEMS, pd.concat([existing, new], ignore_index=True) if len(existing) else new)
    return Outcome("problems_added", {"n": len(new), "ids": listing(ids)}, data=new,
                   log_target=book.sheet_name(schema.PROBLEMS))
