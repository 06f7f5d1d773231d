"""Small core modules on hand-made frames (fast: they judge the mutants of core/pareto.py, surveys.py, minutes.py)."""
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from pyaddin.core import minutes, pareto, surveys


def test_pareto_counts_sorts_and_closes_the_vital_few_on_the_classified_tickets():
    f = pareto.pareto(pd.Series(["A", "B", "A", None, " ", "C", "B", "A", "D", " A "], index=range(5, 15)))
    assert f["category"].tolist() == ["A", "B", "未分类", "C", "D"]
    assert f["count"].tolist() == [4.0, 2.0, 2.0, 1.0, 1.0] and f["pct"].tolist() == [40.0, 20.0, 20.0, 10.0, 10.0]
    assert f["cum_pct"].tolist() == [40.0, 60.0, 80.0, 90.0, 100.0]
    # of the 8 classified: A 50 %, B 75 %, C 87.5 % crosses 80 and is in; 未分类 never is
    assert f["vital_few"].tolist() == [True, True, False, True, False]
    assert f["vital_count"].fillna(-1).tolist() == [4.0, 2.0, -1, 1.0, -1]
    assert f["other_count"].fillna(-1).tolist() == [-1, -1, 2.0, -1, 1.0]
    assert f["line_80"].tolist() == [80.0] * 5 and list(f.index) == [0, 1, 2, 3, 4]
    assert pareto.unclassified_pct(f) == 20.0 and not pareto.unclassified_alarm(f)


def test_a_category_landing_exactly_on_80_closes_the_set_and_weights_are_numbers():
    f = pareto.pareto(pd.Series(["A", "B", "C"]), pd.Series([8, "2", None]))
    assert f["count"].tolist() == [8.0, 2.0, 0.0] and f["vital_few"].tolist() == [True, False, False]
    assert f["cum_pct"].tolist() == [80.0, 100.0, 100.0]
    f = pareto.pareto(pd.Series(["b", "a", "c", "c", "c"]))  # equal counts by name; a lands on 80 exactly
    assert f["category"].tolist() == ["c", "a", "b"] and f["vital_few"].tolist() == [True, True, False]
    j = pareto.as_json(pareto.pareto(pd.Series(["A"] * 4 + ["B"]), pd.Series([1.5, 1, 1, 1, 0.5])), "x")
    assert j == {"by": "x", "total": 4.5 + 0.5, "unclassified_pct": None, "data_problem": False,
                 "rows": [{"name": "A", "count": 4.5, "pct": 90.0, "cum_pct": 90.0, "vital": True},
                          {"name": "B", "count": 0.5, "pct": 10.0, "cum_pct": 100.0, "vital": False}]}
    assert isinstance(j["total"], int) and isinstance(j["rows"][0]["count"], float)


def test_cumulative_shares_end_at_exactly_100():
    f = pareto.pareto(pd.Series(["a", "b", "c"]))
    assert f["cum_pct"].tolist() == [pytest.approx(100 / 3), pytest.approx(200 / 3), 100.0]
    assert f["cum_pct"].iloc[-1] == 100.0


def test_nothing_classified_has_no_vital_few_and_the_unclassified_alarm_is_above_20_percent():
    f = pareto.pareto(pd.Series([None, ""]))
    assert pareto.as_json(f, "category") == {
        "by": "category", "total": 2, "unclassified_pct": 100.0, "data_problem": True,
        "rows": [{"name": "未分类", "count": 2, "pct": 100.0, "cum_pct": 100.0, "vital": False}]}
    f = pareto.pareto(pd.Series([], dtype=object))
    assert f.empty and pareto.unclassified_pct(f) is None and not pareto.unclassified_alarm(f)
    at_20 = pareto.pareto(pd.Series(["a", "b", "c", "d", None]))
    assert pareto.unclassified_pct(at_20) == 20.0 and not pareto.unclassified_alarm(at_20)
    over = pareto.pareto(pd.Series(["a", "b", "c", "d", None, None]))
    assert pareto.unclassified_alarm(over)
    zero = pareto.pareto(pd.Series(["a", "b"]), pd.Series([0, 0]))
    assert zero["pct"].tolist() == [0.0, 0.0] and not zero["vital_few"].any()


PERIOD = SimpleNamespace(start=pd.Timestamp("2026-09-01"), end=pd.Timestamp("2026-10-01"))


def test_survey_response_of_the_invitations_sent_in_the_period():
    s = pd.DataFrame({"sent_at": pd.to_datetime(["2026-09-01", "2026-09-30 23:59", "2026-10-01", "2026-08-31", None,
                                                 "2026-09-10"], format="mixed"),
                      "csat": [5, None, 4, 3, 5, None], "nps": [None, None, None, None, None, 9],
                      "channel": ["phone", "chat", "phone", "phone", "phone", None],
                      "department": ["A", "A", "B", "A", "A", "B"]})
    out = surveys.response(s, PERIOD)
    assert out == {"overall": {"surveys_sent": 3, "survey_response_pct": pytest.approx(200 / 3)},
                   "by_channel": {"chat": {"surveys_sent": 1, "survey_response_pct": 0.0},
                                  "phone": {"surveys_sent": 1, "survey_response_pct": 100.0}},
                   "by_department": {"A": {"surveys_sent": 2, "survey_response_pct": 50.0},
                                     "B": {"surveys_sent": 1, "survey_response_pct": 100.0}}}
    assert list(out["by_channel"]) == ["chat", "phone"]
    assert isinstance(out["overall"]["surveys_sent"], int)


def test_no_invitation_sent_is_an_empty_rate_never_0():
    assert surveys.response(pd.DataFrame({"csat": [5]}), PERIOD) == {
        "overall": {"surveys_sent": 0, "survey_response_pct": None}}
    none = pd.DataFrame({"sent_at": pd.to_datetime(["2026-08-01"]), "csat": [5], "nps": [np.nan],
                         "channel": ["phone"], "department": ["A"]})
    assert surveys.response(none, PERIOD) == {"overall": {"surveys_sent": 0, "survey_response_pct": None},
                                              "by_channel": {}, "by_department": {}}


def test_times_written_to_the_minute_are_compared_at_the_minute():
    whole = pd.Series(pd.to_datetime(["2026-09-03 17:02", None]))
    exact = pd.Series(pd.to_datetime(["2026-09-03 17:02:10", "2026-09-03 17:03:00"]))
    assert minutes.minute_precision(whole) and not minutes.minute_precision(exact)
    assert not minutes.minute_precision(pd.Series([None, None], dtype="datetime64[ns]"))
    assert not minutes.minute_precision(pd.Series(["17:02"]))
    a, b = minutes.at_the_minute(whole, exact)
    assert a.tolist()[0] == b.tolist()[0] == pd.Timestamp("2026-09-03 17:02")
    b2, a2 = minutes.at_the_minute(exact, whole)
    assert b2.tolist() == [pd.Timestamp("2026-09-03 17:02"), pd.Timestamp("2026-09-03 17:03")]
    a3, b3 = minutes.at_the_minute(exact, exact)
    assert a3 is exact and b3 is exact


def test_each_satisfaction_dimension_has_its_own_rate_and_an_unscored_one_is_empty():
    def rates(answers):  # the answers as the engine reads them (a score where the cell reads as a number)
        from pyaddin.core import kpi

        rows = kpi.rows_of(answers, {c: kpi.SCORE for c in answers.columns})
        return surveys.dimension_rates(rows.sql, tuple(answers.columns))

    answers = pd.DataFrame({"attitude": [5, 4, 3, None, "x"], "resolution": [None] * 5, "wait": [1, None, None, None, "2"]})
    assert rates(answers) == {
        "attitude": {"answers": 3, "pct": pytest.approx(200 / 3)},  # 5 and 4 of 5, 4, 3; "x" is no score
        "speed": {"answers": 0, "pct": None},  # no such column
        "resolution": {"answers": 0, "pct": None},
        "wait": {"answers": 2, "pct": 0.0}}
    nothing = {d: {"answers": 0, "pct": None} for d in ("attitude", "speed", "resolution", "wait")}
    assert surveys.dimension_rates("(SELECT 1 AS x)", ()) == nothing  # answers that carry no dimension at all
    out = rates(pd.DataFrame({"speed": ["4", 4.0, 3.9]}))
    assert out["speed"] == {"answers": 3, "pct": pytest.approx(200 / 3)} and isinstance(out["speed"]["answers"], int)
    assert isinstance(out["speed"]["pct"], float) and list(out) == ["attitude", "speed", "resolution", "wait"]


def test_flooring_to_the_minute_uses_no_alias_pandas_will_remove():
    whole = pd.Series(pd.to_datetime(["2026-09-03 17:02"]))
    exact = pd.Series(pd.to_datetime(["2026-09-03 17:02:10"]))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a deprecated frequency alias warns now and fails on the next pandas
        assert minutes.minute_precision(whole)
        a, b = minutes.at_the_minute(exact, whole)
        c, d = minutes.at_the_minute(whole, exact)
    assert a.tolist() == b.tolist() == c.tolist() == d.tolist() == [pd.Timestamp("2026-09-03 17:02")]


COLUMNS = ["category", "count", "pct", "cum_pct", "vital_few", "vital_count", "other_count", "line_80"]


def test_pareto_columns_and_the_last_share_is_exactly_100():
    f = pareto.pareto(pd.Series(list("abcdefg")))  # sevenths do not add up to 100 in floats
    assert list(f.columns) == COLUMNS and f["cum_pct"].iloc[-1] == 100.0
    assert f["cum_pct"].iloc[-2] == pytest.approx(600 / 7)


def test_unclassified_tickets_weigh_nothing_in_the_vital_few():
    # of the 10 classified, A is 80 %: it closes the set alone, whatever the 5 unclassified between A and B
    f = pareto.pareto(pd.Series(["A"] * 8 + ["B"] * 2 + [None] * 5))
    assert f["category"].tolist() == ["A", "未分类", "B"] and f["vital_few"].tolist() == [True, False, False]


def test_the_row_just_under_80_is_not_enough_and_float_noise_on_80_is_80():
    f = pareto.pareto(pd.Series(["A", "B"]), pd.Series([79.5, 20.5]))
    assert f["vital_few"].tolist() == [True, True]  # 79.5 % does not reach 80: B is needed
    noise = pareto.pareto(pd.Series(["A", "B"]), pd.Series([79.999999999, 20.000000001]))
    assert noise["vital_few"].tolist() == [True, False]  # 80 − 1e-9 is 80 up to the floats' noise


def test_a_weight_that_is_not_a_number_weighs_nothing():
    f = pareto.pareto(pd.Series(["A", "B", "B"]), pd.Series(["abc", 2, "1.5"]))
    assert f["category"].tolist() == ["B", "A"] and f["count"].tolist() == [3.5, 0.0]


def test_the_pareto_of_rows_where_they_lie_counts_and_weighs_as_the_frames_pareto():
    """``pareto_of`` over a relation of the engine: the same table as ``pareto`` of the frame, counted or weighed
    (a weight that is no number counts 0), blanks and spaces as 未分类."""
    from pyaddin.core import pareto as par
    from pyaddin.engine.rows import of_frame

    frame = pd.DataFrame({"category": ["物流", "物流", " ", None, "质量", "物流"], "w": ["2", "x", "1", "3", "4", "1"]})
    rows = of_frame(frame, {"category": lambda f, n: f[n], "w": lambda f, n: f[n]})
    counted = par.pareto_of(rows.sql, "category")
    assert counted[["category", "count"]].values.tolist() == [["物流", 3.0], [par.UNCLASSIFIED, 2.0], ["质量", 1.0]]
    assert counted.equals(par.pareto(frame["category"]))
    weighed = par.pareto_of(rows.sql, "category", "w")
    assert weighed[["category", "count"]].values.tolist() == [[par.UNCLASSIFIED, 4.0], ["质量", 4.0], ["物流", 3.0]]
    assert weighed["vital_few"].tolist() == [False, True, True]  # 未分类 is never among the vital few


def test_the_years_of_a_period_that_the_work_calendar_does_not_list():
    from pyaddin.core.clock import years_without_calendar

    rows = pd.DataFrame({"date": pd.to_datetime(["2026-10-01", "2026-10-10"]), "kind": ["holiday", "workday"]})
    at = pd.Timestamp
    assert years_without_calendar(rows, at("2025-12-01"), at("2027-01-01")) == [2025]  # the end is exclusive
    assert years_without_calendar(rows, at("2025-12-01"), at("2027-01-02")) == [2025, 2027]
    assert years_without_calendar(rows, at("2026-01-01"), at("2026-02-01")) == []
    assert years_without_calendar(None, at("2026-12-31"), at("2028-01-01")) == [2026, 2027]
    assert years_without_calendar(rows.iloc[:0], at("2026-03-01"), at("2026-04-01")) == [2026]


def _october_clock():
    from pyaddin.core.clock import Calendar, Clock
    from pyaddin.settings import Hours

    cal = pd.DataFrame({"date": pd.to_datetime([f"2026-10-0{d}" for d in range(1, 8)] + ["2026-10-10"]),
                        "kind": ["holiday"] * 7 + ["workday"]})
    return Clock(Hours(540, 1080), frozenset(range(5)), Calendar.from_table(cal))


def test_working_minutes_keep_the_seconds():
    """The clock's minutes are exact where the export writes seconds: 10 min 15 s is 10.25 min, never floored."""
    from test_clock import _minutes

    assert _minutes([("2026-09-28 09:00:30", "2026-09-28 09:10:45"), ("2026-09-28 17:59:00", "2026-09-29 09:00:30")]) \
        == [10.25, 1.5]


def test_the_work_calendar_as_sorted_days_of_each_kind():
    from pyaddin.core.clock import Calendar

    rows = pd.DataFrame({"date": pd.to_datetime(["2026-10-07 00:00", "2026-10-01 13:00", None, "2027-02-07 00:00",
                                                 "2026-10-10 00:00"]),
                         "kind": ["holiday", "holiday", "holiday", "workday", "workday"]})
    cal = Calendar.from_table(rows)
    day = lambda s: np.datetime64(s, "D")  # noqa: E731
    assert cal.holidays.tolist() == [day("2026-10-01"), day("2026-10-07")] and cal.holidays.dtype == "datetime64[D]"
    assert cal.workdays.tolist() == [day("2026-10-10"), day("2027-02-07")] and cal.workdays.dtype == "datetime64[D]"
    assert cal.years == frozenset({2026, 2027})
    for empty in (None, rows.iloc[:0]):
        none = Calendar.from_table(empty)
        assert len(none.holidays) == len(none.workdays) == 0 and none.years == frozenset()
        assert none.holidays.dtype == none.workdays.dtype == "datetime64[D]"


def test_the_nth_working_day_after_each_day():
    clock = _october_clock()  # Mon–Fri; 1–7 October holidays; Saturday 10 October worked
    span = np.arange(np.datetime64("2026-09-30"), np.datetime64("2026-10-03"), dtype="datetime64[D]")
    assert clock.nth_working_day(span, 0.5) is span  # less than a whole day: the day itself
    assert len(clock.nth_working_day(span[:0], 2)) == 0
    day = lambda s: np.datetime64(s, "D")  # noqa: E731
    assert clock.nth_working_day(span, 1).tolist() == [day("2026-10-08")] * 3  # the holidays are no working days
    assert clock.nth_working_day(span, 2.5).tolist() == [day("2026-10-09")] * 3
    assert clock.nth_working_day(span, 3).tolist() == [day("2026-10-10")] * 3  # the 调休 Saturday is one
    friday = np.array([day("2026-10-09")])
    assert clock.nth_working_day(friday, 1).tolist() == [day("2026-10-10")]
    assert clock.nth_working_day(friday, 2).tolist() == [day("2026-10-12")]
    assert clock.nth_working_day(friday, 40).tolist() == [day("2026-12-03")]  # far ahead: the 调休 day, weekends skipped


def test_the_nth_working_day_when_holidays_leave_few_working_days_or_none():
    from pyaddin.core.clock import Calendar, Clock
    from pyaddin.settings import Hours

    start = np.datetime64("2026-01-05", "D")  # a Monday; 120 days of holidays but for two weekdays
    days = np.arange(start, start + 120, dtype="datetime64[D]")
    d1, d2 = np.datetime64("2026-01-14", "D"), np.datetime64("2026-02-10", "D")
    none = np.array([], "datetime64[D]")
    clock = Clock(Hours(540, 1080), frozenset(range(5)), Calendar(days[(days != d1) & (days != d2)], none,
                                                                  frozenset({2026})))
    span = np.array([start])
    assert clock.nth_working_day(span, 1).tolist() == [d1] and clock.nth_working_day(span, 2).tolist() == [d2]
    assert clock.nth_working_day(span, 3).tolist() == [d2]  # fewer working days ahead than asked: the last there
    closed = Clock(Hours(540, 1080), frozenset(range(5)), Calendar(days, none, frozenset({2026})))
    nat = closed.nth_working_day(np.array([start, start + 1]), 1)
    assert nat.dtype == "datetime64[D]" and len(nat) == 2 and np.isnat(nat).all()
