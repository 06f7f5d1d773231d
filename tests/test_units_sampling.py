"""Fast unit tests on hand-made frames: they judge the mutants of core/sampling.py (make mutation). The draw is checked
against a reference ranking made with Python's hashlib, the allocation and calibration against hand computations."""
import hashlib

import numpy as np
import pandas as pd
import pytest

from pyaddin.core import sampling


def test_allocation_by_largest_remainder_with_minimums():
    got = sampling.allocate(pd.Series({"a": 7, "b": 7, "c": 7, "未分配": 2}), 0.3, 3)
    # round(0.3 × 23) = 7 in all: 2.1, 2.1, 2.1 and 0.6 → 2, 2, 2, 0 and the one left goes to the largest remainder
    # (未分配's 0.6); then each agent up to the minimum of 3, 未分配 without one
    assert got.to_dict() == {"a": 3, "b": 3, "c": 3, "未分配": 1} and got.dtype == int
    ties = sampling.allocate(pd.Series({"b": 5, "a": 5, "c": 5}), 0.5, 0)
    assert ties.to_dict() == {"b": 3, "a": 3, "c": 2}  # 8 of 7.5: equal remainders go in the names' order
    assert sampling.allocate(pd.Series({"a": 2, "b": 40}), 0.05, 3).to_dict() == {"a": 2, "b": 3}  # never above size
    assert sampling.allocate(pd.Series({"a": 10, "未分配": 10}), 0.0, 2).to_dict() == {"a": 2, "未分配": 0}
    assert sampling.allocate(pd.Series({"a": 10, "b": 3}), 1.0, 5).to_dict() == {"a": 10, "b": 3}
    assert sampling.allocate(pd.Series({"a": 9, "b": 1}), 0.25, 1).to_dict() == {"a": 2, "b": 1}  # round(2.5) is 2


def reference(ids, seed, n):
    """The first n ids ranked by MD5 of ``seed:id`` (Python's hashlib, not the engine's md5)."""
    return sorted(ids, key=lambda i: (hashlib.md5(f"{seed}:{i}".encode()).hexdigest(), i))[:n]


def test_the_sample_is_each_agents_first_tickets_by_the_hash_of_seed_and_id():
    t = pd.DataFrame({"ticket_id": [f"T{i:02d}" for i in range(20)],
                      "agent": ["甲"] * 10 + ["乙"] * 6 + [None] * 4}, index=range(100, 120))
    chosen, counts = sampling.stratified_sample(t, 0.25, 2, seed=11)
    # 20 × 0.25 = 5: 甲 2.5, 乙 1.5 and 未分配 1.0 → 2, 1, 1 and the one left to 乙 (of the equal remainders .5, the
    # first by name); the minimum of 2 asks nothing more
    assert counts.to_dict("index") == {"乙": {"tickets": 6, "sampled": 2}, "未分配": {"tickets": 4, "sampled": 1},
                                       "甲": {"tickets": 10, "sampled": 2}}
    expected = reference([f"T{i:02d}" for i in range(10)], 11, 2) + reference([f"T{i:02d}" for i in range(10, 16)], 11, 2) \
        + reference([f"T{i:02d}" for i in range(16, 20)], 11, 1)
    assert chosen == sorted(expected)
    other, _ = sampling.stratified_sample(t, 0.25, 2, seed=12)
    assert other == sorted(reference([f"T{i:02d}" for i in range(10)], 12, 2)
                           + reference([f"T{i:02d}" for i in range(10, 16)], 12, 2)
                           + reference([f"T{i:02d}" for i in range(16, 20)], 12, 1))
    numeric = pd.DataFrame({"ticket_id": [5, 40, 300], "agent": ["a", "a", "a"]})
    assert sampling.stratified_sample(numeric, 1.0, 0, 1)[0] == ["300", "40", "5"]  # ids as text


def test_the_draw_sql_names_its_relation_and_seed():
    sql = sampling.draw_sql("pop", 42)
    assert "FROM pop)" in sql and "md5('42:' || id)" in sql and sql.endswith("ORDER BY r.id")


def test_audit_rows_one_per_ticket_and_item_of_its_channel():
    chosen = pd.DataFrame({"ticket_id": ["T2", "T1", "T3"], "agent": ["a", "b", "c"], "department": ["X", "Y", "X"],
                           "channel": ["phone", "chat", None], "created_at": pd.to_datetime(["2026-09-01"] * 3),
                           "extra": [1, 2, 3]}, index=[7, 3, 5])
    card = pd.DataFrame({"channel": ["phone", None, "chat", None], "item": ["开场", "礼貌", "响应", "安全"],
                         "max_score": [5.0, 10.0, 5.0, 20.0], "critical": [True, np.nan, False, True]})
    rows = sampling.audit_rows(chosen, card)
    assert list(rows.columns) == sampling.AUDIT_TICKET + ["item", "max_score", "critical"]
    assert list(zip(rows["ticket_id"], rows["item"])) == [("T2", "开场"), ("T2", "礼貌"), ("T2", "安全"),
                                                         ("T1", "礼貌"), ("T1", "响应"), ("T1", "安全"),
                                                         ("T3", "礼貌"), ("T3", "安全")]
    assert rows["max_score"].tolist() == [5.0, 10.0, 20.0, 10.0, 5.0, 20.0, 10.0, 20.0]
    assert rows["critical"].tolist() == [True, False, True, False, False, True, False, True]
    assert rows["critical"].dtype == bool and list(rows.index) == list(range(8))
    assert rows["agent"].tolist() == ["a"] * 3 + ["b"] * 3 + ["c"] * 2


def inspections():
    rows = [("T1", "x", 10, "A"), ("T1", "x", 8, "B"), ("T2", "x", 9, "A"), ("T2", "x", 7, "B"),
            ("T1", "y", 10, "A"), ("T1", "y", 10, "B"),
            ("T3", "x", 2, "A"),  # one reviewer only: not a calibration case
            ("T2", "y", 1, None), (None, "x", 1, "B")]  # no reviewer, no ticket: left out
    return pd.DataFrame([(t, i, s, 10, r) for t, i, s, r in rows],
                        columns=["ticket_id", "item", "score", "max_score", "reviewer"])


def test_calibration_by_hand_on_two_reviewers():
    r = sampling.calibration(inspections())
    assert r["tickets"] == 2
    # x: T1 100 vs 80, T2 90 vs 70: spread 20 each; y: T1 both 100
    assert r["items"] == [{"item": "x", "cases": 2, "mean_spread_pct": 20.0, "agreement_pct": 0.0},
                          {"item": "y", "cases": 1, "mean_spread_pct": 0.0, "agreement_pct": 100.0}]
    # effects ±20/3 around the case levels 90 (T1 x), 80 (T2 x), 100 (T1 y): A is +10, +10, 0 off them, B the
    # opposite: a mean of 6.67 points, but above on only two scores of three (under the 70 % asked)
    a, b = r["reviewers"]
    assert a == {"reviewer": "A", "scores": 3, "mean_deviation_pct": pytest.approx(20 / 3),
                 "agreement_pct": pytest.approx(100 / 3), "flag": None}
    assert b["reviewer"] == "B" and b["mean_deviation_pct"] == pytest.approx(-20 / 3) and b["flag"] is None
    loose = sampling.calibration(inspections(), strict_pct=20 / 3, consistent=2 / 3)
    assert [p["flag"] for p in loose["reviewers"]] == ["lenient", "stricter"]  # both exactly on the thresholds
    assert [p["flag"] for p in sampling.calibration(inspections(), 6.7, 0.6)["reviewers"]] == [None, None]
    assert [p["flag"] for p in sampling.calibration(inspections(), 6.6, 0.7)["reviewers"]] == [None, None]


def test_reviewer_effects_converge_on_the_average_reviewer():
    d = inspections().iloc[:6].assign(pct=lambda f: 10.0 * f["score"])
    dev = sampling.reviewer_effects(d)
    assert dev.tolist() == pytest.approx([10.0, -10.0, 10.0, -10.0, 0.0, 0.0])
    assert sampling.reviewer_effects(d, rounds=0).tolist() == pytest.approx([10.0, -10.0, 10.0, -10.0, 0.0, 0.0])
