"""Pareto analysis (DOMAIN.md §5): the vital few problem categories, on pandas only."""
from __future__ import annotations

import pandas as pd

UNCLASSIFIED = "未分类"
VITAL_CUM_PCT = 80.0


def pareto(values: pd.Series, weights: pd.Series | None = None) -> pd.DataFrame:
    """Count (or weigh) by category, sorted by count descending then name; share, cumulative share, vital few.

    The vital few are the smallest set of top rows whose cumulative share reaches 80 %: the row
    that crosses 80 is included, and a row that lands exactly on 80 closes the set.
    """
    text = values.astype(pd.StringDtype("pyarrow")).str.strip()  # Arrow kernels: no Python object per ticket
    names = text.where(text.notna() & (text != ""), UNCLASSIFIED)
    w = pd.Series(1.0, index=values.index) if weights is None else pd.to_numeric(weights, errors="coerce").fillna(0.0)
    counts = w.groupby(names).sum()
    frame = pd.DataFrame({"category": counts.index.astype(str), "count": counts.to_numpy(dtype=float)})
    frame = frame.sort_values(["count", "category"], ascending=[False, True], kind="stable").reset_index(drop=True)
    total = frame["count"].sum()
    frame["pct"] = 100.0 * frame["count"] / total if total else 0.0
    frame["cum_pct"] = frame["pct"].cumsum()
    if total:
        frame.loc[frame.index[-1], "cum_pct"] = 100.0  # no 99.999… from adding up floats
    reached = (frame["cum_pct"] >= VITAL_CUM_PCT - 1e-9).to_numpy()
    cut = int(reached.argmax()) if reached.any() else len(frame) - 1
    frame["vital_few"] = frame.index <= cut
    frame["vital_count"] = frame["count"].where(frame["vital_few"])
    frame["other_count"] = frame["count"].where(~frame["vital_few"])
    frame["line_80"] = VITAL_CUM_PCT
    return frame


def as_json(frame: pd.DataFrame, by: str) -> dict:
    return {"by": by, "total": _num(frame["count"].sum()),
            "rows": [{"name": r.category, "count": _num(r.count), "pct": float(r.pct), "cum_pct": float(r.cum_pct),
                      "vital": bool(r.vital_few)} for r in frame.itertuples(index=False)]}


def _num(v):
    v = float(v)
    return int(v) if v.is_integer() else v
