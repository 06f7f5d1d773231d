"""The 部门协同 group: send each department its share (下发部门) and merge what comes back (回收汇总)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import schema
from ..action import Outcome, action
from ..errors import QBError
from ..locale import current, listing, metric_name, say, text
from .improve import worklists

T = schema
DEADLINE_DAYS = 7  # a week: the rhythm of the weekly quality meeting
SKIPPED = ("~$", ".")  # owner and lock files Excel (~$book) and LibreOffice (.~lock.book#) leave, hidden files


def _deadline(value, now: dt.datetime) -> dt.date:
    if value in (None, ""):
        return now.date() + dt.timedelta(days=DEADLINE_DAYS)
    import pandas as pd

    try:
        day = pd.Timestamp(value)
    except (ValueError, TypeError):
        day = pd.NaT
    if pd.isna(day):
        raise QBError("bad_deadline", value=str(value))
    return day.date()


def _master_id(sent) -> str:
    import uuid

    known = sent["master_id"].dropna().astype(str)
    return known.iloc[0] if len(known) else "M" + uuid.uuid4().hex[:12].upper()


def kpi_snapshot(book):
    """The KPIs by department over the last month with tickets, as the departments' snapshot shows them: (the
    period as text, {department: rows}); (None, {}) in a book without tickets."""
    import pandas as pd

    from ..core import kpi
    from ..locale import LANGS
    from .kpi import choose_period, read_inputs

    frames, std = read_inputs(book)
    t = frames["tickets"]
    if t.empty:
        return None, {}
    p = choose_period(t["created_at"])
    res = kpi.result(kpi.view(t, frames["surveys"], frames["inspections"], std, p), ("department",))
    words = LANGS[book.lang].STATUS
    out = {}
    for dept, m in res["by_department"].items():
        rows = [{"name": metric_name(k, book.lang), "value": m.get(k), "target": target[1],
                 "status": words[kpi.status(m.get(k), target) or "no_data"]}  # never 0 % for data never supplied
                for k, target in std.targets.items() if k in m]
        out[dept] = pd.DataFrame(rows, columns=["name", "value", "target", "status"])
    pj = p.as_json()
    return say("kpi_period", start=pj["start"], end=pj["end"]), out


def quality_contact(book) -> str:
    """Who departments ask: the 取值 of the setting quality_contact on 监控标准 (blank: the quality team)."""
    return book.text_settings.get("quality_contact") or say("quality_team")


@action("distribute", group="departments", icon="FileSendAsAttachment",
        reads=(T.PROBLEMS.name, T.ROOTCAUSE.name, T.PLAN.name, T.DISPATCH.name, T.TICKETS.name, T.SURVEYS.name,
               T.INSPECTIONS.name, T.STANDARDS.name, T.CALENDAR.name, T.LOG.name),
        writes=(T.DISPATCH.name,))
def distribute(ctx, book, outdir: str | Path | None = None, deadline=None, departments=None) -> Outcome:
    """One workbook per department with open problems or actions, into ``outdir`` (the ribbon asks for it)."""
    import pandas as pd

    from ..core import dispatch, pdca
    from ..departments import outgoing

    problems, causes, plan = worklists(book)
    work = dispatch.departments_with_work(problems, plan)
    if departments:
        unknown = [d for d in departments if d not in work]
        if unknown:
            raise QBError("no_work_for_department", department=listing(unknown), known=listing(work) or "—")
        work = [d for d in work if d in departments]
    if not work:
        raise QBError("nothing_to_distribute", exit_code=1)
    if book.read_only:  # the batch record could not be kept: no department file may go out
        raise QBError("distribute_read_only")
    if book.unsaved_changes() and not ctx.confirm(say("distribute_save_first")):
        return Outcome("distribute_not_saved")
    outdir = outdir or ctx.ask_folder(text("choose_distribute_folder", current()))
    if not outdir:
        return Outcome("no_folder_chosen")
    now = ctx.now()
    due = _deadline(deadline, now)
    sent = book.read(T.DISPATCH).data
    master_id = _master_id(sent)
    batch = dispatch.next_batch(sent["batch"], now.date())
    names = dispatch.file_names(batch, work)
    folder = Path(outdir)
    folder.mkdir(parents=True, exist_ok=True)
    new, logged, details, files = [], [], [], []
    period, snapshot = kpi_snapshot(book)
    contact = quality_contact(book)
    for d in work:
        target = folder / names[d]
        if target.resolve().parent != folder.resolve():  # the name is made safe; this is the last guard
            raise QBError("unsafe_name", department=d)
        share = dispatch.select(problems, causes, plan, d)
        late = pdca.days_overdue(share["plan"], pd.Timestamp(now))
        share["plan"] = share["plan"].assign(days_overdue=late.where(late > 0).astype("Int64"))
        s = outgoing.Sending(batch, master_id, d, names[d], now, due, contact, book.lang)
        kpi_rows = snapshot.get(d, pd.DataFrame(columns=["name", "value", "target", "status"]))
        digest = outgoing.write(target, s, share, kpi_rows, period, served=problems.set_index("problem_id")["description"])
        n = {k: len(v) for k, v in share.items()}
        new.append({"batch": batch, "master_id": master_id, "department": d, "file": names[d], "sent_at": now,
                    "deadline": pd.Timestamp(due), "items": sum(n.values()), "digest": digest})
        logged.append({"at": now, "user": ctx.user, "action": "distribute", "target": names[d],
                       "detail": text("log_distribute_line", book.lang, batch=batch, department=d,
                                      problems=n["problems"], causes=n["rootcause"], actions=n["plan"]),
                       "result": "ok", "department": d, "file": names[d]})
        details.append(say("distribute_line", department=d, file=names[d], problems=n["problems"],
                           causes=n["rootcause"], actions=n["plan"]))
        files.append({"department": d, "file": str(target), **n})
    orphans = dispatch.unassigned(problems, plan)
    if orphans and not departments:
        details.append(say("distribute_unassigned", items=listing(orphans)))
    rows = pd.DataFrame(new, columns=T.DISPATCH.keys)
    book.write(T.DISPATCH, pd.concat([sent, rows], ignore_index=True) if len(sent) else rows)
    book.append(T.LOG, pd.DataFrame(logged))
    book.save_in_place()  # returns are matched against this record: it is never left unsaved
    return Outcome("distribute_done", {"n": len(work), "batch": batch, "folder": str(folder), "deadline": due.isoformat()},
                   0, details, {"batch": batch, "master_id": master_id, "deadline": due.isoformat(), "files": files},
                   log_target=book.sheet_name(T.DISPATCH),
                   log_detail=text("log_distribute", book.lang, batch=batch, n=len(work), folder=str(folder),
                                   deadline=due.isoformat()))


def returned_files(paths) -> tuple[list[Path], list[Path]]:
    """(to judge, skipped): the files named, and what lies directly inside the folders named — every entry but
    folders, so that a FIFO or a device found there is refused by name (never opened) — except owner/lock and
    hidden files, which are skipped and said."""
    out, skipped = [], []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.iterdir()):
                if f.name.startswith(SKIPPED):
                    skipped.append(f)
                elif not f.is_dir():
                    out.append(f)
        elif p.exists():
            out.append(p)
        else:
            raise QBError("file_not_found", path=str(p))
    return out, skipped


@action("collect", group="departments", icon="FileOpen",
        reads=(T.PROBLEMS.name, T.ROOTCAUSE.name, T.PLAN.name, T.DISPATCH.name, T.LOG.name, T.TICKETS.name,
               T.SURVEYS.name, T.STANDARDS.name, T.CALENDAR.name,  # the data: only to verify actions returned as done
               T.FEEDBACK.name),  # the entries departments add on their 一线反馈 sheet are appended to it
        writes=(T.PROBLEMS.name, T.ROOTCAUSE.name, T.PLAN.name, T.DISPATCH.name, T.FEEDBACK.name))
def collect(ctx, book, paths=None, dry_run: bool = False, batch: str | None = None, accept=()) -> Outcome:
    """Merge the returned workbooks of a batch (the latest by default) into the worklists, only in the fields
    departments fill; report what was applied, rejected and in conflict, and who has not returned yet.  A row
    held for the quality team (§10) is applied only when named in ``accept`` (or confirmed in Excel)."""
    import pandas as pd

    from ..departments.merge import Master, judge_alone
    from ..departments.returned import shown_name

    sent_all = book.read(T.DISPATCH).data
    if sent_all.empty:
        raise QBError("nothing_distributed", exit_code=1)
    batch = batch or str(sent_all["batch"].dropna().iloc[-1])
    sent = sent_all[sent_all["batch"] == batch]
    if sent.empty:
        raise QBError("no_such_batch", batch=batch, known=listing(dict.fromkeys(sent_all["batch"].dropna())))
    if not paths:
        folder = ctx.ask_folder(text("choose_collect_folder", current()))
        if not folder:
            return Outcome("no_folder_chosen")
        paths = [folder]
    files, skipped = returned_files(paths)
    problems, causes, plan = worklists(book)
    feedback = book.read(T.FEEDBACK).data if book.has_table(T.FEEDBACK) else None
    extra = {} if feedback is None else {"feedback": feedback}

    def fresh():
        return {"problems": problems.copy(), "rootcause": causes.copy(), "plan": plan.copy(),
                **{k: v.copy() for k, v in extra.items()}}
    frames = fresh()
    now = ctx.now()
    m = Master(frames, batch, str(sent["master_id"].iloc[0]), sent, lambda: book.read(T.LOG).data, book.lang,
               book.options, collected=now.date(), accept=frozenset(accept or ()))
    reports = [judge_alone(f, m, now, ctx.user) for f in files]
    held = [c for r in reports for c in r.held]
    confirmed = [c["id"] for c in held if not dry_run and ctx.confirm(say("collect_confirm_held", reason=c["reason"]))]
    if confirmed:  # judged again with the rows the quality team confirmed, from the worklists as read
        frames = fresh()
        m = Master(frames, batch, m.master_id, sent, m.read_log, book.lang, book.options, collected=now.date(),
                   accept=m.accept | set(confirmed))
        reports = [judge_alone(f, m, now, ctx.user) for f in files]
    returned = {r.department for r in reports if r.status != "refused"}
    missing = [d for d, at in zip(sent["department"], sent["returned_at"]) if pd.isna(at) and d not in returned]
    data = {"batch": batch, "files": [r.as_json() for r in reports], "missing_departments": missing,
            "skipped": [shown_name(f.name) for f in skipped]}
    details = [say("collect_skipped", file=shown_name(f.name)) for f in skipped] + _report_lines(reports, missing)
    applied = sum(len(r.applied) for r in reports)
    newly_done = [a["id"] for r in reports for a in r.applied
                  if a["table"] == "plan" and a["field"] == "status" and a["new"] == "done"]
    if newly_done and not dry_run:
        details += verify_returned(book, m.frames, newly_done)
        m.changed.add("plan")
    if not dry_run:
        if m.changed:
            book.backup()
        for key in sorted(m.changed):
            book.write(schema.table(key), m.frames[key])
        marked = _mark_returned(sent_all, sent, reports, now)
        if marked is not None:
            book.write(T.DISPATCH, marked)
        logged = [row for r in reports for row in r.logged]
        if logged:
            book.append(T.LOG, pd.DataFrame(logged))
    counts = {s: sum(r.status == s for r in reports) for s in ("accepted", "partly", "refused")}
    key = "collect_dry_run" if dry_run else "collect_done"
    added = sum(len(r.added) for r in reports)
    return Outcome(key, {"batch": batch, "n": len(reports), "applied": applied, "added": added, **counts,
                         "conflicts": sum(len(r.conflicts) for r in reports), "missing": listing(missing) or "—"},
                   1 if counts["refused"] or counts["partly"] else 0, details, data,
                   log_target=book.sheet_name(T.DISPATCH), log_result="ok" if not (counts["refused"] or counts["partly"]) else "partly")


@action("approve_extension", group="departments", icon="CalendarInsert",
        reads=(T.PLAN.name,), writes=(T.PLAN.name,))
def approve_extension(ctx, book, actions=None) -> Outcome:
    """The quality team grants the new deadlines departments asked for (申请延期至): each named action (default:
    every request, after a yes from the ribbon) gets its requested date as its deadline, the request is cleared
    and a log row keeps the old deadline, so that the appraisal counts the deadline in force at a quarter's end."""
    import pandas as pd

    plan = book.read(T.PLAN).data
    asked = plan[plan["extension_to"].notna()]
    if actions:
        unknown = [a for a in actions if a not in set(asked["action_id"])]
        if unknown:
            raise QBError("no_extension_request", actions=listing(unknown),
                          known=listing(asked["action_id"]) or "—")
        asked = asked[asked["action_id"].isin(actions)]
    if asked.empty:
        return Outcome("no_extension_requests")
    lines = [say("extension_line", action=r.action_id, old=_day(r.deadline), new=_day(r.extension_to),
                 reason=r.extension_reason if isinstance(r.extension_reason, str) else "—")
             for r in asked.itertuples(index=False)]
    if not actions and not ctx.confirm(say("extension_confirm", lines="\n".join(lines))):
        return Outcome("extension_not_approved")
    now, label = ctx.now(), T.PLAN.field("deadline").label(book.lang)
    out, logged = plan.copy(), []
    for i, r in asked.iterrows():
        logged.append({"at": now, "user": ctx.user, "action": "approve_extension", "target": book.sheet_name(T.PLAN),
                       "detail": r["extension_reason"] if isinstance(r["extension_reason"], str) else None,
                       "result": "ok", "department": r["department"], "row": r["action_id"], "field": label,
                       "old": _day(r["deadline"]), "new": _day(r["extension_to"])})
        out.loc[i, "deadline"] = r["extension_to"]
        out.loc[i, ["extension_to", "extension_reason"]] = [pd.NaT, None]
    book.write(T.PLAN, out)
    book.append(T.LOG, pd.DataFrame(logged))
    return Outcome("extension_approved", {"n": len(asked), "ids": listing(asked["action_id"])}, details=lines,
                   log_target=book.sheet_name(T.PLAN))


def _day(v) -> str:
    import pandas as pd

    return "—" if v is None or pd.isna(v) else pd.Timestamp(v).date().isoformat()


def verify_returned(book, frames, action_ids) -> list[str]:
    """Actions collected back as done are verified at once when the data cover their after-window; the others
    are marked 待验证 with the date verification becomes possible (§6).  Writes into ``frames["plan"]``."""
    from .improve import VERIFY_DAYS, metric_key, p_text, verify_one
    from .kpi import read_inputs

    inputs, std = read_inputs(book, ("tickets", "surveys"))  # what verification reads (as the verify action)
    plan, lines = frames["plan"], []
    data_end = inputs["tickets"]["created_at"].max() if len(inputs["tickets"]) else None
    for i in plan.index[plan["action_id"].isin(action_ids)]:
        a = plan.loc[i]
        metric = metric_key(a["target_metric"]) if isinstance(a["target_metric"], str) else None
        if metric is None or a.isna()["start"] or a.isna()["completed_on"]:
            continue
        r = verify_one(a, metric, frames["problems"], inputs, std, VERIFY_DAYS, data_end)
        if r["pending_until"]:
            plan.loc[i, "effect_result"] = say("effect_pending", date=r["pending_until"])
            lines.append(say("effect_pending_line", action=a["action_id"], date=r["pending_until"]))
            continue
        plan.loc[i, ["effect_before", "effect_after", "effect_p", "effect_verified", "effect_result"]] = [
            r["before"], r["after"], p_text(r["p_value"]), r["verified"], r["result"]]
        lines.append(say("effect_line", action=a["action_id"], result=r["result"],
                         verdict=say("verified_yes" if r["verified"] else "verified_no")))
    return lines


def _mark_returned(sent_all, sent, reports, now):
    """Each department's first return (or one that changed something) noted on 下发回收; None when nothing new."""
    import pandas as pd

    out, changed = sent_all.copy(), False
    words = {"accepted": say("status_accepted"), "partly": say("status_partly")}
    for r in reports:
        if r.status == "refused":
            continue
        idx = sent.index[sent["department"] == r.department]
        if not len(idx):
            continue
        i = idx[0]
        waiting = listing(c["id"] for c in r.held) or None
        noted = out.at[i, "to_confirm"]
        if pd.notna(out.at[i, "returned_at"]) and not r.applied and (None if pd.isna(noted) else noted) == waiting:
            continue  # noted already, nothing new
        result = say("status_held") if waiting else words[r.status]
        out.loc[i, ["returned_at", "result", "returned_file", "to_confirm"]] = [now, result, r.file, waiting]
        changed = True
    return out if changed else None


def _report_lines(reports, missing) -> list[str]:
    lines = []
    for r in reports:
        status = say(f"status_{r.status}")
        lines.append(say("collect_file", file=r.file, department=r.department or "—", status=status,
                         applied=len(r.applied), rejected=len(r.rejected), conflicts=len(r.conflicts))
                     + (f" {r.reason}" if r.reason else ""))
        lines += ["  " + say("collect_applied", **_where(a), old=_v(a, "old"), new=_v(a, "new")) for a in r.applied]
        if r.status != "refused":
            lines += ["  " + say("collect_rejected", **_where(x), reason=x["reason"]) for x in r.rejected]
        lines += ["  " + say("collect_conflict", **_where(c), master=_v(c, "master"), returned=_v(c, "returned"))
                  for c in r.conflicts if not c.get("held")]
        lines += ["  " + say("collect_held", reason=c["reason"], id=c["id"]) for c in r.held]
        lines += ["  " + note for note in r.notes]
        lines += ["  " + say("collect_feedback_added", id=a["id"], kind=T.FEEDBACK_KIND.label(a["kind"], current()),
                             person=a["person"], text=a["text"]) for a in r.added]
    if missing:
        lines.append(say("collect_missing", departments=listing(missing)))
    return lines


def _where(entry: dict) -> dict:
    """Sheet, item and field as the user sees them (the JSON keeps the keys)."""
    t = schema.table(entry["table"])
    out = {"table": t.sheet(current()), "id": entry["id"]}
    if "field" in entry:
        out["field"] = t.field(entry["field"]).label(current())
    return out


def _v(entry: dict, key: str) -> str:
    """A value as the user sees it (as 操作日志 shows it), — when blank."""
    from ..departments.merge import shown

    return shown(entry[key], schema.table(entry["table"]).field(entry["field"]), current()) or "—"
