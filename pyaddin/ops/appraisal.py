"""The quarterly appraisal (季度考核): scores, grades and ranks of agents and departments (DOMAIN.md §9)."""
from __future__ import annotations

from pathlib import Path

from .. import schema
from ..action import Outcome, action
from ..errors import QBError
from ..locale import current, say
from .kpi import read_inputs

READS = (schema.TICKETS.name, schema.SURVEYS.name, schema.INSPECTIONS.name, schema.STANDARDS.name, schema.CALENDAR.name, schema.PLAN.name,
         schema.STAFF.name, schema.LOG.name)


def consequences(book) -> dict[str, str]:
    """What each grade brings, as the team set it on 监控标准 (kind 考核结果: key A–D, value and note)."""
    d = book.read(schema.STANDARDS).data
    rows = d[d["kind"] == "consequence"]
    out = {}
    for key, value, note in zip(rows["key"], rows["value"], rows["note"]):
        parts = [str(note)] if isinstance(note, str) and note.strip() else []
        if value == value and value is not None:
            parts.insert(0, say("bonus_coefficient", value=f"{float(value):g}"))
        out[str(key).upper()] = ";".join(parts)
    return out


def staff_list(book):
    """人员名单, or None in a workbook made before it existed (then every agent is placed by their tickets)."""
    if not book.has_table(schema.STAFF):
        return None
    parsed = book.read(schema.STAFF)
    if parsed.issues:
        from .data import problem_lines

        raise QBError("worklist_unreadable", exit_code=1, count=len(parsed.issues),
                      details=problem_lines(parsed.issues))
    return parsed.data


def deadlines_in_force(book, plan, end):
    """The plan with ``deadline_at_end``: an extension approved after the quarter's end (批准延期, logged with the
    old deadline) does not move the deadline the quarter is judged by."""
    import pandas as pd

    if not book.has_table(schema.LOG) or plan.empty:
        return plan
    log = book.read(schema.LOG).data
    later = log[(log["action"] == "approve_extension") & (pd.to_datetime(log["at"], errors="coerce") >= end)]
    if later.empty:
        return plan
    first = later.sort_values("at", kind="stable").drop_duplicates("row")
    old = pd.to_datetime(first.set_index("row")["old"], errors="coerce")
    return plan.assign(deadline_at_end=plan["action_id"].map(old).fillna(plan["deadline"]))


def rules_sentence(rules) -> str:
    """The rules used, in one sentence for the sheet and the management workbook's cover."""
    w = {k: f"{v:g}" for k, v in rules.weights.items()}
    aw = {k: f"{v:g}" for k, v in rules.agent_weights.items()}
    return say("appraisal_rules", csat=f"{aw['csat_pct']}/{w['csat_pct']}",
               fr=f"{aw['first_response_sla_pct']}/{w['first_response_sla_pct']}",
               fcr=f"{aw['fcr_pct']}/{w['fcr_pct']}", qa=f"{aw['qa_score_pct']}/{w['qa_score_pct']}",
               rect=w["rectification_pct"], method=say("appraisal_method_raw" if rules.raw else
                                                        "appraisal_method_attainment", cap=f"{rules.attainment_cap:g}"),
               points=f"{rules.points_per_pct:g}", major=f"{rules.major_points:g}", cap=f"{rules.deduction_cap:g}",
               a=f"{rules.bands[0]:g}", b=f"{rules.bands[1]:g}", c=f"{rules.bands[2]:g}", n=rules.min_tickets)


def appraisal_rows(result: dict, quarter: str, lang: str):
    import pandas as pd

    level = {"agent": say("level_agent"), "department": say("level_department")}
    rows = []
    for a in result["agents"]:
        rows.append({"quarter": quarter, "level": level["agent"], "department": a["department"], "agent": a["agent"],
                     "tickets": a["tickets"], **a["components"], "deduction": a["deduction"], "score": a["score"],
                     "grade": a["grade"] if a["status"] == "graded" else say("insufficient_sample"),
                     "rank": a["rank"]})
    for d in result["departments"]:
        rows.append({"quarter": quarter, "level": level["department"], "department": d["department"], "agent": None,
                     "tickets": d["tickets"], **d["components"], "deduction": d["deduction"], "score": d["score"],
                     "grade": d["grade"], "rank": None})  # departments are ranked on the cover
    return pd.DataFrame(rows).reindex(columns=schema.APPRAISAL.keys)


@action("appraise", group="appraisal", icon="ReviewTrackChanges", reads=READS, writes=(schema.APPRAISAL.name,))
def appraise(ctx, book, quarter: str | None = None, output: str | Path | None = None) -> Outcome:
    """Scores every agent and department of the quarter as DOMAIN.md §9 says, writes 季度考核 (and with
    ``output`` a workbook for management, one sheet per department)."""
    from ..core import appraisal, kpi
    from .kpi import choose_period, data_times

    frames, std = read_inputs(book, where_they_lie=True)
    created = data_times({"tickets": frames["tickets"]})
    plan = book.read(schema.PLAN)
    if plan.issues:
        from .data import problem_lines

        raise QBError("worklist_unreadable", exit_code=1, count=len(plan.issues), details=problem_lines(plan.issues))
    if quarter is None:
        last = kpi.last_month_with_tickets(created)
        if last is None:
            raise QBError("no_tickets", exit_code=1)
        quarter = f"{last.start.year}Q{(last.start.month - 1) // 3 + 1}"
    p = choose_period(created, quarter=quarter)
    rules = appraisal.Rules.from_standards(std, consequences(book))
    staff = staff_list(book)
    result = appraisal.appraise(frames["tickets"], frames["surveys"], frames["inspections"],
                                deadlines_in_force(book, plan.data, p.end), std, p, rules, staff)
    if not result["agents"] and not result["departments"]:
        raise QBError("no_tickets_in_period", exit_code=1, start=p.as_json()["start"], end=p.as_json()["end"])
    q = quarter.upper()
    book.write(schema.APPRAISAL, appraisal_rows(result, q, book.lang))
    placed = result["placed_by_tickets"]
    placed_text = say("appraisal_placed", count=len(placed), names="、".join(placed)) if placed else ""
    book.set_cells(schema.APPRAISAL, {"A1": say("appraisal_title", quarter=q), "A2": rules_sentence(rules),
                                      "A3": placed_text})
    if output:
        from ..build.appraisal_book import write_appraisal_book

        write_appraisal_book(Path(output), result, q, rules, current(), rules_sentence(rules))
    data = {"quarter": q,
            "agents": [{k: a[k] for k in ("agent", "department", "tickets", "score", "grade", "status", "rank",
                                          "components")} for a in result["agents"]],
            "departments": [{k: d[k] for k in ("department", "score", "grade", "components")}
                            for d in result["departments"]]}
    graded = [a for a in result["agents"] if a["status"] == "graded"]
    return Outcome("appraisal_done", {"quarter": q, "agents": len(graded),
                                      "short": len(result["agents"]) - len(graded),
                                      "departments": len(result["departments"]), "placed": placed_text}, data=data,
                   log_target=book.sheet_name(schema.APPRAISAL))
