"""Fast unit tests on hand-made frames: they judge the mutants of core/calls.py, visits.py and regions.py (make
mutation). Every expected figure is worked out by hand in the comment beside it."""
import warnings

import numpy as np
import pandas as pd
import pytest
from test_kpi_core import STD, typed  # the typed frames of pasted CSV text, through the real parser

from pyaddin import schema
from pyaddin.core import calls, kpi, regions, visits

TICKETS = ("工单编号,创建时间,责任部门,区域,优先级,首次响应时间\n"
           "T1,2026-09-01 09:00,客服中心,华东,普通,2026-09-01 09:05\n"
           "T2,2026-09-02 09:00,客服中心,华东,普通,2026-09-02 09:30\n"
           "T3,2026-09-03 09:00,售后服务部,华南,普通,2026-09-03 09:05\n"
           "T4,2026-09-04 09:00,售后服务部,,普通,2026-09-04 09:05\n"
           "T5,2026-08-04 09:00,售后服务部,华北,普通,2026-08-04 09:05\n")
SURVEYS = ("问卷编号,工单编号,提交时间,满意度评分,责任部门\nS1,T1,2026-09-02 10:00,5,客服中心\n"
           "S2,T3,2026-09-04 10:00,2,客服中心\nS3,T5,2026-09-04 10:00,5,售后服务部\n")
INSPECTIONS = ("质检编号,质检时间,方式,责任部门,工单编号,检查项,得分,满分,关键项\n"
               "I1,2026-09-03 10:00,工单抽查,售后服务部,T1,礼貌,6,10,否\n")


def view(tickets=TICKETS, inspections=INSPECTIONS):
    return kpi.view(typed(schema.TICKETS, tickets), typed(schema.SURVEYS, SURVEYS),
                    typed(schema.INSPECTIONS, inspections), STD, kpi.month_period("2026-09"))


def test_each_region_gets_the_metrics_a_department_gets_surveys_and_inspections_by_their_tickets_region():
    out = regions.by_region(view())
    # T4 has no region (in none); T5, of August, is outside the period but its September survey takes 华北
    assert set(out) == {"华东", "华北", "华南"}
    east, north, south = out["华东"], out["华北"], out["华南"]
    assert (east["tickets"], east["first_response_sla_pct"], east["csat_pct"], east["qa_score_pct"]) == \
        (2, 50.0, 100.0, 60.0)  # T1 in 5 min, T2 in 30; S1 scores 5; I1 scores 6 of 10 on T1
    assert (south["tickets"], south["first_response_sla_pct"], south["csat_pct"], south["qa_score_pct"]) == \
        (1, 100.0, 0.0, None)
    assert north["tickets"] == 0 and north["csat_pct"] == 100.0


def test_the_region_breakdown_counts_each_table_by_its_tickets_region_and_leaves_the_view_as_it_is():
    v = view()
    sizes = v.sizes("region")
    assert sizes["tickets"].to_dict() == {"华东": 2, "华南": 1}  # T4 has no region; T5 is August's
    assert sizes["surveys"].to_dict() == {"华东": 1, "华北": 1, "华南": 1}  # each answer by its ticket's region
    assert sizes["inspections"].to_dict() == {"华东": 1}  # I1 is on T1
    assert v.t["department"].tolist() == ["客服中心", "客服中心", "售后服务部", "售后服务部"]  # the view is not changed
    none = regions.by_region(view(inspections="质检编号,质检时间,方式,责任部门,工单编号,检查项,得分,满分,关键项\n"))
    assert none["华东"]["qa_score_pct"] is None and none["华东"]["tickets"] == 2


def test_a_ticket_listed_twice_keeps_the_region_of_each_row_and_its_first_for_surveys():
    t = typed(schema.TICKETS, TICKETS)
    twice = pd.concat([t, t.iloc[[2]].assign(region="华西")], ignore_index=True)
    v = kpi.view(twice, typed(schema.SURVEYS, SURVEYS), typed(schema.INSPECTIONS, INSPECTIONS), STD,
                 kpi.month_period("2026-09"))
    sizes = v.sizes("region")
    assert sizes["tickets"].to_dict() == {"华东": 2, "华南": 1, "华西": 1}
    assert sizes["surveys"].to_dict() == {"华东": 1, "华北": 1, "华南": 1}  # T3's survey: its first row's region


def test_without_any_region_there_is_no_region_breakdown():
    no_column = TICKETS.replace(",区域", "").replace(",华东", "").replace(",华南", "").replace(",华北", "") \
        .replace("售后服务部,,", "售后服务部,")
    assert not view(no_column).regions and regions.by_region(view(no_column)) is None
    blank = TICKETS.replace("华东", "").replace("华南", "").replace("华北", "")
    assert not view(blank).regions and regions.by_region(view(blank)) is None


# core/visits.py

def visit_tickets():
    ts = pd.to_datetime
    return pd.DataFrame({
        "ticket_id": [f"V{i}" for i in range(1, 9)],
        "appointment_at": ts(["2026-09-01 10:00", "2026-09-02 10:00", "2026-09-03 00:00", "2026-09-04 00:00", None,
                              "2026-09-07 10:00", None, "2026-09-08 10:00"]),
        "arrived_at": ts(["2026-09-01 10:15", "2026-09-02 10:16", "2026-09-03 23:59", "2026-09-05 00:00",
                          "2026-09-06 09:00", None, None, "2026-09-08 09:00"]),
        "visit_end_at": ts(["2026-09-01 11:15", "2026-09-02 10:46", "2026-09-04 00:19", "2026-09-05 00:10",
                            "2026-09-06 09:40", None, None, "2026-09-08 09:30"]),
        "fixed_first_visit": np.array([True, False, None, True, True, False, None, True], dtype=object),
        "channel": ["phone", "phone", "chat", "chat", "phone", "phone", "phone", "chat"],
        "department": ["A", "A", "B", "B", "A", "B", "A", "A"],
        "agent": ["a", "b", "a", None, "a", "b", "a", "b"]}, index=range(10, 18))


def test_visit_figures_by_hand_overall_and_by_channel_department_and_agent():
    r = visits.result(visit_tickets())
    # V7 has neither appointment nor arrival: no visit. Timed: V1 (exactly 15 min late: on time), V2 (16: late),
    # V3 (date only, arrived that day), V4 (date only, arrived the next midnight: late), V8 (early: on time)
    assert r["overall"] == {"visits": 7, "on_time_visit_pct": 60.0, "median_visit_min": 30.0,
                            "first_visit_fix_pct": pytest.approx(400 / 6)}  # V3 unknown: 4 fixed of 6 known
    assert type(r["overall"]["visits"]) is int and type(r["overall"]["on_time_visit_pct"]) is float
    assert r["by_channel"] == {
        "chat": {"visits": 3, "on_time_visit_pct": pytest.approx(200 / 3), "median_visit_min": 20.0,
                 "first_visit_fix_pct": 100.0},
        "phone": {"visits": 4, "on_time_visit_pct": 50.0, "median_visit_min": 40.0, "first_visit_fix_pct": 50.0}}
    assert r["by_department"] == {
        "A": {"visits": 4, "on_time_visit_pct": pytest.approx(200 / 3), "median_visit_min": 35.0,
              "first_visit_fix_pct": 75.0},
        "B": {"visits": 3, "on_time_visit_pct": 50.0, "median_visit_min": 15.0, "first_visit_fix_pct": 50.0}}
    assert r["by_agent"] == {  # V4 has no agent: in no agent's figures
        "a": {"visits": 3, "on_time_visit_pct": 100.0, "median_visit_min": 40.0, "first_visit_fix_pct": 100.0},
        "b": {"visits": 3, "on_time_visit_pct": 50.0, "median_visit_min": 30.0,
              "first_visit_fix_pct": pytest.approx(100 / 3)}}
    assert list(r) == ["overall", "by_channel", "by_department", "by_agent"] and list(r["by_channel"]) == ["chat", "phone"]


def test_the_grace_decides_on_time_and_a_breakdown_needs_its_column():
    assert visits.result(visit_tickets(), grace_min=16)["overall"]["on_time_visit_pct"] == 80.0
    assert visits.result(visit_tickets(), 0)["overall"]["on_time_visit_pct"] == 40.0  # V1 is late too
    r = visits.result(visit_tickets().drop(columns=["agent", "channel"]))
    assert list(r) == ["overall", "by_department"]


def test_visit_flags_one_row_per_visit():
    f = visits.visit_flags(visit_tickets(), 15)
    assert list(f.index) == [10, 11, 12, 13, 14, 15, 17] and list(f.columns) == ["timed", "on_time", "minutes", "fixed",
                                                                                 "fix_known"]
    assert f["timed"].tolist() == [True, True, True, True, False, False, True]
    assert f["on_time"].tolist() == [True, False, True, False, False, False, True]
    assert f["minutes"].tolist()[:5] == [60.0, 30.0, 20.0, 10.0, 40.0] and pd.isna(f["minutes"].iloc[5])
    assert f["fixed"].tolist() == [True, False, False, True, True, False, True]
    assert f["fix_known"].tolist() == [True, True, False, True, True, True, True]
    none = visits.visit_flags(pd.DataFrame({"created_at": [pd.Timestamp("2026-09-01")]}), 15)
    assert none.empty and list(none.columns) == ["on_time", "timed", "minutes", "fixed", "fix_known"]
    r = visits.result(pd.DataFrame({"created_at": [pd.Timestamp("2026-09-01")], "channel": ["phone"]}))
    assert r == {"overall": {"visits": 0, "on_time_visit_pct": None, "median_visit_min": None,
                             "first_visit_fix_pct": None}, "by_channel": {}}


def test_one_visit_alone_has_its_rates_and_a_visit_never_made_has_none():
    assert visits.result(visit_tickets().iloc[[0]])["overall"] == {
        "visits": 1, "on_time_visit_pct": 100.0, "median_visit_min": 60.0, "first_visit_fix_pct": 100.0}
    assert visits.result(visit_tickets().iloc[[5]])["by_agent"] == {  # V6: an appointment, no arrival yet
        "b": {"visits": 1, "on_time_visit_pct": None, "median_visit_min": None, "first_visit_fix_pct": 0.0}}
    f = visits.visit_flags(visit_tickets(), 15)
    assert f["fixed"].dtype == bool and f["fix_known"].dtype == bool


# core/calls.py

SEPT = kpi.month_period("2026-09")


def phone_calls():
    nan = float("nan")
    return pd.DataFrame({
        "call_id": [f"C{i}" for i in range(1, 9)],
        "started_at": pd.to_datetime(["2026-09-07 09:10", "2026-09-07 09:40", "2026-09-07 10:05", "2026-09-08 14:00",
                                      "2026-09-08 14:30", "2026-09-08 14:50", "2026-08-31 08:00", "2026-10-01 00:00"]),
        "queue": ["Q1", "Q1", "Q2", "Q2", "Q2", "Q1", "Q1", "Q1"],
        "department": [None, "D", None, "D", None, None, None, None],
        "agent": ["a", "a", None, None, "b", "b", "a", None],
        "answered": np.array([True, True, False, False, True, False, True, False], dtype=object),
        "wait_s": [20.0, 30.0, 3.0, 5.0, 31.0, nan, 10.0, 100.0],
        "talk_s": [100.0, 200.0, nan, nan, 60.0, nan, 50.0, nan],
        "hold_s": [10.0, nan, nan, nan, 0.0, nan, nan, nan],
        "after_call_s": [30.0, nan, nan, nan, 0.0, nan, nan, nan],
        "transferred": np.array([False, True, None, None, None, None, False, None], dtype=object),
        "csat": [5.0, nan, nan, nan, 2.0, nan, nan, nan]}, index=range(20, 28))


def line(offered, answer, sl, asa, aht, transfer):
    """A group's figures, the rates as approximations of the fractions worked out by hand."""
    def a(v):
        return None if v is None else pytest.approx(v)
    return {"calls_offered": offered, "answer_rate_pct": a(answer), "abandon_rate_pct": None if answer is None else
            a(100 - answer), "service_level_pct": a(sl), "asa_s": a(asa), "aht_s": a(aht), "transfer_rate_pct": a(transfer)}


def test_the_phone_line_by_hand_overall_and_by_queue_department_agent_and_hour():
    r = calls.result(phone_calls(), SEPT, short_abandon_s=5, service_level_s=30)
    # C3 (3 s, unanswered) is a short abandon: in nothing.  C4 waited 5 s: offered and abandoned. C6 has no wait: never
    # short.  C2 answered at exactly 30 s is within the level, C5 at 31 is not.  Handling: talk + hold + after-call
    assert r["overall"] == line(5, 60.0, 40.0, 27.0, 400 / 3, 100 / 3)
    assert r["unsupplied"] == [] and r["service_level_s"] == 30.0 and r["short_abandon_s"] == 5.0
    assert type(r["overall"]["calls_offered"]) is int and type(r["overall"]["asa_s"]) is float
    assert r["by_queue"] == {"Q1": line(3, 200 / 3, 200 / 3, 25.0, 170.0, 50.0),
                             "Q2": line(2, 50.0, 0.0, 31.0, 60.0, 0.0)}
    # a call without a department is its queue's
    assert r["by_department"] == {"D": line(2, 50.0, 50.0, 30.0, 200.0, 100.0), "Q1": line(2, 50.0, 50.0, 20.0, 140.0, 0.0),
                                  "Q2": line(1, 100.0, 0.0, 31.0, 60.0, 0.0)}
    assert r["by_agent"] == {"a": line(2, 100.0, 100.0, 25.0, 170.0, 50.0), "b": line(2, 50.0, 0.0, 31.0, 60.0, 0.0),
                             "未分配": line(1, 0.0, 0.0, None, None, None)}
    assert r["by_hour_weekday"] == {"mon 09": line(2, 100.0, 100.0, 25.0, 170.0, 50.0),
                                    "tue 14": line(3, 100 / 3, 0.0, 31.0, 60.0, 0.0)}
    plain = calls.result(phone_calls(), SEPT)  # no short abandon by default: C3 is offered; 30 s of service level
    assert plain["overall"]["calls_offered"] == 6 and plain["service_level_s"] == 30.0
    assert plain["overall"]["service_level_pct"] == pytest.approx(200 / 6) and "mon 10" in plain["by_hour_weekday"]
    assert calls.result(phone_calls(), SEPT, 5, 31)["overall"]["service_level_pct"] == 60.0


def test_a_metric_whose_column_was_never_supplied_is_empty_and_said():
    c = phone_calls().assign(talk_s=float("nan"), transferred=None)
    r = calls.result(c, SEPT, 5)
    assert r["unsupplied"] == ["aht_s", "transfer_rate_pct"]
    assert r["overall"]["aht_s"] is None and r["overall"]["transfer_rate_pct"] is None
    assert r["by_queue"]["Q1"]["aht_s"] is None and r["overall"]["asa_s"] == 27.0
    assert calls.unsupplied(phone_calls().drop(columns=["wait_s"])) == {"service_level_pct", "asa_s"}
    assert calls.unsupplied(phone_calls().assign(answered=None)) == set(calls.NEEDS)
    empty = calls.result(phone_calls(), kpi.month_period("2026-07"))
    assert empty["overall"] == {"calls_offered": 0, **{m: None for m in calls.METRICS[1:]}}
    assert empty["by_queue"] == {} and empty["by_hour_weekday"] == {}


def test_the_phone_line_week_by_week():
    w = calls.weekly(phone_calls(), short_abandon_s=5)
    assert list(w.index) == list(pd.to_datetime(["2026-08-31", "2026-09-07", "2026-09-28"]))
    assert w["offered"].tolist() == [1.0, 5.0, 1.0] and w["answered"].tolist() == [1.0, 3.0, 0.0]
    assert w["in_level"].tolist() == [1.0, 2.0, 0.0] and w["abandoned"].tolist() == [0.0, 2.0, 1.0]
    assert w["asa_s"].tolist()[:2] == [10.0, 27.0] and pd.isna(w["asa_s"].iloc[2])
    assert list(w.columns) == ["offered", "answered", "in_level", "abandoned", "asa_s"]
    assert calls.weekly(phone_calls(), 0, 20)["in_level"].tolist() == [1.0, 1.0, 0.0]
    assert calls.weekly(phone_calls())["offered"].tolist() == [1.0, 6.0, 1.0]


def test_satisfaction_given_on_a_call_is_a_survey_answer():
    s = calls.survey_answers(phone_calls())
    assert list(s.index) == [20, 24] and s["survey_id"].tolist() == ["call:C1", "call:C5"]
    assert s["department"].tolist() == ["Q1", "Q2"] and s["agent"].tolist() == ["a", "b"]
    assert s["csat"].tolist() == [5.0, 2.0] and s["channel"].tolist() == ["phone", "phone"]
    assert s["submitted_at"].tolist() == list(pd.to_datetime(["2026-09-07 09:10", "2026-09-08 14:30"]))
    assert s["ticket_id"].isna().all() and s["nps"].isna().all() and s["comment"].isna().all()
    assert list(s.columns) == ["survey_id", "ticket_id", "submitted_at", "channel", "department", "agent", "csat", "nps",
                               "comment"]
    none = calls.survey_answers(phone_calls().assign(csat=float("nan")))
    assert none.empty and list(none.columns) == list(s.columns)


def test_groups_come_sorted_and_a_call_without_queue_or_department_is_in_neither():
    c = pd.concat([phone_calls(), phone_calls().iloc[[0]].assign(call_id="C9", queue=None, agent="z")])
    r = calls.result(c, SEPT, 5)
    assert list(r["by_department"]) == ["D", "Q1", "Q2"] and list(r["by_queue"]) == ["Q1", "Q2"]
    assert r["overall"]["calls_offered"] == 6 and r["by_agent"]["z"]["calls_offered"] == 1
    assert sum(g["calls_offered"] for g in r["by_queue"].values()) == 5


def test_the_first_second_of_the_period_counts_and_waits_under_a_second_are_offered_by_default():
    c = pd.DataFrame({"call_id": ["a", "b"], "started_at": pd.to_datetime(["2026-09-01 00:00", "2026-08-31 23:59"]),
                      "queue": ["Q", "Q"], "department": [None, None], "agent": [None, None],
                      "answered": [False, False], "wait_s": [0.5, 0.5], "talk_s": [None, None], "hold_s": [None, None],
                      "after_call_s": [None, None], "transferred": [None, None]})
    assert calls.result(c, SEPT)["overall"]["calls_offered"] == 1  # no short abandon unless one is set
    assert calls.result(c, SEPT, short_abandon_s=1)["overall"]["calls_offered"] == 0
    assert calls.weekly(c)["offered"].tolist() == [2.0] and calls.weekly(c, 1).empty  # one week, Monday 31 Aug


def test_a_blank_answer_is_not_an_answer_and_a_time_that_is_no_number_is_blank():
    c = phone_calls().assign(answered=None)
    assert calls.result(c, SEPT, 5)["overall"]["calls_offered"] == 5  # none answered: C3's 3 s make it short
    odd = phone_calls().astype({"wait_s": object, "talk_s": object, "hold_s": object})
    odd.loc[20, ["wait_s", "talk_s", "hold_s"]] = ["n/a", "abc", "?"]
    r = calls.result(odd, SEPT, 5)["overall"]
    assert r["asa_s"] == 30.5 and r["aht_s"] == 130.0  # C1's wait and talk are blank: (30 + 31) / 2, (200 + 60) / 2
    assert r["service_level_pct"] == 20.0  # C1 answered with no wait known is not within the level


def test_weeks_are_cut_with_an_alias_pandas_keeps():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = calls.weekly(phone_calls(), 5)
    assert list(w.index) == list(pd.to_datetime(["2026-08-31", "2026-09-07", "2026-09-28"]))
