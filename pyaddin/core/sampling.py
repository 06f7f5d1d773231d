"""Ticket-audit sampling and reviewer calibration (DOMAIN.md §8), on pandas frames only."""
from __future__ import annotations

import numpy as np
import pandas as pd

UNASSIGNED = "未分配"


def allocate(sizes: pd.Series, rate: float, minimum: int) -> pd.Series:
    """How many tickets to draw per agent: round(rate × population) in all, shared by largest remainder,
    and at least ``minimum`` for every agent who has that many (未分配 gets no minimum)."""
    total = int(round(rate * sizes.sum()))
    exact = sizes * rate
    base = np.floor(exact).astype(int)
    left = total - int(base.sum())
    if left > 0:
        order = (exact - base).sort_values(ascending=False, kind="stable").index  # ties: the names' order
        base.loc[order[:left]] += 1
    floor = sizes.clip(upper=minimum).where(sizes.index != UNASSIGNED, 0)
    return np.maximum(base, floor).clip(upper=sizes).astype(int)


def draw_sql(relation: str, seed: int) -> str:
    """The draw, as SQL text that runs alike on DuckDB and Spark: each agent's tickets ranked by the MD5 of
    ``seed:ticket_id`` (ties, which MD5 makes all but impossible, by the id), the first ``n`` of each agent kept,
    ``n`` from the relation ``take`` (agent, n).  A hash, not an engine's random generator, so that the same seed
    draws the same tickets wherever the tickets are (DOMAIN.md §8)."""
    key = f"md5('{int(seed)}:' || id)"
    return (f"SELECT r.id FROM (SELECT agent, id, row_number() OVER (PARTITION BY agent ORDER BY {key}, id) AS k "
            f"FROM {relation}) AS r JOIN take AS t ON r.agent = t.agent WHERE r.k <= t.n ORDER BY r.id")


def stratified_sample(tickets, rate: float, minimum: int, seed: int) -> tuple[list[str], pd.DataFrame]:
    """A reproducible sample (same seed, same sample, on any engine) stratified by agent; (ticket ids, per-agent
    counts).  ``tickets``: a frame, or the engine's rows of an outside source (``engine.rows.Rows``), counted and
    drawn where they lie."""
    from ..engine import duck

    if isinstance(tickets, pd.DataFrame):
        agent = tickets["agent"].astype(object).where(tickets["agent"].notna(), UNASSIGNED)
        relations = {"population": pd.DataFrame({"agent": agent.to_numpy(dtype=object),
                                                  "id": tickets["ticket_id"].astype(str).to_numpy(dtype=object)})}
        population = "population"
    else:
        relations = {}
        population = (f"(SELECT COALESCE(CAST(agent AS VARCHAR), '{UNASSIGNED}') AS agent, "
                      f"CAST(ticket_id AS VARCHAR) AS id FROM {tickets.sql})")
    counted = duck.query(f"SELECT agent, COUNT(*) AS n FROM {population} GROUP BY agent ORDER BY agent", **relations)
    sizes = pd.Series(counted["n"].to_numpy(dtype="int64"), index=pd.Index(counted["agent"].to_numpy(dtype=object),
                                                                           name="agent"))
    take = allocate(sizes, rate, minimum)
    wanted = pd.DataFrame({"agent": take.index.astype(str), "n": take.to_numpy()})
    chosen = duck.query(draw_sql(population, seed), take=wanted, **relations)["id"].tolist()
    return chosen, pd.DataFrame({"tickets": sizes, "sampled": take})


AUDIT_TICKET = ["ticket_id", "agent", "department", "channel", "created_at"]


def audit_rows(chosen: pd.DataFrame, scorecard: pd.DataFrame) -> pd.DataFrame:
    """One row per sampled ticket and scorecard item that applies to its channel (items without a channel apply
    to all), tickets in the order given and items in the scorecard's order: two joins, no loop over tickets."""
    t = chosen[AUDIT_TICKET].reset_index(drop=True).assign(_t=lambda f: np.arange(len(f)))
    card = pd.DataFrame({"_channel": scorecard["channel"].to_numpy(), "item": scorecard["item"].to_numpy(),
                         "max_score": scorecard["max_score"].to_numpy(),
                         "critical": scorecard["critical"].fillna(False).astype(bool).to_numpy(),
                         "_c": np.arange(len(scorecard))})
    general = card[card["_channel"].isna()]
    specific = card[card["_channel"].notna()]
    rows = pd.concat([t.merge(general, how="cross"),
                      t.merge(specific, left_on="channel", right_on="_channel", how="inner")], ignore_index=True)
    rows = rows.sort_values(["_t", "_c"], kind="stable")
    return rows[AUDIT_TICKET + ["item", "max_score", "critical"]].reset_index(drop=True)


def reviewer_effects(d: pd.DataFrame, rounds: int = 50) -> pd.Series:
    """Each score's deviation from what the average reviewer would have given: score = case level + reviewer
    effect, fitted by alternating means, the effects centred on the average reviewer. With pairs of reviewers
    the one who is off is told apart from those who are only paired with them."""
    case = [d["ticket_id"].astype(str), d["item"].astype(str)]  # by both columns: no joined text to collide
    effect = pd.Series(0.0, index=d["reviewer"].unique())
    for _ in range(rounds):
        level = (d["pct"] - d["reviewer"].map(effect)).groupby(case).transform("mean")
        effect = (d["pct"] - level).groupby(d["reviewer"]).mean()
        effect = effect - effect.mean()  # the average reviewer: each counts once, however much they scored
    level = (d["pct"] - d["reviewer"].map(effect)).groupby(case).transform("mean")
    return d["pct"] - level


def calibration(inspections: pd.DataFrame, strict_pct: float = 5.0, consistent: float = 0.7) -> dict:
    """The same ticket scored by two or more reviewers: per item the spread and the agreement, per reviewer
    the mean deviation from the others (in % of the item's max) and whether they are consistently stricter
    or more lenient."""
    d = inspections[inspections["reviewer"].notna() & inspections["ticket_id"].notna()].copy()
    d["pct"] = 100.0 * d["score"].astype(float) / d["max_score"].astype(float)
    reviewers = d.groupby(["ticket_id", "item"])["reviewer"].transform("nunique")
    d = d[reviewers >= 2]
    items = []
    for item, g in d.groupby("item", sort=True):
        per_case = g.groupby("ticket_id")["pct"]
        spread = per_case.max() - per_case.min()
        items.append({"item": item, "cases": int(len(spread)), "mean_spread_pct": float(spread.mean()),
                      "agreement_pct": float(100.0 * (spread == 0).mean())})
    d["deviation"] = reviewer_effects(d)
    people = []
    for reviewer, g in d.groupby("reviewer", sort=True):
        mean = float(g["deviation"].mean())
        below, above = float((g["deviation"] < 0).mean()), float((g["deviation"] > 0).mean())
        flag = "stricter" if mean <= -strict_pct and below >= consistent else \
            "lenient" if mean >= strict_pct and above >= consistent else None
        people.append({"reviewer": reviewer, "scores": int(len(g)), "mean_deviation_pct": mean,
                       "agreement_pct": float(100.0 * (g["deviation"] == 0).mean()), "flag": flag})
    return {"tickets": int(d["ticket_id"].nunique()), "items": items, "reviewers": people}
