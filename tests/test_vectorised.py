"""Joins instead of loops over tickets: the same audit rows, sample and breaches as the per-row code gave."""
import hashlib

import numpy as np
import pandas as pd

import sample_data
from pyaddin import schema
from pyaddin.core import alerts, sampling


def loop_sample(tickets, rate, minimum, seed):
    """The sample as DOMAIN.md §8 defines it, one agent at a time: each agent's tickets ranked by the MD5 of
    ``seed:ticket_id``, the first ones kept (Python's hashlib, not the engine's md5)."""
    agent = tickets["agent"].astype(object).where(tickets["agent"].notna(), sampling.UNASSIGNED)
    sizes = agent.value_counts().sort_index()
    take = sampling.allocate(sizes, rate, minimum)
    chosen = []
    for a in sizes.index:
        ids = tickets.loc[(agent == a).to_numpy(), "ticket_id"].astype(str)
        ranked = sorted(ids, key=lambda i: (hashlib.md5(f"{seed}:{i}".encode()).hexdigest(), i))
        chosen += ranked[:int(take[a])]
    return sorted(chosen)


def loop_audit_rows(chosen, card):
    """The audit rows as built before: for each ticket, the scorecard filtered to its channel."""
    rows = []
    for r in chosen.itertuples(index=False):
        items = card[card["channel"].isna() | (card["channel"] == r.channel)]
        for it in items.itertuples(index=False):
            rows.append({"ticket_id": r.ticket_id, "agent": r.agent, "department": r.department, "channel": r.channel,
                         "created_at": r.created_at, "item": it.item, "max_score": it.max_score,
                         "critical": bool(it.critical) if it.critical == it.critical else False})
    return pd.DataFrame(rows, columns=["ticket_id", "agent", "department", "channel", "created_at", "item",
                                       "max_score", "critical"])


def loop_breaches(tickets, fr_target_min, res_target_h, as_of):
    created = tickets["created_at"]
    open_ = (created <= as_of) & ~(tickets["resolved_at"] <= as_of)
    age_min = (as_of - created).dt.total_seconds() / 60.0
    rows = []
    unanswered = open_ & ~(tickets["first_response_at"] <= as_of) & (age_min > fr_target_min)
    for i in tickets.index[unanswered.to_numpy()]:
        rows.append((tickets.at[i, "ticket_id"], tickets.at[i, "department"], "first_response",
                     float(age_min[i] - fr_target_min[i])))
    unresolved = open_ & (age_min > res_target_h * 60.0)
    for i in tickets.index[unresolved.to_numpy()]:
        rows.append((tickets.at[i, "ticket_id"], tickets.at[i, "department"], "resolution",
                     float(age_min[i] - res_target_h[i] * 60.0)))
    out = pd.DataFrame(rows, columns=["ticket_id", "department", "kind", "late_min"])
    return out.sort_values(["department", "late_min"], ascending=[True, False], kind="stable").reset_index(drop=True)


def tickets(n=1500):
    t = sample_data.generate(n)["tickets"].copy()
    t.loc[t.index[::97], "agent"] = None  # some unassigned
    t.loc[t.index[::89], "channel"] = None  # some without a channel
    return t


def scorecard():
    return pd.DataFrame({"channel": [None, "phone", None, "chat", "phone"],
                         "item": ["礼貌", "电话开场", "信息安全", "在线响应", "电话结束"],
                         "max_score": [10.0, 5.0, 20.0, 5.0, 5.0],
                         "critical": [False, np.nan, True, False, True]})  # a blank: not critical


def test_the_sample_and_its_audit_rows_are_those_of_the_per_ticket_loop():
    t = tickets()
    for seed, rate, minimum in ((1, 0.1, 3), (7, 0.03, 5), (2, 0.5, 0)):
        ids, _ = sampling.stratified_sample(t, rate, minimum, seed)
        assert ids == loop_sample(t, rate, minimum, seed)
        chosen = t[t["ticket_id"].isin(ids)].sort_values("ticket_id")
        got, expected = sampling.audit_rows(chosen, scorecard()), loop_audit_rows(chosen, scorecard())
        assert len(got) > len(chosen)
        pd.testing.assert_frame_equal(got.astype(object), expected.astype(object), check_dtype=False)


def test_breaches_are_those_of_the_per_ticket_loop():
    t = tickets()
    t.loc[t.index[::53], ["first_response_at", "resolved_at"]] = pd.NaT  # never answered
    t.loc[t.index[::157], "department"] = None
    prio = t["priority"].fillna("normal")
    fr = prio.map({k: v[0] for k, v in schema.SLA_DEFAULTS.items()}).astype(float)
    res = prio.map({k: v[1] for k, v in schema.SLA_DEFAULTS.items()}).astype(float)
    for as_of in (t["created_at"].max(), t["created_at"].quantile(0.5)):
        got, expected = alerts.breaches(t, fr, res, as_of), loop_breaches(t, fr, res, as_of)
        assert len(got) and set(got["kind"]) == {"first_response", "resolution"}
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)
