"""Fast unit tests on hand-made frames: they judge the mutants of core/pdca.py and core/appraisal.py (make mutation).
Every expected value is worked out by hand in the comment beside it."""
import math

import numpy as np
import pandas as pd
import pytest

from pyaddin.core import pdca


def test_new_ids_follow_the_highest_whatever_the_order_and_the_noise():
    assert pdca.new_ids(["P001", "P010", "P2", None, 3, "P00a", "xP050", "P060x", "A099"], 2) == ["P011", "P012"]
    assert pdca.new_ids([], 1) == ["P001"] and pdca.new_ids(["P001"], 0) == []
    assert pdca.new_ids(["A003", "P009"], 1, prefix="A") == ["A004"]
    assert pdca.new_ids(pd.Series(["P999"]), 1) == ["P1000"]


def plan():
    ts = pd.to_datetime
    return pd.DataFrame({
        "action_id": ["A1", "A2", "A3", "A4", "A5", "A6"],
        "problem_id": ["P1", "P1", "P2", "P2", "P3", None],
        "department": ["X", "X", None, "Y", "Y", "X"],
        "owner": ["张三", " ", None, "李四", "王五", "赵六"],
        "deadline": ts(["2026-09-30", "2026-09-20", None, "2026-09-30 18:00", "2026-10-15", "2026-09-25"], format="mixed"),
        "target_metric": ["fcr_pct", "fcr_pct", "", "csat_pct", "csat_pct", None],
        "goal": [80.0, 0.0, None, 90.0, 90.0, 70.0],
        "status": ["done", "overdue", "planned", "in_progress", "done", "cancelled"],
        "completed_on": ts(["2026-09-30", None, None, None, "2026-10-20", None]),
        "effect_verified": [True, None, None, None, False, None]})


def test_overdue_days_smart_gaps_and_done_on_time_by_hand():
    p, as_of = plan(), pd.Timestamp("2026-10-02 09:00")
    # A2 (overdue since 20 Sept) and A4 (due 30 Sept 18:00) are past their day and open; A1 and A5 are done, A6
    # cancelled, A3 has no deadline
    assert pdca.overdue(p, as_of).tolist() == [False, True, False, True, False, False]
    assert pdca.days_overdue(p, as_of).tolist() == [0, 12, 0, 2, 0, 0]
    assert pdca.days_overdue(p, as_of).dtype == int
    assert pdca.smart_missing(p).tolist() == [[], ["owner"], ["owner", "deadline", "target_metric", "goal"], [], [],
                                              ["target_metric"]]
    assert list(pdca.smart_missing(p.set_index("action_id")).index) == ["A1", "A2", "A3", "A4", "A5", "A6"]
    d = pdca.done_on_time(p, pd.Timestamp("2026-09-30 12:00"))
    # due by noon on 30 Sept: A1, A2 (A4 only at 18:00, A5 later, A6 cancelled); A1 done on its day: on time
    assert list(d.columns) == ["due", "on_time"]
    assert d["due"].tolist() == [True, True, False, False, False, False]
    assert d["on_time"].tolist() == [True, False, False, False, False, False]
    late = pdca.done_on_time(p, pd.Timestamp("2026-10-31"))
    assert late["due"].tolist() == [True, True, False, True, True, False]
    assert late["on_time"].tolist() == [True, False, False, False, False, False]  # A5 done five days late


def test_progress_by_department():
    out = pdca.by_department(plan(), pd.Timestamp("2026-10-31"))
    assert out.to_dict("records") == [
        {"department": "", "actions": 1, "done": 0, "overdue": 0, "due": 0, "on_time": 0,
         "done_on_time_pct": pytest.approx(math.nan, nan_ok=True)},
        {"department": "X", "actions": 3, "done": 1, "overdue": 1, "due": 2, "on_time": 1, "done_on_time_pct": 50.0},
        {"department": "Y", "actions": 2, "done": 1, "overdue": 1, "due": 2, "on_time": 0, "done_on_time_pct": 0.0}]


def test_the_answer_of_the_last_step_is_the_root_cause():
    assert pdca.root_cause(["为什么慢?人手不足", "  ", None, 3, "为什么只有1人？排班表未考虑夜间高峰。"]) == "排班表未考虑夜间高峰"
    assert pdca.root_cause(["人手不足", "为什么?"]) == "人手不足"  # a question alone gives way
    assert pdca.root_cause([" ,系统宕机; ", "为什么？ 。"]) == "系统宕机"
    assert pdca.root_cause(["为什么?", ""]) is None and pdca.root_cause([]) is None
    assert pdca.root_cause(["a?b?c:"]) == "c"


def test_verified_causes():
    rc = pd.DataFrame({"problem_id": ["P1", "P2", "P3", None, "P1"], "verified": [True, None, False, True, False]})
    assert pdca.verified_causes(rc) == {"P1"}


def test_the_pdca_stage_of_each_problem():
    problems = pd.DataFrame({"problem_id": ["P1", "P2", "P3", "P4", "P5", "P6"],
                             "status": ["improving", "open", "closed", "open", "verifying", "open"]})
    p = pd.DataFrame({"problem_id": ["P1", "P1", "P2", "P2", "P3", "P4", "P5", "P5", "P6"],
                      "status": ["done", "done", "planned", "cancelled", "in_progress", "done", "done", "cancelled",
                                 "in_progress"],
                      "effect_verified": [True, True, None, None, None, None, True, False, None]})
    stages = pdca.pdca_stage(problems, p)
    # P1: all done and verified: act; P2: only a planned one beside a cancelled one: plan; P3 closed whatever its
    # actions; P4 done, its effect not verified: check; P5: the cancelled one counts for nothing; P6 under way
    assert stages.to_dict() == {"P1": "act", "P2": "plan", "P3": "closed", "P4": "check", "P5": "act", "P6": "do"}
    assert pdca.pdca_stage(problems.iloc[:0], p).empty
    assert pdca.pdca_stage(pd.DataFrame({"problem_id": ["P9"], "status": ["open"]}), p).to_dict() == {"P9": "plan"}
    mixed = pd.DataFrame({"problem_id": ["P1", "P1"], "status": ["done", "planned"], "effect_verified": [True, None]})
    assert pdca.pdca_stage(problems.iloc[:1], mixed).to_dict() == {"P1": "do"}


def test_two_proportions_at_the_edges():
    assert pdca.two_proportions(0, 10, 0, 10) == 1.0 and pdca.two_proportions(10, 10, 5, 5) == 1.0  # no spread
    assert pdca.two_proportions(5, 10, 5, 0) is None
    # 2/10 → 8/10: p = 0.5, se = √(0.25·0.2) = 0.2236, z = 0.6 / 0.2236 = 2.683
    assert pdca.two_proportions(2, 10, 8, 10) == pytest.approx(math.erfc(0.6 / math.sqrt(0.05) / math.sqrt(2)))
    assert pdca.two_proportions(8, 10, 2, 10) == pytest.approx(0.0073, abs=1e-4)
    # 1/4 → 3/6: p = 0.4, se = √(0.24·(1/4 + 1/6)) = 0.3162, z = 0.25 / 0.3162
    assert pdca.two_proportions(1, 4, 3, 6) == pytest.approx(math.erfc(0.25 / math.sqrt(0.1) / math.sqrt(2)))


def test_equal_windows_before_the_start_and_after_the_completion():
    before, after = pdca.windows("2026-09-10 15:00", pd.Timestamp("2026-09-20 08:00"), 14)
    assert before == (pd.Timestamp("2026-08-27"), pd.Timestamp("2026-09-10"))
    assert after == (pd.Timestamp("2026-09-21"), pd.Timestamp("2026-10-05"))


def test_goal_met_by_direction_and_empty_without_a_value():
    assert pdca.goal_met(80.0, 80.0, "ge") is True and pdca.goal_met(79.9, 80.0, "ge") is False
    assert pdca.goal_met(80.0, 80.0, "le") is True and pdca.goal_met(80.1, 80.0, "le") is False
    assert pdca.goal_met(np.float64(70.0), 80.0, "le") is True
    assert pdca.goal_met(None, 80.0, "ge") is None and pdca.goal_met(80.0, None, "ge") is None
    assert pdca.goal_met(float("nan"), 80.0, "ge") is None and pdca.goal_met(80.0, float("nan"), "le") is None


def test_an_action_is_due_at_its_deadline_and_one_due_action_has_its_rate():
    p = plan()
    assert pdca.done_on_time(p, pd.Timestamp("2026-09-30"))["due"].tolist() == [True, True, False, False, False, False]
    out = pdca.by_department(p, pd.Timestamp("2026-09-25")).set_index("department")
    assert out.at["X", "due"] == 1 and out.at["X", "done_on_time_pct"] == 0.0  # A2 alone, not done
    assert pd.isna(out.at["Y", "done_on_time_pct"])


def test_blank_marks_read_as_the_schema_reads_them_are_not_verified():
    rc = pd.DataFrame({"problem_id": ["P1", "P2"], "verified": pd.array([True, None], dtype="boolean")})
    assert pdca.verified_causes(rc) == {"P1"}
    problems = pd.DataFrame({"problem_id": ["P1"], "status": ["verifying"]})
    acts = pd.DataFrame({"problem_id": ["P1", "P1"], "status": ["done", "done"],
                         "effect_verified": pd.array([True, None], dtype="boolean")})
    stages = pdca.pdca_stage(problems, acts)
    assert stages.to_dict() == {"P1": "check"} and stages.dtype == object
