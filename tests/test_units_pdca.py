"""Fast unit tests on hand-made frames: they judge the mutants of core/pdca.py and core/appraisal.py (make mutation).
Every expected value is worked out by hand in the comment beside it."""
import math

import numpy as np
import pandas as pd
import pytest

from pyaddin.core import appraisal as ap
from pyaddin.core import kpi, pdca


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


# core/appraisal.py

COLUMNS = ["kind", "key", "name", "direction", "value", "warning_band", "note"]


def test_the_rules_come_from_the_settings_and_fall_back_to_the_defaults():
    r = ap.Rules.from_standards(kpi.Standards(settings={}))
    assert (r.points_per_pct, r.deduction_cap, r.major_points, r.attainment_cap, r.raw, r.bands, r.min_tickets,
            r.consequences) == (2.0, 20.0, 5.0, 100.0, False, (90.0, 80.0, 70.0), 30, {})
    assert r.weights == dict(ap.WEIGHT_DEFAULTS) and r.agent_weights == dict(ap.AGENT_WEIGHT_DEFAULTS)
    s = {"appraisal_complaint_points_per_pct": 3, "appraisal_complaint_cap": 15, "appraisal_major_points": 4,
         "appraisal_cap": 110, "appraisal_raw": 1, "grade_a": 95, "grade_b": 85, "grade_c": 60,
         "appraisal_min_tickets": 12, "csat_pct": 50, "agent_fcr_pct": 35}
    r = ap.Rules.from_standards(kpi.Standards(settings=s), {"A": "奖金"})
    assert (r.points_per_pct, r.deduction_cap, r.major_points, r.attainment_cap, r.raw, r.bands, r.min_tickets,
            r.consequences) == (3.0, 15.0, 4.0, 110.0, True, (95.0, 85.0, 60.0), 12, {"A": "奖金"})
    assert type(r.min_tickets) is int and type(r.bands[0]) is float and type(r.points_per_pct) is float
    assert r.weights["csat_pct"] == 50.0 and r.weights["fcr_pct"] == 20.0 and r.agent_weights["fcr_pct"] == 35.0
    assert r.agent_weights["csat_pct"] == 30.0


def test_a_survey_or_inspection_without_an_agent_takes_its_tickets():
    tickets = pd.DataFrame({"ticket_id": ["T1", "T2", "T1"], "agent": ["a", "b", "z"], "department": ["X", None, "Z"]})
    s = pd.DataFrame({"ticket_id": ["T1", "T2", "T9", None, "T1"], "agent": [None, None, None, None, "c"],
                      "department": [None, "Y", None, None, None], "csat": [5, 4, 3, 2, 1]}, index=[5, 6, 7, 8, 9])
    out = kpi.with_ticket_owner(kpi.rows_of(s, kpi.SURVEY_COLUMNS), kpi.rows_of(tickets, kpi.TICKET_COLUMNS)).to_frame()
    assert out["agent"].fillna("-").tolist() == ["a", "b", "-", "-", "c"]  # T1's first row; T9 unknown; c stays
    assert out["department"].fillna("-").tolist() == ["X", "Y", "-", "-", "X"]
    assert out["csat"].tolist() == [5, 4, 3, 2, 1]  # in their order
    assert s["agent"].isna().sum() == 4  # the frame given is not changed
    no_ticket = kpi.rows_of(s.drop(columns=["ticket_id"]), {"agent": kpi.TEXT, "csat": "float64"})
    assert kpi.with_ticket_owner(no_ticket, kpi.rows_of(tickets, kpi.TICKET_COLUMNS)) is no_ticket


def test_the_owners_join_is_rows_of_the_same_source_that_keep_what_they_read():
    """The joined rows name the source the answers came from (for messages), hold no pandas frame, and keep the
    relations they read alive after the caller lets go of them."""
    import gc

    from pyaddin.engine.rows import Rows

    tickets = pd.DataFrame({"ticket_id": ["T1"], "agent": ["a"], "department": ["X"]})
    registered = kpi.rows_of(pd.DataFrame({"ticket_id": ["T1"], "agent": [None], "csat": [5.0]}), kpi.SURVEY_COLUMNS)
    answers = Rows(registered.sql, registered.columns, None, "answers.csv", [registered])
    owned = kpi.with_ticket_owner(answers, kpi.rows_of(tickets, kpi.TICKET_COLUMNS))
    assert owned.frame is None and owned.where == "answers.csv" and owned.columns == answers.columns
    del registered, answers
    gc.collect()
    assert owned.to_frame(["agent", "department", "csat"]).to_dict("list") == {"agent": ["a"], "department": ["X"],
                                                                              "csat": [5.0]}


def test_major_complaints_are_whole_counts_per_group():
    t = pd.DataFrame({"agent": ["a", "a", "b"], "complaint_level": ["major", "major", "minor"],
                      "created_at": pd.Timestamp("2026-09-01")})
    got = ap.major_complaints(t, "agent")
    assert got.to_dict() == {"a": 2, "b": 0} and got.dtype == int
    assert ap.major_complaints(t.drop(columns=["complaint_level"]), "agent").to_dict() == {"a": 0, "b": 0}


def tickets(agent, dept, n, complaints=0, majors=0):
    """n tickets of one agent in August 2026, all resolved at first contact, answered in 3 minutes."""
    created = pd.date_range("2026-08-01 09:00", periods=n, freq="h")
    return pd.DataFrame({"ticket_id": [f"{agent}{i}" for i in range(n)], "created_at": created, "channel": "phone",
                         "department": dept, "agent": agent, "priority": "normal", "category": "x",
                         "first_response_at": created + pd.Timedelta(minutes=3),
                         "resolved_at": created + pd.Timedelta(hours=2), "contacts": 1, "reopened": False,
                         "is_complaint": [i < complaints for i in range(n)],
                         "complaint_level": ["major" if i < majors else None for i in range(n)],
                         "resolution_note": "ok"})


def test_the_quarter_by_hand_with_complaints_surveys_and_a_staff_list():
    t = pd.concat([tickets("甲", "A部", 40, complaints=4), tickets("乙", "A部", 40, complaints=1, majors=1),
                   tickets("丙", "B部", 30)], ignore_index=True)
    t.loc[t.index[-1], "agent"] = None  # one of B部's tickets has no agent: 未分配, never appraised
    surveys = pd.DataFrame({"survey_id": ["S1", "S2", "S3"], "ticket_id": ["甲0", "甲1", None],
                            "submitted_at": pd.to_datetime(["2026-08-02"] * 3), "channel": "phone",
                            "department": [None, None, "A部"], "agent": [None, None, "a0"], "csat": [5.0, 3.0, 5.0],
                            "nps": float("nan"), "comment": None})
    inspections = pd.DataFrame(columns=["inspection_id", "inspected_at", "method", "department", "agent", "ticket_id",
                                        "item", "score", "max_score", "critical", "note"]).astype(
        {"inspected_at": "datetime64[ns]"})
    plan = pd.DataFrame({"department": ["A部"], "deadline": pd.to_datetime(["2026-08-10"]), "status": ["done"],
                         "completed_on": pd.to_datetime(["2026-08-09"])})
    std = kpi.Standards.from_table(pd.DataFrame([["target", "complaint_rate_pct", None, "le", 4.0, 1.0, None]],
                                                columns=COLUMNS))
    staff = pd.DataFrame({"agent": ["丙"], "department": ["C部"], "active_from": pd.to_datetime([None]),
                          "active_to": pd.to_datetime([None])})
    r = ap.appraise(t, surveys, inspections, plan, std, kpi.quarter_period("2026Q3"), ap.Rules(), staff)
    agents = {a["agent"]: a for a in r["agents"]}
    assert list(agents) == ["丙", "乙", "甲"]  # a0 answered a survey but has no ticket: not appraised; nor 未分配
    # 甲: csat 1 of 2 surveys (taken from the tickets) = 50 → 100·50/85 = 58.82 points; SLA and FCR 100 (capped);
    # (58.82·30 + 100·20 + 100·20) / 70 = 82.35; complaints 4/40 = 10 %, 6 points above the target 4 → 12 → 70.4
    assert agents["甲"]["components"]["csat_pct"] == 50.0 and agents["甲"]["deduction"] == pytest.approx(12.0)
    assert agents["甲"]["score"] == 70.4 and agents["甲"]["grade"] == "C"
    # 乙: complaints 1/40 = 2.5 % under the target, one major complaint → 5 points → 95.0
    assert agents["乙"]["deduction"] == 5.0 and agents["乙"]["score"] == 95.0 and agents["乙"]["rank"] == 1
    # 丙 works in B部 but the staff list (open-ended) puts them in C部; 29 tickets of their own: too few to grade
    assert agents["丙"]["department"] == "C部" and not agents["丙"]["placed_by_tickets"]
    assert agents["丙"]["tickets"] == 29 and agents["丙"]["status"] == "insufficient_sample" and agents["丙"]["rank"] is None
    assert r["placed_by_tickets"] == ["乙", "甲"] and agents["甲"]["rank"] == 2


Q = pd.Timestamp("2026-07-01"), pd.Timestamp("2026-10-01")


def test_attainment_weights_and_the_clamp_at_the_edges():
    assert ap.attainment(0.5, ("le", 0.4, 1.0), 100) == pytest.approx(80.0)  # under 1 but above 0: 100·0.4/0.5
    assert ap.weighted({"a": 60.0, "b": 100.0, "nps": 10.0}, {"a": 1, "b": 3}) == 90.0  # nps has no weight here
    assert ap.weighted({"a": 60.0}, {"a": 0.5}) == 60.0
    assert ap.score({"a": 110.0}, {"a": 1}, 0) == 100.0  # attainment capped at 120 still scores at most 100


def test_agents_are_listed_in_name_order():
    t = pd.DataFrame({"agent": ["b", "a", "b"], "department": ["X", "Y", "X"]})
    assert ap.home_department(t).index.tolist() == ["a", "b"]


def staff(rows):
    return pd.DataFrame(rows, columns=["agent", "department", "active_from", "active_to"]).assign(
        active_from=lambda f: pd.to_datetime(f["active_from"]), active_to=lambda f: pd.to_datetime(f["active_to"]))


def test_only_the_days_inside_the_quarter_count_for_the_staff_list():
    assert ap.roster_department(None, *Q).empty and ap.roster_department(staff([]), *Q).empty
    # X from January to 10 July: 10 days of the quarter against Y's 82 from 11 July
    assert ap.roster_department(staff([("a", "X", "2026-01-01", "2026-07-10"), ("a", "Y", "2026-07-11", None)]),
                                *Q).to_dict() == {"a": "Y"}
    # X from 20 Sept to December: 11 days of the quarter against Y's 20 in July
    assert ap.roster_department(staff([("a", "X", "2026-09-20", "2026-12-31"), ("a", "Y", "2026-07-01", "2026-07-20")]),
                                *Q).to_dict() == {"a": "Y"}
    # the last day counts: Y 1–31 July is 31 days against X's 30 of September
    assert ap.roster_department(staff([("a", "X", "2026-09-01", None), ("a", "Y", "2026-07-01", "2026-07-31")]),
                                *Q).to_dict() == {"a": "Y"}
    # 31 days each: the tie goes to the name that sorts first
    assert ap.roster_department(staff([("a", "X", "2026-08-31", None), ("a", "Y", "2026-07-01", "2026-07-31")]),
                                *Q).to_dict() == {"a": "X"}
    assert ap.roster_department(staff([("a", "X", None, "2026-06-30"), ("b", "Z", "2026-09-30", "2026-09-30")]),
                                *Q).to_dict() == {"b": "Z"}  # a ends the day before the quarter; b has one day in it
    assert ap.roster_department(staff([("b", "X", None, None), ("a", "Y", None, None)]), *Q).index.tolist() == ["a", "b"]


def test_rectification_counts_the_actions_due_in_the_quarter_by_department():
    plan = pd.DataFrame({
        "department": ["A", "A", "A", "B", "C", "D", "D", "D", "D"],
        "deadline": pd.to_datetime(["2026-06-20", "2026-07-01", "2026-09-30", "2026-10-01", "2026-08-01", "2026-07-05",
                                    "2026-07-06", "2026-07-07", "2026-07-08"]),
        "status": ["planned", "done", "in_progress", "done", "cancelled", "done", "done", "planned", "in_progress"],
        "completed_on": pd.to_datetime([None, "2026-06-30", None, "2026-09-01", None, "2026-07-01", "2026-07-02", None,
                                        None])})
    # A: the June action is not the quarter's; 1 July (the first day) done on time, 30 Sept not done → 50 %.
    # B's only action is due on 1 Oct, C's is cancelled: neither has a rate. D: 2 of 4 → 50 %
    got = ap.rectification(plan, *Q)
    assert got.to_dict() == {"A": 50.0, "D": 50.0} and got.dtype == float
    late = plan.assign(completed_on=pd.to_datetime(["2026-06-01", "2026-07-02"] + [None] * 7))
    assert ap.rectification(late.iloc[:2], *Q).to_dict() == {"A": 0.0}
    assert ap.rectification(plan.iloc[:1], *Q).dtype == float


def quarter_inputs():
    t = pd.concat([tickets("甲", "A部", 40, complaints=4), tickets("乙", "A部", 40, complaints=1, majors=1),
                   tickets("丙", "B部", 30)], ignore_index=True)
    surveys = pd.DataFrame({"survey_id": ["S1", "S2", "S3", "S4", "S5"], "ticket_id": ["甲0", "甲1", None, None, None],
                            "submitted_at": pd.to_datetime(["2026-08-02"] * 5), "channel": "phone",
                            "department": [None, None, "A部", "Q部", "N部"], "agent": None,
                            "csat": [5.0, 3.0, 5.0, 5.0, float("nan")], "nps": [None, None, None, None, 9.0],
                            "comment": None})
    inspections = pd.DataFrame({"inspection_id": ["I1"], "inspected_at": pd.to_datetime(["2026-08-03"]),
                                "method": "ticket", "department": [None], "agent": [None], "ticket_id": ["乙0"],
                                "item": ["礼貌"], "score": [8.0], "max_score": [10.0], "critical": [False],
                                "note": None})
    plan = pd.DataFrame({"department": ["A部"], "deadline": pd.to_datetime(["2026-08-10"]), "status": ["done"],
                         "completed_on": pd.to_datetime(["2026-08-09"])})
    std = kpi.Standards.from_table(pd.DataFrame([["target", "complaint_rate_pct", None, "le", 4.0, 1.0, None]],
                                                columns=COLUMNS))
    return t, surveys, inspections, plan, std


def test_the_departments_of_the_quarter_by_hand():
    t, s, i, plan, std = quarter_inputs()
    r = ap.appraise(t, s, i, plan, std, kpi.quarter_period("2026Q3"), ap.Rules())
    agents = {a["agent"]: a for a in r["agents"]}
    # 乙's inspection has no agent: it is 乙's by its ticket (8 of 10 → 80 → 94.12 points); (100·20 + 100·20 +
    # 94.12·30) / 70 = 97.48, less 5 for the major complaint → 92.5
    assert agents["乙"]["components"]["qa_score_pct"] == 80.0 and agents["乙"]["score"] == 92.5
    assert agents["甲"]["components"]["complaint_rate_pct"] == 10.0 and agents["乙"]["components"]["complaint_rate_pct"] == 2.5
    depts = {d["department"]: d for d in r["departments"]}
    a = depts["A部"]
    # A部: csat 2 of 3 (S1, S2 by their tickets, S3 its own) → 78.43 points, SLA and FCR 100, QA 80 → 94.12,
    # rectification 100 (raw): (78.43·30 + 100·20 + 100·20 + 94.12·20 + 100·10) / 100 = 92.35; complaints 5/80 =
    # 6.25 %, 2.25 points above 4 → 4.5, and one major complaint → 5: 9.5 → 82.9 (B)
    assert a["tickets"] == 80 and a["components"]["complaint_rate_pct"] == 6.25
    assert a["deduction"] == pytest.approx(9.5) and a["score"] == 82.9 and a["grade"] == "B"
    # Q部 has one survey (csat 100 → capped at 100 points) and no ticket: 100, no deduction; N部 only an nps: no
    # component, no score, no grade and no rank
    assert depts["Q部"]["score"] == 100.0 and depts["Q部"]["deduction"] == 0.0 and depts["Q部"]["tickets"] == 0
    assert depts["N部"]["score"] is None and depts["N部"]["rank"] is None and depts["N部"]["grade"] is None
    # B部: SLA and FCR 100 → 100, as Q部: both first, A部 third
    assert [(d["department"], d["rank"]) for d in r["departments"]] == [("A部", 3), ("B部", 1), ("N部", None), ("Q部", 1)]
    few = ap.appraise(t, s, i, plan, std, kpi.quarter_period("2026Q3"), ap.Rules(min_tickets=30))
    assert {a["agent"]: a["status"] for a in few["agents"]}["丙"] == "graded"  # exactly the minimum is enough


def test_without_a_complaint_target_only_major_complaints_cost_points():
    t, s, i, plan, std = quarter_inputs()
    del std.targets["complaint_rate_pct"]
    r = ap.appraise(t, s, i, plan, std, kpi.quarter_period("2026Q3"), ap.Rules())
    assert {a["agent"]: a["deduction"] for a in r["agents"]} == {"丙": 0.0, "乙": 5.0, "甲": 0.0}


def test_a_quarter_without_data_appraises_no_one():
    t, s, i, plan, std = quarter_inputs()
    r = ap.appraise(t, s, i, plan, std, kpi.quarter_period("2025Q1"), ap.Rules())
    assert r["agents"] == [] and r["placed_by_tickets"] == []
    # every department of the ticket table is listed (its backlog is counted over the whole table: 0), with nothing
    # to score or rank
    assert [(d["department"], d["tickets"], d["score"], d["rank"]) for d in r["departments"]] == [
        ("A部", 0, None, None), ("B部", 0, None, None)]


def test_ranks_are_whole_numbers_and_an_unscored_row_has_none():
    got = ap.rank(pd.Series([90.0, None, 80.0]))
    assert got.dtype == "Int64" and got.tolist()[0] == 1 and got.tolist()[2] == 2 and pd.isna(got.iloc[1])
