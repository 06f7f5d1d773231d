"""Turning a pasted or exported sheet into a typed table, with every problem located.

The same function serves the import of an export file and the check of a table the
user pasted into the workbook, so that both find the same problems in the same words.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from . import settings, values
from .locale import current, listing, text
from .schema import IGNORE, Table, norm


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
# Record ids that say nothing of the ticket (a Salesforce 18-character ``Id``, Jira's ``Issue id``): a more specific id
# column (CaseNumber, Issue key, number) wins over them whatever matched it (DOMAIN.md §3).
GENERIC_IDS = {norm(s) for s in ("id", "issue id", "record id", "row id")}


def known_headers(table: Table, mapping: dict[str, str] | None = None) -> set[str]:
    """Every header (normalised) that would fill a field of ``table``: how the header row of an export is found."""
    from .formats import FORMATS

    out = {norm(s) for f in (*table.fields, *table.derived) for s in (f.key, f.zh, f.en, *f.aliases)}
    out |= {norm(s) for fmt in FORMATS if fmt.table == table.key for s in (*fmt.columns, *fmt.ids, *fmt.created)}
    out |= {norm(s) for _, dates, times in table.joins for s in (*dates, *times)}
    return out | {norm(s) for s in (mapping or {})}  # who says which column fills a field, strongest first


def match_headers(table: Table, headers: list[str], mapping: dict[str, str] | None = None, fmt=None,
                  ranks: dict | None = None):
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
        if user.get(n) == IGNORE:  # set aside by the user: kept as it came, filling no field
            continue
        for rank, source in enumerate((user, names, vendor, aliases)):
            if n in source:
                claims.setdefault(source[n], []).append((rank, i, h))
                break
    keys: dict[str, str] = {}
    notes: list[tuple[str, str, str]] = []  # (field, taken, passed over)
    for key, found in claims.items():
        found.sort(key=lambda c: (c[0] if c[0] == 0 or norm(c[2]) not in GENERIC_IDS else len(RANKS), c[1]))
        keys[key] = found[0][2]
        if ranks is not None:
            ranks[key] = RANKS[found[0][0]]
        notes += [(key, found[0][2], other[2]) for other in found[1:]]
    taken = set(keys.values())
    extra = [h for h in headers if h not in taken]
    return keys, extra, notes


def _unreadable_aliases(table, raw, headers, ranks, opts) -> dict[str, str]:
    """Columns matched only by an alias whose values mostly do not read as the field's type (a call log's
    ``Resolved`` holding Y/N is no resolution time): taken out of ``headers``, to be kept as extra columns."""
    out = {}
    for key, header in list(headers.items()):
        f = table.field_or_derived(key)
        if key == table.id_field and norm(header) in GENERIC_IDS and ranks.get(key) != "mapping" \
                and _record_ids(raw[header]):  # a Salesforce record Id is no ticket number, even alone
            out[key] = headers.pop(key)
            continue
        if ranks.get(key) != "alias" or f.type in ("text", "enum"):
            continue
        col = values.blank_placeholders(raw[header].head(SAMPLE))[0]  # a sample says what a column holds
        filled = int((~values.is_blank(col)).sum())
        if f.derives and f.type != "datetime":
            bad = values.seconds_of(col, 1)[1]
        else:
            bad = values.parse(col, f.type, f.enum, values.ParseOptions(opts.day_first if opts else False), key)[1]
        if filled and int(bad.sum()) * 2 > filled:
            out[key] = headers.pop(key)
    return out


SAMPLE = 5000  # values looked at to tell what a column holds
# Salesforce record ids: 15 characters (key prefix, pod, a reserved 0, the record), 18 with a case-safe suffix
SALESFORCE_ID = r"^[0-9a-zA-Z]{5}0[0-9a-zA-Z]{9}([0-9a-zA-Z]{3})?$"


def _record_ids(col: pd.Series) -> bool:
    """Whether most values of an id column are Salesforce record ids (``5003000000D8cuIAAR``)."""
    sample = col.head(SAMPLE).dropna().astype(str).str.strip()
    if sample.empty:
        return False
    ids = sample.str.match(SALESFORCE_ID) & sample.str.contains(r"[A-Za-z]") & sample.str.contains(r"\d")
    return bool(ids.mean() > 0.5)


def join_date_time(table, raw: pd.DataFrame, mapping: dict[str, str] | None, opts=None):
    """A date and a time in two columns make one datetime (DOMAIN.md §3): a mapping ``Date+Time`` → field, or two
    mapping rows for one datetime field. Returns the source with the joined column added and the mapping to it."""
    if not mapping:
        return raw, mapping
    columns = {norm(c): str(c) for c in raw.columns}
    by_field: dict[str, list[str]] = {}
    for header, key in mapping.items():
        by_field.setdefault(key, []).append(header)
    joined, mapping = {}, dict(mapping)
    for key, heads in by_field.items():
        if key not in table.keys or table.field(key).type != "datetime":
            continue
        parts = [columns.get(norm(p.strip())) for h in heads for p in h.split("+")] if len(heads) == 1 else \
            [columns.get(norm(h)) for h in heads]
        if len(parts) != 2 or None in parts:
            continue
        date, time = sorted(parts, key=lambda c: values.time_share(raw[c].head(SAMPLE)))
        if values.time_share(raw[time].head(SAMPLE)) <= 0.5:  # two full datetimes: not a date and a time
            continue
        name = f"{date}+{time}"
        joined[name] = values.join_date_time(raw[date], raw[time], opts, key)
        for h in heads:
            del mapping[h]
        mapping[name] = key
    if not joined:
        return raw, mapping
    return raw.assign(**joined), mapping


EXCEL_TEXT_LIMIT = 32_767  # characters Excel holds in one cell


def parse_table(table: Table, raw: pd.DataFrame, rows: pd.Series, *, where: str = "",
                mapping: dict[str, str] | None = None, opts: values.ParseOptions | None = None,
                existing_ids=None, cell_errors=(), header_row: int | None = None) -> Parsed:
    """Parse ``raw`` (columns as in the source) against ``table``; collect every problem.

    The rules come from the schema (types, required, bounds, ``not_before``, ``at_most``,
    one-of requirements); ``cell_errors`` are (row, header, text) of error cells (#N/A…) the
    reader found, which are problems of their own.
    """
    from .formats import detect, near_miss

    raw, mapping = join_date_time(table, raw, mapping, opts)
    fmt = detect(table.key, [str(c) for c in raw.columns])
    ranks: dict[str, str] = {}
    headers, extra, passed = match_headers(table, [str(c) for c in raw.columns], mapping, fmt, ranks)
    raw = _joined(table, raw, headers, extra, opts)
    unread = _unreadable_aliases(table, raw, headers, ranks, opts)
    if unread:
        extra = [str(c) for c in raw.columns if str(c) in extra or str(c) in unread.values()]
    if fmt is not None and fmt.codes:  # a vendor's numeric codes, read only under its name; the user's map wins
        opts = opts or values.ParseOptions()
        opts = replace(opts, value_map={k: {**fmt.codes.get(k, {}), **opts.value_map.get(k, {})}
                                        for k in {*fmt.codes, *opts.value_map}})
    issues: list[Issue] = [Issue(int(r), str(h), text, "cell_error", (), where) for r, h, text in cell_errors]
    _without_surrogates(raw, rows, issues, where)
    out = pd.DataFrame(index=raw.index)
    derived = _derived(table, raw, rows, headers, opts, issues, where)
    derived |= _negations(table, raw, rows, headers, issues, where)
    found = listing(str(c) for c in raw.columns[:30])
    blanked: list[tuple[str, int, list]] = []  # (column, cells, placeholders as written)
    defaults = opts.defaults if opts is not None else {}
    notes: list = []
    for f in table.fields:
        src = headers.get(f.key)
        if src is None and f.required and defaults.get(f.key) and len(raw):  # the workbook's default department
            col = pd.Series(defaults[f.key], index=raw.index, dtype=object)
            notes.append(("default_used", (("zh", f.zh), ("en", f.en), ("value", defaults[f.key]),
                                           ("count", len(raw)))))
        elif src is None:
            invited = table.invitation is not None and f.key in table.invitation[1] and table.invitation[0] in headers
            if f.required and f.key not in derived and not invited:  # an invitations export has no answers yet
                reason = "missing_column_default" if f"default_{f.key}" in settings.BY_KEY else "missing_column"
                issues.append(Issue(None, f.key, None, reason,
                                    (("zh", f.zh), ("en", f.en), ("found", found), ("row", header_row or 1),
                                     ("where", where)), where))
            col = pd.Series(None, index=raw.index, dtype=object)
        else:
            col, held = values.blank_placeholders(raw[src])  # "-", "N/A", "无"…: blank in every field
            if held.any():
                blanked.append((src, int(held.sum()), list(dict.fromkeys(str(v).strip() for v in raw[src][held]))[:3]))
        parsed, bad = values.parse(col, f.type, f.enum, opts, f.key)
        for i in raw.index[bad.to_numpy()]:
            reason, args = _type_reason(f)
            issues.append(Issue(int(rows[i]), src, col[i], reason, args, where))
        if f.key in derived:  # a duration stands in where the timestamp is blank
            parsed = parsed.where(parsed.notna(), derived[f.key])
        out[f.key] = parsed  # blank stays blank: defaults apply when computing (DOMAIN.md §3)
        if src is not None or f.key in derived or f.key in defaults:  # a missing column is one problem, not one per row
            _check_field(f, out[f.key], col, bad, rows, src or f.label(current()), issues, where)
    if extra:  # at once: one column at a time fragments the frame (pandas warns) on an export 20 000 columns wide
        # an Excel time cell stays 0:02:23, not a date of 1899
        out = pd.concat([out, pd.DataFrame({e: values.as_written(raw[e]) for e in extra}, index=raw.index)], axis=1)
    for e in extra:
        _check_length(raw[e], rows, e, issues, where)
    for f in table.fields:
        _check_relations(f, out, raw, rows, headers, issues, where)
        if f.implied_by and (f.key in headers or f.key in derived):
            _implied(f, out, rows, headers, issues, where)
    if table.id_field and table.field(table.id_field).unique and table.id_field in headers:
        _check_unique(out[table.id_field], rows, headers[table.id_field], existing_ids, issues, where)
    waiting = _invitations(table, out, rows, headers, issues)
    _check_one_of(table, out[~waiting], rows, issues, where)
    if cell_errors:  # an error cell is that error, not also a missing value
        erred = {(int(r), str(h)) for r, h, _ in cell_errors}
        issues = [i for i in issues if not (i.reason == "required" and (i.row, i.column) in erred)]
    issues.sort(key=lambda i: (i.row is not None, i.row or 0))
    notes += [("passed_over", (("field", k), ("taken", a), ("other", b))) for k, a, b in passed]
    notes += [("record_id_unused" if k == table.id_field else "alias_unreadable", (("field", k), ("column", h)))
              for k, h in unread.items()]
    missed = near_miss(table.key, [str(c) for c in raw.columns]) if fmt is None else None
    if missed:
        notes.insert(0, ("format_near_miss", (("name", missed[0].name), ("missing", listing(f"“{c}”" for c in missed[1])))))
    notes += [("placeholders_blank", (("column", c), ("count", n), ("values", listing(f"“{v}”" for v in vs))))
              for c, n, vs in blanked]
    texts = [headers[f.key] for f in table.fields if f.type == "text" and f.key in headers] + list(extra)
    if removed := sum(control_chars(raw[c]) for c in texts):
        notes.append(("control_chars_removed", (("count", removed),)))
    return Parsed(table, out, rows, issues, extra, headers, fmt.name if fmt else None, notes)


def _derived(table, raw, rows, headers, opts, issues, where) -> dict[str, pd.Series]:
    """Timestamps that durations stand in for: created_at + first_response_min minutes, and so on."""
    out: dict[str, pd.Series] = {}
    if not table.derived or "created_at" not in headers:
        return out  # without a creation time, neither a duration nor a closing time places a ticket
    created = None
    for f in table.derived:
        src = headers.get(f.key)
        if src is None or f.derives is None:
            continue
        target, seconds = f.derives
        if f.type == "datetime":  # closed_at: the resolution time only when the export has no resolution column
            resolution = [g.key for g in table.derived if g.derives and g.derives[0] == target and g.type != "datetime"]
            if target not in headers and not any(k in headers for k in resolution):
                out[target], bad = values.parse(values.blank_placeholders(raw[src])[0], "datetime", None, opts, f.key)
                for i in raw.index[bad.to_numpy()]:
                    issues.append(Issue(int(rows[i]), src, raw[src][i], "bad_datetime", (), where))
            continue
        if created is None:  # read again by the fields' loop, which says its notes (order, placeholders): not twice
            quiet = replace(opts, notes=[]) if opts is not None else None
            created, _ = values.parse(raw[headers["created_at"]], "datetime", None, quiet)
        seconds, bad = values.seconds_of(values.blank_placeholders(raw[src])[0], seconds)  # any unit, hh:mm:ss
        for i in raw.index[bad.to_numpy()]:
            issues.append(Issue(int(rows[i]), src, raw[src][i], "bad_duration", (), where))
        _check_field(f, seconds / f.derives[1], raw[src], bad, rows, src, issues, where)
        stamp = created + pd.to_timedelta(seconds, unit="s")
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
        raw = raw.assign(**{name: values.join_date_time(raw[d], raw[t], opts, key)})
        headers[key] = name
        extra[:] = [h for h in extra if h not in (d, t)]
    return raw


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
    if f.type == "seconds":
        return "bad_duration", ()
    if f.type == "enum":  # each language lists its own labels
        return "bad_enum", (("allowed_zh", "/".join(f.enum.labels("zh"))), ("allowed_en", "/".join(f.enum.labels("en"))))
    return "bad_number", ()  # number and percent (a text is never unreadable)


def _mask(s) -> np.ndarray:
    return pd.Series(s).fillna(False).to_numpy(dtype=bool)


def _check_field(f, parsed, raw_col, bad, rows, header, issues, where):
    if f.required:
        filled = ~values.is_blank(raw_col)
        for i in parsed.index[(parsed.isna() & ~bad).to_numpy()]:
            if filled[i]:  # a placeholder date (1900-01-01) where a value is required
                issues.append(Issue(int(rows[i]), header, raw_col[i], "placeholder_required", (), where))
            else:
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


_SURROGATE = r"[\ud800-\udfff]"


def _without_surrogates(raw: pd.DataFrame, rows, issues: list, where: str) -> None:
    """A lone surrogate (half of a UTF-16 pair, from a damaged export) cannot be stored: an error for its
    cell, located, and the character replaced by U+FFFD in ``raw`` itself, so that the row can still be
    written to 导入错误."""
    for k, c in enumerate(raw.columns):  # by position: a returned sheet may repeat a header
        col = raw.iloc[:, k]
        if col.dtype != object or _encodes(col):
            continue
        hit = col.map(lambda v: isinstance(v, str) and any("\ud800" <= ch <= "\udfff" for ch in v)).to_numpy(bool)
        for i in raw.index[hit]:
            shown = col[i].encode("utf-8", "backslashreplace").decode("utf-8")
            issues.append(Issue(int(rows[i]), str(c), shown[:60], "lone_surrogate", (), where))
        raw.isetitem(k, col.where(~hit, col[hit].str.replace(_SURROGATE, "\ufffd", regex=True)))


def _encodes(col: pd.Series) -> bool:
    """Whether the column's texts all encode as UTF-8, found in one pass in C: almost every column does, and
    a lone surrogate is the only text that does not."""
    try:
        "".join([v for v in col.to_numpy() if isinstance(v, str)]).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def utf16_units(text: str) -> int:
    """Length as Excel counts it: UTF-16 code units (a character beyond the BMP, an emoji, takes two)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


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
    silent cut (lone surrogates are ``_without_surrogates``'s, found once for every column before)."""
    texts = _texts(col)
    if texts is None:
        return
    # lone surrogates were found and replaced before (``_without_surrogates``): one error per cell, once
    maybe_long = _mask(texts.str.len() > EXCEL_TEXT_LIMIT // 2)  # one UTF-16 unit or two per character
    for i in texts.index[maybe_long]:
        if utf16_units(texts[i]) > EXCEL_TEXT_LIMIT:
            issues.append(Issue(int(rows[i]), header, texts[i][:40] + "…", "too_long",
                                (("limit", EXCEL_TEXT_LIMIT),), where))


def _check_relations(f, out, raw, rows, headers, issues, where):
    """Rules between two fields of a row, as the schema declares them."""
    for other, reason in ((f.not_before, "before_other"), (f.at_most, "above_other")):
        if other is None or f.key not in headers:
            continue
        if reason == "before_other":  # times written to the minute are compared at the minute
            from .core.minutes import at_the_minute

            mine, theirs = at_the_minute(out[f.key], out[other])
            wrong = mine < theirs
        else:
            wrong = out[f.key] > out[other]
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
                issues.append(Issue(int(p.rows[i]), p.headers.get(f.key, f.label(current())), col[i], "unknown_reference",
                                    (("zh", other.sheet_zh), ("en", other.sheet_en)),
                                    (where or {}).get(p.table.key, p.table.sheet(current()))))
    return issues


def _check_unique(ids, rows, header, existing, issues, where):
    filled = ids.dropna()
    clash = _isin(filled, existing) if existing is not None and len(existing) else np.zeros(len(filled), dtype=bool)
    dup = filled.duplicated(keep="first").to_numpy(dtype=bool) & ~clash
    if not (clash.any() or dup.any()):
        return  # the common case: no Python object made of a million ids
    vals = filled.to_numpy(dtype=object)
    rws = rows.reindex(filled.index).to_numpy()
    issues += [Issue(int(r), header, v, "duplicate_existing", (), where) for v, r in zip(vals[clash], rws[clash])]
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
        excused = set(rows[waiting])  # row numbers: an issue's int row is found among them
        columns = {headers.get(k) for k in blank}  # a field without a column has no row problem to drop
        issues[:] = [i for i in issues if not (i.reason == "required" and i.row in excused and i.column in columns)]
    return waiting


def _check_one_of(table, out, rows, issues, where):
    """A row needs one of these filled; a survey row with nothing in it is at most one problem, never one per blank
    column (DOMAIN.md §3).  Invitations not answered (``Table.invitation``) are left out by the caller."""
    if table.needs_one_of:
        none = out[list(table.needs_one_of)].isna().all(axis=1)
        names = {lang: "/".join(table.field(k).label(lang) for k in table.needs_one_of) for lang in ("zh", "en")}
        lone = {int(rows[i]) for i in out.index[none.to_numpy()]}  # ``out`` may be some rows: invitations left out
        issues[:] = [i for i in issues if not (i.reason == "required" and i.row in lone)]
        for i in out.index[none.to_numpy()]:
            issues.append(Issue(int(rows[i]), names[current()], None, "need_one_of",
                                (("zh", names["zh"]), ("en", names["en"])), where))
