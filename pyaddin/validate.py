"""Turning a pasted or exported sheet into a typed table, with every problem located.

The same function serves the import of an export file and the check of a table the
user pasted into the workbook, so that both find the same problems in the same words.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import values
from .locale import current, listing, text
from .schema import Table, norm


@dataclass(frozen=True)
class Issue:
    """One bad cell (or a missing column when ``row`` is None), where the user will look for it."""

    row: int | None
    column: str
    value: object
    reason: str
    args: tuple = ()
    where: str = ""  # file name or sheet name

    def message(self, lang: str) -> str:
        reason = text(self.reason, lang, **dict(self.args))
        if self.row is None:
            return reason
        line = text("issue_line", lang, row=self.row, column=self.column, value=_show(self.value), reason=reason)
        return f"{self.where}: {line}" if self.where else line

    def both(self) -> str:
        return f"{self.message('zh')} | {self.message('en')}"

    def say(self) -> str:
        return self.message(current())


@dataclass
class Parsed:
    """A typed table in canonical columns (plus the extra ones kept as they came)."""

    table: Table
    data: pd.DataFrame
    rows: pd.Series  # source row number of each data row
    issues: list[Issue] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # field key → header as in the source
    format: str | None = None  # the export format recognised, if any
    notes: list = field(default_factory=list)  # (message key, args): what the import should say

    @property
    def bad_rows(self) -> pd.Index:
        bad = {i.row for i in self.issues if i.row is not None}
        return self.data.index[self.rows.isin(bad)]

    @property
    def fatal(self) -> bool:
        return any(i.row is None for i in self.issues)


def _show(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    return str(v)


RANKS = ("mapping", "name", "format", "alias")


def known_headers(table: Table, mapping: dict[str, str] | None = None) -> set[str]:
    """Every header (normalised) that would fill a field of ``table``: how the header row of an export is found."""
    from .formats import FORMATS

    out = {norm(s) for f in (*table.fields, *table.derived) for s in (f.key, f.zh, f.en, *f.aliases)}
    out |= {norm(s) for fmt in FORMATS if fmt.table == table.key for s in (*fmt.columns, *fmt.signature)}
    out |= {norm(s) for _, dates, times in table.joins for s in (*dates, *times)}
    return out | {norm(s) for s in (mapping or {})}  # who says which column fills a field, strongest first


def match_headers(table: Table, headers: list[str], mapping: dict[str, str] | None = None, fmt=None):
    """Source headers → field keys: a user's mapping, then a field's own key or label, then the recognised
    export format, then known aliases; for each field the strongest claim wins (the first column among
    equals). Returns (field → header, extra headers kept as they came, notes on columns passed over)."""
    fields = (*table.fields, *table.derived)
    names = {norm(s): f.key for f in fields for s in (f.key, f.zh, f.en)}
    aliases: dict[str, str] = {}
    for f in fields:
        for s in f.aliases:
            aliases.setdefault(norm(s), f.key)
    user = {norm(s): k for s, k in (mapping or {}).items()}
    vendor = {norm(s): k for s, k in (fmt.columns.items() if fmt else ())}
    claims: dict[str, list[tuple[int, int, str]]] = {}
    for i, h in enumerate(headers):
        n = norm(h)
        for rank, source in enumerate((user, names, vendor, aliases)):
            if n in source:
                claims.setdefault(source[n], []).append((rank, i, h))
                break
    keys: dict[str, str] = {}
    notes: list[tuple[str, str, str]] = []  # (field, taken, passed over)
    for key, found in claims.items():
        found.sort()
        keys[key] = found[0][2]
        notes += [(key, found[0][2], other[2]) for other in found[1:]]
    taken = set(keys.values())
    extra = [h for h in headers if h not in taken]
    return keys, extra, notes


EXCEL_TEXT_LIMIT = 32_767  # characters Excel holds in one cell


def parse_table(table: Table, raw: pd.DataFrame, rows: pd.Series, *, where: str = "",
                mapping: dict[str, str] | None = None, opts: values.ParseOptions | None = None,
                existing_ids=None, cell_errors=(), header_row: int | None = None) -> Parsed:
    """Parse ``raw`` (columns as in the source) against ``table``; collect every problem.

    The rules come from the schema (types, required, bounds, ``not_before``, ``at_most``,
    one-of requirements); ``cell_errors`` are (row, header, text) of error cells (#N/A…) the
    reader found, which are problems of their own.
    """
    from .formats import detect

    fmt = detect(table.key, [str(c) for c in raw.columns])
    headers, extra, passed = match_headers(table, [str(c) for c in raw.columns], mapping, fmt)
    raw = _joined(table, raw, headers, extra, opts)
    issues: list[Issue] = [Issue(int(r), str(h), text, "cell_error", (), where) for r, h, text in cell_errors]
    out = pd.DataFrame(index=raw.index)
    derived = _derived(table, raw, rows, headers, opts, issues, where)
    derived |= _negations(table, raw, rows, headers, issues, where)
    found = listing(str(c) for c in raw.columns[:30])
    for f in table.fields:
        src = headers.get(f.key)
        if src is None:
            invited = table.invitation is not None and f.key in table.invitation[1] and table.invitation[0] in headers
            if f.required and f.key not in derived and not invited:  # an invitations export has no answers yet
                issues.append(Issue(None, f.key, None, "missing_column",
                                    (("zh", f.zh), ("en", f.en), ("found", found), ("row", header_row or 1),
                                     ("where", where)), where))
            col = pd.Series(None, index=raw.index, dtype=object)
        else:
            col = raw[src]
        parsed, bad = values.parse(col, f.type, f.enum, opts, f.key)
        for i in raw.index[bad.to_numpy()]:
            reason, args = _type_reason(f)
            issues.append(Issue(int(rows[i]), src, col[i], reason, args, where))
        if f.key in derived:  # a duration stands in where the timestamp is blank
            parsed = parsed.where(parsed.notna(), derived[f.key])
        out[f.key] = parsed  # blank stays blank: defaults apply when computing (DOMAIN.md §3)
        _check_field(f, out[f.key], col, bad, rows, src or f.label("zh"), issues, where)
    for e in extra:
        out[e] = raw[e]
        _check_length(raw[e], rows, e, issues, where)
    for f in table.fields:
        _check_relations(f, out, raw, rows, headers, issues, where)
        if f.implied_by and (f.key in headers or f.key in derived):
            _implied(f, out, rows, headers, issues, where)
    if table.id_field and table.field(table.id_field).unique and table.id_field in headers:
        _check_unique(out[table.id_field], rows, headers[table.id_field], existing_ids, issues, where)
    waiting = _invitations(table, out, rows, headers, issues)
    _check_one_of(table, out[~waiting], rows, issues, where)
    issues.sort(key=lambda i: (i.row is not None, i.row or 0))
    notes = [("passed_over", (("field", k), ("taken", a), ("other", b))) for k, a, b in passed]
    return Parsed(table, out, rows, issues, extra, headers, fmt.name if fmt else None, notes)


def _derived(table, raw, rows, headers, opts, issues, where) -> dict[str, pd.Series]:
    """Timestamps that durations stand in for: created_at + first_response_min minutes, and so on."""
    out: dict[str, pd.Series] = {}
    if not table.derived or "created_at" not in headers:
        return out
    created = None
    for f in table.derived:
        src = headers.get(f.key)
        if src is None or f.derives is None:
            continue
        if created is None:
            created, _ = values.parse(raw[headers["created_at"]], "datetime", None, opts, "created_at")
        minutes, bad = values.parse(raw[src], f.type)
        for i in raw.index[bad.to_numpy()]:
            issues.append(Issue(int(rows[i]), src, raw[src][i], "bad_number", (), where))
        _check_field(f, minutes, raw[src], bad, rows, src, issues, where)
        target, seconds = f.derives
        stamp = created + pd.to_timedelta(minutes * seconds, unit="s")
        out[target] = stamp if target not in out else out[target].where(out[target].notna(), stamp)
    return out


def _joined(table, raw, headers, extra, opts) -> pd.DataFrame:
    """A field written in two columns (a call log's ``Date`` and ``Time``) read as one: ``Date+Time``.

    Only when no column fills the field by itself; both columns are then used, not kept as extras.  A row whose
    date or time cannot be read keeps both texts, so that the cell error shows what was there."""
    for key, dates, times in table.joins:
        if key in headers:
            continue
        d = next((h for h in extra if norm(h) in {norm(x) for x in dates}), None)
        t = next((h for h in extra if norm(h) in {norm(x) for x in times}), None)
        if d is None or t is None:
            continue
        name = f"{d}+{t}"
        raw = raw.assign(**{name: combine_date_time(raw[d], raw[t], opts, key)})
        headers[key] = name
        extra[:] = [h for h in extra if h not in (d, t)]
    return raw


def combine_date_time(date: pd.Series, time: pd.Series, opts=None, key: str = "") -> pd.Series:
    """One datetime from a date column and a time-of-day column (text ``9:12:58``, an Excel time cell or its
    fraction of a day); a blank time is midnight.  Unreadable halves are kept as text, to be reported."""
    day, bad_day = values.parse_datetime(date, opts, key)
    secs, bad_time = values.parse_seconds(time, day_fraction=True)
    bad_time |= secs.ge(86400).fillna(False)
    stamp = day.dt.normalize() + pd.to_timedelta(secs.fillna(0), unit="s")
    out = stamp.astype(object).where(stamp.notna(), None)
    wrong = (bad_day | bad_time).to_numpy(dtype=bool)
    if wrong.any():
        out[wrong] = (date[wrong].astype(str) + " " + time[wrong].astype(str)).to_numpy()
    return out


def _negations(table, raw, rows, headers, issues, where) -> dict[str, pd.Series]:
    """A yes/no column that says the opposite of a field (a call log's ``Abandoned`` for answered)."""
    out: dict[str, pd.Series] = {}
    for f in table.derived:
        src = headers.get(f.key)
        if f.negates is None or src is None:
            continue
        parsed, bad = values.parse(raw[src], "bool")
        for i in raw.index[bad.to_numpy()]:
            issues.append(Issue(int(rows[i]), src, raw[src][i], "bad_bool", (), where))
        out[f.negates] = ~parsed
    return out


def _implied(f, out, rows, headers, issues, where) -> None:
    """A blank yes/no is yes when the number it implies is above 0 (answered: talk time); else it is unknown."""
    blank = out[f.key].isna()
    other = pd.to_numeric(out[f.implied_by], errors="coerce")
    out.loc[blank & other.gt(0).fillna(False), f.key] = True
    header = headers.get(f.key) or f.label("zh")
    for i in out.index[_mask(out[f.key].isna())]:
        issues.append(Issue(int(rows[i]), header, None, "blank_implied",
                            (("zh", f.zh), ("en", f.en), ("other", headers.get(f.implied_by, f.implied_by))), where))


def _type_reason(f) -> tuple[str, tuple]:
    if f.type in ("datetime", "date"):
        return "bad_datetime", ()
    if f.type == "bool":
        return "bad_bool", ()
    if f.type == "integer":
        return "bad_integer", ()
    if f.type in ("number", "percent"):
        return "bad_number", ()
    if f.type == "seconds":
        return "bad_duration", ()
    if f.type == "enum":
        return "bad_enum", (("allowed", "/".join(f.enum.labels("zh") + f.enum.keys())),)
    return "bad_number", ()


def _mask(s) -> np.ndarray:
    return pd.Series(s).fillna(False).to_numpy(dtype=bool)


def _check_field(f, parsed, raw_col, bad, rows, header, issues, where):
    if f.required:
        for i in parsed.index[(parsed.isna() & ~bad).to_numpy()]:
            issues.append(Issue(int(rows[i]), header, None, "required", (), where))
    if f.type in ("integer", "number", "percent", "seconds"):
        for limit, test, reason, arg in ((f.minimum, parsed.lt, "below_min", "minimum"),
                                         (f.maximum, parsed.gt, "above_max", "maximum"),
                                         (f.above, parsed.le, "not_above", "minimum")):
            if limit is not None:
                for i in parsed.index[_mask(test(limit))]:
                    issues.append(Issue(int(rows[i]), header, raw_col[i], reason, ((arg, limit),), where))
    if f.type == "text":
        _check_length(raw_col, rows, header, issues, where)


def _check_length(col, rows, header, issues, where):
    """A text longer than a cell holds is an error for that cell, never a silent cut."""
    if not (col.dtype == object or pd.api.types.is_string_dtype(col.dtype)):
        return
    lengths = col.map(lambda v: len(v) if isinstance(v, str) else 0) if col.dtype == object else col.str.len()
    for i in col.index[_mask(lengths > EXCEL_TEXT_LIMIT)]:
        issues.append(Issue(int(rows[i]), header, col[i][:40] + "…", "too_long", (("limit", EXCEL_TEXT_LIMIT),), where))


def _check_relations(f, out, raw, rows, headers, issues, where):
    """Rules between two fields of a row, as the schema declares them."""
    for other, reason in ((f.not_before, "before_other"), (f.at_most, "above_other")):
        if other is None or f.key not in headers:
            continue
        wrong = out[f.key] < out[other] if reason == "before_other" else out[f.key] > out[other]
        label = f"{headers.get(other, other)}"
        for i in out.index[_mask(wrong)]:
            issues.append(Issue(int(rows[i]), headers[f.key], raw[headers[f.key]][i], reason, (("other", label),), where))


def check_references(parsed: dict[str, Parsed], where: dict[str, str] | None = None) -> list[Issue]:
    """Values that must exist in another table (a root cause's problem id in the problem list).

    ``where`` names the source of a table's rows (an imported file) instead of its sheet."""
    issues = []
    for p in parsed.values():
        for f in p.table.fields:
            if not f.references or f.references[0] not in parsed:
                continue
            key, field_ = f.references
            known = set(parsed[key].data[field_].dropna())
            col = p.data[f.key]
            for i in col.index[_mask(col.notna() & ~col.isin(known))]:
                other = parsed[key].table
                issues.append(Issue(int(p.rows[i]), p.headers.get(f.key, f.label("zh")), col[i], "unknown_reference",
                                    (("zh", other.sheet_zh), ("en", other.sheet_en)),
                                    (where or {}).get(p.table.key, p.table.sheet_zh)))
    return issues


def _check_unique(ids, rows, header, existing, issues, where):
    filled = ids.dropna()
    vals = filled.to_numpy(dtype=object)
    rws = rows.reindex(filled.index).to_numpy()
    clash = _isin(filled, existing) if existing is not None and len(existing) else np.zeros(len(filled), dtype=bool)
    issues += [Issue(int(r), header, v, "duplicate_existing", (), where) for v, r in zip(vals[clash], rws[clash])]
    dup = filled.duplicated(keep="first").to_numpy(dtype=bool) & ~clash
    if dup.any():
        first_row = dict(zip(vals[~dup][::-1], rws[~dup][::-1]))  # the first occurrence wins
        issues += [Issue(int(r), header, v, "duplicate", (("other", int(first_row[v])),), where)
                   for v, r in zip(vals[dup], rws[dup])]


def _isin(values: pd.Series, known) -> np.ndarray:
    """Membership in C++ for text ids (pandas' isin on Arrow text builds a Python object per value)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        known = pa.array(pd.Series(known).astype("str").array)
        return pc.fill_null(pc.is_in(pa.array(values.array), value_set=known), False).to_numpy(zero_copy_only=False)
    return values.isin(known).to_numpy(dtype=bool)


def _invitations(table, out, rows, headers, issues) -> pd.Series:
    """Rows that are invitations not answered (a survey sent: sent_at filled, no answer, no submission time); the
    required-field problems of the fields they leave blank are dropped.  Returns the mask of those rows."""
    if table.invitation is None:
        return pd.Series(False, index=out.index)
    key, blank = table.invitation
    waiting = out[key].notna() & out[list(blank)].isna().all(axis=1)
    if waiting.any():
        excused = set(rows[waiting].astype(int))
        columns = {headers.get(k, table.field(k).label("zh")) for k in blank}
        issues[:] = [i for i in issues if not (i.reason == "required" and i.row in excused and i.column in columns)]
    return waiting


def _check_one_of(table, out, rows, issues, where):
    if table.needs_one_of:
        none = out[list(table.needs_one_of)].isna().all(axis=1).to_numpy()
        names = "/".join(table.field(k).zh + "(" + table.field(k).en + ")" for k in table.needs_one_of)
        for i in out.index[none]:
            issues.append(Issue(int(rows[i]), names, None, "need_one_of", (("fields", names),), where))
