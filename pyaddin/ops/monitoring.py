"""Monitoring work: the plan's due checks (计划提醒), audit sampling (抽样), recording the audit (记入质检),
and reviewer calibration (质检校准)."""
from __future__ import annotations

from .. import schema
from ..action import Outcome, action
from ..errors import QBError
from ..locale import current, say, text
from .kpi import choose_period, read_inputs


def _plain(book, table):
    parsed = book.read(table)
    if parsed.issues:
        from .data import problem_lines

        raise QBError("worklist_unreadable", exit_code=1, count=len(parsed.issues), details=problem_lines(parsed.issues))
    return parsed.data


@action("due", group="data", icon="DateAndTimeInsert", reads=(schema.MONITOR_PLAN.name,))
def due(ctx, book, as_of=None) -> Outcome:
    """What the monitoring plan says is due today or late, and the special monitoring periods under way."""
    import pandas as pd

    day = pd.Timestamp(as_of or ctx.as_of or ctx.now()).normalize()
    plan = _plain(book, schema.MONITOR_PLAN)
    rows, special = [], []
    for r in plan.itertuples(index=False):
        if r.next_due == r.next_due and r.next_due is not None and pd.Timestamp(r.next_due) <= day:
            rows.append({"indicator": r.indicator, "frequency": r.frequency, "owner": _s(r.owner),
                         "next_due": pd.Timestamp(r.next_due).date().isoformat(),
                         "days_late": int((day - pd.Timestamp(r.next_due)).days)})
        start = pd.Timestamp(r.special_from) if pd.notna(r.special_from) else None
        end = pd.Timestamp(r.special_to) if pd.notna(r.special_to) else day
        if start is not None and start <= day <= end:
            special.append({"indicator": r.indicator, "frequency": r.frequency, "target": _f(r.target),
                            "until": None if r.special_to != r.special_to else pd.Timestamp(r.special_to).date().isoformat(),
                            "note": _s(r.note)})
    lang = current()
    details = [say("due_line", indicator=x["indicator"], days=x["days_late"], owner=x["owner"] or "-") for x in rows]
    details += [say("special_line", indicator=x["indicator"], frequency=schema.FREQUENCY.label(x["frequency"], lang),
                    until=x["until"] or "-", note=x["note"] or "") for x in special]
    return Outcome("due_done", {"n": len(rows), "special": len(special)}, 0, details,
                   {"as_of": day.date().isoformat(), "due": rows, "special": special})


def _s(v):
    return None if v is None or v != v else str(v)


def _f(v):
    return None if v is None or v != v else float(v)


@action("sample", group="data", icon="Refresh",
        reads=(schema.TICKETS.name, schema.STANDARDS.name, schema.CALENDAR.name, schema.SCORECARD.name),
        writes=(schema.AUDIT.name,))
def sample(ctx, book, rate=None, min_per_agent=None, seed: int = 1, period=None, quarter=None, date_from=None,
           date_to=None) -> Outcome:
    """A reproducible, agent-stratified sample of the period's tickets for audit (default 10 %, at least 3 per
    agent), written as 抽样质检 with the scorecard's items to score."""
    import pandas as pd

    from ..core import kpi
    from ..core.sampling import audit_rows, stratified_sample
    from ..engine import duck
    from ..engine.rows import Rows
    from .kpi import data_times

    frames, std = read_inputs(book, ("tickets",), where_they_lie=True)
    t = frames["tickets"]
    rate = float(std.settings.get("audit_sample_pct", 10)) / 100 if rate is None else float(rate)
    minimum = int(std.settings.get("audit_min_per_agent", 3)) if min_per_agent is None else int(min_per_agent)
    if not 0 <= rate <= 1:
        raise QBError("bad_rate", value=str(rate))
    p = choose_period(data_times(frames), period, quarter, date_from, date_to)
    if isinstance(t, Rows):  # an outside source: counted and drawn where the rows lie, the chosen tickets fetched
        from ..core.sampling import AUDIT_TICKET
        from ..core.view import between

        pop = t.select(between("created_at", p))
        ids, by_agent = stratified_sample(pop, rate, minimum, int(seed))
        chosen = duck.query(f"SELECT {', '.join(AUDIT_TICKET)} FROM {pop.sql} WHERE CAST(ticket_id AS VARCHAR) IN "
                            f"(SELECT id FROM chosen__) ORDER BY ticket_id", chosen__=pd.DataFrame({"id": ids}))
        size = pop.count()
    else:
        pop = kpi.in_period(t, "created_at", p)
        ids, by_agent = stratified_sample(pop, rate, minimum, int(seed))
        chosen = pop[pop["ticket_id"].isin(ids)].sort_values("ticket_id")
        size = len(pop)
    card = _plain(book, schema.SCORECARD)
    rows = audit_rows(chosen, card)
    book.write(schema.AUDIT, rows.reindex(columns=schema.AUDIT.keys))
    pj = p.as_json()
    data = {"period": {"start": pj["start"], "end": pj["end"]}, "rate": rate, "seed": int(seed),
            "population": int(size), "sample": ids,
            "by_agent": {str(a): {"tickets": int(r.tickets), "sampled": int(r.sampled)} for a, r in by_agent.iterrows()}}
    return Outcome("sample_done", {"n": len(ids), "population": size, "rows": len(rows),
                                   "sheet": book.sheet_name(schema.AUDIT)}, data=data,
                   log_target=book.sheet_name(schema.AUDIT),
                   log_detail=text("log_sample", book.lang, n=len(ids), population=size, seed=seed, rows=len(rows)))


@action("record_audit", group="data", icon="TableInsert", reads=(schema.AUDIT.name, schema.INSPECTIONS.name),
        writes=(schema.AUDIT.name, schema.INSPECTIONS.name))
def record_audit(ctx, book) -> Outcome:
    """The reviewers' scores on 抽样质检 into 质检记录 (one inspection per ticket and reviewer), once."""
    import pandas as pd

    audit = _plain(book, schema.AUDIT)
    done = audit[audit["score"].notna() & ~audit["recorded"].fillna(False).astype(bool)]
    if done.empty:
        return Outcome("record_none")
    inspections = book.read(schema.INSPECTIONS)
    if inspections.issues:
        from .data import problem_lines

        raise QBError("kpi_refused", exit_code=1, count=len(inspections.issues),
                      details=problem_lines(inspections.issues))
    now = pd.Timestamp(ctx.now())
    reviewer = done["reviewer"]
    named = reviewer.notna() & (reviewer.astype(str).str.strip() != "")
    iid = "AU-" + done["ticket_id"].astype(str) + ("-" + reviewer.astype(str)).where(named, "")
    fresh = ~iid.isin(set(inspections.data["inspection_id"].dropna()))
    new = pd.DataFrame({"inspection_id": iid, "inspected_at": now, "method": "ticket_audit",
                        **{k: done[k] for k in ("department", "agent", "ticket_id", "item", "score", "max_score",
                                                "critical", "note", "reviewer")}})[fresh].reset_index(drop=True)
    if len(new):
        old = inspections.data
        book.write(schema.INSPECTIONS, pd.concat([old, new], ignore_index=True) if len(old) else new)
    marked = audit.copy()
    marked.loc[done.index, "recorded"] = True
    book.write(schema.AUDIT, marked)
    return Outcome("record_done", {"n": int(new["inspection_id"].nunique()) if len(new) else 0, "rows": len(new)},
                   log_target=book.sheet_name(schema.INSPECTIONS))


@action("calibrate", group="data", icon="ReviewAcceptChange", reads=(schema.INSPECTIONS.name,), ribbon=False)
def calibrate(ctx, book) -> Outcome:
    """Tickets scored by two or more reviewers: spread and agreement per item and reviewer; who is stricter."""
    from ..core.sampling import calibration

    parsed = book.read(schema.INSPECTIONS)
    if parsed.issues:
        from .data import problem_lines

        raise QBError("kpi_refused", exit_code=1, count=len(parsed.issues), details=problem_lines(parsed.issues))
    r = calibration(parsed.data)
    details = [say(f"reviewer_{x['flag']}", reviewer=x["reviewer"], dev=f"{x['mean_deviation_pct']:+.1f}")
               for x in r["reviewers"] if x["flag"]]
    details += [say("item_spread", item=x["item"], spread=f"{x['mean_spread_pct']:.1f}", agree=f"{x['agreement_pct']:.0f}")
                for x in r["items"]]

    return Outcome("calibrate_done", {"tickets": r["tickets"], "reviewers": len(r["reviewers"])}, 0, details, r)
