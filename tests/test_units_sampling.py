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


def test_equal_remainders_go_in_the_names_order_among_many_agents():
    k = [1, 2, 3, 2, 1, 2, 2, 3, 1, 2, 2, 1, 3, 2, 2, 1, 2, 3, 2, 2]
    sizes = pd.Series({f"a{i:02d}": 4 + x for i, x in enumerate(k)})  # 5, 6 or 7 tickets: remainders ¼, ½, ¾
    got = sampling.allocate(sizes, 0.25, 0)
    # 30 in all, 20 by the floors: the 10 left go to the four ¾ (a02 a07 a12 a17), then to the first six ½ by name
    plus = {"a02", "a07", "a12", "a17", "a01", "a03", "a05", "a06", "a09", "a10"}
    assert got.to_dict() == {a: 2 if a in plus else 1 for a in sizes.index}


def test_a_rate_above_100_percent_draws_every_ticket_and_no_more():
    assert sampling.allocate(pd.Series({"a": 4, "b": 2}), 1.5, 0).to_dict() == {"a": 4, "b": 2}


def test_a_blank_critical_mark_of_a_scorecard_item_is_not_critical():
    chosen = pd.DataFrame({"ticket_id": ["T1"], "agent": ["a"], "department": ["X"], "channel": ["phone"],
                           "created_at": pd.to_datetime(["2026-09-01"])})
    card = pd.DataFrame({"channel": [None, None], "item": ["礼貌", "安全"], "max_score": [10.0, 20.0],
                         "critical": pd.array([None, True], dtype="boolean")})  # as the schema reads a bool column
    assert sampling.audit_rows(chosen, card)["critical"].tolist() == [False, True]


def test_reviewer_effects_when_one_reviewer_is_paired_with_two_others():
    # Z scores 礼貌 20 under A (T1, T2) and under B (T3, T4), and 方案 the same as them: least squares put A and B
    # 10 above Z (the mean of 20, 20, 0, 0), centred on the average reviewer: A = B = +10/3, Z = −20/3
    rows = []
    for ticket in ("T1", "T2", "T3", "T4"):
        partner = "A" if ticket in ("T1", "T2") else "B"
        rows += [(ticket, "礼貌", 100.0, partner), (ticket, "礼貌", 80.0, "Z"), (ticket, "方案", 100.0, partner),
                 (ticket, "方案", 100.0, "Z")]
    d = pd.DataFrame(rows, columns=["ticket_id", "item", "pct", "reviewer"])
    # 礼貌's level is 91.67 (100 − 10/3 and 80 + 20/3 averaged), 方案's 101.67
    assert sampling.reviewer_effects(d).tolist() == pytest.approx([25 / 3, -35 / 3, -5 / 3, -5 / 3] * 4, abs=1e-9)


def test_the_flags_thresholds_the_order_and_rows_without_a_reviewer():
    near = pd.DataFrame({"ticket_id": ["T1", "T1"], "item": ["x", "x"], "score": [100, 89], "max_score": [100, 100],
                         "reviewer": ["B", "A"]})
    # ±5.5 points: over the default 5 points, on one side every time
    assert [(p["reviewer"], p["flag"]) for p in sampling.calibration(near)["reviewers"]] == [("A", "stricter"),
                                                                                             ("B", "lenient")]
    slight = near.assign(score=[100, 99])  # ±0.5
    assert [p["flag"] for p in sampling.calibration(slight, strict_pct=0.5)["reviewers"]] == ["stricter", "lenient"]
    two = pd.concat([near.assign(item="y"), near.assign(ticket_id="T2")], ignore_index=True)
    assert [i["item"] for i in sampling.calibration(two)["items"]] == ["x", "y"]
    extra = pd.concat([inspections(), pd.DataFrame({"ticket_id": ["T1"], "item": ["x"], "score": [0], "max_score": [10],
                                                    "reviewer": [None]})], ignore_index=True)
    assert sampling.calibration(extra) == sampling.calibration(inspections())  # no reviewer: left out


def test_reviewer_effects_are_the_least_squares_fit_of_case_level_plus_reviewer_effect():
    rows = [("T1", "x", 100.0, "A"), ("T1", "x", 80.0, "B"), ("T2", "x", 90.0, "B"), ("T2", "x", 60.0, "C"),
            ("T3", "x", 70.0, "A"), ("T3", "x", 75.0, "C"), ("T3", "x", 50.0, "B")]
    d = pd.DataFrame(rows, columns=["ticket_id", "item", "pct", "reviewer"])
    # the oracle: score = level[case] + effect[reviewer], effects summing to 0, solved by linear algebra
    cases, people = ["T1", "T2", "T3"], ["A", "B", "C"]
    x = np.zeros((len(rows) + 1, 6))
    for i, (t, _, _, r) in enumerate(rows):
        x[i, cases.index(t)], x[i, 3 + people.index(r)] = 1, 1
    x[-1, 3:] = 1  # Σ effect = 0
    fit = np.linalg.lstsq(x, np.append(d["pct"].to_numpy(), 0.0), rcond=None)[0]
    effect = dict(zip(people, fit[3:]))
    level = (d["pct"] - d["reviewer"].map(effect)).groupby(d["ticket_id"]).transform("mean")
    assert sampling.reviewer_effects(d).tolist() == pytest.approx((d["pct"] - level).tolist(), abs=1e-6)
    assert sampling.reviewer_effects(d).tolist() == pytest.approx([12.3333, -7.6667, 10.6667, -19.3333, 5.0, 10.0, -15.0],
                                                                 abs=1e-4)


def test_the_sample_of_rows_where_they_lie_is_the_frames_sample():
    """An outside source's rows (``engine.rows.Rows``) are counted and drawn by the engine: the same tickets and
    per-agent counts as the same rows in a frame, a blank agent as 未分配 and numeric ids as text."""
    from pyaddin.engine.rows import of_frame

    t = pd.DataFrame({"ticket_id": [101, 102, 103, 104, 105, 106, 107],
                      "agent": ["甲", "甲", "甲", "乙", None, "乙", "甲"]})
    rows = of_frame(t, {"ticket_id": lambda f, n: f[n], "agent": lambda f, n: f[n]})
    chosen, counts = sampling.stratified_sample(rows, 0.5, 1, seed=3)
    in_frame, frame_counts = sampling.stratified_sample(t, 0.5, 1, seed=3)
    assert chosen == in_frame and counts.to_dict("index") == frame_counts.to_dict("index")
    # round(7 × 0.5) = 4 in all: 甲 2.0, 乙 1.0, 未分配 0.5 → 2, 1, 0, and the one left to 未分配's remainder
    assert counts.to_dict("index") == {"乙": {"tickets": 2, "sampled": 1}, "未分配": {"tickets": 1, "sampled": 1},
                                       "甲": {"tickets": 4, "sampled": 2}}
    assert counts.index.name == "agent"  # the per-agent counts are indexed by the agent
    ids = [str(i) for i in t["ticket_id"]]
    assert chosen == sorted(reference(ids[:3] + ids[6:], 3, 2) + reference([ids[3], ids[5]], 3, 1) + [ids[4]])


def test_a_case_is_its_ticket_and_its_item_whatever_characters_they_hold():
    # "A|B" scored on "c" and "A" scored on "B|c" are two cases, though their texts joined by "|" are the same
    d = pd.DataFrame({"ticket_id": ["A|B", "A|B", "A", "A"], "item": ["c", "c", "B|c", "B|c"],
                      "pct": [100.0, 80.0, 60.0, 60.0], "reviewer": ["X", "Y", "X", "Y"]})
    # X is 10 above Y on the first case and level on the second: effects ±5, case levels 90 and 60, so the scores lie
    # 10 above and below the first level and on the second (one case of the four scores: 25, 5, −15, −15)
    assert sampling.reviewer_effects(d).tolist() == pytest.approx([10.0, -10.0, 0.0, 0.0], abs=1e-6)
