"""Data actions: import an export file into a table, check what users pasted.

Heavy libraries are imported inside the functions: the registry loads these declarations
in milliseconds, so that a command can start reading the workbook before pandas is in.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace as copy_with
from pathlib import Path

from .. import schema
from ..action import Outcome, action
from ..errors import DataProblems, QBError
from ..locale import current, listing, say, text

RECORD_LIMIT = 32_767  # a rejects row's whole-row text must fit one cell
INPUTS = tuple(schema.table(k).name for k in schema.INPUT_TABLES)


def problem_lines(issues) -> list[str]:
    from ..summary import summary_lines

    return summary_lines(issues)


def import_file(ctx, book, into: str, path: str | Path | None = None, *, replace: bool = False,
                keep_invalid: bool | None = None, early=None, sheet=None, maps=(), values=(),
                errors_to: str | Path | None = None, max_score: float | None = None) -> Outcome:
    """Validate the whole file first; write only when it is clean (or, if the user agrees, its clean rows).

    ``keep_invalid`` None means "ask": the ribbon asks yes/no; the command line has its flag.
    ``maps`` (header, field) and ``values`` (field, source value, value) are what the command line
    says; they are saved in the mapping tables first, so the next import needs nothing.  When the
    import stops on a column it cannot place or a value it does not know, those go into the
    mapping tables for the user to complete from the dropdowns.
    """
    import pandas as pd

    from ..sources import read_source
    from ..summary import summary_lines, write_errors
    from ..validate import known_headers, parse_table

    path = path or ctx.ask_file(text("choose_file", current()))
    if not path:
        raise QBError("no_file_chosen")
    table = schema.table(into)
    if maps or values:
        remember_mappings(book, table, maps, values)
    src = read_source(path, early, known_headers(table, book.mapping(table)), sheet)
    raw, rows = src.frame, src.rows
    items = 0
    if table is schema.INSPECTIONS:  # a QA tool's scorecards, one row per evaluation: one row per item
        from ..wide import long_form

        raw, rows, items = long_form(table, raw, rows, book.mapping(table), scorecard(book), max_score)
    ctx.progress("read", len(raw))
    existing = None
    if not replace:
        existing = book.read(table)
        if existing.issues:  # never rewrite cells we could not read: the user fixes them first
            raise DataProblems("existing_unreadable", count=len(existing.issues), sheet=book.sheet_name(table),
                               details=summary_lines(existing.issues))
    ids = existing.data[table.id_field].dropna() if existing is not None and table.id_field else None
    opts = copy_with(book.options, notes=[])
    parsed = parse_table(table, raw, rows, where=src.where, mapping=book.mapping(table), opts=opts,
                         existing_ids=ids, header_row=src.header_row, cell_errors=src.cell_errors)
    parsed.issues += _unknown_references(book, parsed, src.where)
    ctx.progress("parsed", len(raw))
    notes = note_lines(src, parsed, opts)
    if items:
        notes.insert(0, say("wide_scorecard", items=items, rows=len(raw)))
    if errors_to and parsed.issues:
        notes.append(say("errors_written", path=str(write_errors(errors_to, parsed.issues))))
    if parsed.fatal or _unknown_values(parsed):
        added = prefill(book, table, parsed, raw)
        hint = [say("prefilled", sheet=book.sheet_name(schema.MAPPING))] if added else []
        if added:  # the book changed: say what did, not "unchanged"
            key = "import_refused_prefilled"
        elif parsed.fatal:
            key = "import_missing_columns"
        else:
            key = "import_refused_unmapped" if keep_invalid else f"import_refused_{_surface(ctx)}"
        return refuse(book, key, len(parsed.issues), notes + summary_lines(parsed.issues) + hint,
                      f"{Path(path).name}: mapping rows to complete +{added}", sheet=book.sheet_name(schema.MAPPING))
    if parsed.issues and not keep_invalid:
        bad = len(parsed.bad_rows)
        if keep_invalid is None and ctx.confirm(say("ask_keep_invalid", count=len(parsed.issues), bad=bad,
                                                    good=len(raw) - bad) + "\n\n"
                                                + "\n".join(summary_lines(parsed.issues, 10))):
            keep_invalid = True
        else:
            hint = [say("errors_hint_cli")] if ctx.surface == "cli" else []
            return refuse(book, f"import_refused_{_surface(ctx)}", len(parsed.issues),
                          notes + summary_lines(parsed.issues) + hint,
                          text("log_import_refused", book.lang, file=Path(path).name, count=len(parsed.issues)),
                          sheet=book.sheet_name(schema.MAPPING))
    good = parsed.data.drop(index=parsed.bad_rows)
    rejected = len(parsed.bad_rows)
    refused = rejects(ctx, table, raw, rows, parsed.issues, Path(path).name, book.lang) if rejected else None
    issues, n_good = parsed.issues, len(good)
    merged = good if existing is None or existing.data.empty else pd.concat([existing.data, good], ignore_index=True)
    del src, raw, rows, parsed, good, existing  # the export as read and parsed: freed before the table is written
    book.write(table, merged.reset_index(drop=True))
    if rejected:
        book.append(schema.REJECTS, refused)
    out = Outcome("import_done", {"rows": n_good, "sheet": book.sheet_name(table), "total": len(merged)},
                  details=notes, log_target=book.sheet_name(table), log_result="ok" if not rejected else "partial",
                  log_detail=text(f"log_import_{'replace' if replace else 'append'}", book.lang, file=Path(path).name,
                                  rows=n_good) + (text("import_rejected", book.lang, rejected=rejected) if rejected else ""))
    if rejected:
        out.details.append(say("import_rejected", rejected=rejected))
        out.details += summary_lines(issues)
    return out


def scorecard(book) -> dict[str, tuple]:
    """norm(item) → (max score, critical) from the workbook's checklist (质检标准)."""
    from ..schema import norm

    if not book.has_table(schema.SCORECARD):
        return {}
    d = book.read(schema.SCORECARD).data
    return {norm(i): (m, c) for i, m, c in zip(d["item"], d["max_score"], d["critical"]) if isinstance(i, str)}


def refuse(book, key: str, count: int, details: list[str], log_detail: str, **args) -> Outcome:
    """No data imported. What the user said or the import prefilled in the mapping tables is kept (the
    runner saves it); with nothing of that, the book is left byte-identical."""
    if not book.dirty:
        raise DataProblems(key, count=count, details=details, **args)
    if key != "import_refused_prefilled":  # --map / --value rows were saved: the book is not "unchanged"
        key = "import_refused_saved"
    return Outcome(key, {"count": count, **args}, 1, details, log_target=book.sheet_name(schema.MAPPING),
                   log_result="refused", log_detail=log_detail)


def _unknown_references(book, parsed, where: str) -> list:
    """Ids that must exist in another table of the book (a plan's problem id in the problem list)."""
    from ..validate import check_references

    refs = {f.references[0] for f in parsed.table.fields if f.references}
    known = {k: book.read(schema.table(k)) for k in refs if book.has_table(schema.table(k))}
    issues = check_references({**known, parsed.table.key: parsed}, {parsed.table.key: where})
    return [i for i in issues if i.where == where]


def _surface(ctx) -> str:
    return "excel" if ctx.surface == "excel" else "cli"


def note_lines(src, parsed, opts) -> list[str]:
    """What the import says besides problems: the format it recognised, rows it left out, choices it made."""
    lang = current()
    lines = [say("format_recognised", name=parsed.format)] if parsed.format else []
    lines += [say("header_found", row=src.header_row, where=src.where)] if src.header_row > 1 else []
    lines += [say(f"dropped_{kind}", row=row) for row, kind in src.dropped]
    lines += [say("duplicate_header", header=h, renamed=new, column=c) for h, new, c in src.renamed]
    for key, args in parsed.notes:
        args = dict(args)
        if "field" in args:
            args["field"] = parsed.table.field_or_derived(args["field"]).label(lang)
        lines.append(say(key, **args))
    from ..values import PlaceholderNote

    for field_key, note in opts.notes:
        column = parsed.headers.get(field_key, field_key)
        if isinstance(note, PlaceholderNote):
            lines.append(say("placeholder_dates", column=column, count=note.count,
                             values=listing(f"“{v}”" for v in note.values)))
        else:
            lines.append(say(f"order_{note.reason}", column=column, order=say(f"order_{note.order}"),
                             example=note.example))
    return lines


def _unknown_values(parsed) -> bool:
    return any(i.reason == "bad_enum" for i in parsed.issues)


def remember_mappings(book, table, maps, values) -> None:
    """Save what the command line said (--map, --value) in the workbook's mapping tables."""
    import pandas as pd

    from ..mapping import resolve_field, set_aside

    rows_h, rows_v = [], []
    for header, name in maps:
        key = schema.IGNORE if not name or set_aside(name) else resolve_field(table, name)
        if key is None:
            raise QBError("unknown_map_field", field=str(name), table=table.sheet(book.lang))
        rows_h.append({"table": table.sheet(book.lang), "source_header": header,
                       "field": schema.IGNORE_LABELS[book.lang] if key == schema.IGNORE
                       else table.field_or_derived(key).label(book.lang)})
    for name, source, target in values:
        key = resolve_field(table, name)
        if key is None:
            raise QBError("unknown_map_field", field=str(name), table=table.sheet(book.lang))
        f = table.field_or_derived(key)
        if f.enum is None and f.type != "bool":  # a value mapping means nothing for a date, a number or a text
            coded = [g.label(book.lang) for g in table.fields if g.enum is not None or g.type == "bool"]
            raise QBError("value_without_vocabulary", field=f.label(book.lang), fields=listing(coded))
        rows_v.append({"field": table.field_or_derived(key).label(book.lang), "source_value": source, "value": target})
    if rows_h:
        _merge_rows(book, schema.MAPPING, pd.DataFrame(rows_h), ("table", "source_header"))
    if rows_v:
        _merge_rows(book, schema.VALUE_MAPPING, pd.DataFrame(rows_v), ("field", "source_value"))
    book.forget_settings()


def _merge_rows(book, t, rows, keys) -> int:
    """Add rows to a mapping table, replacing rows with the same keys; returns how many are new."""
    import pandas as pd

    from ..schema import norm

    old = book.read(t).data
    k = lambda f: f[list(keys)].astype(str).map(norm).agg("|".join, axis=1) if len(f) else pd.Series(dtype=str)  # noqa: E731
    keep = old[~k(old).isin(set(k(rows)))] if len(old) else old
    book.write(t, pd.concat([keep, rows], ignore_index=True) if len(keep) else rows)
    return len(rows) - (len(old) - len(keep))


def prefill(book, table, parsed, raw) -> int:
    """Put what the import could not place into the mapping tables, for the user to complete from dropdowns."""
    import pandas as pd

    rows_h, rows_v = [], []
    if parsed.fatal:
        rows_h = [{"table": table.sheet(book.lang), "source_header": h, "field": None} for h in parsed.extra]
    seen = set()
    for i in parsed.issues:
        if i.reason == "bad_enum" and (i.column, str(i.value)) not in seen:
            seen.add((i.column, str(i.value)))
            key = next(k for k, h in parsed.headers.items() if h == i.column)
            rows_v.append({"field": table.field(key).label(book.lang), "source_value": str(i.value), "value": None})
    added = 0
    for t, rows, keys in ((schema.MAPPING, rows_h, ("table", "source_header")),
                          (schema.VALUE_MAPPING, rows_v, ("field", "source_value"))):
        if rows:
            old = book.read(t).data
            have = {"|".join(str(r[k]).casefold() for k in keys) for r in old.to_dict("records")}
            new = [r for r in rows if "|".join(str(r[k]).casefold() for k in keys) not in have]
            if new:
                book.write(t, pd.concat([old, pd.DataFrame(new)], ignore_index=True) if len(old) else pd.DataFrame(new))
                added += len(new)
    return added


def rejects(ctx, table, raw, rows, issues, source, lang: str = "zh"):
    """The 导入错误 rows of a partial import, their reasons in the workbook's language."""
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
                    "value": shorten(value, lang=lang), "reason": issue.message(lang),
                    "record": shorten(record, lang=lang)})
    return pd.DataFrame(out)


def shorten(t: str | None, limit: int = RECORD_LIMIT, lang: str = "zh") -> str | None:
    """A text cut to what one cell holds, with a marker saying so (in the workbook's language)."""
    marker = text("truncated_marker", lang)
    if t is None or len(t) <= limit:
        return t
    return t[:limit - len(marker)] + marker


def _importer(key: str):
    t = schema.table(key)
    icon = {"tickets": "ImportTextFile", "surveys": "ImportExcel", "calls": "ImportTextFile"}.get(key, "ImportAccess")
    refs = tuple(schema.table(f.references[0]).name for f in t.fields if f.references)

    @action(f"import_{key}", group="data" if t.role in ("input", "config") else "improvement", icon=icon,
            # the mappings: with --map/--value; the settings (default department) are read ahead (runner.read_ahead)
            reads=(t.name, schema.MAPPING.name, schema.VALUE_MAPPING.name) + refs
            + ((schema.SCORECARD.name,) if key == "inspections" else ()),
            writes=(t.name, schema.REJECTS.name, schema.MAPPING.name, schema.VALUE_MAPPING.name),
            ribbon=t.role == "input")
    def run(ctx, book, path: str | Path | None = None, **kw) -> Outcome:
        return import_file(ctx, book, key, path, **kw)
    return run


import_tickets = _importer("tickets")
import_surveys = _importer("surveys")
import_inspections = _importer("inspections")
import_calls = _importer("calls")
import_problems = _importer("problems")  # bringing the lists a team already keeps: command line only
import_rootcause = _importer("rootcause")
import_plan = _importer("plan")
import_staff = _importer("staff")
import_responsibility = _importer("responsibility")
import_calendar = _importer("calendar")  # holidays and 调休 days: command line only
import_feedback = _importer("feedback")  # the frontline's entries (一线反馈), from a sheet they keep
import_highlights = _importer("highlights")  # good cases a team already keeps: command line only


WORKLISTS = tuple(t.name for t in schema.TABLES if t.role == "worklist")


@action("check", group="data", icon="DataValidation",
        reads=INPUTS + WORKLISTS + (schema.MAPPING.name, schema.VALUE_MAPPING.name))
def check(ctx, book) -> Outcome:
    """Every cell of the input tables and worklists, read as the calculations will read it."""
    from ..mapping import mapping_issues
    from ..validate import check_references

    parsed = book.read_many([schema.table(n) for n in INPUTS + WORKLISTS if book.has_table(schema.table(n))])
    issues = [i for p in parsed.values() for i in p.issues] + check_references(parsed)
    if book.has_table(schema.MAPPING):
        heads = book.read(schema.MAPPING)
        vals = book.read(schema.VALUE_MAPPING) if book.has_table(schema.VALUE_MAPPING) else None
        issues += heads.issues + (vals.issues if vals else [])
        issues += mapping_issues(heads.data, vals.data if vals else None, heads.rows, vals.rows if vals else None)
    summary = listing(f"{book.sheet_name(p.table)} {len(p.data)}" for p in parsed.values() if p.table.role == "input")
    if issues:
        return Outcome("check_failed", {"count": len(issues)}, 1, problem_lines(issues))
    return Outcome("check_ok", {"summary": summary})
