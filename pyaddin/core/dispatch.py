"""Sending work to departments and taking it back (DOMAIN.md §10), without Excel or files.

What goes out: each department's open problems, their root causes, and its open actions.  Each
item carries a fingerprint of the fields the department may not change, with the batch, the
master workbook and the values sent, so that what comes back can be checked field by field.
What comes back is merged by comparing three values of each editable field: the one sent, the
one the master holds now, and the one returned.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from .. import schema
from ..schema import Field, Table

WORK_TABLES = (schema.PROBLEMS, schema.ROOTCAUSE, schema.PLAN)
FORMAT = "qualitybook-department/1"  # what the hidden sheet of a department workbook says it is
HIDDEN_SHEET = "_qb"  # the very hidden sheet with the batch, the master's id and the fingerprints
SENDER = "QualityBook"  # the last author of a file as sent: a file still saying so was saved by nobody since
DONE_ACTIONS = ("done", "cancelled")

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
RESERVED_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
STEM_MAX = 60


def editable(table: Table) -> list[Field]:
    return [f for f in table.fields if f.editable_by_department]


def locked(table: Table) -> list[Field]:
    return [f for f in table.fields if not f.editable_by_department]


def safe_stem(name: str) -> str:
    """A file-name part Windows, macOS and Linux all accept, from whatever a department is called.

    Path separators, ``..``, characters Windows forbids and reserved device names (CON, LPT1…)
    cannot leave the chosen folder or fail to save; an empty result becomes ``_``."""
    text = unicodedata.normalize("NFKC", str(name))
    text = _FORBIDDEN.sub("_", text)
    text = re.sub(r"\.{2,}", "_", text).strip(" .")
    text = text[:STEM_MAX].strip(" .") or "_"
    if text.split(".")[0].lower() in RESERVED_NAMES:
        text = "_" + text
    return text


def file_names(batch: str, departments: list[str]) -> dict[str, str]:
    """``<batch>_<department>.xlsx`` for each department; two departments never share a name."""
    out, used = {}, set()
    for d in departments:
        stem = f"{batch}_{safe_stem(d)}"
        name, n = f"{stem}.xlsx", 2
        while name.lower() in used:
            name, n = f"{stem}-{n}.xlsx", n + 1
        used.add(name.lower())
        out[d] = name
    return out


def next_batch(existing: pd.Series, day: dt.date) -> str:
    """B<yyyymmdd>-<n>: readable, and the n-th batch of that day."""
    prefix = f"B{day:%Y%m%d}-"
    taken = {str(b) for b in existing.dropna() if str(b).startswith(prefix)}
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def _blank(v) -> bool:
    if isinstance(v, str):
        return v == ""
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):  # a list or the like: not a cell value, not blank
        return False


def canon(value, f: Field) -> str:
    """One spelling of a typed value, the same whichever way it travelled (a workbook cell, a frame, JSON)."""
    if _blank(value):
        return ""
    if f.type in ("date", "datetime"):
        ts = pd.Timestamp(value)
        return ts.strftime("%Y-%m-%d") if f.type == "date" else ts.strftime("%Y-%m-%dT%H:%M:%S")
    if f.type == "bool":
        return "1" if bool(value) else "0"
    if f.type in ("integer", "number", "percent"):
        return format(float(value), ".12g")
    return str(value)


def plain(value, f: Field):
    """A typed value for JSON: keys for enums, ISO text for dates, numbers as numbers, None when blank."""
    if _blank(value):
        return None
    if f.type in ("date", "datetime"):
        return canon(value, f)
    if f.type == "bool":
        return bool(value)
    if f.type in ("integer", "number", "percent"):
        v = float(value)
        return int(v) if v.is_integer() else v
    return str(value)


def cause_ids(causes: pd.DataFrame) -> pd.Series:
    """Root causes have no id of their own: ``P001#2`` is the second cause of P001 as listed."""
    n = causes.groupby("problem_id", sort=False).cumcount() + 1
    return causes["problem_id"].astype(str) + "#" + n.astype(str)


def item_ids(table: Table, frame: pd.DataFrame) -> pd.Series:
    if table is schema.ROOTCAUSE:
        return cause_ids(frame)
    return frame[table.id_field].astype(str)


def select(problems: pd.DataFrame, causes: pd.DataFrame, plan: pd.DataFrame, department: str) -> dict[str, pd.DataFrame]:
    """A department's share: the open problems it owns with their causes, and its open actions."""
    mine = problems[(problems["owner_department"] == department) & (problems["status"].fillna("open") != "closed")]
    ids = item_ids(schema.ROOTCAUSE, causes)
    rc = causes[causes["problem_id"].isin(mine["problem_id"])]
    acts = plan[(plan["department"] == department) & ~plan["status"].fillna("planned").isin(DONE_ACTIONS)]
    return {"problems": mine, "rootcause": rc.assign(_id=ids[rc.index]), "plan": acts}


def departments_with_work(problems: pd.DataFrame, plan: pd.DataFrame) -> list[str]:
    open_p = problems[problems["status"].fillna("open") != "closed"]["owner_department"]
    open_a = plan[~plan["status"].fillna("planned").isin(DONE_ACTIONS)]["department"]
    names = pd.concat([open_p, open_a]).dropna().astype(str).str.strip()
    return sorted({n for n in names if n})


def unassigned(problems: pd.DataFrame, plan: pd.DataFrame) -> list[str]:
    """Open items no department owns: nobody to send them to."""
    p = problems[(problems["status"].fillna("open") != "closed") & problems["owner_department"].fillna("").astype(str)
                 .str.strip().eq("")]["problem_id"]
    a = plan[~plan["status"].fillna("planned").isin(DONE_ACTIONS) & plan["department"].fillna("").astype(str)
             .str.strip().eq("")]["action_id"]
    return [str(x) for x in (*p, *a)]


def fingerprint(batch: str, master_id: str, department: str, table: Table, item: str, row: dict) -> str:
    """A hash of what the department may not change (its locked fields), the values of its editable fields
    as sent, the item, the department, the batch and the master workbook."""
    parts = [FORMAT, batch, master_id, department, table.key, item]
    parts += [f"{f.key}={canon(row.get(f.key), f)}" for f in table.fields]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def locked_fingerprint(batch, master_id, department, table: Table, item: str, returned: dict, sent: dict) -> str:
    """The fingerprint of a returned row: its locked fields as returned, its editable fields as they were sent."""
    row = {f.key: returned.get(f.key) for f in locked(table)}
    row.update({f.key: sent.get(f.key) for f in editable(table)})
    return fingerprint(batch, master_id, department, table, item, row)


def sent_values(row: dict, table: Table) -> str:
    """The editable fields as sent, as carried in the hidden sheet (canonical text, JSON)."""
    return json.dumps({f.key: canon(row.get(f.key), f) for f in editable(table)}, ensure_ascii=False, sort_keys=True)


def typed_sent(text: str, table: Table) -> dict:
    """The hidden sheet's sent values back as typed values comparable with a frame's."""
    raw = json.loads(text)
    out = {}
    for f in editable(table):
        v = raw.get(f.key, "")
        if v == "":
            out[f.key] = None
        elif f.type in ("date", "datetime"):
            out[f.key] = pd.Timestamp(v)
        elif f.type == "bool":
            out[f.key] = v == "1"
        elif f.type in ("integer", "number", "percent"):
            out[f.key] = float(v)
        else:
            out[f.key] = v
    return out


def digest(cells: list[list[str]]) -> str:
    """The hash of the hidden sheet's text, kept in the master: altering any of it changes this."""
    h = hashlib.sha256()
    for row in cells:
        h.update("\x1f".join(row).encode("utf-8") + b"\x1e")
    return h.hexdigest()


def merge_field(sent: str, master: str, returned: str, superseded: bool = False) -> str:
    """Three canonical values decide: the department's change lands only where the master still holds what
    was sent (or what this department's earlier return of the batch put there: ``superseded``)."""
    if returned == sent:
        return "same"
    if returned == master:
        return "done"
    if master == sent or superseded:
        return "apply"
    return "conflict"


ACTION_ORDER = {"planned": 0, "overdue": 0, "in_progress": 1, "done": 2}  # overdue is a date, not a step


@dataclass
class Ruling:
    """What §10's rules make of one returned row: refused (with a reason key), held for the quality team, or
    let through, perhaps with an adjustment said (done at 95 % is done at 100 %)."""

    refuse: str | None = None
    hold: str | None = None
    adjust: dict = field(default_factory=dict)
    said: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)


def department_rules(table: Table, sent: dict, locked_row: dict, returned: dict, collected: dt.date,
                     sent_on: dt.date | None, accepted: bool = False) -> Ruling:
    """The moves a department may make (DOMAIN.md §10), judged on one row: ``sent`` its editable values as sent,
    ``locked_row`` the master's row (start, deadline), ``returned`` the row as it came back."""
    r = Ruling()
    status_f = table.field("status") if "status" in table.keys else None
    old = plain(sent.get("status"), status_f) if status_f else None
    new = plain(returned.get("status"), status_f) if status_f else None
    changed = status_f is not None and new != old
    if table is schema.PROBLEMS:
        if changed and new == "closed":
            r.refuse = "rule_no_closing"
        return r
    if table is not schema.PLAN:
        return r
    if changed and new == "cancelled":
        r.refuse = "rule_no_cancelling"
    elif changed and new == "overdue":
        r.refuse = "rule_overdue_is_computed"
    elif changed and new in ACTION_ORDER and old in ACTION_ORDER and ACTION_ORDER[new] < ACTION_ORDER[old]:
        r.refuse, r.facts = "rule_no_going_back", {"old": old, "new": new}
    if r.refuse:
        return r
    done_on = returned.get("completed_on")
    if not _blank(done_on):
        day = pd.Timestamp(done_on).date()
        start = locked_row.get("start")
        if not _blank(start) and day < pd.Timestamp(start).date():
            r.refuse, r.facts = "rule_done_before_start", {"date": day.isoformat(),
                                                         "start": pd.Timestamp(start).date().isoformat()}
        elif day > collected:
            r.refuse, r.facts = "rule_done_in_future", {"date": day.isoformat(), "today": collected.isoformat()}
        if r.refuse:
            return r
    if new == "done":
        progress = returned.get("progress_pct")
        if _blank(progress) or float(progress) < 100:
            r.adjust["progress_pct"] = 100.0
            r.said.append("rule_done_means_100")
        deadline = locked_row.get("deadline")
        late_when_sent = old == "overdue" or (sent_on is not None and not _blank(deadline)
                                              and pd.Timestamp(deadline).date() < sent_on and old != "done")
        if changed and late_when_sent and not _blank(done_on) and not _blank(deadline) \
                and pd.Timestamp(done_on).date() <= pd.Timestamp(deadline).date() and not accepted:
            r.hold = "rule_late_reported_on_time"
            r.facts = {"date": pd.Timestamp(done_on).date().isoformat(),
                       "deadline": pd.Timestamp(deadline).date().isoformat(),
                       "days": (sent_on - pd.Timestamp(deadline).date()).days if sent_on else 0}
    return r


# The 一线反馈 sheet of a department's workbook (DOMAIN.md §10): the one place a return adds rows.  The department
# fills these columns; the department itself is the file's, and the status and problem are the quality team's.
FEEDBACK_COLUMNS = ("date", "person", "kind", "text")
FEEDBACK_ROWS = 200  # unlocked, validated rows offered for entries


def feedback_fingerprints(batch: str, master_id: str, department: str, rows: pd.DataFrame) -> list[str]:
    """One hash per entry a department added: its batch, the master, the department and what it says.  The same
    entry in a second return of the file (collected again, or a corrected copy) hashes alike and is not added
    twice; two identical entries in one file are told apart by their count."""
    t = schema.FEEDBACK
    seen: dict[tuple, int] = {}
    out = []
    for row in rows.to_dict("records"):
        key = tuple(canon(row.get(k), t.field(k)) for k in FEEDBACK_COLUMNS)
        seen[key] = seen.get(key, 0) + 1
        parts = [FORMAT, batch, master_id, department, "feedback", *key, str(seen[key])]
        out.append(hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16])
    return out
