"""The user's own mappings: source headers to fields (字段映射) and source values to values (字段值映射).

A field may be named by its key or by its Chinese or English label, as the dropdown shows it;
a value by its key or either label.  A user's mapping always wins over the built-in ones.
"""
from __future__ import annotations

import pandas as pd

from . import schema
from .schema import Table, norm


def field_lookup(tables=None) -> dict[str, tuple[str, str]]:
    """norm(key or label) → (table key, field key) over the input tables (a label may name fields of several)."""
    out: dict[str, tuple[str, str]] = {}
    for t in tables or [schema.table(k) for k in schema.INPUT_TABLES]:
        for f in (*t.fields, *t.derived):
            for s in (f.key, f.zh, f.en):
                out.setdefault(f"{t.key}:{norm(s)}", (t.key, f.key))
    return out


def resolve_field(table: Table, name) -> str | None:
    """The field of ``table`` that ``name`` (a key or a label) denotes."""
    if name is None or (isinstance(name, float) and pd.isna(name)):
        return None
    n = norm(name)
    for f in (*table.fields, *table.derived):
        if n in (norm(f.key), norm(f.zh), norm(f.en)):
            return f.key
    return None


def set_aside(name) -> bool:
    """Whether a mapping row's field says to set the column aside (忽略 / Ignore)."""
    return isinstance(name, str) and norm(name) in {norm(s) for s in (schema.IGNORE, *schema.IGNORE_LABELS.values())}


def table_of(name) -> Table | None:
    n = norm(name)
    for t in schema.TABLES:
        if n in (norm(t.key), norm(t.name), norm(t.sheet_zh), norm(t.sheet_en)):
            return t
    return None


def header_maps(frame: pd.DataFrame, table: Table) -> dict[str, str]:
    """Source header → field key, from the 字段映射 rows of ``table`` whose field names a field."""
    out = {}
    for t, src, fld in zip(frame["table"], frame["source_header"], frame["field"]):
        if table_of(t) is table:
            key = schema.IGNORE if set_aside(fld) else resolve_field(table, fld)
            if key and isinstance(src, str) and src.strip():
                out[src.strip()] = key
    return out


def _canonical(f: schema.Field, value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if f.type == "bool":
        v = norm(value)
        if v in {norm(x) for x in schema.BOOL_TRUE}:
            return True
        if v in {norm(x) for x in schema.BOOL_FALSE if x}:
            return False
        return None
    if f.enum is not None:
        return f.enum.lookup().get(norm(value))
    return None


def value_maps(frame: pd.DataFrame) -> dict[str, dict[str, object]]:
    """Field key → {norm(source value): canonical value}, from the 字段值映射 rows that say what a value is."""
    out: dict[str, dict[str, object]] = {}
    for fld, src, val in zip(frame["field"], frame["source_value"], frame["value"]):
        for t in (schema.table(k) for k in schema.INPUT_TABLES):
            key = resolve_field(t, fld)
            if key is None:
                continue
            canonical = _canonical(t.field(key), val)
            if canonical is not None and src is not None:
                out.setdefault(key, {})[norm(src)] = canonical
    return out


def mapping_issues(headers: pd.DataFrame, values: pd.DataFrame | None, rows_h, rows_v):
    """What ``check`` says of the mapping tables: fields that name nothing, a source header mapped twice."""
    from .locale import current
    from .validate import Issue

    lang = current()  # the columns and sheets named as the reader's workbook names them
    issues = []
    seen: dict[tuple, int] = {}
    for i, (t, src, fld) in enumerate(zip(headers["table"], headers["source_header"], headers["field"])):
        row = int(rows_h.iloc[i])
        table = table_of(t) if t else None
        if table is None:
            issues.append(Issue(row, schema.MAPPING.field("table").label(lang), t, "unknown_table", (), schema.MAPPING.sheet(lang)))
            continue
        if fld is not None and not (isinstance(fld, float) and pd.isna(fld)) and resolve_field(table, fld) is None \
                and not set_aside(fld):
            issues.append(Issue(row, schema.MAPPING.field("field").label(lang), fld, "unknown_field", (), schema.MAPPING.sheet(lang)))
        k = (table.key, norm(src))
        if k in seen:
            issues.append(Issue(row, schema.MAPPING.field("source_header").label(lang), src, "duplicate",
                                (("other", seen[k]),), schema.MAPPING.sheet(lang)))
        seen.setdefault(k, row)
    if values is not None:
        for i, (fld, val) in enumerate(zip(values["field"], values["value"])):
            row = int(rows_v.iloc[i])
            fields = [t.field(k) for t in (schema.table(x) for x in schema.INPUT_TABLES)
                      if (k := resolve_field(t, fld))]
            if not fields:
                issues.append(Issue(row, schema.VALUE_MAPPING.field("field").label(lang), fld, "unknown_field", (),
                                    schema.VALUE_MAPPING.sheet(lang)))
            elif val is not None and not (isinstance(val, float) and pd.isna(val)) and _canonical(fields[0], val) is None:
                issues.append(Issue(row, schema.VALUE_MAPPING.field("value").label(lang), val, "unknown_value", (),
                                    schema.VALUE_MAPPING.sheet(lang)))
    return issues
