"""The hand-computed case of test_kpi.py through the pure core alone (no workbook, no CLI): fast enough to judge
every mutant of core/kpi.py, values.py and dates.py. The numbers are the ones computed by hand there."""
import io

import numpy as np
import pandas as pd
import pytest

from pyaddin import schema, validate
from pyaddin.core import kpi
from test_kpi import INSPECTIONS_ZH, OVERALL, SURVEYS_ZH, TICKETS_ZH, approx

STD = kpi.Standards.from_table(pd.DataFrame(columns=["kind", "key", "value", "direction", "warning_band"]))


def typed(table, text: str) -> pd.DataFrame:
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).replace("", None).astype(object)
    parsed = validate.parse_table(table, raw, pd.Series(range(2, len(raw) + 2), index=raw.index))
    assert parsed.issues == []
    return parsed.data


@pytest.fixture(scope="module")
def frames():
    return (typed(schema.TICKETS, TICKETS_ZH), typed(schema.SURVEYS, SURVEYS_ZH),
            typed(schema.INSPECTIONS, INSPECTIONS_ZH))


def september(frames, as_of=None, std=STD) -> kpi.View:
    return kpi.view(*frames, std, kpi.month_period("2026-09", as_of))


def test_the_hand_computed_case_through_the_core(frames):
    r = kpi.result(september(frames))
    assert r["period"] == {"start": "2026-09-01", "end": "2026-09-30", "as_of": "2026-10-01T00:00:00"}
    assert r["overall"] == approx(OVERALL)
    a, b = r["by_department"]["A部"], r["by_department"]["B部"]
    assert a["tickets"] == 5 and a["fcr_pct"] == 40.0 and a["resolution_sla_pct"] == 60.0 and a["backlog"] == 0
    assert b == approx({"tickets": 2, "first_response_sla_pct": 0.0, "resolution_sla_pct": None,
                        "median_first_response_min": None, "p90_first_response_min": None,
                        "median_resolution_h": None, "fcr_pct": None, "reopen_rate_pct": None,
                        "complaint_rate_pct": 0.0, "record_completeness_pct": 50.0, "backlog": 3,
                        "csat_pct": None, "nps": -100.0, "qa_score_pct": 0.0, "qa_fail_rate_pct": 100.0,
                        "complaint_first_response_sla_pct": None})  # B部 had no complaint
    assert r["by_agent"]["a1"] == a and r["by_agent"]["a2"] == b
    phone = r["by_channel"]["phone"]
    assert phone["qa_score_pct"] is None and phone["qa_fail_rate_pct"] is None  # inspections carry no channel
    assert phone["fcr_pct"] == pytest.approx(200 / 3) and phone["csat_pct"] == 100.0
    assert kpi.result(september(frames), dims=()).keys() == {"period", "overall"}
    assert list(r["by_channel"]) == ["chat", "email", "phone"] and list(r["by_agent"]) == ["a1", "a2"]  # sorted
    assert all(type(g["tickets"]) is int and type(g["backlog"]) is int for g in r["by_department"].values())


def test_a_ticket_without_an_agent_is_counted_as_unassigned(frames):
    t = frames[0].copy()
    t.loc[t["ticket_id"] == "T4", "agent"] = None
    t.loc[t["ticket_id"] == "T3", "channel"] = None
    t.loc[t["ticket_id"] == "T4", "resolved_at"] = pd.Timestamp("2026-10-01")  # resolved at as_of: still open then
    r = kpi.result(kpi.view(t, *frames[1:], STD, kpi.month_period("2026-09")))
    assert r["overall"]["backlog"] == 3 and r["by_department"]["B部"]["backlog"] == 3
    assert set(r["by_channel"]) == {"phone", "chat", "email"}  # a ticket without a channel is in no channel group
    assert r["by_agent"][kpi.UNASSIGNED]["tickets"] == 1 and r["by_agent"]["a2"]["tickets"] == 1
    assert r["by_agent"][kpi.UNASSIGNED]["first_response_sla_pct"] == 0.0


def test_the_clock_and_edited_standards(frames):
    later = kpi.result(september(frames, "2026-10-01 00:10"))["overall"]
    assert later["first_response_sla_pct"] == pytest.approx(400 / 7) and later["backlog"] == 4
    rows = pd.DataFrame([("target", "csat_pct", None, "ge", None), ("sla_first_response", "urgent", 10, None, None), ("sla_resolution", "normal", 72, None, None),
                         ("target", "fcr_pct", 40, "ge", None), ("target", "nps", 10, "le", 2),
                         ("setting", "qa_pass_mark", 60, None, None), ("weight", "w", 3, None, None),
                         ("target", "qa_score_pct", 70, None, None)],
                        columns=["kind", "key", "value", "direction", "warning_band"])
    std = kpi.Standards.from_table(rows)
    assert std.first_response_min["urgent"] == 10 and std.first_response_min["normal"] == 10
    assert std.resolution_h == {**STD.resolution_h, "normal": 72}
    assert std.targets["fcr_pct"] == ("ge", 40.0, 5.0) and std.targets["nps"] == ("le", 10.0, 2.0)
    assert std.targets["csat_pct"] == STD.targets["csat_pct"] and std.settings["w"] == 3.0
    assert std.targets["qa_score_pct"] == ("ge", 70.0, 5.0)  # no direction given: higher is better
    assert std.qa_pass_mark == 60.0 and STD.qa_pass_mark == 80.0
    defaults = kpi.Standards.from_table(rows.iloc[:0])  # built here: STD was built before any mutant ran
    assert defaults.settings == {k: float(v) for k, v in schema.SETTING_DEFAULTS}  # every setting has its default
    o = kpi.result(september(frames, std=std))["overall"]
    assert o["first_response_sla_pct"] == pytest.approx(500 / 6)  # T2's 8 minutes now meet the urgent target
    assert o["resolution_sla_pct"] == 80.0  # T6's 72 hours now meet the normal target
    assert o["qa_fail_rate_pct"] == pytest.approx(100 / 3)  # I3's 70 passes a mark of 60


def test_status_against_a_target_and_its_band():
    assert [kpi.status(v, ("ge", 90.0, 5.0)) for v in (95, 90, 85, 84.9)] == ["met", "met", "warning", "missed"]
    assert [kpi.status(v, ("le", 5.0, 5.0)) for v in (0, 5, 10, 10.1)] == ["met", "met", "warning", "missed"]
    assert kpi.status(None, ("ge", 90.0, 5.0)) is None and kpi.status(np.nan, ("ge", 1.0, 1.0)) is None
    assert kpi.status(50, None) is None


def test_periods():
    m = kpi.month_period("2026-02")
    assert (m.start, m.end, m.as_of) == (pd.Timestamp("2026-02-01"), pd.Timestamp("2026-03-01"),
                                         pd.Timestamp("2026-03-01"))
    assert m.as_json() == {"start": "2026-02-01", "end": "2026-02-28", "as_of": "2026-03-01T00:00:00"}
    q = kpi.quarter_period("2026Q3", "2026-08-01 12:00")
    assert (q.start, q.end, q.as_of) == (pd.Timestamp("2026-07-01"), pd.Timestamp("2026-10-01"),
                                         pd.Timestamp("2026-08-01 12:00"))
    assert kpi.quarter_period("2025Q1").end == pd.Timestamp("2025-04-01")
    prev = kpi.previous_period(q)
    assert (prev.start, prev.end, prev.as_of) == (pd.Timestamp("2026-04-01"), pd.Timestamp("2026-07-01"),
                                                  pd.Timestamp("2026-07-01"))
    assert kpi.previous_period(kpi.month_period("2026-01")).start == pd.Timestamp("2025-12-01")
    week = kpi.previous_period(kpi.period("2026-09-10 15:00", "2026-09-16"))
    assert (week.start, week.end) == (pd.Timestamp("2026-09-03"), pd.Timestamp("2026-09-10"))
    days = kpi.previous_period(kpi.period("2026-09-01", "2026-09-15"))  # half a month: as many days before
    assert (days.start, days.end) == (pd.Timestamp("2026-08-17"), pd.Timestamp("2026-09-01"))
    created = pd.Series([pd.Timestamp("2026-07-03"), pd.Timestamp("2026-09-30 23:00"), pd.NaT])
    assert kpi.last_month_with_tickets(created) == kpi.month_period("2026-09")
    assert kpi.last_month_with_tickets(created, "2026-09-20").as_of == pd.Timestamp("2026-09-20")
    q4 = kpi.previous_period(kpi.quarter_period("2026Q4"))  # across the year's end
    assert (q4.start, q4.end) == (pd.Timestamp("2026-07-01"), pd.Timestamp("2026-10-01"))
    dec = kpi.previous_period(kpi.month_period("2026-12"))
    assert (dec.start, dec.end) == (pd.Timestamp("2026-11-01"), pd.Timestamp("2026-12-01"))
    assert kpi.last_month_with_tickets(pd.Series([pd.NaT])) is None


def test_headline_sets_each_indicator_against_its_target_and_the_previous_period(frames):
    now = kpi.result(september(frames))["overall"]
    before = kpi.result(kpi.view(*frames, STD, kpi.month_period("2026-08")), dims=())["overall"]
    rows = {r["metric"]: r for r in kpi.headline(now, before, STD)}
    assert list(rows) == list(schema.HEADLINE_KEYS)
    fr = rows["first_response_sla_pct"]
    assert fr == {"metric": "first_response_sla_pct", "value": pytest.approx(400 / 6), "target": 90.0,
                  "direction": "ge", "band": 5.0, "status": "missed", "previous": 100.0,
                  "change": pytest.approx(400 / 6 - 100), "benchmark": None}  # August: T5 answered in a minute;
    # no 行业参考 on 监控标准: none beside the target
    assert rows["fcr_pct"]["previous"] is None and rows["fcr_pct"]["change"] is None
    bare = kpi.headline(now, before, kpi.Standards())
    assert all(r["target"] is None and r["status"] is None and r["direction"] is None for r in bare)


def test_weekly_trend_and_the_hour_by_weekday_grid(frames):
    v = september(frames)
    w = kpi.weekly_trend(v).set_index("week")
    weeks = pd.to_datetime(["2026-08-31", "2026-09-07", "2026-09-14", "2026-09-21", "2026-09-28"])
    assert list(w.index) == list(weeks)
    assert list(w["tickets"]) == [2, 1, 2, 0, 2]
    assert w["first_response_sla_pct"].tolist()[:3] == [50.0, 100.0, 100.0] and w["first_response_sla_pct"].iloc[4] == 0
    assert w["fcr_pct"].tolist()[:3] == [50.0, 100.0, 0.0] and np.isnan(w["fcr_pct"].iloc[4])
    assert w["csat_pct"].iloc[0] == 50.0 and np.isnan(w["csat_pct"].iloc[1])
    assert w["complaint_rate_pct"].tolist()[:3] == [50.0, 0.0, 0.0] and np.isnan(w["complaint_rate_pct"].iloc[3])
    assert list(w.columns) == ["tickets", "first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "csat_pct",
                               "complaint_rate_pct"]
    for last, n in (("2026-09-20", 3), ("2026-09-21", 4)):  # a period ending on a Sunday, then on a Monday
        assert len(kpi.weekly_trend(kpi.view(*frames, STD, kpi.period("2026-09-01", last)))) == n
    vol, sla = kpi.hour_weekday(v)
    assert (vol.index.name, vol.columns.name, sla.index.name) == ("hour", "weekday", "hour")
    assert vol.shape == (24, 7) and int(vol.to_numpy().sum()) == 7 and (vol.dtypes == "int64").all()  # counts
    assert vol.loc[8, 1] == 2 and vol.loc[9, 2] == 1 and vol.loc[23, 2] == 1  # T1+T4 Tuesday 8h; T2; T3
    assert sla.loc[8, 1] == 50.0 and sla.loc[9, 2] == 0.0 and np.isnan(sla.loc[23, 2]) and np.isnan(sla.loc[3, 3])


def test_a_metric_whose_columns_were_never_supplied_is_empty_everywhere(frames):
    t = frames[0].assign(first_response_at=pd.NaT, contacts=np.nan)
    v = kpi.view(t, *frames[1:], STD, kpi.month_period("2026-09"))
    assert v.missing == {"first_response_sla_pct", "median_first_response_min", "p90_first_response_min", "fcr_pct",
                         "complaint_first_response_sla_pct"}
    r = kpi.result(v)
    for m in v.missing:
        assert r["overall"][m] is None and all(g[m] is None for g in r["by_department"].values())
    assert r["overall"]["resolution_sla_pct"] == 60.0
    assert kpi.weekly_trend(v)["first_response_sla_pct"].isna().all() and kpi.weekly_trend(v)["tickets"].sum() == 7
    assert kpi.hour_weekday(v)[1].isna().all().all()
    assert kpi.unsupplied({"tickets": t.drop(columns=["reopened"])}) >= {"reopen_rate_pct", "csat_pct", "nps"}


def test_the_ticket_metrics_of_a_subset_are_the_overall_figures_of_that_subset(frames):
    v = september(frames)
    one = kpi.ticket_metrics(v.flags).iloc[0]
    overall = kpi.result(v, dims=())["overall"]
    for m in ("tickets", "first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "median_resolution_h"):
        assert one[m] == pytest.approx(overall[m])
    mine = (v.t["department"] == "B部").to_numpy()
    assert kpi.ticket_metrics(v.flags[mine]).iloc[0]["first_response_sla_pct"] == 0.0


def test_rate_counts_are_the_successes_and_trials_behind_each_rate(frames):
    v = september(frames)
    assert kpi.rate_counts(v, "first_response_sla_pct") == (4, 6)
    assert kpi.rate_counts(v, "resolution_sla_pct") == (3, 5)
    assert kpi.rate_counts(v, "fcr_pct") == (2, 5) and kpi.rate_counts(v, "reopen_rate_pct") == (2, 5)
    assert kpi.rate_counts(v, "complaint_rate_pct") == (1, 7)
    assert kpi.rate_counts(v, "record_completeness_pct") == (5, 7)
    assert kpi.rate_counts(v, "csat_pct") == (1, 2) and kpi.rate_counts(v, "nps") is None


def test_inspection_scores_zero_a_failed_critical_item(frames):
    s = kpi.inspection_scores(kpi.in_period(frames[2], "inspected_at", kpi.month_period("2026-09")))
    assert s["pct"].round(6).to_dict() == {"I1": round(2800 / 30, 6), "I2": 0.0, "I3": 70.0}
    assert s.loc["I2", "critical_fail"] and not s.loc["I1", "critical_fail"]
    assert s.loc["I1", "department"] == "A部" and s.loc["I2", "agent"] == "a2"


def test_satisfaction_at_the_boundaries(frames):
    """csat 4 is satisfied and 3 is not; nps 9 promotes, 7 is passive, 6 detracts."""
    s = typed(schema.SURVEYS, "问卷编号,提交时间,满意度评分,推荐意愿\nS1,2026-09-05 10:00,4,9\nS2,2026-09-05 11:00,3,6\n"
                              "S3,2026-09-06 10:00,5,7\nS4,2026-09-06 11:00,,10\nS5,2026-09-07 09:00,3,8\n")
    v = kpi.view(frames[0], s, frames[2], STD, kpi.month_period("2026-09"))
    o = kpi.result(v, dims=())["overall"]
    assert o["csat_pct"] == 50.0 and kpi.rate_counts(v, "csat_pct") == (2, 4)
    assert o["nps"] == pytest.approx(100 * 2 / 5 - 100 * 1 / 5)


def test_an_inspection_at_the_pass_mark_passes(frames):
    i = typed(schema.INSPECTIONS, "质检编号,质检时间,方式,责任部门,处理人,检查项,得分,满分,关键项\n"
                                  "J1,2026-09-03 10:00,工单抽查,A部,a1,礼貌,8,10,否\nJ2,2026-09-03 11:00,工单抽查,A部,a1,礼貌,7,10,\n")
    o = kpi.result(kpi.view(frames[0], frames[1], i, STD, kpi.month_period("2026-09")), dims=())["overall"]
    assert o["qa_score_pct"] == 75.0 and o["qa_fail_rate_pct"] == 50.0  # 80 passes a mark of 80, 70 fails
    # (J2's blank 关键项 is not a critical item: its 7 of 10 is not zeroed)


def test_an_inspection_or_survey_without_a_department_is_in_no_department_group(frames):
    i, s = frames[2].copy(), frames[1].copy()
    i.loc[i["inspection_id"] == "I3", "department"] = None
    s.loc[s["survey_id"] == "S2", "department"] = None  # nor a survey without one
    r = kpi.result(kpi.view(frames[0], s, i, STD, kpi.month_period("2026-09")), dims=("department",))
    assert r["by_department"]["A部"]["csat_pct"] == 100.0 and r["overall"]["csat_pct"] == 50.0
    assert set(r["by_department"]) == {"A部", "B部"} and r["by_department"]["A部"]["qa_score_pct"] == pytest.approx(
        2800 / 30)
    s.loc[s["survey_id"] == "S2", "department"] = "C部"  # a department with answers and no ticket: 0 tickets
    c = kpi.result(kpi.view(frames[0], s, i, STD, kpi.month_period("2026-09")), dims=("department",))["by_department"]
    assert c["C部"]["tickets"] == 0 and c["C部"]["csat_pct"] == 0.0 and c["C部"]["fcr_pct"] is None


def test_blank_priority_contacts_and_reopened_take_their_defaults(frames):
    """Blank cells stay blank in the book; computing, a blank priority is normal, contacts 1, reopened no."""
    t = frames[0].copy()
    t1 = t["ticket_id"] == "T1"
    t.loc[t1, "priority"] = None
    t.loc[t1, "contacts"] = None
    t.loc[t1, "reopened"] = None
    r = kpi.result(kpi.view(t, *frames[1:], STD, kpi.month_period("2026-09")), dims=())
    assert r["overall"] == approx(OVERALL)


def test_the_sla_clock_at_the_second_it_runs_out(frames):
    """T3 (urgent, 23:58:00, never answered nor resolved): at 5 minutes exactly it is not yet late, 2 seconds
    later it is; the same at 4 hours for its resolution."""
    fr = {as_of: kpi.result(september(frames, as_of), dims=())["overall"]["first_response_sla_pct"]
          for as_of in ("2026-10-01 00:03:00", "2026-10-01 00:03:02")}
    assert fr == {"2026-10-01 00:03:00": pytest.approx(400 / 6), "2026-10-01 00:03:02": pytest.approx(400 / 7)}
    res = {as_of: kpi.result(september(frames, as_of), dims=())["overall"]["resolution_sla_pct"]
           for as_of in ("2026-10-01 03:58:00", "2026-10-01 04:00:00")}
    assert res == {"2026-10-01 03:58:00": 60.0, "2026-10-01 04:00:00": 50.0}


def test_the_period_starts_at_midnight_of_its_first_day_and_ends_before_the_next_day():
    f = pd.DataFrame({"at": pd.to_datetime(["2026-08-31 23:59:59", "2026-09-01 00:00:00", "2026-09-30 23:59:59",
                                            "2026-10-01 00:00:00"])})
    assert list(kpi.in_period(f, "at", kpi.month_period("2026-09")).index) == [1, 2]


def test_an_item_out_of_one_point_counts(frames):
    i = typed(schema.INSPECTIONS, "质检编号,质检时间,方式,责任部门,处理人,检查项,得分,满分,关键项\n"
                                  "K1,2026-09-03 10:00,工单抽查,A部,a1,核实身份,1,1,是\n")
    assert kpi.inspection_scores(i)["pct"].tolist() == [100.0]


def test_the_months_of_one_span_are_the_overall_figures_of_a_view_of_each_month():
    """KPI总览's thirteen months come from one view of the whole span grouped by month: each must be what a view
    of that month alone gives (a month without data stays empty)."""
    import sample_data

    data = sample_data.generate(4000)
    t, s, i = data["tickets"], data["surveys"], data["inspections"]
    months = pd.period_range("2026-05", "2026-10", freq="M")  # May: no data; October: surveys only
    as_of = pd.Timestamp("2026-10-31")
    span = kpi.period(months[0].start_time, months[-1].end_time.normalize(), as_of)
    keys = ("first_response_sla_pct", "resolution_sla_pct", "fcr_pct", "csat_pct", "complaint_rate_pct")
    got = kpi.monthly(kpi.view(t, s, i, STD, span), keys)
    assert list(got.columns) == ["tickets", *keys]
    assert "2026-05" not in got.index and got.loc["2026-07", "tickets"] > 0 and pd.isna(got.loc["2026-10", "tickets"])
    for m in months:
        alone = kpi.result(kpi.view(t, s, i, STD, kpi.month_period(str(m), as_of)), dims=())["overall"]
        if str(m) not in got.index:
            assert alone["tickets"] == 0 and alone["csat_pct"] is None
            continue
        assert (0 if pd.isna(got.loc[str(m), "tickets"]) else got.loc[str(m), "tickets"]) == alone["tickets"]
        for k in keys:
            want, have = alone[k], got.loc[str(m), k]
            assert (want is None and pd.isna(have)) or have == pytest.approx(want, abs=1e-9), (m, k)


def test_open_tickets_past_their_target_on_the_sla_clock(frames):
    """At 00:10 on 1 October: T3 (urgent, 23:58) is 7 min past its 5-min response, T4 (low) 2 410 − 30 min past
    its response, August's T5 (normal, answered) 46 d 16 h 10 min − 48 h past its resolution; T7 (normal, created
    at 00:00) is exactly at its 10-min target, not past it — until a minute later, in A部, which comes first."""
    late = kpi.late_tickets(frames[0], STD, pd.Timestamp("2026-10-01 00:10"))
    assert late.to_dict("list") == {"ticket_id": ["T5", "T4", "T3"], "department": ["B部"] * 3,
                                    "kind": ["resolution", "first_response", "first_response"],
                                    "late_min": [67210.0 - 2880, 2380.0, 7.0]}
    later = kpi.late_tickets(frames[0], STD, pd.Timestamp("2026-10-01 00:11"))
    assert later.iloc[0].to_dict() == {"ticket_id": "T7", "department": "A部", "kind": "first_response",
                                       "late_min": 1.0}


def test_each_tickets_times_and_flags_on_its_own_index(frames):
    t = frames[0].set_axis([f"r{k}" for k in range(len(frames[0]))])
    as_of = pd.Timestamp("2026-10-01")
    timed = kpi.timed_tickets(t, STD, as_of)
    assert list(timed.index) == list(t.index)
    assert timed["age_min"].tolist()[2:5] == [2.0, 2400.0, 67200.0]  # T3, T4, T5 at as_of
    assert timed["fr_target"].tolist()[:4] == [10.0, 5.0, 5.0, 30.0] and timed["res_target"].tolist()[:2] == [48.0, 4.0]
    assert timed["fr_min"].tolist()[:2] == [5.0, 8.0] and timed["res_h"].tolist()[:2] == [2.0, 6.0]
    flags = kpi.ticket_flags(t, STD, as_of)
    assert list(flags.index) == list(t.index)
    assert flags["fr_met"].tolist() == [True, False, False, False, True, True, False, True, True]
    assert flags["fr_breached"].tolist() == [False, True, False, True, False, False, False, False, False]
    assert flags["fcr"].tolist() == [True, False, False, False, False, True, False, False, False]
    september_ = september(frames)  # the view's flags are those of its tickets
    mine = kpi.ticket_flags(september_.t, STD, as_of)[list(september_.flags.columns)]
    pd.testing.assert_frame_equal(mine, september_.flags, check_dtype=False)
    cancelled = frames[0].assign(status=None)
    cancelled.loc[cancelled["ticket_id"] == "T4", "status"] = "cancelled"
    counted = lambda decides: kpi.ticket_flags(cancelled, STD, as_of, decides)["counted"].tolist()[3]  # noqa: E731
    assert (counted(True), counted(False), counted(None)) == (False, True, False)  # at as_of the status decides
    assert kpi.ticket_flags(cancelled, STD, pd.Timestamp("2026-09-30"))["counted"].tolist()[3]  # not before it


def test_the_status_decides_only_from_the_latest_time_in_the_data(frames):
    t = frames[0]
    latest = pd.Timestamp("2026-10-01")  # T7's creation, the latest time of the table
    assert not kpi.status_decides(t.drop(columns="status"), latest)
    assert not kpi.status_decides(t.assign(status=None), latest)  # a status column left blank
    done = t.assign(status="closed")
    assert kpi.status_decides(done, latest) and kpi.status_decides(done, latest + pd.Timedelta(seconds=1))
    assert not kpi.status_decides(done, latest - pd.Timedelta(seconds=1))
    t9 = done.assign(created_at=pd.NaT, first_response_at=pd.NaT)  # the latest is then T9's resolution
    assert kpi.status_decides(t9, pd.Timestamp("2026-09-23 14:00"))
    assert not kpi.status_decides(t9, pd.Timestamp("2026-09-23 13:59"))
    assert kpi.status_decides(done.assign(created_at=pd.NaT, first_response_at=pd.NaT, resolved_at=pd.NaT), latest)
    assert kpi.status_decides(done.drop(columns=["first_response_at", "resolved_at"]), latest)
    answered = done.assign(created_at=pd.NaT, resolved_at=pd.NaT)  # the latest is then T9's first response
    assert not kpi.status_decides(answered, pd.Timestamp("2026-09-20 14:19"))
    assert kpi.status_decides(answered, pd.Timestamp("2026-09-20 14:20"))


def test_major_complaints_are_those_of_level_major():
    t = pd.DataFrame({"complaint_level": ["major", "minor", None, "major"]}, index=[5, 6, 7, 8])
    assert kpi.major_complaint(t).tolist() == [True, False, False, True]
    assert kpi.major_complaint(t).dtype == bool and list(kpi.major_complaint(t).index) == [5, 6, 7, 8]
    text = pd.DataFrame({"complaint_level": pd.array(["major", None, "minor"], dtype="string")})  # <NA>, not False
    assert kpi.major_complaint(text).tolist() == [True, False, False] and kpi.major_complaint(text).dtype == bool
    none = kpi.major_complaint(pd.DataFrame({"x": [1, 2]}, index=[3, 4]))
    assert none.tolist() == [False, False] and list(none.index) == [3, 4]


def test_weekly_successes_and_trials_of_a_rate_and_weekly_medians(frames):
    """By hand: week of 31 Aug T1 (met) T2 (late), 7 Sep T6, 14 Sep T8 T9 (Sunday the 20th), none the 21st, 28 Sep
    T3 (neither) T4 (late); answers S1 (5) and S2 (3) the first week, S3 (no csat) the second."""
    v = september(frames)
    w = pd.to_datetime(["2026-08-31", "2026-09-07", "2026-09-14", "2026-09-28"])
    ok, n = kpi.weekly_counts(v, "first_response_sla_pct")
    assert ok.to_dict() == dict(zip(w, [1.0, 1.0, 2.0, 0.0])) and n.to_dict() == dict(zip(w, [2.0, 1.0, 2.0, 1.0]))
    assert ok.dtype == n.dtype == float and ok.index.dtype == "datetime64[ns]"
    ok, n = kpi.weekly_counts(v, "resolution_sla_pct")
    assert ok.tolist() == [1.0, 0.0, 2.0, 0.0] and n.tolist() == [2.0, 1.0, 2.0, 0.0]
    ok, n = kpi.weekly_counts(v, "csat_pct")
    assert ok.to_dict() == dict(zip(w[:2], [1.0, 0.0])) and n.to_dict() == dict(zip(w[:2], [2.0, 0.0]))
    med, none = kpi.weekly_counts(v, "median_first_response_min")
    assert med.tolist()[:3] == [6.5, 10.0, 15.0] and np.isnan(med.iloc[3]) and none.empty and none.dtype == float
    assert med.index.dtype == "datetime64[ns]"
    assert kpi.weekly_counts(v, "median_resolution_h")[0].tolist()[:3] == [4.0, 72.0, 48.0]
    empty = kpi.view(*frames, STD, kpi.month_period("2026-12"))
    for metric in ("first_response_sla_pct", "median_resolution_h", "csat_pct"):
        a, b = kpi.weekly_counts(empty, metric)
        assert a.empty and b.empty and isinstance(a.index, pd.DatetimeIndex)


def test_an_iso_week_and_a_year():
    w = kpi.week_period("2026-w38", "2026-09-16 12:00")  # ISO week 38 of 2026: Monday 14 to Sunday 20 September
    assert (w.start, w.end, w.as_of) == (pd.Timestamp("2026-09-14"), pd.Timestamp("2026-09-21"),
                                         pd.Timestamp("2026-09-16 12:00"))
    first = kpi.week_period("2027-W01")  # 2027's first ISO week starts on 4 January
    assert (first.start, first.end, first.as_of) == (pd.Timestamp("2027-01-04"), pd.Timestamp("2027-01-11"),
                                                     pd.Timestamp("2027-01-11"))
    assert kpi.week_period("2026-W53").start == pd.Timestamp("2026-12-28")  # 2026 has 53 ISO weeks
    y = kpi.year_period("2026", "2026-06-30")
    assert (y.start, y.end, y.as_of) == (pd.Timestamp("2026-01-01"), pd.Timestamp("2027-01-01"),
                                         pd.Timestamp("2026-06-30"))
    assert kpi.year_period("2028").end == kpi.year_period("2028").as_of == pd.Timestamp("2029-01-01")


def outside(frame: pd.DataFrame):
    """The frame as an outside source's rows: its columns as they are, and no pandas frame behind them."""
    from pyaddin.engine.rows import Rows, of_frame

    registered = of_frame(frame, {c: (lambda f, c=c: f[c]) for c in frame.columns})
    return Rows(registered.sql, registered.columns, None, "a source", [registered])


def with_visits_and_invitations(frames):
    t, s = frames[0].copy(), frames[1].copy()
    at = pd.Timestamp
    t.loc[t["ticket_id"] == "T1", "appointment_at"] = at("2026-09-01 14:00")
    t.loc[t["ticket_id"] == "T6", "arrived_at"] = at("2026-09-11 09:00")
    t.loc[t["ticket_id"] == "T5", "appointment_at"] = at("2026-08-16 09:00")  # August's
    s.loc[s["survey_id"] == "S1", "sent_at"] = at("2026-09-04 18:00")
    s.loc[s["survey_id"] == "S4", "sent_at"] = at("2026-08-29 18:00")  # August's
    s.loc[s["survey_id"] == "S2", "sent_at"] = at("2026-10-01 00:00")  # October's
    return t, s, frames[2]


def test_the_rows_a_row_by_row_figure_needs_from_the_book_or_from_a_source(frames):
    t, s, i = with_visits_and_invitations(frames)
    p = kpi.month_period("2026-09")
    book = kpi.view(t, s, i, STD, p)
    assert book.t.index.tolist() == [0, 1, 2, 3, 5, 7, 8] and book.s.index.tolist() == [0, 1, 2]  # the book's rows
    assert book.visits(p)["ticket_id"].tolist() == ["T1", "T2", "T3", "T4", "T6", "T8", "T9"]  # the period's slice
    assert book.invitations(p)["survey_id"].tolist() == ["S1"]
    assert book.invitations(kpi.month_period("2026-08"))["survey_id"].tolist() == ["S4"]
    bare = kpi.view(t, s.drop(columns="sent_at"), i, STD, p)
    assert bare.invitations(p).empty and isinstance(bare.invitations(p), pd.DataFrame)
    source = kpi.view(outside(t), outside(s), outside(i), STD, p)
    visits = source.visits(p).sort_values("appointment_at", na_position="last").reset_index(drop=True)
    assert list(visits.columns) == ["appointment_at", "arrived_at", "visit_end_at", "fixed_first_visit", "channel",
                                    "department", "agent"]  # those columns alone
    assert visits["arrived_at"].isna().tolist() == [True, False]
    assert visits["appointment_at"].tolist()[0] == pd.Timestamp("2026-09-01 14:00")  # T1; T6 by its arrival
    assert source.visits(kpi.month_period("2026-08"))["appointment_at"].tolist() == [pd.Timestamp("2026-08-16 09:00")]
    inv = source.invitations(p)
    assert list(inv.columns) == ["sent_at", "csat", "nps", "channel", "department"]
    assert inv.to_dict("list") == {"sent_at": [pd.Timestamp("2026-09-04 18:00")], "csat": [5], "nps": [10],
                                   "channel": ["phone"], "department": ["A部"]}
    no_sent = kpi.view(outside(t), outside(s.drop(columns="sent_at")), outside(i), STD, p)
    assert no_sent.invitations(p).empty
    assert len(source.t) == 7 and source.t["ticket_id"].tolist() == book.t["ticket_id"].tolist()
    assert source.s["survey_id"].tolist() == ["S1", "S2", "S3"] and source.i["inspection_id"].nunique() == 3
    assert len(source.all_tickets) == 9 and "row__" not in source.all_tickets and "row__" not in source.t
    assert book.all_tickets is t
    pd.testing.assert_frame_equal(source.flags.reset_index(drop=True), book.flags.reset_index(drop=True))
    assert kpi.result(source) == kpi.result(book)


def test_satisfaction_by_dimension_major_complaints_and_the_pareto_of_the_period(frames):
    t, s = frames[0].copy(), frames[1].copy()
    p = kpi.month_period("2026-09")
    assert kpi.view(t, s, frames[2], STD, p).major_complaints() is None  # no ticket carries a level
    level = {"T2": "major", "T8": "major", "T5": "major", "T9": "minor", "T7": "major"}
    t["complaint_level"] = t["ticket_id"].map(level)
    t.loc[t["ticket_id"] == "T8", "status"] = "cancelled"  # a cancelled complaint costs nothing
    s["attitude"] = pd.array([5, 3, None, 4], dtype="Int64")  # S4 is August's
    s["wait"] = pd.array([4, None, 2, None], dtype="Int64")
    for v in (kpi.view(t, s, frames[2], STD, p), kpi.view(outside(t), outside(s), outside(frames[2]), STD, p)):
        assert v.major_complaints() == 1  # T2: T8 cancelled, T5 August's, T7 October's, T9 minor
        assert v.majors("department").to_dict() == {"A部": 1, "B部": 0}
        assert v.majors("agent").dtype == int
        d = v.dimension_rates()
        assert d["attitude"] == {"answers": 2, "pct": 50.0} and d["wait"] == {"answers": 2, "pct": 50.0}
        assert d["speed"] == {"answers": 0, "pct": None}
        pareto = v.pareto()
        assert pareto[["category", "count"]].to_dict("list") == {"category": ["X", "Y", "Z", "未分类"],
                                                                 "count": [3.0, 2.0, 1.0, 1.0]}
        assert v.pareto("channel")["category"].tolist() == ["phone", "email", "chat"]
        assert v.agent_departments().to_dict() == {"a1": "A部", "a2": "B部"}
    unscored = kpi.view(t, s.drop(columns=["attitude", "speed", "resolution", "wait"]), frames[2], STD, p)
    assert all(r == {"answers": 0, "pct": None} for r in unscored.dimension_rates().values())


def test_the_groups_a_breakdown_of_a_frame_takes():
    f = pd.DataFrame({"agent": pd.array(["a1", None, "a2"], dtype="string"), "department": ["A", None, "B"]})
    assert kpi.group_keys(f, None) is None
    assert kpi.group_keys(f, "department").isna().tolist() == [False, True, False]  # only agents are 未分配
    keys = kpi.group_keys(f, "agent")
    assert keys.tolist() == ["a1", kpi.UNASSIGNED, "a2"] and isinstance(keys.dtype, pd.StringDtype)
    objects = kpi.group_keys(f.astype({"agent": object}), "agent")
    assert objects.tolist() == ["a1", kpi.UNASSIGNED, "a2"] and objects.dtype == object
    full = f.dropna()
    assert kpi.group_keys(full, "agent").tolist() == ["a1", "a2"] and isinstance(kpi.group_keys(full, "agent").dtype,
                                                                             pd.StringDtype)


def test_the_groups_sizes_are_the_rows_each_rate_is_over(frames):
    v = september(frames)
    sizes = v.sizes("department")
    assert {k: s.to_dict() for k, s in sizes.items()} == {"tickets": {"A部": 5, "B部": 2}, "surveys": {"A部": 2, "B部": 1},
                                                          "inspections": {"A部": 2, "B部": 1}}
    by_channel = v.sizes("channel")
    assert by_channel["tickets"].to_dict() == {"chat": 1, "email": 2, "phone": 4} and by_channel["inspections"] is None
    assert v.sizes("agent")["surveys"].to_dict() == {"a1": 2, "a2": 1}


def test_ticket_metrics_by_group_with_or_without_quantiles(frames):
    v = september(frames)
    by_dept = kpi.ticket_metrics(v.flags, keys=v.t["department"])
    assert list(by_dept.index) == ["A部", "B部"] and by_dept["tickets"].tolist() == [5, 2]
    assert by_dept.loc["A部", "median_resolution_h"] == 24.0  # A部 resolved in 2, 6, 72, 24, 72 h
    rates = kpi.ticket_metrics(v.flags, quantiles=False)
    assert rates["median_first_response_min"].isna().all() and rates["p90_first_response_min"].isna().all()
    assert rates["median_resolution_h"].isna().all() and rates["resolution_sla_pct"].tolist() == [60.0]
    assert kpi.ticket_metrics(v.flags)["median_first_response_min"].tolist() == [10.0]


def test_an_empty_period_has_no_counts_and_empty_weeks(frames):
    empty = kpi.view(*frames, STD, kpi.month_period("2026-12"))
    assert kpi.rate_counts(empty, "first_response_sla_pct") == (0, 0) and kpi.rate_counts(empty, "csat_pct") == (0, 0)
    w = kpi.weekly_trend(empty)
    assert w["week"].tolist() == list(pd.to_datetime(["2026-11-30", "2026-12-07", "2026-12-14", "2026-12-21",
                                                      "2026-12-28"]))
    assert w["tickets"].tolist() == [0] * 5 and w["fcr_pct"].isna().all()


def test_a_benchmark_stands_beside_its_indicator(frames):
    std = kpi.Standards(benchmarks={"fcr_pct": 75.0})
    rows = {r["metric"]: r for r in kpi.headline({"fcr_pct": 40.0}, {}, std)}
    assert rows["fcr_pct"]["benchmark"] == 75.0 and rows["csat_pct"]["benchmark"] is None


def test_the_standards_texts_benchmarks_and_a_times_own_band():
    rows = pd.DataFrame([("setting", "sla_clock", None, None, None, "working", None),
                         ("target", "csat_pct", 85, "ge", None, "note", 88),
                         ("setting", "qa_pass_mark", 70, None, None, None, 75),
                         ("target", "median_resolution_h", 30, "le", None, None, None),
                         ("target", "fcr_pct", None, None, None, None, 70)],
                        columns=["kind", "key", "value", "direction", "warning_band", "text", "benchmark"])
    std = kpi.Standards.from_table(rows)
    assert std.texts == {"sla_clock": "working"}  # a target's text is no setting
    assert std.benchmarks == {"csat_pct": 88.0, "fcr_pct": 70.0}  # a benchmark beside a target without a value too
    assert std.targets["median_resolution_h"] == ("le", 30.0, 3.0)  # no band given: 10 % of a time's target
    assert std.settings["qa_pass_mark"] == 70.0


def test_the_working_clock_with_a_channels_own_hours_and_the_holidays():
    """By hand, on the working clock (Mon–Fri 09:00–18:00; 国庆 1–7 October holidays): E1 Fri 17:55 → Mon 09:04 is
    5 + 4 min; the phone line's own hours (08:00–20:00, Mon–Sat) make P1 Sat 19:55 → Mon 08:07 5 + 7 min; chat's
    hours (10:00–12:00) keep the working days: C1 Mon 11:55 → 13:00 is 5 min, C2 Sat 11:00 → Mon 10:04 is 4; E2 Wed
    30 Sep 17:55 → Thu 8 Oct 09:04 is 5 + 4 min over the holidays."""
    t = typed(schema.TICKETS, "工单编号,创建时间,渠道,责任部门,处理人,优先级,首次响应时间\n"
                              "E1,2026-09-25 17:55,邮件,A部,a1,普通,2026-09-28 09:04\n"
                              "P1,2026-09-26 19:55,电话,A部,a1,普通,2026-09-28 08:07\n"
                              "C1,2026-09-28 11:55,在线,A部,a1,普通,2026-09-28 13:00\n"
                              "C2,2026-09-26 11:00,在线,A部,a1,普通,2026-09-28 10:04\n"
                              "E2,2026-09-30 17:55,邮件,A部,a1,普通,2026-10-08 09:04\n"
                              "P2,2026-10-09 19:55,电话,A部,a1,普通,2026-10-12 08:05\n"
                              "S1,2026-10-01 10:00,社交媒体,A部,a1,普通,2026-10-01 10:30\n")
    calendar = pd.DataFrame({"date": pd.to_datetime([f"2026-10-0{d}" for d in range(1, 8)] + ["2026-10-10"]),
                             "kind": ["holiday"] * 7 + ["workday"]})  # Saturday 10 October: 调休
    hours = {"service_hours_phone": "08:00-20:00 mon-sat", "service_hours_chat": "10:00-12:00",
             "service_hours_social": "7×24小时"}
    working = kpi.Standards(texts={"sla_clock": "working", **hours}, calendar=calendar)
    as_of = pd.Timestamp("2026-10-31")
    flags = kpi.ticket_flags(t, working, as_of)
    # P2 Fri 19:55 → Mon 08:05 on the phone line: 5 + the whole Saturday (720, a working day of its own anyway) + 5;
    # S1 on the round-the-clock social channel counts its 30 minutes on a holiday
    assert flags["fr_min"].tolist() == [9.0, 12.0, 5.0, 4.0, 9.0, 730.0, 30.0]
    assert flags["fr_met"].tolist() == [True, False, True, True, True, False, False]  # normal: 10 min
    by_calendar = kpi.ticket_flags(t, kpi.Standards(texts=hours, calendar=calendar), as_of)["fr_min"].tolist()
    assert by_calendar == [2 * 1440 + 909.0, 1440 + 732.0, 65.0, 2 * 1440 - 56.0, 7 * 1440 + 909.0,
                           2 * 1440 + 730.0, 30.0]  # clock time


def test_times_written_to_the_minute_are_timed_at_the_minute():
    """First responses and resolutions written to the minute: the creation time's seconds are dropped too, so
    09:00:45 → 09:10 is 10 minutes (not 9¼) and → 11:00 two hours."""
    t = typed(schema.TICKETS, "工单编号,创建时间,渠道,责任部门,处理人,优先级,首次响应时间,解决时间\n"
                              "M1,2026-09-07 09:00:45,邮件,A部,a1,普通,2026-09-07 09:10,2026-09-07 11:00\n")
    flags = kpi.ticket_flags(t, STD, pd.Timestamp("2026-10-01"))
    assert flags["fr_min"].tolist() == [10.0] and flags["res_h"].tolist() == [2.0] and flags["fr_met"].tolist() == [True]
    exact = t.assign(first_response_at=pd.Timestamp("2026-09-07 09:10:30"), resolved_at=pd.Timestamp("2026-09-07 11:00:45"))
    flags = kpi.ticket_flags(exact, STD, pd.Timestamp("2026-10-01"))
    assert flags["fr_min"].tolist() == [9.75] and flags["res_h"].tolist() == [2.0]


def test_a_view_takes_the_flags_of_a_known_view_only_when_they_are_the_very_rows(frames):
    t, s, i = frames
    as_of = pd.Timestamp("2026-10-01")
    unanswered = kpi.view(t.assign(first_response_at=pd.NaT), s, i, STD, kpi.period("2026-09-01", "2026-09-30", as_of))
    assert kpi.view(t, s, i, STD, unanswered.p, known=unanswered).missing == set()  # its own tickets' profile
    known = kpi.view(t, s, i, STD, kpi.period("2026-09-01", "2026-09-30", as_of))
    known_answers = known.survey_table
    same = kpi.view(t, s, i, STD, kpi.period("2026-08-20", "2026-09-30", as_of), known=known)  # no ticket 20–31 Aug
    assert same.tickets is known.tickets and same.surveys is known.surveys and same.inspections is known.inspections
    assert same.flags_table == known.flags_table and same.n == 7
    assert same.survey_table != known_answers  # S4 (30 August) is in the wider period's answers
    assert kpi.result(same, dims=())["overall"]["csat_pct"] == pytest.approx(100 / 3)
    twin = kpi.view(t, s, i, STD, kpi.period("2026-09-01", "2026-09-30", as_of), known=known)
    assert twin.flags_table == known.flags_table and twin.survey_table == known_answers
    for other in (kpi.view(t, s, i, STD, kpi.period("2026-08-01", "2026-09-30", as_of), known=known),  # T5 too
                  kpi.view(t, s, i, STD, kpi.period("2026-09-01", "2026-09-30", as_of + pd.Timedelta(minutes=10)),
                           known=known),
                  kpi.view(t, s, i, kpi.Standards(), kpi.period("2026-09-01", "2026-09-30", as_of), known=known),
                  kpi.view(t.copy(), s, i, STD, kpi.period("2026-09-01", "2026-09-30", as_of), known=known)):
        assert other.flags_table != known.flags_table
        fresh = kpi.view(t, s, i, other.std, other.p)
        assert kpi.result(other) == kpi.result(fresh)
    # a period within the known one, at the same moment: the known flags, read for its own rows
    inside = kpi.view(t, s, i, STD, kpi.period("2026-09-02", "2026-09-30", as_of), known=known)
    fresh = kpi.view(t, s, i, STD, inside.p)
    assert inside.flags_table == known.flags_table and inside.n == fresh.n < known.n
    assert kpi.result(inside) == kpi.result(fresh)
    assert kpi.weekly_trend(inside).equals(kpi.weekly_trend(fresh))
    alone = kpi.view(t, s, i, STD, inside.p, known=kpi.view(t, s, i, STD, known.p))  # its known view let go of
    import gc

    gc.collect()
    assert kpi.result(alone) == kpi.result(fresh)  # the flags it reads live as long as it does
    early = kpi.view(t, s, i, STD, kpi.period("2026-09-01", "2026-09-15", as_of), known=known)  # the same start
    assert early.flags_table == known.flags_table and early.n == kpi.view(t, s, i, STD, early.p).n
    # the same start, a later end with no ticket after the known one's (none from 26 to 28 September): the very
    # rows, their answers too
    to_25th = kpi.view(t, s, i, STD, kpi.period("2026-09-01", "2026-09-25", as_of))
    answers_to_25th = to_25th.survey_table
    later = kpi.view(t, s, i, STD, kpi.period("2026-09-01", "2026-09-28", as_of), known=to_25th)
    assert later.flags_table == to_25th.flags_table and later.n == to_25th.n == 5
    assert later.survey_table == answers_to_25th
    shifted = kpi.view(t, s, i, STD, kpi.period("2026-08-30", "2026-09-06", as_of), known=known)
    assert kpi.rate_counts(shifted, "csat_pct") == (1, 3)  # S4, S1, S2: as many answers as the known view, not its
    copied = kpi.view(t.copy(), s.copy(), i.copy(), STD, known.p, known=known)
    assert copied.tickets is not known.tickets and copied.surveys is not known.surveys
    assert copied.inspections is not known.inspections and copied.survey_table != known_answers
    source = outside(t)
    a = kpi.view(source, outside(s), outside(i), STD, known.p)
    b = kpi.view(source, outside(s), outside(i), STD, known.p, known=a)
    assert b.tickets is a.tickets and b.flags_table == a.flags_table and b.surveys is not a.surveys


def test_satisfaction_given_on_a_call_counts_as_an_answer_from_the_book_or_a_source(frames):
    from test_units_calls import phone_calls

    t, s, i = frames
    p = kpi.month_period("2026-09")
    for v in (kpi.view(t, s, i, STD, p, calls=phone_calls()),
              kpi.view(outside(t), outside(s), outside(i), STD, p, calls=phone_calls())):
        assert kpi.rate_counts(v, "csat_pct") == (2, 4)  # S1 5, S2 3, and the calls' 5 and 2
    assert v.surveys.frame is None and v.surveys.where == "a source"  # the source's answers and the calls' own
    numbered = kpi.view(t, s, i, STD, p, calls=phone_calls().reset_index(drop=True))  # the calls' rows 0 and 4 too
    assert len(numbered.s) == 5 and numbered.s.index.is_unique  # every answer a row of its own
    assert kpi.rate_counts(kpi.view(t, s.iloc[:0], i, STD, p, calls=phone_calls()), "csat_pct") == (1, 2)
    assert kpi.rate_counts(kpi.view(t, s, i, STD, p, calls=phone_calls().iloc[:0]), "csat_pct") == (1, 2)


def test_an_empty_view_and_the_status_deciding_from_the_profile(frames):
    assert kpi.view(*frames, STD, kpi.month_period("2026-12")).empty
    assert not september(frames).empty
    only_answers = (frames[0].iloc[:0], frames[1], frames[2].iloc[:0])
    assert not kpi.view(*only_answers, STD, kpi.month_period("2026-09")).empty
    only_inspections = (frames[0].iloc[:0], frames[1].iloc[:0], frames[2])
    assert not kpi.view(*only_inspections, STD, kpi.month_period("2026-09")).empty
    at = pd.Timestamp
    profile = {"filled__status": 3, "max__created_at": at("2026-09-30"), "max__first_response_at": at("2026-10-02"),
               "max__resolved_at": at("2026-10-01")}
    assert kpi._decides(profile, at("2026-10-02")) and not kpi._decides(profile, at("2026-10-01 23:59"))
    later = {**profile, "max__resolved_at": at("2026-10-03")}
    assert not kpi._decides(later, at("2026-10-02")) and kpi._decides(later, at("2026-10-03"))
    assert not kpi._decides({**profile, "filled__status": 0}, at("2027-01-01"))
    assert kpi._decides({"filled__status": 1, "max__created_at": None, "max__first_response_at": None,
                         "max__resolved_at": None}, at("2000-01-01"))


def test_a_column_as_the_engine_reads_it():
    """A score is a number where the cell reads as one; text stays Arrow text (pandas' ``str``) or becomes Arrow
    text; a column the frame lacks is blank of its kind, on the frame's index."""
    t = pd.DataFrame({"score": ["5", "x", None], "text": np.array(["p", None, "q"], dtype=object),
                      "mixed": np.array(["p", 1, None], dtype=object), "arrow": pd.array(["u", None, "w"], dtype="str"),
                      "n": [1.0, None, 2.0]}, index=[7, 8, 9]).astype({"text": object, "mixed": object})
    assert t["text"].dtype == object  # pandas would make text of an object array of strings
    col = kpi._column
    score = col(t, "score", kpi.SCORE)
    assert score.dtype == float and list(score.index) == [7, 8, 9] and score.tolist()[0] == 5.0 and score[8:].isna().all()
    none = col(t, "attitude", kpi.SCORE)
    assert none.dtype == float and list(none.index) == [7, 8, 9] and none.isna().all()
    text = col(t, "text", kpi.TEXT)
    assert text.dtype.storage == "pyarrow" and list(text.index) == [7, 8, 9] and text.tolist()[::2] == ["p", "q"] and pd.isna(text[8])
    nan_text = col(t.assign(text=pd.Series(["p", np.nan, "q"], index=t.index, dtype=object)), "text", kpi.TEXT)  # NaN
    assert nan_text.dtype.storage == "pyarrow" and pd.isna(nan_text[8]) and nan_text[7] == "p"
    arrow = col(t, "arrow", kpi.TEXT)
    assert arrow.dtype == "str" and arrow.tolist()[::2] == ["u", "w"]
    mixed = col(t, "mixed", kpi.TEXT)  # not all text: pandas' own conversion
    assert mixed.tolist()[:2] == ["p", "1"] and pd.isna(mixed[9]) and isinstance(mixed.dtype, pd.StringDtype)
    assert col(t, "n", kpi.NUMBER).dtype == "Float64" and col(t, "n", kpi.NUMBER).tolist()[0] == 1.0
    for kind in (kpi.TEXT, kpi.YES_NO, kpi.TIME):
        blank = col(t, "absent", kind)
        assert blank.isna().all() and list(blank.index) == [7, 8, 9] and blank.dtype == kind


def test_a_survey_column_never_filled_leaves_its_metric_empty(frames):
    t, s, i = frames
    p = kpi.month_period("2026-09")
    assert kpi.view(t, s.assign(nps=np.nan), i, STD, p).missing == {"nps"}
    assert kpi.view(t, s.assign(csat=np.nan), i, STD, p).missing == {"csat_pct"}
    assert kpi.view(t.assign(status=None, resolved_at=pd.NaT), s, i, STD, p).missing == {
        "resolution_sla_pct", "median_resolution_h", "fcr_pct", "reopen_rate_pct", "backlog"}
    assert kpi.view(t.assign(status="closed"), s, i, STD, p).missing == set()


def test_a_complaint_is_held_to_its_working_days_on_the_calendar_clock():
    """One working day for a complaint's resolution (stricter than low's 72 h): K1 Mon 09:00 → Tue 15:00 is past
    Tue 09:00; K2 Fri 10:00 → Mon 09:00 is before Mon 10:00, the weekend not counted; K3, no complaint, has its
    72 h."""
    t = typed(schema.TICKETS, "工单编号,创建时间,渠道,责任部门,处理人,优先级,首次响应时间,解决时间,是否投诉\n"
                              "K1,2026-09-07 09:00,邮件,A部,a1,低,2026-09-07 09:10,2026-09-08 15:00,是\n"
                              "K2,2026-09-11 10:00,邮件,A部,a1,低,2026-09-11 10:10,2026-09-14 09:00,是\n"
                              "K3,2026-09-07 09:00,邮件,A部,a1,低,2026-09-07 09:10,2026-09-08 15:00,否\n")
    std = kpi.Standards(settings={"complaint_resolution_days": 1.0})
    flags = kpi.ticket_flags(t, std, pd.Timestamp("2026-10-01"))
    assert flags["res_met"].tolist() == [False, True, True] and flags["res_breached"].tolist() == [True, False, False]


def test_what_the_exports_supplied_decides_which_metrics_are_empty():
    full = {"first_response_at": 1, "resolved_at": 1, "contacts": 1, "reopened": 1, "is_complaint": 1, "agent": 1,
            "category": 1, "resolution_note": 1}
    assert kpi.missing_metrics({"tickets": full, "surveys": {"csat": 1, "nps": 1}}) == set()  # one row is enough
    no_reopened = {**full, "reopened": 0}
    assert "reopen_rate_pct" in kpi.missing_metrics({"tickets": no_reopened, "surveys": None})
    # a resolution time beside a status: a resolved ticket whose status is open again was reopened
    assert "reopen_rate_pct" not in kpi.missing_metrics({"tickets": {**no_reopened, "status": 1}, "surveys": None})
    assert "reopen_rate_pct" in kpi.missing_metrics({"tickets": {**no_reopened, "status": 1, "resolved_at": 0},
                                                      "surveys": None})
    assert kpi.missing_metrics({"tickets": None, "surveys": None}) >= {"reopen_rate_pct", "backlog", "csat_pct"}


def test_the_backlog_leaves_out_what_the_status_closed_when_the_status_decides(frames):
    t = frames[0].assign(status=None)
    t.loc[t["ticket_id"].isin(["T3", "T4"]), "status"] = "closed"  # closed without a resolution time
    v = kpi.view(t, *frames[1:], STD, kpi.month_period("2026-09"))  # as_of 1 October: the latest time, T7's
    assert v.decides and kpi.result(v, dims=())["overall"]["backlog"] == 1  # August's T5 alone is open
    assert kpi.rate_counts(v, "reopen_rate_pct") == (2, 7)  # T3 and T4 resolved at an unknown time
    early = kpi.view(t, *frames[1:], STD, kpi.month_period("2026-09", "2026-09-30 23:59:59"))
    assert not early.decides and kpi.result(early, dims=())["overall"]["backlog"] == 3  # T7 not yet created


def test_the_result_without_quantiles_leaves_only_the_quantiles_blank(frames):
    """``result(quantiles=False)`` (the cards' previous period): medians and P90 blank, every rate and count as with
    them."""
    v = september(frames)
    full, lean = kpi.result(v), kpi.result(v, quantiles=False)
    quantiles = ("median_first_response_min", "p90_first_response_min", "median_resolution_h")
    for scope in ("by_channel", "by_department", "by_agent"):
        assert lean[scope].keys() == full[scope].keys()
    for group in (lean["overall"], *lean["by_department"].values()):
        assert all(group[m] is None for m in quantiles)
    assert all(full["overall"][m] is not None for m in quantiles)
    strip = lambda r: {k: v for k, v in r.items() if k not in quantiles}  # noqa: E731
    assert strip(lean["overall"]) == strip(full["overall"])
    assert {g: strip(m) for g, m in lean["by_agent"].items()} == {g: strip(m) for g, m in full["by_agent"].items()}


def test_a_workbooks_rows_are_computed_into_memory_an_outside_sources_into_the_engines_file():
    """What a view makes of the workbook's own tables (at most a sheet's rows) is a temporary in-memory table; of
    an outside source's rows (any number), a table stored compressed in the engine's database file — whichever the
    tickets, surveys and inspections each are."""
    from pyaddin.core.view import INSPECTION_COLUMNS, SURVEY_COLUMNS, TICKET_COLUMNS, rows_of
    from pyaddin.engine import duck
    from pyaddin.engine.rows import of_sql

    frames = {"t": typed(schema.TICKETS, TICKETS_ZH), "s": typed(schema.SURVEYS, SURVEYS_ZH),
              "i": typed(schema.INSPECTIONS, INSPECTIONS_ZH)}
    columns = {"t": TICKET_COLUMNS, "s": SURVEY_COLUMNS, "i": INSPECTION_COLUMNS}
    kept = []

    def outside(key):  # the frame as an outside source's rows: a view over a table of the engine, unbounded
        own = rows_of(frames[key], columns[key])
        kept.append(own)
        return of_sql(f"SELECT * FROM {own.sql}")

    def in_memory(name: str) -> bool:
        return duck.scalar(f"SELECT temporary FROM duckdb_tables() WHERE table_name = '{name}'")

    for outside_keys in ((), ("t",), ("s", "i"), ("t", "s", "i")):
        got = {k: outside(k) if k in outside_keys else frames[k] for k in frames}
        v = kpi.view(got["t"], got["s"], got["i"], STD, kpi.month_period("2026-09"))
        assert v.tickets.bounded == ("t" not in outside_keys)
        assert in_memory(v.flags_table) == ("t" not in outside_keys), outside_keys
        assert in_memory(v.survey_table) == ("s" not in outside_keys), outside_keys
        assert in_memory(v.scores_table) == ("i" not in outside_keys), outside_keys
        owned = kpi.with_ticket_owner(rows_of(got["s"], SURVEY_COLUMNS), v.tickets)
        assert owned.bounded == (not {"t", "s"} & set(outside_keys))  # own only when both tables are the book's
        calls = pd.DataFrame({"call_id": ["C1"], "started_at": [pd.Timestamp("2026-09-02 10:00")], "agent": ["张三"],
                              "queue": [None], "department": ["售后服务部"], "csat": [5.0]})
        with_calls = kpi.view(got["t"], got["s"], got["i"], STD, kpi.month_period("2026-09"), calls)
        assert with_calls.surveys.bounded == ("s" not in outside_keys)  # the calls' answers beside the surveys
    own_rows = rows_of(frames["s"], SURVEY_COLUMNS)  # the book's surveys as the engine's rows (its columnar copy)
    assert kpi.view(frames["t"], own_rows, frames["i"], STD, kpi.month_period("2026-09"), calls).surveys.bounded
