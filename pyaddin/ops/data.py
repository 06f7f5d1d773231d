"""Data actions: import an export file into a table, check what users pasted."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from .. import schema
from ..actions import Outcome, implements
from ..errors import DataProblems
from ..locale import both
from ..sources import read_source
from ..validate import Issue, parse_table

MAX_SHOWN = 50


def problem_lines(issues: list[Issue]) -> list[str]:
    lines = [i.both() for i in issues[:MAX_SHOWN]]
    if len(issues) > MAX_SHOWN:
        lines.append(both("more_issues", count=len(issues) - MAX_SHOWN))
    return lines


def import_file(book, into: str, path: str | Path, *, replace: bool = False, keep_invalid: bool = False,
                progress=None) -> Outcome:
    """Validate the whole file first; write only when it is clean (or, with keep_invalid, its clean rows)."""
    table = schema.table(into)
    book.check_writable()
    raw, rows = read_source(path)
    if progress:
        progress("read", len(raw))
    existing = None
    if not replace:
        existing = book.read(table)
        if existing.issues:  # never rewrite cells we could not read: the user fixes them first
            raise DataProblems("import_refused", count=len(existing.issues), details=problem_lines(existing.issues))
    ids = set(existing.data[table.id_field].dropna()) if existing is not None and table.id_field else set()
    parsed = parse_table(table, raw, rows, where=Path(path).name, mapping=book.mapping(table),
                         date_order=book.date_order, existing_ids=ids)
    if progress:
        progress("parsed", len(raw))
    if parsed.fatal or (parsed.issues and not keep_invalid):
        raise DataProblems("import_refused", count=len(parsed.issues), details=problem_lines(parsed.issues))
    good = parsed.data.drop(index=parsed.bad_rows)
    merged = good if existing is None or existing.data.empty else pd.concat([existing.data, good], ignore_index=True)
    book.write(table, merged.reset_index(drop=True))
    rejected = len(parsed.bad_rows)
    if rejected:
        book.append(schema.REJECTS, _rejects(table, raw, rows, parsed.issues, Path(path).name))
    detail = f"{Path(path).name}: +{len(good)} ({'replace' if replace else 'append'}), rejected {rejected}"
    book.log("import", table.sheet(book.lang), detail, "ok" if not rejected else "partial")
    book.save()
    out = Outcome("import_done", {"rows": len(good), "sheet": table.sheet(book.lang), "total": len(merged)})
    if rejected:
        out.details.append(both("import_rejected", rejected=rejected))
        out.details += problem_lines(parsed.issues)
    return out


def _rejects(table, raw, rows, issues, source) -> pd.DataFrame:
    at = dt.datetime.now().replace(microsecond=0)
    by_row = {int(r): i for i, r in rows.items()}
    out = []
    for issue in issues:
        if issue.row is None:
            continue
        rec = raw.loc[by_row[issue.row]]
        out.append({"at": at, "table": table.name, "source": source, "row": issue.row, "column": issue.column,
                    "value": None if issue.value is None else str(issue.value),
                    "reason": f"{issue.message('zh')} | {issue.message('en')}",
                    "record": "; ".join(f"{k}={v}" for k, v in rec.items() if v not in (None, ""))})
    return pd.DataFrame(out)


def _importer(key: str):
    def run(book, path: str | Path | None = None, **kw) -> Outcome:
        path = path or book.ask_file()
        if not path:
            return Outcome("choose_file", exit_code=2)
        return import_file(book, key, path, **kw)
    return run


for _key in schema.INPUT_TABLES:
    implements(f"import_{_key}")(_importer(_key))


@implements("check")
def check(book) -> Outcome:
    """Every cell of the input tables, read as the KPI engine will read it."""
    parsed = book.read_many([schema.table(k) for k in schema.INPUT_TABLES])
    issues: list[Issue] = [i for p in parsed.values() for i in p.issues]
    counts = [f"{p.table.sheet_zh}/{p.table.sheet_en} {len(p.data)}" for p in parsed.values()]
    summary = ", ".join(counts)
    if issues:
        return Outcome("check_failed", {"count": len(issues)}, 1, problem_lines(issues))
    return Outcome("check_ok", {"summary": summary})
