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


def stratified_sample(tickets: pd.DataFrame, rate: float, minimum: int, seed: int) -> tuple[list[str], pd.DataFrame]:
    """A reproducible sample (same seed, same sample) stratified by agent; (ticket ids, per-agent counts)."""
    agent = tickets["agent"].astype(object).where(tickets["agent"].notna(), UNASSIGNED)
    sizes = agent.value_counts().sort_index()
    take = allocate(sizes, rate, minimum)
    rng = np.random.default_rng(seed)
    # every agent's ticket ids in order, from one sort: (agent, id), each agent a slice of it
    ordered = pd.DataFrame({"agent": agent.to_numpy(), "id": tickets["ticket_id"].astype(str).to_numpy()}
                           ).sort_values(["agent", "id"], kind="stable")
    ids_all = ordered["id"].to_numpy()
    ends = np.cumsum(sizes.to_numpy())
    chosen = []
    for a, end, n in zip(sizes.index, ends, sizes.to_numpy()):  # one draw per agent, in the names' order
        if take[a]:
            ids = ids_all[end - n:end]
            chosen.append(ids[np.sort(rng.choice(len(ids), int(take[a]), replace=False))])
    by_agent = pd.DataFrame({"tickets": sizes, "sampled": take})
    return sorted(np.concatenate(chosen).tolist()) if chosen else [], by_agent


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
    case = d["ticket_id"].astype(str) + "|" + d["item"].astype(str)
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
