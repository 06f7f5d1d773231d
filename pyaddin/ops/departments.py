"""The 部门协同 group: send each department its share (下发部门) and merge what comes back (回收汇总)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import schema
from ..action import Outcome, action
from ..errors import QBError
from ..locale import current, listing, say, text
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


def _kpi_rows(book, department: str):
    import pandas as pd

    from ..locale import LANGS

    if not book.has_table(T.KPI):
        return pd.DataFrame(columns=T.KPI.keys)
    k = book.read(T.KPI).data
    return k[(k["scope"] == LANGS[book.lang].DASHBOARD["department"]) & (k["group"] == department)]


@action("distribute", group="departments", icon="FileSendAsAttachment",
        reads=(T.PROBLEMS.name, T.ROOTCAUSE.name, T.PLAN.name, T.KPI.name, T.DISPATCH.name, T.LOG.name),
        writes=(T.DISPATCH.name,))
def distribute(ctx, book, outdir: str | Path | None = None, deadline=None, departments=None) -> Outcome:
    """One workbook per department with open problems or actions, into ``outdir`` (the ribbon asks for it)."""
    import pandas as pd

    from ..core import dispatch
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
    for d in work:
        target = folder / names[d]
        if target.resolve().parent != folder.resolve():  # the name is made safe; this is the last guard
            raise QBError("unsafe_name", department=d)
        share = dispatch.select(problems, causes, plan, d)
        s = outgoing.Sending(batch, master_id, d, names[d], now, due, ctx.user, book.lang)
        digest = outgoing.write(target, s, share, _kpi_rows(book, d))
        n = {k: len(v) for k, v in share.items()}
        new.append({"batch": batch, "master_id": master_id, "department": d, "file": names[d], "sent_at": now,
                    "deadline": pd.Timestamp(due), "items": sum(n.values()), "digest": digest})
        logged.append({"at": now, "user": ctx.user, "action": "distribute", "target": names[d],
                       "detail": f"{batch} → {d}: " + ", ".join(f"{k} {v}" for k, v in n.items()),
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
    return Outcome("distribute_done", {"n": len(work), "batch": batch, "folder": str(folder), "deadline": due.isoformat()},
                   0, details, {"batch": batch, "master_id": master_id, "deadline": due.isoformat(), "files": files},
                   log_target=book.sheet_name(T.DISPATCH), log_detail=f"{batch}: {len(work)} files to {folder}")


def returned_files(paths) -> list[Path]:
    """The files named, and every file directly inside the folders named (not the owner/lock files)."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith(SKIPPED))
        elif p.exists():
            out.append(p)
        else:
            raise QBError("file_not_found", path=str(p))
    return out


@action("collect", group="departments", icon="FileOpen",
        reads=(T.PROBLEMS.name, T.ROOTCAUSE.name, T.PLAN.name, T.DISPATCH.name, T.LOG.name),
        writes=(T.PROBLEMS.name, T.ROOTCAUSE.name, T.PLAN.name, T.DISPATCH.name))
def collect(ctx, book, paths=None, dry_run: bool = False, batch: str | None = None) -> Outcome:
    """Merge the returned workbooks of a batch (the latest by default) into the worklists, only in the fields
    departments fill; report what was applied, rejected and in conflict, and who has not returned yet."""
    import pandas as pd

    from ..departments.merge import Master, judge

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
    files = returned_files(paths)
    problems, causes, plan = worklists(book)
    frames = {"problems": problems.copy(), "rootcause": causes.copy(), "plan": plan.copy()}
    m = Master(frames, batch, str(sent["master_id"].iloc[0]), sent, lambda: book.read(T.LOG).data, book.lang,
               book.options)
    now = ctx.now()
    reports = [judge(f, m, now, ctx.user) for f in files]
    returned = {r.department for r in reports if r.status != "refused"}
    missing = [d for d, at in zip(sent["department"], sent["returned_at"]) if pd.isna(at) and d not in returned]
    data = {"batch": batch, "files": [r.as_json() for r in reports], "missing_departments": missing}
    details = _report_lines(reports, missing)
    applied = sum(len(r.applied) for r in reports)
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
    return Outcome(key, {"batch": batch, "n": len(reports), "applied": applied, **counts,
                         "conflicts": sum(len(r.conflicts) for r in reports), "missing": listing(missing) or "—"},
                   1 if counts["refused"] or counts["partly"] else 0, details, data,
                   log_target=book.sheet_name(T.DISPATCH),
                   log_detail=f"{batch}: {len(reports)} files, {applied} changes, {counts['refused']} refused",
                   log_result="ok" if not (counts["refused"] or counts["partly"]) else "partly")


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
        if pd.notna(out.at[i, "returned_at"]) and not r.applied:  # noted already, nothing new
            continue
        out.loc[i, ["returned_at", "result", "returned_file"]] = [now, words[r.status], r.file]
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
                  for c in r.conflicts]
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
