"""The frontline's voice (一线反馈, DOMAIN.md §2, §6): a suggestion or a process problem becomes a problem."""
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


@action("adopt_feedback", group="improvement", icon="CommentsAdd",
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
