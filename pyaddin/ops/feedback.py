"""The frontline's voice and good practice (DOMAIN.md §1, §2, §6, §7): a suggestion or a process problem of 一线反馈
becomes a problem; good cases worth copying are proposed to 亮点案例 for the team to curate."""
from __future__ import annotations

from .. import schema
from ..action import Outcome, action
from ..errors import QBError
from ..locale import listing, say

T = schema
ADOPTABLE = ("process", "suggestion")  # a daily log or a good case is read, not made a problem


def pending(feedback):
    """Entries waiting to become a problem: a process problem or a suggestion, not yet linked, not declined."""
    status = feedback["status"].fillna("new")
    return feedback["kind"].isin(ADOPTABLE) & feedback["problem_id"].isna() & status.eq("new")


def problem_row(entry: dict, today, lang: str) -> dict:
    """The problem an entry opens: its words, who said it and when; owned by the entry's department, source
    一线反馈, and rated low (frequency 1, impact 3) until the quality team rates it."""
    kind = T.FEEDBACK_KIND.label(entry["kind"], lang)
    return {"description": say("problem_from_feedback", kind=kind, text=entry["text"], person=entry["person"],
                               department=entry["department"], date=f"{entry['date']:%Y-%m-%d}"),
            "source": "feedback", "metric": None, "scope": entry["department"], "frequency": 1, "impact": 3,
            "priority": 3, "owner_department": entry["department"], "status": "open", "created_at": today,
            "category": None, "origin": say("feedback_origin", id=entry["feedback_id"])}


@action("adopt_feedback", group="improvement", icon="ReviewAcceptChange",
        reads=(T.FEEDBACK.name, T.PROBLEMS.name), writes=(T.FEEDBACK.name, T.PROBLEMS.name))
def adopt_feedback(ctx, book, ids=None, every: bool = False) -> Outcome:
    """Turns the named entries of 一线反馈 (default: every process problem and suggestion still 待处理, after a yes
    from the ribbon, or with ``every``) into problems of the problem list, source 一线反馈, and links each entry to
    its problem (status 已转问题).  Entries without an id get one (F001…) first, so that each can be linked."""
    import pandas as pd

    from ..core.pdca import new_ids

    feedback = book.read(T.FEEDBACK).data.copy()
    problems = book.read(T.PROBLEMS).data
    blank = feedback["feedback_id"].isna()
    if blank.any():
        feedback.loc[blank, "feedback_id"] = new_ids(feedback["feedback_id"], int(blank.sum()), prefix="F")
    waiting = pending(feedback)
    if ids:
        known = set(feedback["feedback_id"])
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise QBError("no_such_feedback", ids=listing(unknown), known=listing(feedback.loc[waiting, "feedback_id"])
                          or "—")
        chosen = feedback["feedback_id"].isin(ids)
        refused = feedback[chosen & ~waiting]
        if len(refused):
            raise QBError("feedback_not_adoptable", ids=listing(refused["feedback_id"]))
    else:
        chosen = waiting
        if not chosen.any():
            return Outcome("feedback_none")
        lines = "\n".join(f"{r.feedback_id} {r.text}" for r in feedback[chosen].itertuples(index=False))
        if not every and not ctx.confirm(say("feedback_confirm", n=int(chosen.sum()), lines=lines)):
            return Outcome("feedback_not_adopted")
    today = pd.Timestamp(ctx.now().date())
    entries = feedback[chosen].to_dict("records")
    pids = new_ids(problems["problem_id"], len(entries))
    new = pd.DataFrame([{"problem_id": p, **problem_row(e, today, book.lang)} for p, e in zip(pids, entries)])
    new["created_at"] = pd.to_datetime(new["created_at"])
    feedback.loc[chosen, "problem_id"] = pids
    feedback.loc[chosen, "status"] = "adopted"
    book.write(T.PROBLEMS, pd.concat([problems, new], ignore_index=True) if len(problems) else new)
    book.write(T.FEEDBACK, feedback)
    pairs = [f"{e['feedback_id']}→{p}" for e, p in zip(entries, pids)]
    return Outcome("feedback_adopted", {"n": len(pids), "pairs": listing(pairs)},
                   data=[{"feedback_id": e["feedback_id"], "problem_id": p} for e, p in zip(entries, pids)],
                   log_target=book.sheet_name(T.PROBLEMS), log_detail=", ".join(pairs))


PROPOSED = 10  # at most this many of each kind per run: candidates the team curates, not a flood


def proposals(v, signals, lang: str) -> list[dict]:
    """Good cases of the period (找亮点): surveys giving 5 stars with a comment, inspections scoring full marks
    (no critical item failed), and the control charts' better signals (DOMAIN.md §7: practices worth learning from),
    each with date, channel, department, agent, ticket and what happened."""
    import pandas as pd

    from ..core.kpi import inspection_scores
    from ..locale import LANGS, metric_name

    words = LANGS[lang].REPORT
    tickets = v.t.drop_duplicates("ticket_id").set_index("ticket_id")
    res_h = pd.Series(v.flags["res_h"].to_numpy(), index=v.t["ticket_id"]).groupby(level=0).first()
    out = []
    praised = v.s[(v.s["csat"] == 5) & v.s["comment"].notna()].sort_values("submitted_at", kind="stable").head(PROPOSED)
    for r in praised.itertuples(index=False):
        t = tickets.loc[r.ticket_id] if isinstance(r.ticket_id, str) and r.ticket_id in tickets.index else None
        category = t["category"] if t is not None and isinstance(t["category"], str) else "-"
        hours = res_h.get(r.ticket_id) if t is not None else None
        what = words["what_open"].format(category=category) if hours is None or pd.isna(hours) else \
            words["what_resolved"].format(category=category, hours=f"{hours:.1f}")
        out.append({"date": r.submitted_at.normalize(), "channel": r.channel, "department": r.department,
                    "agent": r.agent, "ticket_id": r.ticket_id, "what": what, "score": 5, "comment": r.comment,
                    "source": "five_star"})
    if len(v.i):
        scores = inspection_scores(v.i)
        first = v.i.drop_duplicates("inspection_id").set_index("inspection_id")
        full = scores[scores["pct"] >= 100].head(PROPOSED)
        for iid, r in full.iterrows():
            row = first.loc[iid]
            method = T.METHOD.label(row["method"], lang) if isinstance(row["method"], str) else "-"
            out.append({"date": row["inspected_at"].normalize(), "channel": None, "department": r["department"],
                        "agent": r["agent"], "ticket_id": row["ticket_id"],
                        "what": say("highlight_full_mark", inspection=iid, method=method), "score": 100,
                        "comment": None, "source": "full_mark"})
    for sig in [x for x in signals if x["direction"] == "better"][:PROPOSED]:
        unit = "%" if sig["indicator"].endswith("_pct") else ""
        out.append({"date": pd.Timestamp(sig["week"]), "channel": None, "department": None, "agent": None,
                    "ticket_id": None, "what": say("highlight_better", indicator=metric_name(sig["indicator"], lang),
                                                   week=sig["week"], value=f"{sig['value']:.1f}{unit}",
                                                   centre=f"{sig['centre']:.1f}{unit}"),
                    "score": None, "comment": None, "source": "better_signal"})
    return out


@action("propose_highlights", group="reports", icon="HappyFace",
        reads=(T.TICKETS.name, T.SURVEYS.name, T.INSPECTIONS.name, T.CALLS.name, T.STANDARDS.name, T.CALENDAR.name,
               T.HIGHLIGHTS.name),
        writes=(T.HIGHLIGHTS.name,))
def propose_highlights(ctx, book, period=None, quarter=None, date_from=None, date_to=None) -> Outcome:
    """Adds the period's good cases to 亮点案例 as candidates (source 五星好评, 质检满分 or 指标好转) for the team to
    keep, write up (经过, 可复制的经验) or delete; a case already listed (the same source and ticket, or the same
    words) is not added again."""
    import pandas as pd

    from ..core import kpi
    from .alerts import control_signals
    from .kpi import choose_period, read_inputs

    frames, std = read_inputs(book, ("tickets", "surveys", "inspections", "calls"))
    p = choose_period(frames["tickets"]["created_at"], period, quarter, date_from, date_to)
    v = kpi.view(frames["tickets"], frames["surveys"], frames["inspections"], std, p)
    signals = [x for x in control_signals(ctx, book, as_of=p.end, inputs=(frames, std))
               if p.start <= pd.Timestamp(x["week"]) < p.end] if len(frames["tickets"]) else []
    existing = book.read(T.HIGHLIGHTS).data
    known = {(s, i) for s, i in zip(existing["source"], existing["ticket_id"]) if isinstance(i, str)}
    said = set(existing["what"].dropna())
    rows = [r for r in proposals(v, signals, book.lang)
            if (r["source"], r["ticket_id"]) not in known and r["what"] not in said]
    if not rows:
        return Outcome("highlights_none")
    new = pd.DataFrame(rows, columns=T.HIGHLIGHTS.keys)
    book.write(T.HIGHLIGHTS, pd.concat([existing, new], ignore_index=True) if len(existing) else new)
    counts = new["source"].value_counts()
    return Outcome("highlights_proposed", {"n": len(new), "kinds": listing(
        f"{T.HIGHLIGHT_SOURCE.label(k, book.lang)} {int(n)}" for k, n in counts.items())},
        data=new.assign(date=new["date"].dt.date.astype(str)).astype(object).where(new.notna(), None).to_dict("records"),
        log_target=book.sheet_name(T.HIGHLIGHTS), log_detail=f"{len(new)} proposed")
