"""Survey participation (DOMAIN.md §4): of the surveys sent in the period (rows with sent_at), the share answered
(csat or nps given) — overall, by channel and by department.  Rows without sent_at count in neither; with no
invitation sent the rate is empty (None), never 0."""
from __future__ import annotations

import pandas as pd

DIMENSIONS = ("channel", "department")


def _frame(sent: pd.DataFrame, keys) -> pd.DataFrame:
    answered = sent["csat"].notna() | sent["nps"].notna()
    by = keys if keys is not None else pd.Series(0, index=sent.index)
    g = pd.DataFrame({"sent": True, "answered": answered}, index=sent.index).groupby(by, sort=True, dropna=True).sum()
    g["survey_response_pct"] = (100.0 * g["answered"] / g["sent"].where(g["sent"] > 0)).astype(float)
    return g


def _row(r) -> dict:
    if r is None:
        return {"surveys_sent": 0, "survey_response_pct": None}
    pct = r["survey_response_pct"]
    return {"surveys_sent": int(r["sent"]), "survey_response_pct": None if pd.isna(pct) else float(pct)}


def response(surveys: pd.DataFrame, period) -> dict:
    if "sent_at" not in surveys:
        return {"overall": _row(None)}
    sent = surveys[(surveys["sent_at"] >= period.start) & (surveys["sent_at"] < period.end)]
    overall = _frame(sent, None)
    out = {"overall": _row(overall.iloc[0] if len(overall) else None)}
    for dim in DIMENSIONS:
        out[f"by_{dim}"] = {str(k): _row(r) for k, r in _frame(sent, sent[dim]).iterrows()}
    return out


SCORE_DIMENSIONS = ("attitude", "speed", "resolution", "wait")  # 服务态度, 响应速度, 解决能力, 等待体验


def dimension_rates(answers_sql: str, present: tuple[str, ...]) -> dict:
    """Each dimension of satisfaction with its own rate, like csat_pct (DOMAIN.md §3): 100 × answers scoring 4 or 5
    / answers scoring that dimension, and how many answered it, over the relation ``answers_sql`` (the engine's
    period answers, ``present``: the dimensions it carries); a dimension no answer scored is empty (None)."""
    from ..engine import duck, metrics

    got = duck.row(metrics.dimension_rates_sql(answers_sql, present)) if present else {}
    out = {}
    for d in SCORE_DIMENSIONS:
        n = int(got.get(f"n_{d}") or 0)
        pct = got.get(f"pct_{d}")
        out[d] = {"answers": n, "pct": None if not n or pct is None else float(pct)}
    return out
