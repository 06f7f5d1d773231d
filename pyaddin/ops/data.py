"""Data actions: import an export file into a table, check what users pasted.

Heavy libraries are imported inside the functions: the registry loads these declarations
in milliseconds, so that a command can start reading the workbook before pandas is in.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import schema
from ..action import Outcome, action
from ..errors import DataProblems, QBError
from ..locale import both, text

MAX_SHOWN = 50
RECORD_LIMIT = 32_767  # a rejects row's whole-row text must fit one cell
INPUTS = tuple(schema.table(k).name for k in schema.INPUT_TABLES)


def problem_lines(issues) -> list[str]:
    lines = [i.both() for i in issues[:MAX_SHOWN]]
    if len(issues) > MAX_SHOWN:
        lines.append(both("more_issues", count=len(issues) - MAX_SHOWN))
    return lines


def import_file(ctx, book, into: str, path: str | Path | None = None, *, replace: bool = False,
                keep_invalid: bool | None = None, early=None) -> Outcome:
    """Validate the whole file first; write only when it is clean (or, if the user agrees, its clean rows).

    ``keep_invalid`` None means "ask": the ribbon asks yes/no; the command line has its flag.
    """
    import pandas as pd

    from ..sources import read_source
    from ..validate import parse_table

    path = path or ctx.ask_file(text("choose_file", "zh"))
    if not path:
        raise QBError("no_file_chosen")
    table = schema.table(into)
    raw, rows = read_source(path, early)
    ctx.progress("read", len(raw))
    existing = None
    if not replace:
        existing = book.read(table)
        if existing.issues:  # never rewrite cells we could not read: the user fixes them first
            raise DataProblems("existing_unreadable", count=len(existing.issues), sheet=book.sheet_name(table),
                               details=problem_lines(existing.issues))
    ids = existing.data[table.id_field].dropna() if existing is not None and table.id_field else None
    parsed = parse_table(table, raw, rows, where=Path(path).name, mapping=book.mapping(table),
                         date_order=book.date_order, existing_ids=ids)
    ctx.progress("parsed", len(raw))
    if parsed.fatal:
        raise DataProblems("import_missing_columns", count=len(parsed.issues), details=problem_lines(parsed.issues))
    if parsed.issues and not keep_invalid:
        bad = len(parsed.bad_rows)
        if keep_invalid is None and ctx.confirm(both("ask_keep_invalid", count=len(parsed.issues), bad=bad,
                                                     good=len(raw) - bad) + "\n\n" + "\n".join(problem_lines(parsed.issues)[:10])):
            keep_invalid = True
        else:
            refused = {"excel": "import_refused_excel"}.get(ctx.surface, "import_refused_cli")
            raise DataProblems(refused, count=len(parsed.issues),
                               details=problem_lines(parsed.issues))
    good = parsed.data.drop(index=parsed.bad_rows)
    merged = good if existing is None or existing.data.empty else pd.concat([existing.data, good], ignore_index=True)
    book.write(table, merged.reset_index(drop=True))
    rejected = len(parsed.bad_rows)
    if rejected:
        book.append(schema.REJECTS, rejects(ctx, table, raw, rows, parsed.issues, Path(path).name))
    out = Outcome("import_done", {"rows": len(good), "sheet": book.sheet_name(table), "total": len(merged)},
                  log_target=book.sheet_name(table), log_result="ok" if not rejected else "partial",
                  log_detail=f"{Path(path).name}: +{len(good)} ({'replace' if replace else 'append'}), rejected {rejected}")
    if rejected:
        out.details.append(both("import_rejected", rejected=rejected))
        out.details += problem_lines(parsed.issues)
    return out


def rejects(ctx, table, raw, rows, issues, source):
    import pandas as pd

    at = ctx.now() if ctx else dt.datetime.now().replace(microsecond=0)
    by_row = {int(r): i for i, r in rows.items()}
    out = []
    for issue in issues:
        if issue.row is None:
            continue
        rec = raw.loc[by_row[issue.row]]
        record = "; ".join(f"{k}={v}" for k, v in rec.items() if v not in (None, ""))
        value = None if issue.value is None else str(issue.value)
        out.append({"at": at, "table": table.name, "source": source, "row": issue.row, "column": issue.column,
                    "value": shorten(value), "reason": f"{issue.message('zh')} | {issue.message('en')}",
                    "record": shorten(record)})
    return pd.DataFrame(out)


def shorten(t: str | None, limit: int = RECORD_LIMIT) -> str | None:
    """A text cut to what one cell holds, with a marker saying so."""
    marker = "…[已截断 truncated]"
    if t is None or len(t) <= limit:
        return t
    return t[:limit - len(marker)] + marker


def _importer(key: str):
    t = schema.table(key)
    icon = {"tickets": "ImportTextFile", "surveys": "ImportExcel", "inspections": "ImportAccess"}[key]

    @action(f"import_{key}", group="data", icon=icon, reads=(t.name, schema.MAPPING.name),
            writes=(t.name, schema.REJECTS.name))
    def run(ctx, book, path: str | Path | None = None, **kw) -> Outcome:
        return import_file(ctx, book, key, path, **kw)
    return run


import_tickets = _importer("tickets")
import_surveys = _importer("surveys")
import_inspections = _importer("inspections")


WORKLISTS = tuple(t.name for t in schema.TABLES if t.role == "worklist")


@action("check", group="data", icon="DataValidation", reads=INPUTS + WORKLISTS + (schema.MAPPING.name,))
def check(ctx, book) -> Outcome:
    """Every cell of the input tables and worklists, read as the calculations will read it."""
    from ..validate import check_references

    parsed = book.read_many([schema.table(n) for n in INPUTS + WORKLISTS if book.has_table(schema.table(n))])
    issues = [i for p in parsed.values() for i in p.issues] + check_references(parsed)
    summary = ", ".join(f"{p.table.sheet_zh}/{p.table.sheet_en} {len(p.data)}" for p in parsed.values()
                        if p.table.role == "input")
    if issues:
        return Outcome("check_failed", {"count": len(issues)}, 1, problem_lines(issues))
    return Outcome("check_ok", {"summary": summary})
