"""QA scorecards in the wide form: one row per evaluation, one column per checklist item (DOMAIN.md §3).

A QA tool exports an evaluation as one row with a column per item; the workbook keeps one row per item
(质检记录), so that an item's score sits beside its max score and the critical-item rule can be applied.
The item columns are those named like an item of the workbook's scorecard (质检标准), or, when the
import is told the scores' maximum (``--max-score 100``), every other column whose values are numbers.
The max score comes from ``--max-score`` or the scorecard; where neither gives one it stays blank and the
row is an error, never a silently empty qa_score_pct.
"""
from __future__ import annotations

import pandas as pd

from . import values
from .schema import Table, norm

ITEM_FIELDS = ("item", "score", "max_score", "critical")


def item_columns(extra: list[str], raw: pd.DataFrame, scorecard: dict[str, tuple], max_score) -> list[str]:
    """The columns that hold one checklist item's scores each."""
    out = []
    for c in extra:
        if norm(c) in scorecard:
            out.append(c)
        elif max_score is not None:
            col = values.blank_placeholders(raw[c])[0]
            filled = int((~values.is_blank(col)).sum())
            number, bad = values.parse_number(col)
            if filled and not bad.any():
                out.append(c)
    return out


def long_form(table: Table, raw: pd.DataFrame, rows: pd.Series, mapping, scorecard: dict[str, tuple],
              max_score=None) -> tuple[pd.DataFrame, pd.Series, int]:
    """(one row per item, each row's source row, the number of item columns): ``raw`` as it came when it is
    already one row per item or has no item columns."""
    from .validate import match_headers

    headers, extra, _ = match_headers(table, [str(c) for c in raw.columns], mapping)
    if any(k in headers for k in ITEM_FIELDS[:2]):
        return raw, rows, 0
    items = item_columns(extra, raw, scorecard, max_score)
    if not items:
        return raw, rows, 0
    from .locale import current

    keep = [c for c in raw.columns if c not in items]
    name = {k: table.field(k).label(current()) for k in ITEM_FIELDS}  # the user's own words in messages
    parts = []
    for c in items:
        top, critical = scorecard.get(norm(c), (None, None))
        part = raw[keep].copy()
        part[name["item"]], part[name["score"]] = c, raw[c]
        part[name["max_score"]] = max_score if max_score is not None else top
        part[name["critical"]] = critical
        part["_row"] = rows.to_numpy()
        parts.append(part)
    long = pd.concat(parts).sort_values("_row", kind="stable").reset_index(drop=True)
    return long.drop(columns="_row"), long["_row"].astype(int), len(items)
