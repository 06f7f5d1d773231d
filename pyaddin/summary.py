"""What a person reads about bad data: at most about 40 lines, grouped by column and reason.

Each line says what is wrong in a column, how often, and where the first few cases are;
a missing column is one line of its own.  The full list goes to the 导入错误 sheet or, from
the command line, to a CSV file (``--errors``).
"""
from __future__ import annotations

import csv
from pathlib import Path

from .inert import csv_row
from .locale import current, say, text

MAX_LINES = 36
EXAMPLES = 3


def summary_lines(issues, limit: int = MAX_LINES) -> list[str]:
    lang = current()
    lines = [i.message(lang) for i in issues if i.row is None]
    groups: dict[tuple[str, str], list] = {}
    for i in issues:
        if i.row is not None:
            groups.setdefault((i.where, i.column, i.reason), []).append(i)
    shown = 0
    for (where, column, _), found in groups.items():
        if len(lines) >= limit:
            break
        first = found[0]
        reason = text(first.reason, lang, **dict(first.args))
        examples = text("list_sep", lang).join(
            text("example", lang, row=i.row, value=_show(i.value)) for i in found[:EXAMPLES])
        more = text("and_more", lang, count=len(found) - EXAMPLES) if len(found) > EXAMPLES else ""
        lines.append(text("summary_line", lang, where=where, column=column, reason=reason, count=len(found),
                          examples=examples, more=more))
        shown += 1
    if shown < len(groups):
        lines.append(say("more_groups", count=len(groups) - shown))
    return lines


def _show(v) -> str:
    s = "" if v is None else str(v)
    return s if len(s) <= 40 else s[:40] + "…"


def write_errors(path: str | Path, issues) -> Path:
    """Every problem, one row each, in the person's language: a CSV that Excel opens (UTF-8 with BOM), where a
    value beginning with ``=``, ``+``, ``-`` or ``@`` cannot run (``inert.csv_row``)."""
    path = Path(path)
    lang = current()
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow([text(k, lang) for k in ("col_file", "col_row", "col_column", "col_value", "col_reason")])
        for i in issues:
            w.writerow(csv_row([i.where, i.row or "", i.column, "" if i.value is None else i.value,
                                text(i.reason, lang, **dict(i.args))]))
    return path
