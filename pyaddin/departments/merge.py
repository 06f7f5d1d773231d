"""Merging one returned workbook into the master's worklists: what is applied, rejected, in conflict.

The master's frames are changed in place, file after file, so that a second file (a duplicate, or
a department's corrected return) is judged against what the first one left.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from .. import schema
from ..core import dispatch
from ..locale import listing, say, text
from ..validate import parse_table
from .returned import Refused, Returned, hidden_sheet, read_return, shown_name


@dataclass
class FileReport:
    file: str
    department: str | None = None
    status: str = "accepted"
    reason: str | None = None
    applied: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    logged: list[dict] = field(default_factory=list)  # 操作日志 rows of the applied changes
    notes: list[str] = field(default_factory=list)  # what a rule adjusted (done at 95 % is done at 100 %)
    added: list[dict] = field(default_factory=list)  # 一线反馈 entries appended to the master (§10)

    def as_json(self) -> dict:
        return {"file": self.file, "department": self.department, "status": self.status, "reason": self.reason,
                "applied": self.applied, "rejected": self.rejected, "conflicts": self.conflicts, "notes": self.notes,
                "added": self.added}

    @property
    def held(self) -> list[dict]:
        """Rows held for the quality team to confirm (§10: overdue when sent, back as done on time)."""
        return [c for c in self.conflicts if c.get("held")]

    def refuse(self, reason: str, rows: list[tuple[str, str]] = ()) -> FileReport:
        """The whole file is refused; each row it holds is listed as rejected with the same reason."""
        self.status, self.reason = "refused", reason
        self.rejected = [{"table": t, "id": i, "reason": reason} for t, i in rows]
        self.applied, self.logged, self.added = [], [], []
        return self


@dataclass
class Master:
    """What a collect run judges against: the worklists as typed frames, the batch as sent, the log."""

    frames: dict[str, pd.DataFrame]  # problems, rootcause, plan; feedback, where the book has 一线反馈
    batch: str
    master_id: str
    sent: pd.DataFrame  # the batch's rows of 下发回收
    read_log: Callable[[], pd.DataFrame]  # 操作日志, read only if a department returns a second time
    lang: str
    options: object = None
    changed: set[str] = field(default_factory=set)
    collected: object = None  # the day of collection: a completion date after it is refused
    accept: frozenset = frozenset()  # held rows the quality team confirmed (collect --accept A002)

    def sent_on(self, department: str):
        row = self.sent[self.sent["department"] == department]
        return pd.Timestamp(row["sent_at"].iloc[0]).date() if len(row) and pd.notna(row["sent_at"].iloc[0]) else None

    @cached_property
    def log(self) -> pd.DataFrame:
        return self.read_log()


def returned_rows(ret: Returned, table, lang: str):
    """A worklist sheet of the returned file as a raw frame (its own headers) and its sheet row numbers."""
    rows = ret.rows(table.sheet(lang))
    if not rows:
        return pd.DataFrame(), pd.Series(dtype=int)
    headers = ["" if h is None else str(h) for h in rows[0]]
    body = []
    for r, row in enumerate(rows[1:], start=2):
        if any(v is not None for v in row):
            body.append((r, row + [None] * (len(headers) - len(row))))
    frame = pd.DataFrame([b[1][:len(headers)] for b in body], columns=headers, dtype=object)
    return frame, pd.Series([b[0] for b in body], index=frame.index)


def _master_index(m: Master, table, item: str, row: dict) -> int | None:
    frame = m.frames[table.key]
    if table is schema.ROOTCAUSE:  # the same cause, else the cause listed at the same place (its wording changed)
        hit = frame.index[(frame["problem_id"] == row.get("problem_id")) & (frame["dimension"] == row.get("dimension"))
                          & (frame["cause"] == row.get("cause"))]
        if not len(hit):
            hit = frame.index[dispatch.cause_ids(frame) == item]
    else:
        hit = frame.index[frame[table.id_field].astype(str) == item]
    return hit[0] if len(hit) else None


def _superseded(m: Master, department: str, item: str, label: str, master_text: str) -> bool:
    """Did this department's earlier return of this batch put the master's value there? Then a later
    return of the same batch (a corrected file) may replace it."""
    log = m.log
    if log.empty or "department" not in log:
        return False
    mine = log[(log["action"] == "collect") & (log["department"] == department) & (log["row"] == item)
               & (log["field"] == label) & log["detail"].fillna("").str.startswith(m.batch)]
    return bool(len(mine)) and str(mine["new"].iloc[-1]) == master_text


def shown(value, f, lang: str) -> str:
    """A value as the log shows it: labels for enums and booleans."""
    p = dispatch.plain(value, f)
    if p is None:
        return ""
    if f.type == "enum":
        return f.enum.label(p, lang)
    if f.type == "bool":
        return schema.BOOL_LABELS[lang][0 if p else 1]
    return str(p)


def judge_alone(path: Path, m: Master, at, user: str) -> FileReport:
    """``judge``, except that a file breaking the reading in a way no check foresaw is refused on its own:
    the master's frames are put back as they were before it, the details go to the log, and the other
    files of the run are still collected."""
    before, changed = {k: v.copy() for k, v in m.frames.items()}, set(m.changed)
    try:
        return judge(path, m, at, user)
    except Exception as exc:  # noqa: BLE001 — one hostile file must not stop the collection of the others
        from ..logfile import log_failure

        log_failure(f"collect {path.name}", exc)
        m.frames.update(before)
        m.changed = changed
        return FileReport(shown_name(path.name)).refuse(say("return_corrupt", file=shown_name(path.name)))


def judge(path: Path, m: Master, at, user: str) -> FileReport:
    """Every check on one file, then its editable changes merged into ``m.frames``."""
    rep = FileReport(shown_name(path.name))
    try:
        ret = read_return(path)
    except Refused as e:
        return rep.refuse(e.say())
    found = hidden_sheet(ret)
    if found is None:
        return rep.refuse(say("return_not_ours"))
    meta, items, hidden_text = found
    rep.department = meta.get("department")
    lang = meta.get("lang", m.lang)
    by_table: dict[str, list[list[str]]] = {}
    for row in items:
        by_table.setdefault(row[0], []).append(row + [""] * (4 - len(row)))
    listed = [(t, row[1]) for t, rows in by_table.items() for row in rows]
    if meta.get("master_id") != m.master_id:
        return rep.refuse(say("return_other_master"), listed)
    if meta.get("batch") != m.batch:
        return rep.refuse(say("return_other_batch", batch=meta.get("batch", "?"), current=m.batch), listed)
    sent_row = m.sent[m.sent["department"] == rep.department]
    if sent_row.empty:
        return rep.refuse(say("return_not_sent", department=rep.department), listed)
    if dispatch.digest(hidden_text) != sent_row["digest"].iloc[0]:
        return rep.refuse(say("return_fingerprints_altered"), listed)
    other = _renamed_from(path.name, m.sent, rep.department)
    if other is not None:
        return rep.refuse(say("return_renamed", other=other, department=rep.department), listed)
    gone = [t.sheet(lang) for t in dispatch.WORK_TABLES if t.sheet(lang) not in ret.sheets]
    if gone:  # renamed or deleted: its edits would be lost without a word
        return rep.refuse(say("return_sheet_missing", sheets=listing(gone)), listed)
    for t in dispatch.WORK_TABLES:
        _merge_table(ret, t, by_table.get(t.key, []), meta, lang, m, rep, at, user)
    _append_feedback(ret, meta, lang, m, rep, at, user)
    if ret.untouched and not (rep.applied or rep.rejected or rep.conflicts or rep.added):  # the file as sent: not a return
        return rep.refuse(say("return_untouched"), listed)
    if rep.rejected or rep.conflicts:
        rep.status = "partly"
    return rep


def _renamed_from(name: str, sent: pd.DataFrame, department: str) -> str | None:
    """The department whose sent file name this one carries, when it is not the department inside."""
    stem = Path(name).stem.lower()
    best = None
    for d, f in zip(sent["department"], sent["file"]):
        s = Path(str(f)).stem.lower()
        if stem.startswith(s) and (best is None or len(s) > len(best[1])):
            best = (d, s)
    return best[0] if best is not None and best[0] != department else None


def _merge_table(ret, t, hidden: list[list[str]], meta, lang, m: Master, rep: FileReport, at, user) -> None:
    raw, rows = returned_rows(ret, t, lang)
    if raw.empty:
        return
    where = f"{rep.file} · {t.sheet(lang)}"
    parsed = parse_table(t, raw, rows, where=where, opts=m.options)
    problems: dict[int, list] = {}
    for i in parsed.issues:
        problems.setdefault(i.row, []).append(i)
    kept = " (" + text("return_formula_kept", m.lang) + ")"
    columns = {k: list(raw.columns).index(h) + 1 for k, h in parsed.headers.items() if h in raw.columns}
    known = {row[1]: row for row in hidden}
    order = [row[1] for row in hidden]
    seen = set()
    editable = dispatch.editable(t)
    for k, (idx, r) in enumerate(zip(parsed.data.index, parsed.rows)):
        row = parsed.data.loc[idx].to_dict()
        item = (order[k] if k < len(order) else f"{row.get('problem_id')}#?") if t is schema.ROOTCAUSE \
            else str(row.get(t.id_field))
        formula_cells = {c for (s, rr, c) in ret.formulas if s == t.sheet(lang) and rr == r}

        def reject(key, item=item, r=r, **kw):
            rep.rejected.append({"table": t.key, "id": item, "reason": say(key, sheet=t.sheet(lang), row=int(r), **kw)})
        if item in seen:
            reject("return_row_duplicate")
            continue
        seen.add(item)
        h = known.get(item)
        if h is None:
            reject("return_row_not_sent")
            continue
        sent = dispatch.typed_sent(h[2], t)
        fp = dispatch.locked_fingerprint(meta["batch"], meta["master_id"], meta["department"], t, item, row, sent)
        at_master = _master_index(m, t, item, row)
        if fp != h[3]:
            changed = []
            if at_master is not None:
                master_row = m.frames[t.key].loc[at_master]
                changed = [f.label(lang) for f in dispatch.locked(t)
                           if dispatch.canon(row.get(f.key), f) != dispatch.canon(master_row.get(f.key), f)]
            reject("return_row_locked", fields=listing(changed) or "—")
            continue
        bad = [i for i in problems.get(int(r), []) if i.column in {f.label(lang) for f in editable}]
        if bad:
            reject("return_row_invalid", problem=bad[0].say())
            continue
        if at_master is None:
            reject("return_row_gone")
            continue
        frame = m.frames[t.key]
        ruling = dispatch.department_rules(t, sent, frame.loc[at_master].to_dict(), row, m.collected or at.date(),
                                           m.sent_on(rep.department), item in m.accept)
        if ruling.refuse:
            reject(ruling.refuse, **ruling.facts)
            continue
        if ruling.hold:
            rep.conflicts.append({"table": t.key, "id": item, "field": "status", "held": True,
                                  "master": dispatch.plain(frame.at[at_master, "status"], t.field("status")),
                                  "returned": dispatch.plain(row.get("status"), t.field("status")),
                                  "reason": say(ruling.hold, id=item, **ruling.facts)})
            continue
        row.update(ruling.adjust)
        rep.notes += [say(k, sheet=t.sheet(lang), row=int(r), id=item) for k in ruling.said]
        for f in editable:
            s_txt, v_txt = dispatch.canon(sent.get(f.key), f), dispatch.canon(row.get(f.key), f)
            m_txt = dispatch.canon(frame.at[at_master, f.key], f)
            verdict = dispatch.merge_field(s_txt, m_txt, v_txt, s_txt != v_txt != m_txt != s_txt and _superseded(
                m, rep.department, item, f.label(m.lang), shown(frame.at[at_master, f.key], f, m.lang)))
            if verdict == "conflict":
                rep.conflicts.append({"table": t.key, "id": item, "field": f.key,
                                      "master": dispatch.plain(frame.at[at_master, f.key], f),
                                      "returned": dispatch.plain(row.get(f.key), f)})
            elif verdict == "apply":
                old = frame.at[at_master, f.key]
                new = row.get(f.key)
                rep.applied.append({"table": t.key, "id": item, "field": f.key, "old": dispatch.plain(old, f),
                                    "new": dispatch.plain(new, f)})
                rep.logged.append({"at": at, "user": user, "action": "collect", "target": t.sheet(m.lang),
                                   "detail": f"{m.batch}: {shown(old, f, m.lang) or '—'} → {shown(new, f, m.lang) or '—'}"
                                             + (kept if columns.get(f.key) in formula_cells else ""),
                                   "result": "ok", "department": rep.department, "file": rep.file, "row": item,
                                   "field": f.label(m.lang), "old": shown(old, f, m.lang), "new": shown(new, f, m.lang)})
                _set(frame, at_master, f.key, new)
                m.changed.add(t.key)


def _append_feedback(ret: Returned, meta: dict, lang: str, m: Master, rep: FileReport, at, user: str) -> None:
    """The entries the department added on its 一线反馈 sheet, appended to the master's (the one place a return
    adds rows, §10): each checked as an import would check it, numbered F001…, status 待处理, and fingerprinted so
    that collecting the same file again adds nothing."""
    from ..core.pdca import new_ids

    t = schema.FEEDBACK
    frame = m.frames.get(t.key)
    raw, rows = returned_rows(ret, t, lang)
    if raw.empty:
        return
    if frame is None:  # a master made before 一线反馈: the entries are not lost in silence, they stay in the file
        rep.rejected.append({"table": t.key, "id": t.sheet(lang),
                             "reason": say("feedback_master_without_table", count=len(raw), sheet=t.sheet(lang))})
        return
    department = meta["department"]
    raw[t.field("department").label(lang)] = department  # the file's department: its staff's entries
    parsed = parse_table(t, raw, rows, where=f"{rep.file} · {t.sheet(lang)}", opts=m.options)
    for i in parsed.issues:
        if i.row is None:  # a column renamed or removed: nothing of the sheet can be read
            rep.rejected.append({"table": t.key, "id": t.sheet(lang), "reason": i.say()})
            return
    bad = {i.row: i for i in parsed.issues}
    good = [idx for idx, r in zip(parsed.data.index, parsed.rows) if int(r) not in bad]
    for r, issue in sorted(bad.items()):
        rep.rejected.append({"table": t.key, "id": f"#{r}", "reason": issue.say()})
    entries = parsed.data.loc[good]
    fps = dispatch.feedback_fingerprints(m.batch, m.master_id, department, entries)
    taken = set(frame["origin"].dropna().astype(str))
    fresh = entries[[fp not in taken for fp in fps]].assign(origin=[fp for fp in fps if fp not in taken])
    if fresh.empty:
        return
    fresh = fresh.assign(feedback_id=new_ids(frame["feedback_id"], len(fresh), prefix="F"), status="new",
                         problem_id=None)[t.keys]
    m.frames[t.key] = pd.concat([frame, fresh], ignore_index=True) if len(frame) else fresh.reset_index(drop=True)
    m.changed.add(t.key)
    kind = t.field("kind")
    for row in fresh.to_dict("records"):
        rep.added.append({"table": t.key, "id": row["feedback_id"], "kind": row["kind"], "person": row["person"],
                          "text": row["text"]})
        rep.logged.append({"at": at, "user": user, "action": "collect", "target": t.sheet(m.lang),
                           "detail": f"{m.batch}: {shown(row['kind'], kind, m.lang)} · {row['text']}",
                           "result": "ok", "department": department, "file": rep.file, "row": row["feedback_id"],
                           "field": None, "old": None, "new": row["text"]})


def _set(frame: pd.DataFrame, idx, key: str, value) -> None:
    """Store a returned value; text stays text (never a formula: the file layer writes strings as strings)."""
    if frame[key].dtype == bool or str(frame[key].dtype) == "boolean":
        frame[key] = frame[key].astype(object)
    try:
        frame.at[idx, key] = value
    except (TypeError, ValueError):
        frame[key] = frame[key].astype(object)
        frame.at[idx, key] = value
