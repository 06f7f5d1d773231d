"""Pareto analysis (DOMAIN.md §5): the vital few problem categories; the counts by the engine (``engine.metrics.
pareto_counts_sql``), the order, shares and the vital few on the few rows that come back."""
from __future__ import annotations

import pandas as pd

from ..engine import duck, metrics

UNCLASSIFIED = "未分类"
VITAL_CUM_PCT = 80.0
UNCLASSIFIED_ALARM_PCT = 20.0  # above this share, the unclassified tickets are a data problem said first


def pareto(values: pd.Series, weights: pd.Series | None = None) -> pd.DataFrame:
    """Count (or weigh) by category, sorted by count descending then name; share, cumulative share, vital few.

    The vital few are the smallest set of top classified rows whose cumulative share *of the classified
    tickets* reaches 80 %: the row that crosses 80 is included, and a row that lands exactly on 80 closes the
    set.  未分类 is never one of them (it names no problem to act on); the table's pct and cum_pct stay
    shares of all tickets.
    """
    w = pd.Series(1.0, index=values.index) if weights is None else pd.to_numeric(weights, errors="coerce")
    rows = pd.DataFrame({"value": values.astype(pd.StringDtype("pyarrow")), "weight": w.astype(float)})
    return ranked(duck.query(metrics.pareto_counts_sql("rows", UNCLASSIFIED), rows=rows))  # the engine counts


def pareto_of(relation: str, column: str, weight: str | None = None) -> pd.DataFrame:
    """``pareto`` of a column of rows where they lie (``engine.rows.Rows.sql``, filtered): only the categories'
    counts come back."""
    w = "1.0" if weight is None else f"TRY_CAST({weight} AS DOUBLE)"
    rows = f"(SELECT {column} AS value, {w} AS weight FROM {relation})"
    return ranked(duck.query(metrics.pareto_counts_sql(rows, UNCLASSIFIED)))


def ranked(counts: pd.DataFrame) -> pd.DataFrame:
    """The categories' counts in order, with their shares, cumulative shares and the vital few (``pareto``)."""
    frame = pd.DataFrame({"category": counts["category"].astype(str), "count": counts["count"].to_numpy(dtype=float)})
    frame = frame.sort_values(["count", "category"], ascending=[False, True], kind="stable").reset_index(drop=True)
    total = frame["count"].sum()
    frame["pct"] = 100.0 * frame["count"] / total if total else 0.0
    frame["cum_pct"] = frame["pct"].cumsum()
    if total:
        frame.loc[frame.index[-1], "cum_pct"] = 100.0  # no 99.999… from adding up floats
    classified = (frame["category"] != UNCLASSIFIED).to_numpy()
    counted = frame["count"].where(classified, 0.0)
    share = counted.sum()
    cum = (100.0 * counted.cumsum() / share).to_numpy() if share else counted.to_numpy() * 0.0
    reached = classified & (cum >= VITAL_CUM_PCT - 1e-9)
    cut = int(reached.argmax()) if reached.any() else len(frame) - 1
    frame["vital_few"] = (frame.index <= cut) & classified & bool(share)
    frame["vital_count"] = frame["count"].where(frame["vital_few"])
    frame["other_count"] = frame["count"].where(~frame["vital_few"])
    frame["line_80"] = VITAL_CUM_PCT
    return frame


def unclassified_pct(frame: pd.DataFrame) -> float | None:
    """The share of the period's tickets without a category (None when there are none)."""
    row = frame[frame["category"] == UNCLASSIFIED]
    return float(row["pct"].iloc[0]) if len(row) else None


def unclassified_alarm(frame: pd.DataFrame) -> bool:
    pct = unclassified_pct(frame)
    return pct is not None and pct > UNCLASSIFIED_ALARM_PCT


def as_json(frame: pd.DataFrame, by: str) -> dict:
    return {"by": by, "total": _num(frame["count"].sum()), "unclassified_pct": unclassified_pct(frame),
            "data_problem": unclassified_alarm(frame),
            "rows": [{"name": r.category, "count": _num(r.count), "pct": float(r.pct), "cum_pct": float(r.cum_pct),
                      "vital": bool(r.vital_few)} for r in frame.itertuples(index=False)]}


def _num(v):
    v = float(v)
    return int(v) if v.is_integer() else v
