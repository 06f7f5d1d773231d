"""Turning a pasted or exported sheet into a typed table, with every problem located.

The same function serves the import of an export file and the check of a table the
user pasted into the workbook, so that both find the same problems in the same words.
"""
from __future__ import annotations

import re
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
    issues: list[Issue] = [Issue(int(r), str(h), text, "cell_error", (), where) for r, h, text in cell_errors]
    out = pd.DataFrame(index=raw.index)
    derived = _derived(table, raw, rows, headers, opts, issues, where)
    found = listing(str(c) for c in raw.columns[:30])
    for f in table.fields:
        src = headers.get(f.key)
        if src is None:
            if f.required and f.key not in derived:
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
    if table.id_field and table.field(table.id_field).unique and table.id_field in headers:
        _check_unique(out[table.id_field], rows, headers[table.id_field], existing_ids, issues, where)
    _check_one_of(table, out, rows, issues, where)
    issues.sort(key=lambda i: (i.row is not None, i.row or 0))
    notes = [("passed_over", (("field", k), ("taken", a), ("other", b))) for k, a, b in passed]
    texts = [headers[f.key] for f in table.fields if f.type == "text" and f.key in headers] + list(extra)
    if removed := sum(control_chars(raw[c]) for c in texts):
        notes.append(("control_chars_removed", (("count", removed),)))
    return Parsed(table, out, rows, issues, extra, headers, fmt.name if fmt else None, notes)


def _derived(table, raw, rows, headers, opts, issues, where) -> dict[str, pd.Series]:
    """Timestamps that durations stand in for: created_at + first_response_min minutes, and so on."""
    out: dict[str, pd.Series] = {}
    if not table.derived or "created_at" not in headers:
        return out
    created = None
    for f in table.derived:
        src = headers.get(f.key)
        if src is None:
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


def _type_reason(f) -> tuple[str, tuple]:
    if f.type in ("datetime", "date"):
        return "bad_datetime", ()
    if f.type == "bool":
        return "bad_bool", ()
    if f.type == "integer":
        return "bad_integer", ()
    if f.type in ("number", "percent"):
        return "bad_number", ()
    if f.type == "enum":
        return "bad_enum", (("allowed", "/".join(f.enum.labels("zh") + f.enum.keys())),)
    return "bad_number", ()


def _mask(s) -> np.ndarray:
    return pd.Series(s).fillna(False).to_numpy(dtype=bool)


def _check_field(f, parsed, raw_col, bad, rows, header, issues, where):
    if f.required:
        for i in parsed.index[(parsed.isna() & ~bad).to_numpy()]:
            issues.append(Issue(int(rows[i]), header, None, "required", (), where))
    if f.type in ("integer", "number", "percent"):
        for limit, test, reason, arg in ((f.minimum, parsed.lt, "below_min", "minimum"),
                                         (f.maximum, parsed.gt, "above_max", "maximum"),
                                         (f.above, parsed.le, "not_above", "minimum")):
            if limit is not None:
                for i in parsed.index[_mask(test(limit))]:
                    issues.append(Issue(int(rows[i]), header, raw_col[i], reason, ((arg, limit),), where))
    if f.type == "text":
        _check_length(raw_col, rows, header, issues, where)


def utf16_units(text: str) -> int:
    """Length as Excel counts it: UTF-16 code units (a character beyond the BMP, an emoji, takes two)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # in a Python str a paired surrogate is one code point
CONTROL_CHARS = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"  # what XML 1.0 cannot hold (tab, CR, LF it can)


def _texts(col) -> pd.Series | None:
    """The column's cells as text ('' where not text); None for a column that holds no text."""
    if col.dtype == object:  # kept as Python text: a lone surrogate cannot enter Arrow
        return pd.Series([v if isinstance(v, str) else "" for v in col], index=col.index, dtype=object)
    if pd.api.types.is_string_dtype(col.dtype):
        return col.fillna("")
    return None


def control_chars(col) -> int:
    """How many characters the file cannot store (the sheet writer drops them): the import says so."""
    texts = _texts(col)
    return 0 if texts is None or texts.empty else int(texts.str.count(CONTROL_CHARS).sum())


def _check_length(col, rows, header, issues, where):
    """A text longer than a cell holds (in UTF-16 units, as Excel counts) is an error for that cell, never a
    silent cut; so is a lone surrogate (half of a UTF-16 pair, as Excel can hand over through COM), which no
    file can store."""
    texts = _texts(col)
    if texts is None:
        return
    lone = pd.Series([texts.dtype == object and bool(_LONE_SURROGATE.search(v)) for v in texts], index=texts.index)
    for i in texts.index[_mask(lone)]:
        shown = _LONE_SURROGATE.sub("\ufffd", texts[i][:40])
        issues.append(Issue(int(rows[i]), header, shown, "lone_surrogate", (), where))
    maybe_long = _mask(~lone & (texts.str.len() > EXCEL_TEXT_LIMIT // 2))  # one UTF-16 unit or two per character
    for i in texts.index[maybe_long]:
        if utf16_units(texts[i]) > EXCEL_TEXT_LIMIT:
            issues.append(Issue(int(rows[i]), header, texts[i][:40] + "…", "too_long",
                                (("limit", EXCEL_TEXT_LIMIT),), where))


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


def _check_one_of(table, out, rows, issues, where):
    if table.needs_one_of:
        none = out[list(table.needs_one_of)].isna().all(axis=1).to_numpy()
        names = "/".join(table.field(k).zh + "(" + table.field(k).en + ")" for k in table.needs_one_of)
        for i in out.index[none]:
            issues.append(Issue(int(rows[i]), names, None, "need_one_of", (("fields", names),), where))
