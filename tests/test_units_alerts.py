"""Fast unit tests on hand-made series: they judge the mutants of core/alerts.py and core/incidents.py (make mutation).

Every expected value is worked out by hand in the comment beside it."""
import math

import numpy as np
import pandas as pd
import pytest

from pyaddin.core import alerts as al
from pyaddin.core import incidents as inc

WEEKS = pd.DatetimeIndex(["2026-09-07", "2026-09-14", "2026-09-21", "2026-09-28"])


def chart(values, centre=0.0, sigma=1.0, index=None):
    n = len(values)
    return pd.DataFrame({"value": values, "centre": [centre] * n, "sigma": [sigma] * n,
                         "lcl": [centre - 3 * sigma] * n, "ucl": [centre + 3 * sigma] * n}, index=index)


def test_p_chart_keeps_the_weeks_and_clips_its_limits_to_0_and_100():
    # baseline weeks 1–3: 2 of 300 → p̄ = 1/150; week 4 (25 calls) is not in it
    s, n = pd.Series([1, 0, 1, 5], index=WEEKS), pd.Series([100, 100, 100, 25], index=WEEKS)
    c = al.p_chart(s, n, pd.Series([True, True, True, False], index=WEEKS))
    p = 1 / 150
    assert list(c.index) == list(WEEKS) and list(c.columns) == ["value", "centre", "sigma", "lcl", "ucl"]
    assert c["value"].tolist() == [1.0, 0.0, 1.0, 20.0]
    assert c["centre"].tolist() == pytest.approx([100 * p] * 4)
    sig100, sig25 = math.sqrt(p * (1 - p) / 100), math.sqrt(p * (1 - p) / 25)
    assert c["sigma"].tolist() == pytest.approx([100 * sig100] * 3 + [100 * sig25])
    assert c["lcl"].tolist() == [0.0] * 4  # p̄ − 3σ is below 0 every week
    assert c["ucl"].tolist() == pytest.approx([100 * (p + 3 * sig100)] * 3 + [100 * (p + 3 * sig25)])
    assert al.signals(c) == [(WEEKS[3], "1")]
    high = al.p_chart(pd.Series([99, 100]), pd.Series([100, 100]), pd.Series([True, True]))  # p̄ = 0.995
    assert high["ucl"].tolist() == [100.0, 100.0]
    assert high["lcl"].iloc[0] == pytest.approx(100 * (0.995 - 3 * math.sqrt(0.995 * 0.005 / 100)))


def test_a_week_without_trials_and_a_baseline_without_trials_are_empty_not_0():
    c = al.p_chart(pd.Series([3, 0]), pd.Series([10, 0]), pd.Series([True, True]))
    assert c["centre"].tolist() == [30.0, 30.0]
    assert c["value"].iloc[0] == 30.0 and math.isnan(c["value"].iloc[1])
    assert math.isnan(c["sigma"].iloc[1]) and math.isnan(c["lcl"].iloc[1]) and math.isnan(c["ucl"].iloc[1])
    assert c["sigma"].iloc[0] == pytest.approx(100 * math.sqrt(0.3 * 0.7 / 10))
    none = al.p_chart(pd.Series([3, 4]), pd.Series([10, 10]), pd.Series([False, False]))
    assert none["centre"].isna().all() and none["value"].tolist() == [30.0, 40.0]
    assert al.signals(none) == []


def test_xmr_without_a_floor_keeps_a_negative_lower_limit_and_its_index():
    v = pd.Series([10.0, 14.0, 12.0, 40.0], index=WEEKS)
    c = al.xmr(v, pd.Series([True, True, True, False], index=WEEKS), floor=None)
    mr = (4 + 2) / 2  # the baseline's moving ranges 4 and 2
    assert list(c.index) == list(WEEKS) and c["value"].tolist() == [10.0, 14.0, 12.0, 40.0]
    assert c["centre"].iloc[0] == 12.0 and c["sigma"].iloc[0] == pytest.approx(mr / 1.128)
    assert c["lcl"].iloc[0] == pytest.approx(12.0 - 3 * mr / 1.128)  # 4.02: above 0 anyway
    wide = al.xmr(pd.Series([1.0, 9.0, 1.0]), pd.Series([True, True, True]), floor=None)
    assert wide["lcl"].iloc[0] == pytest.approx(11 / 3 - 3 * 8 / 1.128)  # negative: no floor
    floored = al.xmr(pd.Series([1.0, 9.0, 1.0]), pd.Series([True, True, True]))
    assert floored["lcl"].iloc[0] == 0.0
    assert al.xmr(pd.Series([1.0, 9.0, 1.0]), pd.Series([True, True, True]), floor=2.5)["lcl"].iloc[0] == 2.5
    assert floored["ucl"].iloc[0] == pytest.approx(11 / 3 + 3 * 8 / 1.128)


def test_xmr_with_a_blank_week_in_the_baseline_and_with_no_baseline():
    c = al.xmr(pd.Series([4.0, None, 6.0, 20.0]), pd.Series([True, True, True, False]))
    assert c["centre"].iloc[0] == 5.0 and c["sigma"].iloc[0] == pytest.approx(2 / 1.128)  # blank left out
    one = al.xmr(pd.Series([4.0, 9.0]), pd.Series([True, False]))
    assert one["centre"].iloc[0] == 4.0 and one["sigma"].iloc[0] == 0.0 and one["lcl"].iloc[0] == 4.0
    assert al.signals(one) == [(1, "1")]
    none = al.xmr(pd.Series([4.0, 9.0]), pd.Series([False, False]), floor=None)
    assert none["centre"].isna().all() and none["sigma"].iloc[0] == 0.0 and al.signals(none) == []


def test_rule_1_is_strictly_beyond_the_limits_and_is_on_by_default():
    c = chart([3.0, -3.0, 3.5, -3.5, 0.0])
    assert al.signals(c) == [(2, "1"), (3, "1")]  # on the limit is not beyond it
    assert al.signals(c, ("2of3",)) == [(2, "2of3"), (3, "2of3")]  # each with the point before it
    assert al.signals(chart([3.4, 0.0]), ("4of5", "8run")) == []  # rule 1 not chosen


def test_a_blank_week_is_skipped_and_the_later_weeks_are_still_tested():
    assert al.signals(chart([0.0, np.nan, 5.0, -4.0])) == [(2, "1"), (3, "1")]


def test_signals_come_in_the_order_of_the_weeks_whatever_their_labels():
    c = chart([5.0, 0.0, -5.0], index=["w9", "w5", "w1"])
    assert al.signals(c) == [("w9", "1"), ("w1", "1")]


def test_a_point_is_listed_once_under_the_first_rule_that_catches_it():
    c = chart([2.5, 0.0, 3.5])
    assert al.signals(c, ("1", "2of3")) == [(2, "1")]
    assert al.signals(c, ("2of3",)) == [(2, "2of3")]


def test_two_of_three_beyond_2_sigma_on_one_side():
    rule = ("2of3",)
    assert al.signals(chart([2.5, 0.2, 2.6]), rule) == [(2, "2of3")]  # at the third week already
    assert al.signals(chart([-2.5, 0.2, -2.6]), rule) == [(2, "2of3")]
    assert al.signals(chart([2.5, 2.6, 0.0]), rule) == []  # the third week is not beyond, the second is too early
    assert al.signals(chart([0.0, 2.5, 2.6, 0.0]), rule) == [(2, "2of3")]  # not the week back at the centre
    assert al.signals(chart([2.0, 0.0, 2.0]), rule) == []  # on 2σ is not beyond it
    assert al.signals(chart([1.1, 0.0, 1.1]), rule) == [] and al.signals(chart([-1.1, 0.0, -1.1]), rule) == []
    assert al.signals(chart([2.5, 0.0, 0.0, 2.6]), rule) == []  # one of three in each window
    assert al.signals(chart([2.5, -2.5, 2.6]), rule) == [(2, "2of3")]  # the week between may be anywhere
    assert al.signals(chart([2.5, np.nan, 2.6]), rule) == []  # a blank week breaks the window


def test_four_of_five_beyond_1_sigma_on_one_side():
    rule = ("4of5",)
    assert al.signals(chart([1.5, 1.2, 0.5, 1.1, 1.3]), rule) == [(4, "4of5")]
    assert al.signals(chart([-1.5, -1.2, -0.5, -1.1, -1.3]), rule) == [(4, "4of5")]
    assert al.signals(chart([1.5, 1.2, 0.5, 0.5, 1.3]), rule) == []  # three of five
    assert al.signals(chart([1.0, 1.2, 1.1, 1.1, 1.3]), rule) == [(4, "4of5")]  # 1.0 is not beyond, four others are
    assert al.signals(chart([1.0, 1.0, 1.1, 1.1, 1.3]), rule) == []
    assert al.signals(chart([0.6, 0.6, 0.6, 0.6, 0.6]), rule) == []  # not even at 2 × 0.6
    assert al.signals(chart([-0.6, -0.6, -0.6, -0.6, -0.6]), rule) == []
    assert al.signals(chart([1.5, 1.2, np.nan, 1.1, 1.3, 1.4]), rule) == []
    assert al.signals(chart([1.5, 1.2, 1.6, 1.1, 0.0]), rule) == []  # the fifth week is not beyond


def test_eight_in_a_row_on_one_side():
    rule = ("8run",)
    assert al.signals(chart([-0.1] * 8), rule) == [(7, "8run")]
    assert al.signals(chart([-0.1] + [0.1] * 8), rule) == [(8, "8run")]
    assert al.signals(chart([0.1] * 3 + [0.0] + [0.1] * 4), rule) == []  # on the centre breaks the run
    assert al.signals(chart([0.1] * 3 + [np.nan] + [0.1] * 5), rule) == []
    assert al.signals(chart([0.1] * 7), rule) == []


def test_with_no_spread_any_move_off_the_centre_is_infinitely_far():
    flat = chart([5.0, 6.0, 6.0, 5.0, 4.0, 4.0], centre=5.0, sigma=0.0)
    assert al.signals(flat, ("2of3",)) == [(2, "2of3"), (5, "2of3")]
    assert al.signals(chart([5.0, 5.0, 5.0, 5.0, 5.0], centre=5.0, sigma=0.0), ("2of3", "4of5")) == []
    half = chart([0.5, 0.5, 0.5, 0.5, 0.5], sigma=0.5)  # 1σ each week: on 1σ, not beyond
    assert al.signals(half, ("4of5",)) == []


def test_breaches_at_the_edges_and_on_the_sla_clock():
    as_of = pd.Timestamp("2026-09-30 10:00")
    t = pd.DataFrame({"ticket_id": ["a", "b", "c", "d", "e", "f"], "department": ["Y", "X", "X", "X", "X", "X"],
                      "created_at": pd.to_datetime(["2026-09-30 09:00", "2026-09-30 09:50", "2026-09-30 10:00",
                                                    "2026-09-30 10:01", "2026-09-30 08:00", "2026-09-30 08:00"]),
                      "first_response_at": pd.to_datetime([None, None, None, None, "2026-09-30 10:00",
                                                           "2026-09-30 10:01"]),
                      "resolved_at": pd.to_datetime([None, None, None, None, None, "2026-09-30 10:00"])})
    fr, res = pd.Series([10.0] * 6), pd.Series([1.0] * 6)
    out = al.breaches(t, fr, res, as_of)
    # a: 60 min old, 50 late to answer, exactly at its 1 h resolution target (not late); b: exactly 10 min (not
    # late); c: created at as_of; d: created after it; e: answered at as_of, 120 min old, 60 late to resolve;
    # f: resolved at as_of
    assert list(out.columns) == ["ticket_id", "department", "kind", "late_min"]
    assert out.to_dict("records") == [
        {"ticket_id": "e", "department": "X", "kind": "resolution", "late_min": 60.0},
        {"ticket_id": "a", "department": "Y", "kind": "first_response", "late_min": 50.0}]
    assert list(out.index) == [0, 1]
    age = pd.Series([100.0, 5.0, 30.0, 30.0, 10.0, 500.0])  # the SLA clock's own minutes
    out = al.breaches(t, fr, res, as_of, age)
    # c, created at as_of, is open and 20 late on the clock; d, created after it, is not yet there
    assert list(zip(out["ticket_id"], out["kind"], out["late_min"])) == [
        ("c", "first_response", 20.0), ("a", "first_response", 90.0), ("a", "resolution", 40.0)]


def test_worsened_compares_each_scope_and_skips_a_group_not_in_both():
    def status(v, target):
        return None if v is None else "met" if v >= target else "warning" if v >= target - 5 else "missed"

    m = "first_response_sla_pct"
    before = {"overall": {m: 92.0}, "by_channel": {"phone": {m: 92.0}, "chat": {m: 87.0}, "mail": {m: 99.0}},
              "by_department": {"A": {m: 87.0}, "B": {m: None}}}
    after = {"overall": {m: 87.0}, "by_channel": {"phone": {m: 92.0}, "chat": {m: 80.0}, "web": {m: 10.0}},
             "by_department": {"A": {m: 92.0}, "B": {m: 10.0}}}
    got = al.worsened(before, after, {m: 90.0}, status)
    assert got == [{"indicator": m, "scope": "overall", "group": "", "from": "met", "to": "warning"},
                   {"indicator": m, "scope": "channel", "group": "chat", "from": "warning", "to": "missed"}]
    assert al.worsened(after, before, {m: 90.0}, status) == [
        {"indicator": m, "scope": "department", "group": "A", "from": "met", "to": "warning"}]
    met_to_missed = al.worsened({"overall": {m: 95.0}, "by_channel": {}, "by_department": {}},
                                {"overall": {m: 1.0}, "by_channel": {}, "by_department": {}}, {m: 90.0}, status)
    assert [(w["from"], w["to"]) for w in met_to_missed] == [("met", "missed")]
    assert al.worsened({"overall": {m: 95.0}, "by_channel": {"x": None}, "by_department": {}},
                       {"overall": {m: 95.0}, "by_channel": {"x": {m: 1.0}}, "by_department": {}}, {m: 90.0},
                       status) == []


def test_is_finite():
    assert al.is_finite(1.5) and al.is_finite(0) and al.is_finite(0.0) and al.is_finite(-3)
    assert not al.is_finite(None) and not al.is_finite(float("nan")) and not al.is_finite(float("inf"))
    assert not al.is_finite(float("-inf"))


# core/incidents.py


def test_direction_of_an_indicator_by_its_name_or_its_target():
    assert not inc.higher_is_better("resolution_time_h", {}) and not inc.higher_is_better("aht_s", {})
    assert not inc.higher_is_better("backlog", {}) and inc.higher_is_better("csat_pct", {})
    assert inc.higher_is_better("aht_s", {"aht_s": ("ge", 1.0, 0.0)})
    assert not inc.higher_is_better("csat_pct", {"csat_pct": ("le", 1.0, 0.0)})
    assert inc.direction(80.0, 80.0, True) == "worse" and inc.direction(80.0, 80.0, False) == "better"
    assert inc.direction(81.0, 80.0, True) == "better" and inc.direction(81.0, 80.0, False) == "worse"
    assert inc.direction(79.0, 80.0, False) == "better"


def test_partial_weeks_keep_the_weeks_as_index_and_the_window_and_baseline():
    weeks = pd.date_range("2026-06-29", periods=4, freq="7D")
    p = inc.partial_weeks(weeks, pd.Timestamp("2026-06-29 15:00"), pd.Timestamp("2026-07-25 01:00"))
    # data from Mon 29 June to Sat 25 July: the last week (20–26 July) is cut, the first is whole
    assert list(p.index) == list(weeks) and p.tolist() == [False, False, False, True]
    assert inc.partial_weeks(weeks, pd.Timestamp("2026-06-30"), pd.Timestamp("2026-07-26")).tolist() == \
        [True, False, False, False]
    assert list(inc.window(weeks, 0)) == list(weeks) and list(inc.window(weeks, 4)) == list(weeks)
    assert list(inc.window(weeks, 3)) == list(weeks[1:]) and list(inc.window(weeks, 9)) == list(weeks)
    partial = pd.Series([True, False, True, False, False])
    assert inc.baseline(partial, 2).tolist() == [False, True, False, True, False]
    assert inc.baseline(partial, 0).tolist() == [False] * 5


def sig(week, value, centre=80.0, indicator="first_response_sla_pct", **kw):
    return {"indicator": indicator, "week": week, "value": value, "centre": centre,
            "direction": inc.direction(value, centre, True), **kw}


def test_incidents_are_numbered_by_their_first_week_and_a_signal_without_scope_is_overall():
    found = [sig("2026-09-14", 90.0, indicator="b"), sig("2026-09-07", 70.0, indicator="b", scope="overall"),
             sig("2026-09-07", 95.0, indicator="a", scope="department", group="X"),
             sig("2026-09-14", 95.0, indicator="a", scope="channel"), sig("2026-09-07", 60.0, indicator="a")]
    assert inc.number_incidents(found) is found
    # 09-07: a department better (1), a overall worse (2), b overall worse (3); 09-14: a channel (4), b overall
    # better: a change of direction, a new incident (5)
    assert [s["incident"] for s in found] == [5, 3, 1, 4, 2]
    run = [sig("2026-09-07", 60.0), sig("2026-09-14", 55.0, scope="overall"), sig("2026-09-21", 70.0),
           sig("2026-10-05", 50.0)]
    inc.number_incidents(run)
    assert [s["incident"] for s in run] == [1, 1, 1, 2]  # 09-28 without a signal ends the first
    rows = inc.incidents(run)
    assert rows[0] == {"incident": 1, "indicator": "first_response_sla_pct", "scope": "overall", "group": "",
                       "direction": "worse", "first_week": "2026-09-07", "last_week": "2026-09-21", "weeks": 3,
                       "worst": run[1]}
    assert rows[1]["weeks"] == 1 and rows[1]["worst"] is run[3] and rows[1]["last_week"] == "2026-10-05"
    grouped = inc.incidents(inc.number_incidents([sig("2026-09-14", 70.0, scope="department", group="X"),
                                                  sig("2026-09-07", 90.0, scope="department", group="X")]))
    assert [(r["scope"], r["group"], r["first_week"]) for r in grouped] == [("department", "X", "2026-09-07"),
                                                                             ("department", "X", "2026-09-14")]


def test_the_first_of_two_equally_far_signals_is_the_worst():
    run = inc.number_incidents([sig("2026-09-14", 70.0), sig("2026-09-07", 90.0, centre=100.0),
                                sig("2026-09-21", 95.0, centre=100.0)])  # 10, 10 and 5 below
    rows = inc.incidents(run)
    assert len(rows) == 1 and rows[0]["worst"] is run[1] and rows[0]["weeks"] == 3


def test_lateness_switches_to_days_at_two_days():
    assert inc.lateness(48 * 60) == (2.0, "d") and inc.lateness(48 * 60 - 6) == (47.9, "h")
    assert inc.lateness(0) == (0.0, "h") and inc.lateness(3456) == (2.4, "d")


def test_scopes_of_one_indicator_are_incidents_of_their_own():
    # same indicator and direction: channel 09-07 and 09-14 are one incident, department 09-07 another; sorted by
    # scope before weeks, not by the order given
    found = [sig("2026-09-07", 60.0, scope="channel"), sig("2026-09-07", 60.0, scope="department"),
             sig("2026-09-14", 60.0, scope="channel")]
    assert [s["incident"] for s in inc.number_incidents(found)] == [1, 2, 1]
    apart = [sig("2026-09-07", 60.0, scope="channel"), sig("2026-09-14", 60.0, scope="department")]
    assert [s["incident"] for s in inc.number_incidents(apart)] == [1, 2]  # a week apart, but not one scope


def test_lateness_has_one_decimal():
    assert inc.lateness(90.6) == (1.5, "h") and inc.lateness(2880 + 144 + 7.2) == (2.1, "d")


def test_a_week_of_one_trial_has_its_rate_and_limits():
    c = al.p_chart(pd.Series([1, 1]), pd.Series([1, 3]), pd.Series([True, True]))  # p̄ = 2/4
    assert c["value"].tolist() == [100.0, pytest.approx(100 / 3)]
    assert c["sigma"].tolist() == [50.0, pytest.approx(100 * math.sqrt(0.25 / 3))]  # √(½·½/1) = ½


def test_the_rules_measure_in_sigmas_from_the_centre():
    assert al.signals(chart([3.0, 0.0, 3.0], sigma=2.0), ("2of3",)) == []  # 1.5σ
    assert al.signals(chart([5.0, 0.0, 5.0], sigma=2.0), ("2of3",)) == [(2, "2of3")]  # 2.5σ
    assert al.signals(chart([1.1, 0.0, 1.1], sigma=0.5), ("2of3",)) == [(2, "2of3")]  # 2.2σ
    assert al.signals(chart([11.0, 10.0, 11.0], centre=10.0), ("2of3",)) == []  # 1σ
    assert al.signals(chart([10.1, 9.9] * 4, centre=10.0), ("8run",)) == []  # either side of the centre
    assert al.signals(chart([10.1] * 8, centre=10.0), ("8run",)) == [(7, "8run")]


def test_a_point_just_on_a_limit_does_not_signal():
    assert al.signals(chart([3.0 + 1e-9, -3.0 - 1e-9, 0.0])) == []
    assert al.signals(chart([3.0 + 1e-6, -3.0 - 1e-6, 0.0])) == [(0, "1"), (1, "1")]
    assert al.signals(chart([2.5, 2.6, 2.0]), ("2of3",)) == []  # the last week exactly on 2σ


def test_a_blank_week_just_outside_a_window_does_not_break_it():
    assert al.signals(chart([np.nan, 2.5, 2.6]), ("2of3",)) == []
    assert al.signals(chart([np.nan, 0.0, 2.5, 2.6]), ("2of3",)) == [(3, "2of3")]
    assert al.signals(chart([2.5, 0.2, 2.6, np.nan]), ("2of3",)) == [(2, "2of3")]
    assert al.signals(chart([np.nan] + [0.1] * 8), ("8run",)) == [(8, "8run")]
    assert al.signals(chart([0.1] * 8 + [np.nan]), ("8run",)) == [(7, "8run")]
    assert al.signals(chart([0.0] * 8), ("8run",)) == []  # on the centre is on neither side


def test_a_ticket_a_fraction_of_a_minute_past_its_resolution_target():
    t = pd.DataFrame({"ticket_id": ["a", "b"], "department": ["X", "X"],
                      "created_at": pd.to_datetime(["2026-09-30 08:00", "2026-09-30 08:00"]),
                      "first_response_at": pd.to_datetime(["2026-09-30 08:01", "2026-09-30 08:01"]),
                      "resolved_at": pd.to_datetime([None, None])})
    out = al.breaches(t, pd.Series([10.0, 10.0]), pd.Series([1.0, 1.0]), pd.Timestamp("2026-09-30 10:00"),
                      pd.Series([60.5, 59.5]))
    assert out.to_dict("records") == [{"ticket_id": "a", "department": "X", "kind": "resolution", "late_min": 0.5}]


def test_a_group_missing_before_does_not_end_the_scope():
    def status(v, target):
        return "met" if v >= target else "missed"

    m = "csat_pct"
    before = {"overall": {m: 1.0}, "by_channel": {"chat": {m: 95.0}}, "by_department": {}}
    after = {"overall": {m: 1.0}, "by_channel": {"web": {m: 1.0}, "chat": {m: 1.0}}, "by_department": {}}
    assert al.worsened(before, after, {m: 90.0}, status) == [
        {"indicator": m, "scope": "channel", "group": "chat", "from": "met", "to": "missed"}]
